package ivfpq

// cand is a PQ candidate: estimated distance, id and location (list<<32 |
// position) of its exact vector.
type cand struct {
	d  float32
	id uint64
	at uint64
}

func candWorse(a, b cand) bool { return a.d > b.d || (a.d == b.d && a.id > b.id) }

// candHeap keeps the n best candidates by estimated distance (max-heap).
type candHeap struct {
	n int
	h []cand
}

func (c *candHeap) reset(n int) { c.n, c.h = n, c.h[:0] }

func (c *candHeap) admits(d float32, id uint64) bool {
	return len(c.h) < c.n || candWorse(c.h[0], cand{d: d, id: id})
}

func (c *candHeap) push(x cand) {
	if len(c.h) < c.n {
		c.h = append(c.h, x)
		for i := len(c.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !candWorse(c.h[i], c.h[p]) {
				break
			}
			c.h[i], c.h[p] = c.h[p], c.h[i]
			i = p
		}
		return
	}
	c.h[0] = x
	for i, n := 0, len(c.h); ; {
		l := 2*i + 1
		if l >= n {
			return
		}
		if r := l + 1; r < n && candWorse(c.h[r], c.h[l]) {
			l = r
		}
		if !candWorse(c.h[l], c.h[i]) {
			return
		}
		c.h[i], c.h[l] = c.h[l], c.h[i]
		i = l
	}
}
