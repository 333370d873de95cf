package annoy

import "github.com/vecgres/vecgres/vindex"

// topk keeps the k best (smallest distance, then smallest id) results seen,
// as a binary max-heap whose root is the current worst kept result. The
// caller owns it and reuses it across searches (reset).
type topk struct {
	k int
	h []vindex.Result
}

func (t *topk) reset(k int) {
	t.k = k
	t.h = t.h[:0]
}

// worse reports whether a ranks after b.
func worse(a, b vindex.Result) bool {
	return a.Distance > b.Distance || (a.Distance == b.Distance && a.ID > b.ID)
}

// full reports whether k results are held.
func (t *topk) full() bool { return len(t.h) >= t.k }

// admits reports whether a candidate (d, id) would enter the heap; callers
// test it before the (possibly costly) filter callback.
func (t *topk) admits(d float32, id uint64) bool {
	if len(t.h) < t.k {
		return true
	}
	return worse(t.h[0], vindex.Result{ID: id, Distance: d})
}

// push inserts r; the heap must admit it.
func (t *topk) push(r vindex.Result) {
	if len(t.h) < t.k {
		t.h = append(t.h, r)
		i := len(t.h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !worse(t.h[i], t.h[p]) {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	t.h[0] = r
	t.down(0, len(t.h))
}

func (t *topk) down(i, n int) {
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		if r := l + 1; r < n && worse(t.h[r], t.h[l]) {
			l = r
		}
		if !worse(t.h[l], t.h[i]) {
			return
		}
		t.h[i], t.h[l] = t.h[l], t.h[i]
		i = l
	}
}

// drain appends the held results, best first, to dst and empties the heap.
func (t *topk) drain(dst []vindex.Result) []vindex.Result {
	n := len(t.h)
	// Heap-sort in place: repeatedly move the worst to the end.
	for end := n - 1; end > 0; end-- {
		t.h[0], t.h[end] = t.h[end], t.h[0]
		t.down(0, end)
	}
	dst = append(dst, t.h...)
	t.h = t.h[:0]
	return dst
}
