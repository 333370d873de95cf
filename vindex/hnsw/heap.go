package hnsw

// cand is a graph node seen during a traversal with its ranking distance
// to the query (smaller is closer).
type cand struct {
	d    float32
	slot uint32
}

// minHeap is a binary heap of candidates, closest on top (the "C" set of
// the paper's Algorithm 2). Typed and hand-rolled: container/heap would
// call through an interface on every comparison.
type minHeap []cand

func (h *minHeap) push(c cand) {
	a := append(*h, c)
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d <= c.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = c
	*h = a
}

func (h *minHeap) pop() cand {
	a := *h
	top := a[0]
	n := len(a) - 1
	last := a[n]
	a = a[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && a[r].d < a[l].d {
			l = r
		}
		if last.d <= a[l].d {
			break
		}
		a[i] = a[l]
		i = l
	}
	if n > 0 {
		a[i] = last
	}
	*h = a
	return top
}

// maxHeap is a binary heap of candidates, farthest on top (the "W" set of
// Algorithm 2: the ef best found so far, whose top is the pruning bound).
type maxHeap []cand

func (h *maxHeap) push(c cand) {
	a := append(*h, c)
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d >= c.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = c
	*h = a
}

func (h *maxHeap) pop() cand {
	a := *h
	top := a[0]
	n := len(a) - 1
	last := a[n]
	a = a[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && a[r].d > a[l].d {
			l = r
		}
		if last.d >= a[l].d {
			break
		}
		a[i] = a[l]
		i = l
	}
	if n > 0 {
		a[i] = last
	}
	*h = a
	return top
}

// replaceTop replaces the farthest candidate with c and restores the heap:
// the same as push(c) then pop() when c is closer than the top, in one
// sift instead of two. The heap must not be empty.
func (h *maxHeap) replaceTop(c cand) {
	a := *h
	n := len(a)
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && a[r].d > a[l].d {
			l = r
		}
		if c.d >= a[l].d {
			break
		}
		a[i] = a[l]
		i = l
	}
	a[i] = c
}
