package hnsw

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// NB: neighbour lists are read by searches without locks. Every list entry
// and count is written with atomic.StoreUint32 by a writer holding the
// node's stripe lock, and read with atomic.LoadUint32 (a plain MOV on
// amd64 and arm64, so the search loop pays nothing for it). A reader may
// see a list mid-rewrite (old and new entries mixed); every entry it can
// see is a slot whose vector was written before the slot was published, so
// the worst outcome is a slightly different traversal, never a bad read.

// validate checks shapes and values of an Add batch before any lock is taken.
func (ix *Index) validate(ids []uint64, vecs []float32) error {
	if len(vecs) != len(ids)*ix.dims {
		return fmt.Errorf("%w: %d ids need %d values of %d dimensions, got %d values",
			ErrDims, len(ids), len(ids)*ix.dims, ix.dims, len(vecs))
	}
	for i, v := range vecs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: id %d, element %d", ErrNonFinite, ids[i/ix.dims], i%ix.dims)
		}
	}
	return nil
}

// grow makes room for n slots, at least doubling. Caller holds mu
// exclusively.
func (ix *Index) grow(n int) {
	if n <= len(ix.levels) {
		return
	}
	ix.resize(max(n, 2*len(ix.levels), 64))
}

// resize reallocates the per-slot slices for c slots (c ≥ the current
// capacity), keeping their contents. Caller holds mu exclusively.
func (ix *Index) resize(c int) {
	vecs := make([]float32, c*ix.stride)
	copy(vecs, ix.vecs)
	ix.vecs = vecs
	links0 := make([]uint32, c*(ix.m0+1))
	copy(links0, ix.links0)
	ix.links0 = links0
	upper := make([][]uint32, c)
	copy(upper, ix.upper)
	ix.upper = upper
	levels := make([]uint8, c)
	copy(levels, ix.levels)
	ix.levels = levels
	idv := make([]uint64, c)
	copy(idv, ix.ids)
	ix.ids = idv
	flags := make([]uint8, c)
	copy(flags, ix.flags)
	ix.flags = flags
	ix.growCodes(c)
}

// drawLevel draws a node's top level: floor(-ln(U) * mL) (paper, Algorithm 1
// line 4). Caller holds writeMu (the rng is not shared otherwise).
func (ix *Index) drawLevel() uint8 {
	u := 1 - ix.rng.Float64() // (0, 1]
	l := int(-math.Log(u) * ix.ml)
	return uint8(min(l, maxLevel))
}

// tombstone marks slot s deleted. Caller holds writeMu and mu exclusively
// and has removed s's id from idSlot.
func (ix *Index) tombstone(s uint32) {
	ix.live--
	if ix.flags[s]&flagZero != 0 {
		// Never linked: free it right away.
		ix.flags[s] = flagFree
		ix.free = append(ix.free, s)
		ix.gen++
		return
	}
	ix.flags[s] |= flagDead
	ix.dead++
}

// reserve stores a batch's vectors in slots (reusing freed ones first) and
// returns the slots that still need linking into the graph. Caller holds
// writeMu; reserve takes mu exclusively, so searches see either none or
// all of the batch's slots allocated (but not yet linked).
func (ix *Index) reserve(ids []uint64, vecs []float32) []uint32 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.grow(ix.nslots + max(0, len(ids)-len(ix.free)))
	ix.raiseNormBound(vecs)
	d := ix.dims
	slots := make([]uint32, 0, len(ids))
	for i, id := range ids {
		if old, ok := ix.idSlot[id]; ok {
			delete(ix.idSlot, id)
			ix.tombstone(old)
		}
		var s uint32
		if n := len(ix.free); n > 0 {
			s = ix.free[n-1]
			ix.free = ix.free[:n-1]
			ix.gen++
		} else {
			s = uint32(ix.nslots)
			ix.nslots++
		}
		v := ix.vec(s)
		copy(v, vecs[i*d:i*d+d])
		ix.augment(v)
		ix.ids[s] = id
		ix.idSlot[id] = s
		ix.live++
		ix.flags[s] = 0
		ix.levels[s] = 0
		ix.upper[s] = nil
		clear(ix.links(s, 0))
		if ix.metric == vindex.Cosine {
			n := math.Sqrt(float64(distance.Dot(v, v)))
			if n == 0 {
				// NB: pgvector does not index zero vectors for cosine (their
				// distance to anything is NaN); we keep the id so Delete and
				// Stats see it, but never link or return it.
				ix.flags[s] = flagZero
				continue
			}
			inv := float32(1 / n)
			for j := range v { // NB: stride == dims for cosine
				v[j] *= inv
			}
		}
		ix.encodeSlot(s)
		lv := ix.drawLevel()
		ix.levels[s] = lv
		if lv > 0 {
			ix.upper[s] = make([]uint32, int(lv)*(ix.m+1))
		}
		slots = append(slots, s)
	}
	if ix.quantStale() {
		ix.deriveQuant()
	}
	return slots
}

// insert links a reserved slot into the graph (paper, Algorithm 1 INSERT).
// Safe to run concurrently with other inserts and with searches.
func (ix *Index) insert(s uint32, sc *scratch) {
	level := int(ix.levels[s])
	e := ix.entry.Load()
	if e == noEntry {
		ix.epMu.Lock()
		if ix.entry.Load() == noEntry {
			ix.entry.Store(packEntry(s, level))
			ix.epMu.Unlock()
			return
		}
		ix.epMu.Unlock()
		e = ix.entry.Load()
	}
	ep, top := unpackEntry(e)
	if level > top {
		// NB: as hnswlib, an insert that raises the top level holds the
		// entry-point lock for its whole duration so two such inserts do
		// not race to replace the entry point. Rare: ~1/m^top of inserts.
		ix.epMu.Lock()
		defer ix.epMu.Unlock()
		ep, top = unpackEntry(ix.entry.Load())
	}
	ix.link(s, level, ep, top, sc)
	if level > top {
		ix.entry.Store(packEntry(s, level))
	}
}

// link connects slot s (whose vector and level are set) at levels
// min(level, top)..0, starting from entry point ep on level top:
// greedy descent on the levels above s's level, then for each level an
// ef_construction search (Algorithm 2), heuristic selection of m neighbours
// (Algorithm 4) and bidirectional links, shrinking neighbours' lists that
// overflow. For inner product the searches rank by -x·y and the
// selection by the augmented metric (mips.go). s itself is excluded from
// its candidates, so link also reconnects a node already in the graph
// (Repair).
func (ix *Index) link(s uint32, level int, ep uint32, top int, sc *scratch) {
	q := ix.buildQuery(s, sc)
	var count int64
	cur, curD := ep, ix.dist(q, ix.vec(ep))
	count++
	for l := top; l > level; l-- {
		cur, curD = ix.greedy(q, cur, curD, l, s, &count)
	}
	sc.eps = append(sc.eps[:0], cand{curD, cur})
	hi := min(level, top)
	for len(sc.selByLevel) <= hi {
		sc.selByLevel = append(sc.selByLevel, nil)
	}
	for l := hi; l >= 0; l-- {
		sc.visited.reset(len(ix.levels))
		sc.visited.visit(s)
		ix.searchLayer(q, nil, sc, ix.efc, l, nil, 0, &count)
		sc.sorted = sc.res.drainSorted(sc.sorted[:0])
		sc.selByLevel[l] = ix.selectNeighbors(s, ix.rankForSelection(s, sc.sorted, sc, &count), ix.m, sc.selByLevel[l][:0])
		ix.setLinks(s, l, sc.selByLevel[l])
		sc.eps = append(sc.eps[:0], sc.sorted...)
	}
	// NB: s becomes reachable only through the links added to its
	// neighbours, so those are published after all of s's own lists are
	// set, and from level 0 up: a concurrent search that reaches s on some
	// level then always finds s's lists on that level and every level
	// below. Published top-down, a search could descend to s before its
	// level-0 list existed and return nothing.
	for l := 0; l <= hi; l++ {
		mmax := ix.m
		if l == 0 {
			mmax = ix.m0
		}
		for _, c := range sc.selByLevel[l] {
			ix.addLink(c.slot, s, l, mmax, sc)
		}
	}
	ix.distCount.Add(count)
}

// selectNeighbors is the paper's Algorithm 4 (SELECT-NEIGHBORS-HEURISTIC)
// without extendCandidates and keepPrunedConnections (as hnswlib): walk
// candidates closest first and keep one only if it is closer to the base
// than to every neighbour kept so far, up to max. sorted must be in
// ascending ix.dist between stored vectors and the base (for inner
// product: the augmented metric, see rankForSelection). Appends to out.
//
// Exact duplicates of the base are kept, but at most maxDupLinks of them.
// NB: why: the heuristic never prunes a duplicate (its distance to a kept
// duplicate is its distance to the base), so a value stored many times
// (binary-quantized codes, repeated documents) filled its copies' lists
// with each other and, as reverse links overflowed, evicted their links to
// everything else: the copies became an island. With 300 rows of 8 codes,
// two of them holding two thirds of the rows, a search for a rare code
// found none of its copies in most builds.
func (ix *Index) selectNeighbors(base uint32, sorted []cand, max int, out []cand) []cand {
	bv := ix.vec(base)
	// NB: a duplicate's distance is the base's distance to itself (0 for
	// L2/L1, −1 for cosine's unit vectors, −‖x‖² for inner product), up to
	// rounding between kernels; equal vectors confirm it.
	self := ix.dist(bv, bv)
	near := self + 1e-5*float32(math.Abs(float64(self))) + 1e-6
	dups := 0
	for _, c := range sorted {
		if len(out) >= max {
			break
		}
		if c.d <= near && c.slot != base && slices.Equal(ix.vec(c.slot), bv) {
			if dups < maxDupLinks {
				dups++
				out = append(out, c)
			}
			continue
		}
		vc := ix.vec(c.slot)
		good := true
		for _, r := range out {
			if ix.dist(vc, ix.vec(r.slot)) < c.d {
				good = false
				break
			}
		}
		if good {
			out = append(out, c)
		}
	}
	return out
}

// maxDupLinks is how many exact duplicates of a node selectNeighbors keeps
// in its list (enough to chain the copies together).
const maxDupLinks = 2

// setLinks replaces s's list at level l.
func (ix *Index) setLinks(s uint32, l int, sel []cand) {
	mu := &ix.nodeMu[s%lockStripes]
	mu.Lock()
	nl := ix.links(s, l)
	for i, c := range sel {
		atomic.StoreUint32(&nl[i+1], c.slot)
	}
	atomic.StoreUint32(&nl[0], uint32(len(sel)))
	mu.Unlock()
}

// addLink adds s to n's list at level l; when the list is full (mmax), it
// re-selects n's neighbours among the old ones and s with the heuristic
// (Algorithm 1 lines 11–16).
func (ix *Index) addLink(n, s uint32, l, mmax int, sc *scratch) {
	mu := &ix.nodeMu[n%lockStripes]
	mu.Lock()
	defer mu.Unlock()
	nl := ix.links(n, l)
	cnt := int(nl[0])
	for _, x := range nl[1 : cnt+1] {
		if x == s {
			return
		}
	}
	if cnt < mmax {
		atomic.StoreUint32(&nl[cnt+1], s)
		atomic.StoreUint32(&nl[0], uint32(cnt+1))
		return
	}
	vn := ix.vec(n)
	buf := sc.nbuf[:0]
	for _, x := range nl[1 : cnt+1] {
		buf = append(buf, cand{ix.dist(vn, ix.vec(x)), x})
	}
	buf = append(buf, cand{ix.dist(vn, ix.vec(s)), s})
	sortCands(buf)
	sel := ix.selectNeighbors(n, buf, mmax, sc.sel2[:0])
	for i, c := range sel {
		atomic.StoreUint32(&nl[i+1], c.slot)
	}
	atomic.StoreUint32(&nl[0], uint32(len(sel)))
	sc.nbuf, sc.sel2 = buf, sel
}

// sortCands sorts a short candidate list by ascending distance (insertion
// sort: lists are at most 2*m+1 long and allocation-free).
func sortCands(a []cand) {
	for i := 1; i < len(a); i++ {
		c := a[i]
		j := i
		for j > 0 && a[j-1].d > c.d {
			a[j] = a[j-1]
			j--
		}
		a[j] = c
	}
}
