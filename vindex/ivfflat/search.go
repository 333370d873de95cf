package ivfflat

import (
	"cmp"
	"math"
	"slices"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/topk"
)

// searchScratch is the per-search working memory, pooled so a search
// allocates nothing once warm.
type searchScratch struct {
	q      []float32 // prepared query
	coarse []float32 // distance to each centroid
	order  []int32   // lists in probe order
	dists  []float32 // batch distances for one list
	top    topk.Heap
}

func (ix *Index) getScratch() *searchScratch {
	s, _ := ix.scratch.Get().(*searchScratch)
	if s == nil {
		s = &searchScratch{}
	}
	if cap(s.q) < ix.dims {
		s.q = make([]float32, ix.dims)
	}
	s.q = s.q[:ix.dims]
	if cap(s.coarse) < ix.lists {
		s.coarse = make([]float32, ix.lists)
		s.order = make([]int32, ix.lists)
	}
	s.coarse, s.order = s.coarse[:ix.lists], s.order[:0]
	return s
}

// Search returns up to k nearest stored vectors to q, closest first (ties
// by smaller id), appended to dst[:0]. p may be nil. It scans the pending
// list, then p.Probes lists (default 1), then further lists while fewer
// than k candidates passed p.Filter, bounded by p.MaxCandidates (see the
// package doc). A cosine zero query has no defined distance: it returns
// the k smallest ids that pass the filter, with NaN distances. Errors:
// 22000 for a query of the wrong length or holding NaN/Inf. Safe for
// concurrent use.
func (ix *Index) Search(q []float32, k int, p *vindex.SearchParams, dst []vindex.Result) ([]vindex.Result, error) {
	dst = dst[:0]
	if len(q) != ix.dims {
		return dst, pgerr.Newf(pgerr.DataException, "different vector dimensions %d and %d", ix.dims, len(q))
	}
	if !checkFinite(q) {
		return dst, pgerr.New(pgerr.DataException, "NaN or infinity not allowed in vector")
	}
	if k <= 0 {
		return dst, nil
	}
	var sp vindex.SearchParams
	if p != nil {
		sp = *p
	}
	if sp.Probes <= 0 {
		sp.Probes = DefaultProbes
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.getScratch()
	defer ix.scratch.Put(s)
	s.top.Reset(k)
	if ix.sp.prepare(s.q, q) {
		return ix.zeroQuery(s, sp.Filter, dst), nil
	}
	examined := ix.scanList(ix.pendingList(), s, sp.Filter)
	if ix.trained {
		examined += ix.probe(s, &sp)
	}
	ix.distances.Add(int64(examined))
	n := len(dst)
	dst = s.top.Drain(dst)
	for i := n; i < len(dst); i++ {
		dst[i].Distance = ix.sp.report(dst[i].Distance)
	}
	return dst, nil
}

// probe ranks the centroids, scans the nearest sp.Probes lists, then widens
// while fewer than k candidates passed. Returns distances computed.
func (ix *Index) probe(s *searchScratch, sp *vindex.SearchParams) int {
	ix.sp.coarse(s.q, ix.centroids, ix.dims, s.coarse)
	examined := ix.lists
	probes := min(sp.Probes, ix.lists)
	s.order = selectNearest(s.coarse, probes, s.order[:0])
	budgetLeft := func() bool { return sp.MaxCandidates <= 0 || examined < sp.MaxCandidates }
	for i, li := range s.order {
		if i > 0 && !budgetLeft() {
			return examined
		}
		examined += ix.scanList(int(li), s, sp.Filter)
	}
	if s.top.Full() || probes == ix.lists || !budgetLeft() {
		return examined
	}
	// Widening (rare path): order the remaining lists and keep scanning
	// until k candidates passed the filter or the budget runs out.
	probed := len(s.order)
	for c := 0; c < ix.lists; c++ {
		if !slices.Contains(s.order[:probed], int32(c)) {
			s.order = append(s.order, int32(c))
		}
	}
	rest := s.order[probed:]
	slices.SortFunc(rest, func(a, b int32) int {
		return cmp.Or(cmp.Compare(s.coarse[a], s.coarse[b]), cmp.Compare(a, b))
	})
	for _, li := range rest {
		if s.top.Full() || !budgetLeft() {
			break
		}
		examined += ix.scanList(int(li), s, sp.Filter)
	}
	return examined
}

// selectNearest appends to dst the indices of the n smallest values of d,
// in ascending order (ties by index), using a bounded max-heap:
// O(len(d) log n) and no allocation when dst has capacity.
func selectNearest(d []float32, n int, dst []int32) []int32 {
	h := dst[:0]
	less := func(a, b int32) bool { return d[a] < d[b] || (d[a] == d[b] && a < b) }
	down := func(i, m int) {
		for {
			l := 2*i + 1
			if l >= m {
				return
			}
			if r := l + 1; r < m && less(h[l], h[r]) {
				l = r
			}
			if !less(h[i], h[l]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for c := range d {
		ci := int32(c)
		if len(h) < n {
			h = append(h, ci)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(h[p], h[i]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if less(ci, h[0]) {
			h[0] = ci
			down(0, len(h))
		}
	}
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		down(0, end)
	}
	return h
}

// scanList computes the distance from the prepared query to every vector
// of list li and offers them to the top-k heap. Returns the list length.
func (ix *Index) scanList(li int, s *searchScratch, filter func(uint64) bool) int {
	l := &ix.l[li]
	n := len(l.ids)
	if n == 0 {
		return 0
	}
	if cap(s.dists) < n {
		s.dists = make([]float32, n)
	}
	d := s.dists[:n]
	ix.sp.batch(s.q, l.vecs, ix.dims, d)
	for i, dist := range d {
		id := l.ids[i]
		if !s.top.Admits(dist, id) {
			continue
		}
		if filter != nil && !filter(id) {
			continue
		}
		s.top.Push(vindex.Result{ID: id, Distance: dist})
	}
	return n
}

// zeroQuery answers a cosine query with the zero vector: every distance is
// NaN, so the k smallest ids that pass the filter are returned.
func (ix *Index) zeroQuery(s *searchScratch, filter func(uint64) bool, dst []vindex.Result) []vindex.Result {
	for li := 0; li <= ix.pendingList(); li++ {
		for _, id := range ix.l[li].ids {
			if s.top.Admits(0, id) && (filter == nil || filter(id)) {
				s.top.Push(vindex.Result{ID: id})
			}
		}
	}
	n := len(dst)
	dst = s.top.Drain(dst)
	nan := float32(math.NaN())
	for i := n; i < len(dst); i++ {
		dst[i].Distance = nan
	}
	return dst
}
