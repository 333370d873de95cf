package annoy

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/space"
	"github.com/vecgres/vecgres/vindex/topk"
)

// qitem is a forest node waiting in the search queue with its priority:
// the smallest margin on the path to it (larger is more promising).
type qitem struct {
	pri  float32
	node int32
}

// searchScratch is per-search working memory, pooled so a warm search
// allocates nothing.
type searchScratch struct {
	q       []float32
	wq      []float32 // query the forest walk uses (walkQuery)
	pq      []qitem   // max-heap on pri
	cands   []uint32  // distinct slots collected from leaves
	visited []uint32  // epoch at which each slot was collected
	epoch   uint32
	dists   []float32
	top     topk.Heap
	nodes   int // tree nodes descended through, for SearchStats
}

func (ix *Index) getScratch() *searchScratch {
	s, _ := ix.scratch.Get().(*searchScratch)
	if s == nil {
		s = &searchScratch{q: make([]float32, ix.dims), wq: make([]float32, ix.dims)}
	}
	if len(s.visited) < len(ix.ids) {
		s.visited = make([]uint32, len(ix.ids)+len(ix.ids)/4)
		s.epoch = 0
	}
	s.epoch++
	if s.epoch == 0 { // wrapped: stale marks could collide
		clear(s.visited)
		s.epoch = 1
	}
	s.pq, s.cands, s.nodes = s.pq[:0], s.cands[:0], 0
	return s
}

// Search returns up to k nearest live vectors to q, closest first (ties by
// smaller id), appended to dst[:0], with exact distances. It collects
// p.SearchK distinct candidates from the forest (default
// n_trees*k*DefaultSearchKFactor), continues while fewer than k passed
// p.Filter (bounded by p.MaxCandidates), and scans the buffer exactly. A
// cosine zero query returns the k smallest ids that pass the filter with
// NaN distances. Errors: 22000 for a wrong-length or non-finite query.
// Safe for concurrent use.
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
	if sp.SearchK <= 0 {
		sp.SearchK = ix.nTrees * k * DefaultSearchKFactor
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.getScratch()
	defer ix.scratch.Put(s)
	s.top.Reset(k)
	if ix.sp.Prepare(s.q, q) {
		return ix.zeroQuery(s, sp.Filter, dst), nil
	}
	work := 0
	if ix.f.built > 0 {
		work += ix.searchForest(s, &sp)
	}
	work += ix.scanBuffer(s, sp.Filter)
	ix.distances.Add(int64(work))
	if sp.Stats != nil {
		sp.Stats.Distances += int64(work - s.nodes)
		sp.Stats.Visited += int64(s.nodes)
	}
	n := len(dst)
	dst = s.top.Drain(dst)
	ix.sp.ReportAll(dst[n:])
	return dst, nil
}

// searchForest walks all trees best-first and ranks the candidates.
// Returns the distances and margins computed.
func (ix *Index) searchForest(s *searchScratch, sp *vindex.SearchParams) int {
	ix.walkQuery(s)
	inf := float32(math.Inf(1))
	for _, r := range ix.f.roots {
		s.push(qitem{pri: inf, node: r})
	}
	target := sp.SearchK
	if sp.MaxCandidates > 0 {
		target = min(target, sp.MaxCandidates)
	}
	work, ranked := 0, 0
	for {
		work += ix.collect(s, target)
		work += ix.rank(s, ranked, sp.Filter)
		ranked = len(s.cands)
		// Widen while fewer than k candidates passed the filter (or were
		// live), within the candidate budget.
		if s.top.Full() || len(s.pq) == 0 || (sp.MaxCandidates > 0 && ranked >= sp.MaxCandidates) {
			return work
		}
		target = ranked * 2
		if sp.MaxCandidates > 0 {
			target = min(target, sp.MaxCandidates)
		}
	}
}

// walkQuery sets s.wq, the query the forest walk measures margins with:
// the prepared query itself, or for inner product the query scaled to
// norm M (forest.liftNorm). NB: scaling by a positive factor keeps the
// inner-product order, and puts the query on the sphere of radius M where
// the lifted vectors lie (see ipLift), so the margins to the planes are
// on the scale of the gaps between vectors rather than shrunk toward the
// offsets when ‖q‖ is small. A zero query is walked as is.
func (ix *Index) walkQuery(s *searchScratch) {
	copy(s.wq, s.q)
	if ix.f.liftNorm == 0 {
		return
	}
	sq := sqNorm(s.q)
	if sq == 0 {
		return
	}
	f := float32(float64(ix.f.liftNorm) / math.Sqrt(sq))
	for i := range s.wq {
		s.wq[i] *= f
	}
}

// collect pops queue items until target distinct slots were collected or
// the queue is empty. Returns the margins computed.
//
// NB: from a popped node it descends straight to a leaf on the side of
// the query, queueing only the far child of each node on the way (the
// near child would usually be popped next anyway). That halves the heap
// operations of Annoy's push-both-children loop, which dominated the
// walk, at the same recall per candidate.
func (ix *Index) collect(s *searchScratch, target int) int {
	f := &ix.f
	d := ix.dims
	work := 0
	for len(s.cands) < target && len(s.pq) > 0 {
		it := s.pop()
		n, pri := it.node, it.pri
		for n >= 0 {
			m := distance.Dot(f.planes[int(n)*d:int(n+1)*d], s.wq) + f.offsets[n]
			work++
			s.nodes++
			if m > 0 {
				s.push(qitem{pri: min(pri, -m), node: f.child[2*n]})
				pri, n = min(pri, m), f.child[2*n+1]
			} else {
				s.push(qitem{pri: min(pri, m), node: f.child[2*n+1]})
				pri, n = min(pri, -m), f.child[2*n]
			}
		}
		s.collectLeaf(f.leafItems[f.leafStart[-n-1]:f.leafStart[-n]])
	}
	return work
}

// collectLeaf appends the slots of a leaf not yet collected to s.cands.
// NB: branch-free (always store, advance by 0 or 1): whether a slot was
// seen is unpredictable, and the mispredicted branch cost more than the
// check itself.
func (s *searchScratch) collectLeaf(items []uint32) {
	n := len(s.cands)
	if cap(s.cands)-n < len(items) {
		s.cands = append(s.cands, items...)
	}
	cands := s.cands[:cap(s.cands)]
	epoch, visited := s.epoch, s.visited
	for _, slot := range items {
		cands[n] = slot
		fresh := visited[slot] != epoch
		visited[slot] = epoch
		if fresh {
			n++
		}
	}
	s.cands = cands[:n]
}

// rank computes exact distances for s.cands[from:] into s.top.
func (ix *Index) rank(s *searchScratch, from int, filter func(uint64) bool) int {
	cands := s.cands[from:]
	if cap(s.dists) < len(cands) {
		s.dists = make([]float32, len(cands), len(cands)+len(cands)/2)
	}
	dists := s.dists[:len(cands)]
	ix.sp.Gather(s.q, ix.vecs, ix.dims, cands, dists)
	for i, slot := range cands {
		if ix.dead[slot] {
			continue
		}
		id := ix.ids[slot]
		if s.top.Admits(dists[i], id) && (filter == nil || filter(id)) {
			s.top.Push(vindex.Result{ID: id, Distance: dists[i]})
		}
	}
	return len(cands)
}

// scanBuffer ranks every live slot added since the last build.
func (ix *Index) scanBuffer(s *searchScratch, filter func(uint64) bool) int {
	lo, hi := ix.f.built, len(ix.ids)
	n := hi - lo
	if n == 0 {
		return 0
	}
	if cap(s.dists) < n {
		s.dists = make([]float32, n)
	}
	dists := s.dists[:n]
	ix.sp.Batch(s.q, ix.vecs[lo*ix.dims:hi*ix.dims], ix.dims, dists)
	for i, dist := range dists {
		slot := lo + i
		if ix.dead[slot] {
			continue
		}
		id := ix.ids[slot]
		if s.top.Admits(dist, id) && (filter == nil || filter(id)) {
			s.top.Push(vindex.Result{ID: id, Distance: dist})
		}
	}
	return n
}

// zeroQuery answers a cosine zero query: the k smallest live ids that pass
// the filter, with NaN distances.
func (ix *Index) zeroQuery(s *searchScratch, filter func(uint64) bool, dst []vindex.Result) []vindex.Result {
	for slot, id := range ix.ids {
		if !ix.dead[slot] && s.top.Admits(0, id) && (filter == nil || filter(id)) {
			s.top.Push(vindex.Result{ID: id})
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

func (s *searchScratch) push(it qitem) {
	s.pq = append(s.pq, it)
	h := s.pq
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p].pri >= h[i].pri {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (s *searchScratch) pop() qitem {
	h := s.pq
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && h[r].pri > h[l].pri {
			l = r
		}
		if h[i].pri >= h[l].pri {
			break
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
	s.pq = h
	return top
}
