package hnsw

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// scratch is the per-operation working memory of a search or insert,
// pooled so that a query allocates nothing once warm.
type scratch struct {
	visited visitedSet
	cands   minHeap
	res     maxHeap
	rest    minHeap // iterators: results found but not yet returned
	eps     []cand
	sorted  []cand
	sel     []cand
	sel2    []cand
	// selByLevel[l] is link's neighbour selection on level l, kept until
	// the reverse links are published bottom-up.
	selByLevel [][]cand
	nbuf       []cand
	rows       []uint32  // searchLayer: unvisited neighbours of one node
	dists      []float32 // searchLayer: their distances
	q          []float32 // normalised (cosine) or zero-padded (inner product) query
	base       []float32 // buildQuery: a stored inner-product vector, zero-padded
	ranked     []cand    // rankForSelection: candidates in the augmented metric
	qq         []uint8   // quantized traversal: the query's codes
	idists     []uint32  // quantized traversal: integer distances of rows
	rrows      []uint32  // rerank: the kept slots
	rdists     []float32 // rerank: their float32 distances
	spilled    maxHeap   // quantized traversal: the closest nodes pushed out of res
	expanded   int64     // searchLayer: nodes whose links were read, since descend
}

func (ix *Index) getScratch() *scratch {
	if sc, ok := ix.pool.Get().(*scratch); ok {
		return sc
	}
	return &scratch{}
}

func (ix *Index) putScratch(sc *scratch) { ix.pool.Put(sc) }

// drainSorted empties the heap into out in ascending distance order.
func (h *maxHeap) drainSorted(out []cand) []cand {
	n := len(*h)
	start := len(out)
	out = append(out, (*h)[:n]...)
	for i := n - 1; i >= 0; i-- {
		out[start+i] = h.pop()
	}
	return out
}

// prepareQuery returns the query in the stored vectors' form, stride
// floats: unit length for cosine, padded with a 0 for inner product (so
// -q'·x' = -q·x over augmented x', see mips.go), in sc.q (no allocation
// once warm); ok is false for a cosine query of all zeros, whose distance
// to everything is NaN, so nothing can be ranked.
func (ix *Index) prepareQuery(q []float32, sc *scratch) (_ []float32, ok bool) {
	if ix.augmented() {
		sc.q = append(append(sc.q[:0], q...), 0)
		return sc.q, true
	}
	if ix.metric != vindex.Cosine {
		return q, true
	}
	n := math.Sqrt(float64(distance.Dot(q, q)))
	if n == 0 || math.IsNaN(n) {
		return nil, false
	}
	sc.q = append(sc.q[:0], q...)
	inv := float32(1 / n)
	for i := range sc.q {
		sc.q[i] *= inv
	}
	return sc.q, true
}

// greedy walks level l from cur to a local minimum of the distance to q
// (Algorithm 2 with ef = 1, as the paper's Algorithm 5 uses on the upper
// levels). Slot skip is never taken (the node being re-linked).
func (ix *Index) greedy(q []float32, cur uint32, curD float32, l int, skip uint32, count *int64) (uint32, float32) {
	for changed := true; changed; {
		changed = false
		nl := ix.links(cur, l)
		n := min(int(atomic.LoadUint32(&nl[0])), len(nl)-1)
		for i := 1; i <= n; i++ {
			nb := atomic.LoadUint32(&nl[i])
			if nb == skip {
				continue
			}
			d := ix.dist(q, ix.vec(nb))
			*count++
			if d < curD {
				cur, curD, changed = nb, d, true
			}
		}
	}
	return cur, curD
}

// searchLayer is the paper's Algorithm 2 (SEARCH-LAYER): best-first search
// on level l from the entry points in sc.eps, keeping in sc.res the ef
// closest nodes that pass accept. The caller has reset sc.visited.
//
// Filter-aware traversal: nodes that fail accept (tombstones, filtered-out
// ids) are still expanded, so the search walks through them, but only
// accepted nodes enter sc.res; the pruning bound is the ef-th accepted
// distance, so the search continues until ef accepted nodes are found,
// the reachable graph is exhausted, or budget distances are computed.
// A nil f means construction mode: every node counts.
//
// With qq non-nil (the query's codes, quant.go) nodes are ranked by the
// integer code distance instead, and sc.res holds code distances.
func (ix *Index) searchLayer(q []float32, qq []uint8, sc *scratch, ef, l int, f *acceptor, budget int64, count *int64) {
	cands := sc.cands[:0]
	res := sc.res[:0]
	sc.spilled = sc.spilled[:0]
	vis := &sc.visited
	for _, e := range sc.eps {
		if vis.visit(e.slot) {
			continue
		}
		cands.push(e)
		if f.accepts(ix, e.slot) {
			res.push(e)
			if len(res) > ef {
				res.pop()
			}
		}
	}
	start := *count
	// NB: hot loop. Fields are copied to locals because the compiler must
	// reload them from ix after every call through gather otherwise. The
	// unvisited neighbours of a node are ranked in one gather call (which
	// prefetches rows ahead), then offered in link order, exactly as a
	// per-neighbour loop would.
	vecs, stride, gather := ix.vecs, ix.stride, ix.gather
	if cap(sc.rows) < ix.m0 {
		sc.rows, sc.dists = make([]uint32, 0, ix.m0), make([]float32, ix.m0)
	}
	for len(cands) > 0 {
		c := cands.pop()
		if len(res) >= ef && c.d > res[0].d {
			break
		}
		sc.expanded++
		if len(cands) > 0 && l == 0 {
			// NB: the next expansion is most likely the new top of cands;
			// fetching its links now overlaps that miss with this one's work.
			o := int(cands[0].slot) * (ix.m0 + 1)
			prefetchSpan(&ix.links0[o], uintptr(4*(ix.m0+1)))
		}
		nl := ix.links(c.slot, l)
		n := min(int(atomic.LoadUint32(&nl[0])), len(nl)-1)
		rows := sc.rows[:0]
		for i := 1; i <= n; i++ {
			nb := atomic.LoadUint32(&nl[i])
			if !vis.visit(nb) {
				rows = append(rows, nb)
			}
		}
		if len(rows) == 0 {
			continue
		}
		dists := sc.dists[:len(rows)]
		if qq != nil {
			ix.gatherU8(qq, rows, dists, sc)
		} else {
			gather(q, vecs, stride, rows, dists)
		}
		*count += int64(len(rows))
		for i, nb := range rows {
			d := dists[i]
			if len(res) < ef || d < res[0].d {
				cands.push(cand{d, nb})
				if f.accepts(ix, nb) {
					// NB: when res is full, d < res[0].d here, so
					// replacing the top equals push-then-pop.
					if len(res) < ef {
						res.push(cand{d, nb})
					} else {
						if qq != nil {
							ix.spill(sc, res[0], ef)
						}
						res.replaceTop(cand{d, nb})
					}
				}
			}
		}
		if budget > 0 && *count-start >= budget {
			break
		}
	}
	sc.cands, sc.res = cands[:0], res
}

// acceptor decides which traversed nodes may be results. A nil *acceptor
// accepts everything (construction: tombstones are still good hops).
type acceptor struct {
	filter func(id uint64) bool
}

func (f *acceptor) accepts(ix *Index, s uint32) bool {
	if f == nil {
		return true
	}
	if ix.flags[s] != 0 {
		return false
	}
	return f.filter == nil || f.filter(ix.ids[s])
}

// Search returns up to k nearest live neighbours of q, closest first, ties
// broken by smaller id, appended to dst[:0] (paper, Algorithm 5
// K-NN-SEARCH). p may be nil.
//
// ef is max(p.EfSearch or DefaultEfSearch, k). With p.Filter set the
// search is filter-aware: it traverses non-matching nodes and keeps going
// until ef matching nodes are found or the reachable graph is exhausted,
// so it returns fewer than k results only when fewer than k reachable
// nodes match, or when p.MaxCandidates (a bound on distance computations
// on level 0) stops it first. Filter is called at most once per visited
// node, from the calling goroutine.
//
// Safe for concurrent use with other searches and with Add; allocation
// free once the scratch pool is warm (except growth of dst).
// Errors: wrapped ErrDims when len(q) != Dims().
func (ix *Index) Search(q []float32, k int, p *vindex.SearchParams, dst []vindex.Result) ([]vindex.Result, error) {
	dst = dst[:0]
	if len(q) != ix.dims {
		return dst, fmt.Errorf("%w: query has %d dimensions, index %d", ErrDims, len(q), ix.dims)
	}
	if k <= 0 {
		return dst, nil
	}
	ef, budget := DefaultEfSearch, int64(0)
	acc := acceptor{}
	if p != nil {
		if p.EfSearch > 0 {
			ef = p.EfSearch
		}
		acc.filter = p.Filter
		budget = int64(p.MaxCandidates)
	}
	ef = max(ef, k)
	sc := ix.getScratch()
	defer ix.putScratch(sc)
	q, ok := ix.prepareQuery(q, sc)
	if !ok {
		return dst, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var count int64
	qq := ix.quantQuery(q, sc)
	if !ix.descend(q, qq, sc, &count) {
		return dst, nil
	}
	ix.searchLayer(q, qq, sc, ef, 0, &acc, budget, &count)
	if qq != nil {
		ix.rerank(q, sc, &count)
	} else {
		sc.sorted = sc.res.drainSorted(sc.sorted[:0])
	}
	dst = ix.appendResults(dst, sc.sorted, k)
	ix.distCount.Add(count)
	if p != nil && p.Stats != nil {
		p.Stats.Distances += count
		p.Stats.Visited += sc.expanded
	}
	return dst, nil
}

// descend finds the level-0 entry point for q by greedy search from the
// top level, resets the visited set and seeds sc.eps. Caller holds mu
// shared. It returns false on an empty graph. With qq non-nil it ranks by
// the code distance (quant.go), and sc.eps holds code distances.
func (ix *Index) descend(q []float32, qq []uint8, sc *scratch, count *int64) bool {
	e := ix.entry.Load()
	if e == noEntry {
		return false
	}
	ep, top := unpackEntry(e)
	var cur uint32
	var curD float32
	if qq != nil {
		if cap(sc.rows) < ix.m0 {
			sc.rows, sc.dists = make([]uint32, 0, ix.m0), make([]float32, ix.m0)
		}
		sc.rows = append(sc.rows[:0], ep)
		ix.gatherU8(qq, sc.rows[:1], sc.dists[:1], sc)
		cur, curD = ep, sc.dists[0]
		*count++
		for l := top; l > 0; l-- {
			cur, curD = ix.greedyU8(qq, cur, curD, l, sc, count)
		}
	} else {
		cur, curD = ep, ix.dist(q, ix.vec(ep))
		*count++
		for l := top; l > 0; l-- {
			cur, curD = ix.greedy(q, cur, curD, l, math.MaxUint32, count)
		}
	}
	sc.visited.reset(len(ix.levels))
	sc.eps = append(sc.eps[:0], cand{curD, cur})
	sc.expanded = 0
	return true
}

// appendResults converts up to k sorted candidates to results, reordering
// equal distances by id.
func (ix *Index) appendResults(dst []vindex.Result, sorted []cand, k int) []vindex.Result {
	start := len(dst)
	// NB: only the first k and any ties with the k-th can be results; the
	// rest of the ef candidates would each cost an id lookup, a cache miss
	// on a cold index.
	if k > 0 && len(sorted) > k {
		n := k
		for n < len(sorted) && sorted[n].d == sorted[k-1].d {
			n++
		}
		sorted = sorted[:n]
	}
	for _, c := range sorted {
		dst = append(dst, vindex.Result{ID: ix.ids[c.slot], Distance: c.d})
	}
	// Ties by id: insertion sort is O(n) on an already distance-sorted list.
	r := dst[start:]
	for i := 1; i < len(r); i++ {
		x := r[i]
		j := i
		for j > 0 && r[j-1].Distance == x.Distance && r[j-1].ID > x.ID {
			r[j] = r[j-1]
			j--
		}
		r[j] = x
	}
	if len(r) > k {
		dst = dst[:start+k]
	}
	for i := start; i < len(dst); i++ {
		dst[i].Distance = ix.reportDist(dst[i].Distance)
	}
	return dst
}
