package ivfpq

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/coarse"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/space"
	"github.com/vecgres/vecgres/vindex/topk"
)

// searchScratch is per-search working memory, pooled: a warm search
// allocates nothing.
type searchScratch struct {
	q      []float32 // prepared query
	coarse []float32 // per-list base distance
	order  []int32
	table  []float32 // m*ksub lookup table
	cands  candHeap
	top    topk.Heap
	lists  int // lists scanned, for SearchStats
}

func (ix *Index) getScratch() *searchScratch {
	s, _ := ix.scratch.Get().(*searchScratch)
	if s == nil {
		s = &searchScratch{
			q:      make([]float32, ix.dims),
			coarse: make([]float32, ix.lists),
			order:  make([]int32, 0, ix.lists),
			table:  make([]float32, ix.m*ix.ksub),
		}
	}
	s.order, s.lists = s.order[:0], 0
	return s
}

// Search returns up to k nearest stored vectors to q, closest first (ties
// by smaller id), appended to dst[:0], with exact distances. It scans the
// pending list exactly, then p.Probes lists (default 1) with PQ estimates,
// widening while fewer than k candidates passed p.Filter (bounded by
// p.MaxCandidates), and re-ranks the best k*p.Rerank (default 10)
// candidates with the kept vectors. A cosine zero query returns the k
// smallest ids that pass the filter with NaN distances. Errors: 22000 for
// a wrong-length or non-finite query. Safe for concurrent use.
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
	if sp.Rerank <= 0 {
		sp.Rerank = DefaultRerank
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.getScratch()
	defer ix.scratch.Put(s)
	s.top.Reset(k)
	if ix.sp.Prepare(s.q, q) {
		return ix.zeroQuery(s, sp.Filter, dst), nil
	}
	examined := 0
	if ix.trained {
		s.cands.reset(k * sp.Rerank)
		examined += ix.probe(s, &sp)
		examined += ix.rerank(s)
	}
	examined += ix.scanExact(ix.pendingList(), s, sp.Filter)
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

// buildTable fills s.table with the per-query lookup table and s.coarse
// with each list's base distance (see the package doc).
func (ix *Index) buildTable(s *searchScratch) {
	coarse.Rank(ix.sp.Metric, s.q, ix.centroids, ix.dims, s.coarse)
	scale := float32(-1)
	switch ix.sp.Metric {
	case vindex.L2:
		scale = -2
	case vindex.Cosine:
		for i := range s.coarse {
			s.coarse[i]++ // 1 - q̂·c
		}
	}
	for j := 0; j < ix.m; j++ {
		lo, hi := ix.subOff[j], ix.subOff[j+1]
		t := s.table[j*ix.ksub : (j+1)*ix.ksub]
		distance.DotBatch(s.q[lo:hi], ix.codebooks[ix.ksub*lo:ix.ksub*hi], hi-lo, t)
		for v := range t {
			t[v] *= scale
		}
	}
}

// probe scans the nearest p.Probes lists with PQ estimates, then widens
// while fewer than k candidates passed the filter. Returns the work done
// in distance-equivalents (centroids + table rows + codes scanned).
func (ix *Index) probe(s *searchScratch, sp *vindex.SearchParams) int {
	ix.buildTable(s)
	examined := ix.lists + ix.ksub
	probes := min(sp.Probes, ix.lists)
	s.order = coarse.Select(s.coarse, probes, s.order[:0])
	within := func() bool { return sp.MaxCandidates <= 0 || examined < sp.MaxCandidates }
	for i, li := range s.order {
		if i > 0 && !within() {
			return examined
		}
		examined += ix.scanCodes(int(li), s, sp.Filter)
	}
	if len(s.cands.h) >= s.top.K() || probes == ix.lists || !within() {
		return examined
	}
	probed := len(s.order)
	s.order = coarse.AppendRest(s.order, s.coarse)
	rest := s.order[probed:]
	for _, li := range rest {
		if len(s.cands.h) >= s.top.K() || !within() {
			break
		}
		examined += ix.scanCodes(int(li), s, sp.Filter)
	}
	return examined
}

// scanCodes offers every vector of list li, by PQ estimate, to the
// candidate heap. Returns the list length.
func (ix *Index) scanCodes(li int, s *searchScratch, filter func(uint64) bool) int {
	l := &ix.l[li]
	n := len(l.ids)
	s.lists++
	base := s.coarse[li]
	m, ksub := ix.m, ix.ksub
	table := s.table[:m*ksub]
	for i := 0; i < n; i++ {
		code := l.codes[i*m : (i+1)*m : (i+1)*m]
		d := base
		if l.extra != nil {
			d += l.extra[i]
		}
		for j, c := range code {
			d += table[j*ksub+int(c)]
		}
		id := l.ids[i]
		if !s.cands.admits(d, id) {
			continue
		}
		if filter != nil && !filter(id) {
			continue
		}
		s.cands.push(cand{d: d, id: id, at: uint64(li)<<32 | uint64(i)})
	}
	return n
}

// rerank recomputes exact distances for the candidates into s.top.
func (ix *Index) rerank(s *searchScratch) int {
	for _, c := range s.cands.h {
		l := &ix.l[c.at>>32]
		pos := int(uint32(c.at))
		d := ix.sp.Exact(s.q, l.raw[pos*ix.dims:(pos+1)*ix.dims])
		if s.top.Admits(d, c.id) {
			s.top.Push(vindex.Result{ID: c.id, Distance: d})
		}
	}
	return len(s.cands.h)
}

// scanExact offers every vector of list li, by exact distance, to s.top.
func (ix *Index) scanExact(li int, s *searchScratch, filter func(uint64) bool) int {
	s.lists++
	l := &ix.l[li]
	for i, id := range l.ids {
		d := ix.sp.Exact(s.q, l.raw[i*ix.dims:(i+1)*ix.dims])
		if s.top.Admits(d, id) && (filter == nil || filter(id)) {
			s.top.Push(vindex.Result{ID: id, Distance: d})
		}
	}
	return len(l.ids)
}

// zeroQuery answers a cosine zero query: the k smallest ids that pass the
// filter, with NaN distances.
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
