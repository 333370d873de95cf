package flat

import (
	"slices"

	"github.com/vecgres/vecgres/vindex"
)

type scored struct {
	rank float32
	id   uint64
}

// worse reports whether a ranks after b: larger distance, or equal distance
// and larger id. NaN ranks after every number (PostgreSQL sorts NaN last).
func worse(a, b scored) bool {
	an, bn := a.rank != a.rank, b.rank != b.rank
	switch {
	case an && bn:
		return a.id > b.id
	case an:
		return true
	case bn:
		return false
	}
	if a.rank != b.rank {
		return a.rank > b.rank
	}
	return a.id > b.id
}

// resultHeap keeps the best k candidates in a max-heap: items[0] is the
// worst kept, so a new candidate is compared with it once.
type resultHeap struct {
	k     int
	items []scored
}

func (h *resultHeap) reset(k int) {
	h.k = k
	if cap(h.items) < k && k <= 1<<16 {
		h.items = make([]scored, 0, k)
	}
	h.items = h.items[:0]
}

// wants reports whether (rank, id) would be kept: cheap pre-check that lets
// the scan skip the filter call for candidates that cannot enter.
func (h *resultHeap) wants(rank float32, id uint64) bool {
	return len(h.items) < h.k || worse(h.items[0], scored{rank, id})
}

func (h *resultHeap) offer(rank float32, id uint64) {
	c := scored{rank, id}
	if len(h.items) < h.k {
		h.items = append(h.items, c)
		h.up(len(h.items) - 1)
		return
	}
	if !worse(h.items[0], c) {
		return
	}
	h.items[0] = c
	h.down(0)
}

func (h *resultHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !worse(h.items[i], h.items[p]) {
			return
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *resultHeap) down(i int) {
	n := len(h.items)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && worse(h.items[r], h.items[l]) {
			m = r
		}
		if !worse(h.items[m], h.items[i]) {
			return
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
}

// drainSorted appends the kept candidates to dst best first, with distances
// converted to the reported form, and empties the heap.
func (h *resultHeap) drainSorted(dst []vindex.Result, m vindex.Metric) []vindex.Result {
	slices.SortFunc(h.items, func(a, b scored) int {
		if worse(a, b) {
			return 1
		}
		if worse(b, a) {
			return -1
		}
		return 0
	})
	for _, c := range h.items {
		dst = append(dst, vindex.Result{ID: c.id, Distance: vindex.ToReported(m, c.rank)})
	}
	h.items = h.items[:0]
	return dst
}
