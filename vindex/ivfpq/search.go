package ivfpq

import (
	"cmp"
	"math"
	"slices"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
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
	s.order = s.order[:0]
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
	if sp.Rerank <= 0 {
		sp.Rerank = DefaultRerank
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.getScratch()
	defer ix.scratch.Put(s)
	s.top.Reset(k)
	if ix.sp.prepare(s.q, q) {
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
	n := len(dst)
	dst = s.top.Drain(dst)
	for i := n; i < len(dst); i++ {
		dst[i].Distance = ix.sp.report(dst[i].Distance)
	}
	return dst, nil
}

// buildTable fills s.table with the per-query lookup table and s.coarse
// with each list's base distance (see the package doc).
func (ix *Index) buildTable(s *searchScratch) {
	ix.sp.coarse(s.q, ix.centroids, ix.dims, s.coarse)
	scale := float32(-1)
	switch ix.sp.metric {
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
	s.order = selectNearest(s.coarse, probes, s.order[:0])
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
		d := ix.sp.exact(s.q, l.raw[pos*ix.dims:(pos+1)*ix.dims])
		if s.top.Admits(d, c.id) {
			s.top.Push(vindex.Result{ID: c.id, Distance: d})
		}
	}
	return len(s.cands.h)
}

// scanExact offers every vector of list li, by exact distance, to s.top.
func (ix *Index) scanExact(li int, s *searchScratch, filter func(uint64) bool) int {
	l := &ix.l[li]
	for i, id := range l.ids {
		d := ix.sp.exact(s.q, l.raw[i*ix.dims:(i+1)*ix.dims])
		if s.top.Admits(d, id) && (filter == nil || filter(id)) {
			s.top.Push(vindex.Result{ID: id, Distance: d})
		}
	}
	return len(l.ids)
}

// selectNearest appends to dst the indices of the n smallest values of d in
// ascending order (ties by index), with a bounded max-heap.
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
