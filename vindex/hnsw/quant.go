package hnsw

import (
	"cmp"
	"math"
	"slices"
	"sync/atomic"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Quantized traversal (L2 and cosine): every stored vector is also kept as
// dims uint8 codes, and Search walks the graph ranking nodes by the exact
// integer squared distance between codes (distance.L2SquaredU8Gather),
// then re-ranks the ef nodes it kept with the float32 distance, so results
// and their distances mean what they mean on the float path.
//
// NB: why: a query touches a few hundred scattered vectors; between
// queries of a server the caches are cold, so the search is bound by
// memory latency, and a 128-d code row is 2 cache lines where the float32
// row is 8.
//
// Quantization (the scheme of vindex/flat's quantized scan): a
// per-dimension offset o_j and one global scale s,
//
//	c_j = clamp(round((x_j − o_j)/s), 0, 255)
//
// with o_j the minimum of dimension j over the stored vectors and s the
// widest dimension's range / 255, derived from the data at the first Add
// (and on Load). The integer distance Σ(qc_j − c_j)² is s⁻² times the
// squared distance of the dequantized vectors, so ranking by it ranks by
// the approximate L2 distance. Cosine encodes the stored unit vectors and
// the normalised query: for unit vectors ‖q − x‖² = 2 − 2q·x, so the L2
// order is the −dot order; the re-rank uses −dot.
//
// Vectors added later that fall outside the range are clamped (only the
// approximate distance suffers; results stay exact after the re-rank).
// When more than quantMaxClampedPercent of the slots were encoded with a
// clamped coordinate, reserve re-derives the range and re-encodes every
// slot, under mu held exclusively.
//
// Codes are not persisted: Load rebuilds them from the loaded vectors (the
// file format is unchanged).

// quantMaxClampedPercent: see above.
const quantMaxClampedPercent = 1

// quantMinDims: New turns quantized traversal on for L2 and cosine
// indexes of at least this many dimensions (setQuantized overrides it).
//
// NB: measured (2-core AVX-512 VNNI box, m=16, ef_construction=200, one
// thread, median per search; recall@10 equal within 0.001 at ef 10-80 on
// both sets): fashion-mnist-784 is 25-40% faster at every ef and in every
// cache regime (ef 40: hot 97→73 µs, L2-cold 103→78 µs, cold 203→166 µs);
// siftsmall (128-d) is 0-15% slower (ef 40: hot 22→25 µs, cold 75→77 µs):
// its search is bound by the heaps, the visited set and the link lists,
// and a float32 row, prefetched by the gather kernel, costs little more
// than a code row. Between 128 and 784 nothing was measured.
const quantMinDims = 256

// u8Quant is the quantization of an index's codes. Immutable once
// published in Index.quant (a re-derivation publishes a new one).
type u8Quant struct {
	offset []float32 // o_j
	inv    float32   // 1/s
}

// quantizes reports whether metric can use quantized traversal.
func quantizes(m vindex.Metric) bool { return m == vindex.L2 || m == vindex.Cosine }

// encode writes the codes of v (len dims) to dst and reports whether a
// coordinate was clamped by more than half a step.
func (qz *u8Quant) encode(v []float32, dst []uint8) (clamped bool) {
	off := qz.offset[:len(v)]
	dst = dst[:len(v)]
	for j, x := range v {
		t := (x - off[j]) * qz.inv
		// NB: plain comparisons (values are finite); round half up by
		// truncation of t + 0.5 ≥ 0.
		if t < 0 {
			clamped = clamped || t < -0.5
			t = 0
		} else if t > 255 {
			clamped = clamped || t > 255.5
			t = 255
		}
		dst[j] = uint8(t + 0.5)
	}
	return clamped
}

// slotCodes returns slot s's code row.
func (ix *Index) slotCodes(s uint32) []uint8 {
	o := int(s) * ix.dims
	return ix.codes[o : o+ix.dims : o+ix.dims]
}

// encodeSlot encodes slot s's stored vector with the current quantization
// (a no-op before it is derived). Caller holds mu exclusively, or owns the
// index alone.
func (ix *Index) encodeSlot(s uint32) {
	if ix.quant == nil {
		return
	}
	row := ix.slotCodes(s)
	if ix.quant.encode(ix.vec(s), row) {
		ix.clamped++
	}
	ix.terms[s] = distance.U8L2RowTerm(row)
}

// growCodes sizes codes and terms for c slots, keeping their contents.
// Caller holds mu exclusively.
func (ix *Index) growCodes(c int) {
	if !ix.quantize || len(ix.terms) >= c {
		return
	}
	codes := make([]uint8, c*ix.dims)
	copy(codes, ix.codes)
	terms := make([]uint32, c)
	copy(terms, ix.terms)
	ix.codes, ix.terms = codes, terms
}

// quantStale reports whether the quantization must be (re-)derived: never
// derived, or too many slots clamped.
func (ix *Index) quantStale() bool {
	if !ix.quantize {
		return false
	}
	return ix.quant == nil || ix.clamped*100 > quantMaxClampedPercent*ix.nslots
}

// deriveQuant derives the quantization from every stored vector (live and
// tombstoned; free and cosine-zero slots are never reached) and encodes
// every slot. Caller holds mu exclusively, or owns the index alone.
func (ix *Index) deriveQuant() {
	d := ix.dims
	lo, hi := make([]float32, d), make([]float32, d)
	for j := range d {
		lo[j], hi[j] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	for si := 0; si < ix.nslots; si++ {
		if ix.flags[si]&(flagFree|flagZero) != 0 {
			continue
		}
		for j, x := range ix.vec(uint32(si))[:d] {
			lo[j] = min(lo[j], x)
			hi[j] = max(hi[j], x)
		}
	}
	var width float64
	for j := range d {
		if lo[j] > hi[j] { // nothing stored yet
			lo[j], hi[j] = 0, 0
		}
		width = max(width, float64(hi[j])-float64(lo[j]))
	}
	inv := 255 / width
	if !(width > 0) || math.IsInf(inv, 0) || inv > math.MaxFloat32 {
		// NB: constant data encodes exactly with any scale; 1 keeps later
		// vectors representable.
		inv = 1
	}
	ix.quant = &u8Quant{offset: lo, inv: float32(inv)}
	ix.growCodes(len(ix.levels))
	ix.clamped = 0
	for si := 0; si < ix.nslots; si++ {
		ix.encodeSlot(uint32(si))
	}
}

// setQuantized turns quantized traversal on or off (tests and benchmarks
// compare both paths). A no-op for metrics that cannot use it. Serialised
// with writers; briefly excludes searches.
func (ix *Index) setQuantized(on bool) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.quantize = on && quantizes(ix.metric)
	if ix.quantize {
		ix.deriveQuant()
	} else {
		ix.quant, ix.codes, ix.terms, ix.clamped = nil, nil, nil, 0
	}
}

// quantQuery encodes the prepared query q into sc.qq and returns it, or
// nil when the index has no quantization. Caller holds mu shared.
func (ix *Index) quantQuery(q []float32, sc *scratch) []uint8 {
	if ix.quant == nil {
		return nil
	}
	if cap(sc.qq) < ix.dims {
		sc.qq = make([]uint8, ix.dims)
	}
	sc.qq = sc.qq[:ix.dims]
	ix.quant.encode(q[:ix.dims], sc.qq)
	return sc.qq
}

// gatherU8 ranks rows by the integer code distance to qq into out, as
// float32 (monotone; exact below 2^24). Caller holds mu shared.
func (ix *Index) gatherU8(qq []uint8, rows []uint32, out []float32, sc *scratch) {
	if cap(sc.idists) < len(rows) {
		sc.idists = make([]uint32, len(rows), max(len(rows), ix.m0))
	}
	id := sc.idists[:len(rows)]
	distance.L2SquaredU8Gather(qq, ix.codes, ix.dims, ix.terms, rows, id)
	for i, v := range id {
		out[i] = float32(v)
	}
}

// greedyU8 is greedy with the code distance (Search's descent through
// the upper levels).
func (ix *Index) greedyU8(qq []uint8, cur uint32, curD float32, l int, sc *scratch, count *int64) (uint32, float32) {
	if cap(sc.rows) < ix.m0 {
		sc.rows, sc.dists = make([]uint32, 0, ix.m0), make([]float32, ix.m0)
	}
	for changed := true; changed; {
		changed = false
		nl := ix.links(cur, l)
		n := min(int(atomic.LoadUint32(&nl[0])), len(nl)-1)
		rows := sc.rows[:0]
		for i := 1; i <= n; i++ {
			rows = append(rows, atomic.LoadUint32(&nl[i]))
		}
		dists := sc.dists[:len(rows)]
		ix.gatherU8(qq, rows, dists, sc)
		*count += int64(len(rows))
		for i, d := range dists {
			if d < curD {
				cur, curD, changed = rows[i], d, true
			}
		}
	}
	return cur, curD
}

// spillFraction: quantized traversal also re-ranks up to ef/spillFraction
// of the nodes pushed out of the ef kept (the closest of them by code
// distance).
//
// NB: at small ef (ef = k = 10) the code distance misorders the boundary
// of the kept set often enough to cost recall (siftsmall: 0.917 against
// 0.924 at ef 10); those nodes are already computed, so re-ranking a few
// more costs only their float distances.
const spillFraction = 2

// spill records c, pushed out of the kept set, among the closest ef/spillFraction
// such nodes.
func (ix *Index) spill(sc *scratch, c cand, ef int) {
	n := ef / spillFraction
	if len(sc.spilled) < n {
		sc.spilled.push(c)
	} else if n > 0 && c.d < sc.spilled[0].d {
		sc.spilled.replaceTop(c)
	}
}

// rerank replaces the code distances of the ef nodes in sc.res by their
// float32 ranking distances to q, together with the spilled nodes (all
// accepted), and returns them sorted ascending in sc.sorted. Caller holds
// mu shared.
func (ix *Index) rerank(q []float32, sc *scratch, count *int64) {
	res := append(sc.res, sc.spilled...)
	if cap(sc.rrows) < len(res) {
		sc.rrows, sc.rdists = make([]uint32, len(res)), make([]float32, len(res))
	}
	rows, dists := sc.rrows[:len(res)], sc.rdists[:len(res)]
	for i, c := range res {
		rows[i] = c.slot
	}
	ix.gather(q, ix.vecs, ix.stride, rows, dists)
	*count += int64(len(rows))
	sorted := sc.sorted[:0]
	for i, s := range rows {
		sorted = append(sorted, cand{dists[i], s})
	}
	slices.SortFunc(sorted, func(a, b cand) int { return cmp.Compare(a.d, b.d) })
	sc.sorted = sorted
	sc.res = res[:0]
}
