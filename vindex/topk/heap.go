package topk

import "github.com/vecgres/vecgres/vindex"

// Heap keeps the k best (smallest distance, then smallest id) results
// seen, as a binary max-heap whose root is the current worst kept result.
// Call Reset with k >= 1 before use (k = 0 is not supported: Admits
// would index an empty heap). Not safe for concurrent use; the caller owns
// it and reuses it across searches.
type Heap struct {
	k int
	h []vindex.Result
}

// Reset empties the heap and sets its bound to k, keeping the backing
// array.
func (t *Heap) Reset(k int) {
	t.k = k
	t.h = t.h[:0]
}

// K returns the bound given to Reset.
func (t *Heap) K() int { return t.k }

// Len returns the number of results held.
func (t *Heap) Len() int { return len(t.h) }

// worse reports whether a ranks after b.
func worse(a, b vindex.Result) bool {
	return a.Distance > b.Distance || (a.Distance == b.Distance && a.ID > b.ID)
}

// Full reports whether k results are held.
func (t *Heap) Full() bool { return len(t.h) >= t.k }

// Admits reports whether a candidate (d, id) would enter the heap; callers
// test it before the (possibly costly) filter callback.
func (t *Heap) Admits(d float32, id uint64) bool {
	if len(t.h) < t.k {
		return true
	}
	return worse(t.h[0], vindex.Result{ID: id, Distance: d})
}

// Push inserts r, evicting the worst result when k are held. The heap must
// admit r (Admits returned true); otherwise the order is undefined.
func (t *Heap) Push(r vindex.Result) {
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

func (t *Heap) down(i, n int) {
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

// Drain appends the held results, best first, to dst, empties the heap
// and returns the extended dst. It allocates only if dst must grow.
func (t *Heap) Drain(dst []vindex.Result) []vindex.Result {
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
