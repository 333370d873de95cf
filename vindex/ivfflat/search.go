package ivfflat

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/coarse"
	"github.com/vecgres/vecgres/vindex/space"
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
	lists  int // lists scanned (the pending list included), for SearchStats
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
	s.coarse, s.order, s.lists = s.coarse[:ix.lists], s.order[:0], 0
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
	if err := space.CheckQuery(ix.dims, q); err != nil {
		return dst, err
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
	if ix.sp.Prepare(s.q, q) {
		return ix.zeroQuery(s, sp.Filter, dst), nil
	}
	examined := ix.scanList(ix.pendingList(), s, sp.Filter)
	if ix.trained {
		examined += ix.probe(s, &sp)
	}
	ix.distances.Add(int64(examined))
	if sp.Stats != nil {
		sp.Stats.Distances += int64(examined)
		sp.Stats.Visited += int64(s.lists)
	}
	n := len(dst)
	dst = s.top.Drain(dst)
	ix.sp.ReportAll(dst[n:])
	return dst, nil
}

// probe ranks the centroids, scans the nearest sp.Probes lists, then widens
// while fewer than k candidates passed. Returns distances computed.
func (ix *Index) probe(s *searchScratch, sp *vindex.SearchParams) int {
	coarse.Rank(ix.sp.Metric, s.q, ix.centroids, ix.dims, s.coarse)
	examined := ix.lists
	probes := min(sp.Probes, ix.lists)
	s.order = coarse.Select(s.coarse, probes, s.order[:0])
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
	s.order = coarse.AppendRest(s.order, s.coarse)
	rest := s.order[probed:]
	for _, li := range rest {
		if s.top.Full() || !budgetLeft() {
			break
		}
		examined += ix.scanList(int(li), s, sp.Filter)
	}
	return examined
}

// scanList computes the distance from the prepared query to every vector
// of list li and offers them to the top-k heap. Returns the list length.
func (ix *Index) scanList(li int, s *searchScratch, filter func(uint64) bool) int {
	l := &ix.l[li]
	n := len(l.ids)
	s.lists++
	if n == 0 {
		return 0
	}
	if cap(s.dists) < n {
		s.dists = make([]float32, n)
	}
	d := s.dists[:n]
	ix.sp.Batch(s.q, l.vecs, ix.dims, d)
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
