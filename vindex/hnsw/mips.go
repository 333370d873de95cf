package hnsw

import (
	"cmp"
	"math"
	"slices"

	"github.com/vecgres/vecgres/vindex/distance"
)

// Inner product graphs are built with the help of augmented vectors: the
// reduction of maximum inner product search to nearest-neighbour search
// (Bachrach et al., "Speeding Up the Xbox Recommender System Using a
// Euclidean Transformation for Inner-Product Spaces", RecSys 2014, §3).
//
// Each stored vector x gets one extra coordinate
//
//	a_x = sqrt(M² - |x|²),  M = normBound ≥ |x| for every stored x,
//
// so every stored x' = [x, a_x] has norm M, and for two stored vectors
//
//	‖x'-y'‖² = 2M² - 2 x'·y'
//
// -x'·y' orders pairs exactly as the L2 distance between the augmented
// vectors: a true metric. Worked example (M = 5): x = [3, 0] → [3, 0, 4];
// y = [0, 4] → [0, 4, 3]; x·y = 0 but x'·y' = 12, and
// ‖x'-y'‖² = 9+16+1 = 26 = 2·25 - 2·12.
//
// Where each geometry is used:
//
//   - Queries are padded with 0 (q' = [q, 0], prepareQuery), so
//     -q'·x' = -q·x exactly: search ranking, filters, iterators and
//     reported distances are those of plain inner product, with the same
//     precision.
//   - Construction searches (link's descent and ef_construction search,
//     fixOrphans) pad the inserted vector the same way (buildQuery): they
//     find the stored vectors of largest inner product with it, as a
//     query would (ip-NSW: Morozov & Babenko, "Non-metric Similarity
//     Graphs for Maximum Inner Product Search", NeurIPS 2018).
//   - Neighbour selection (Algorithm 4 in link, addLink's shrinking,
//     repairList) ranks and prunes those candidates by -x'·y', the
//     augmented metric (rankForSelection). On plain -x·y the heuristic is
//     not a diversity rule: a long neighbour r has a large c·r with every
//     candidate c and prunes it, so lists collapse onto a few long hubs.
//
// NB: the mix is measured, not assumed. Recall@10 of 50 queries (m 16,
// ef_construction 64) at ef_search 64 / 128, several builds each:
//
//	data (vectors×dims)                   -x·y only    augmented only  this mix
//	conformance clustered (2000×32)       0.84 / 0.93  0.96 / 0.99     0.90–0.94 / 0.98
//	same, rows scaled ×0.5/1/2            0.94 / 0.96  0.74 / 0.89     0.96 / 1.00
//	Gaussian, norms in 4 tiers (1500×16)  1.00 / 1.00  0.78 / 0.90     0.98 / 0.99
//	siftsmall (10k×128, ef 40)            0.995        0.995           0.995
//
// Building on the augmented metric alone (searches included), as the
// reduction prescribes, fails when the answers are the longest vectors:
// in the augmented space every query lies far from the data (all of it
// at distance ≈ M), where a metric graph navigates poorly. Building on
// -x·y alone, the heuristic prunes badly on clustered data. The mix was
// the best of the four combinations (search × selection geometry) over
// these sets (TestInnerProductRecallShapes pins it).

// Invariant: normBound ≥ the norm of every stored vector, and every
// stored non-free slot holds a = sqrt(max(0, normBound² - |x|²)) (up to
// float32 rounding). When a batch holds a longer vector, raiseNormBound
// re-derives M from it and rewrites only the extra coordinate of the
// stored vectors: O(slots), no vector data read, the graph is untouched
// (it stays a valid graph; only the selection geometry for later inserts
// shifts). A vector with |x| > M would still be searched correctly
// (a = 0), so the bound matters for graph quality only.

// normHeadroom scales the largest norm seen into M.
//
// NB: a margin above the largest norm makes a batch of slightly longer
// vectors not rewrite the whole index, and M grows geometrically (by at
// least this factor each time), so steadily growing norms cost a
// logarithmic number of rewrites. A larger M flattens the augmented
// geometry towards plain L2 on x, which cost recall slightly: at ef 64,
// factor 1.0 / 1.1 / 1.5 / 2 gave 0.985 / 0.980 / 0.962 / 0.962 on the
// tiers set above, with no clear trend on the clustered one.
const normHeadroom = 1.05

// augmented reports whether stored vectors carry the MIPS coordinate.
func (ix *Index) augmented() bool { return ix.stride != ix.dims }

// buildQuery returns the query that construction searches use to link
// slot s: its stored vector, or for inner product its vector padded with
// 0 (in sc.base), which ranks stored vectors by -x·y.
func (ix *Index) buildQuery(s uint32, sc *scratch) []float32 {
	if !ix.augmented() {
		return ix.vec(s)
	}
	sc.base = append(append(sc.base[:0], ix.userVec(s)...), 0)
	return sc.base
}

// rankForSelection returns the candidates for slot s's list (sorted,
// from a construction search) in the order selectNeighbors needs:
// ascending ix.dist between stored vectors. That is their order already
// except for inner product, where the search ranked by -x·y and the
// selection uses the augmented metric: the distances are recomputed into
// sc.ranked and sorted. Adds the distances computed to *count.
func (ix *Index) rankForSelection(s uint32, sorted []cand, sc *scratch, count *int64) []cand {
	if !ix.augmented() {
		return sorted
	}
	base := ix.vec(s)
	r := sc.ranked[:0]
	for _, c := range sorted {
		r = append(r, cand{ix.dist(base, ix.vec(c.slot)), c.slot})
	}
	slices.SortFunc(r, func(a, b cand) int { return cmp.Compare(a.d, b.d) })
	*count += int64(len(r))
	sc.ranked = r
	return r
}

// raiseNormBound makes normBound cover every vector of a batch about to
// be stored (vecs flat, dims per row), re-deriving M and rewriting the
// augmentation of stored slots when it grows. No-op for other metrics.
// Caller holds writeMu and mu exclusively.
func (ix *Index) raiseNormBound(vecs []float32) {
	if !ix.augmented() {
		return
	}
	var max2 float64
	for o := 0; o+ix.dims <= len(vecs); o += ix.dims {
		x := vecs[o : o+ix.dims]
		max2 = math.Max(max2, float64(distance.Dot(x, x)))
	}
	if max2 <= ix.normBound*ix.normBound {
		return
	}
	old2 := ix.normBound * ix.normBound
	nb := math.Sqrt(max2) * normHeadroom
	// NB: a_new² = M_new² - |x|² = (M_new² - M_old²) + a_old², so the new
	// coordinate follows from the old one alone, without reading x.
	grow := nb*nb - old2
	for s := 0; s < ix.nslots; s++ {
		if ix.flags[s]&flagFree != 0 {
			continue
		}
		v := ix.vec(uint32(s))
		a := float64(v[ix.dims])
		v[ix.dims] = float32(math.Sqrt(grow + a*a))
	}
	ix.normBound = nb
}

// augment sets the extra coordinate of stored vector v (stride floats,
// the caller's values in v[:dims]) from normBound. For metrics without
// augmentation it does nothing. Caller holds mu exclusively (or owns the
// index, as Load does).
func (ix *Index) augment(v []float32) {
	if !ix.augmented() {
		return
	}
	x := v[:ix.dims]
	a2 := ix.normBound*ix.normBound - float64(distance.Dot(x, x))
	v[ix.dims] = float32(math.Sqrt(math.Max(a2, 0)))
}

// augmentAll derives normBound from the stored vectors and sets every
// stored slot's extra coordinate: used by Load for format-1 images, which
// held inner-product vectors without it. The graph they carry was built
// on plain -dot; it is kept as is (searches are exact either way), and
// vectors added later are linked in the augmented geometry.
func (ix *Index) augmentAll() {
	if !ix.augmented() {
		return
	}
	var max2 float64
	for s := 0; s < ix.nslots; s++ {
		if ix.flags[s]&flagFree == 0 {
			x := ix.userVec(uint32(s))
			max2 = math.Max(max2, float64(distance.Dot(x, x)))
		}
	}
	ix.normBound = math.Sqrt(max2) * normHeadroom
	for s := 0; s < ix.nslots; s++ {
		if ix.flags[s]&flagFree == 0 {
			ix.augment(ix.vec(uint32(s)))
		}
	}
}
