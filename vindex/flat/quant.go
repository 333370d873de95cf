package flat

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// The quantized copy: every stored vector also kept as dims bytes, the
// prefilter of the exact L2, cosine and inner-product scans
// (quant_search.go, quant_ip.go).
//
// Quantization (one per index, fixed when the copy is built): a
// per-dimension offset o_j and one global scale s, so the integer kernel is
// a plain Σ(q_j − c_j)²:
//
//	c_j = clamp(round((y_j − o_j)/s), 0, 255)      ŷ_j = o_j + s·c_j
//
// with o_j the minimum of dimension j over the encoded data and s the
// widest dimension's range divided by 255. Per vector we keep r_y, an upper
// bound on ‖y − ŷ‖, so for a query (encoded the same way, with its own r_q)
// the triangle inequality bounds the true distance from the exact integer
// distance I = Σ(qc_j − c_j)²:
//
//	|‖q − y‖ − s·√I| ≤ r_q + r_y.
//
// What y is depends on the metric:
//
//   - L2 and InnerProduct: y = x, the stored vector. InnerProduct also
//     keeps ‖x‖² per slot (q·x = (‖q‖² + ‖x‖² − ‖q − x‖²)/2, quant_ip.go).
//   - Cosine: y = x/‖x‖, the unit vector (computed in float64, rounded to
//     float32; r_y also covers that rounding, unitErr), because the cosine
//     distance of q and x is ‖q/‖q‖ − x/‖x‖‖²/2. A vector whose float32
//     squared norm (the one the plain scan divides by) is zero, subnormal
//     or huge has no usable unit vector: it is left out of the prefilter
//     (r_y = +Inf, counted in blockOut) and always re-ranked exactly, so
//     zero vectors keep their NaN distance and place.
//
// Example (dims 2, o = [0, 10], s = 0.5): x = [1.2, 10.1] → c = [2, 0],
// x̂ = [1, 10], r_x ≈ ‖[0.2, 0.1]‖ ≈ 0.224.

// quantMinValues is the stored size (vectors × dims) from which the
// L2, cosine and inner-product scans use the quantized copy: below it the float32 data is about 256 KiB and
// the plain scan is as fast.
const quantMinValues = 1 << 16

// quantMaxClampedPercent: when more of the stored vectors than this had a
// coordinate outside the quantization range when encoded, the copy is
// dropped and re-derived from the data on the next search.
const quantMaxClampedPercent = 1

// Cosine vectors whose float32 squared norm lies outside
// [cosMinSqNorm, cosMaxSqNorm] are left out of the prefilter (see above).
// NB: inside it, the float32 underflow of the plain scan's sums is
// negligible next to ‖q‖·‖x‖ and nothing overflows, which the error bound
// of the cosine threshold (cosineSlack) relies on.
const (
	cosMinSqNorm = 0x1p-100
	cosMaxSqNorm = 0x1p100
)

// quantCodes is the quantized copy of Index.data. Guarded by Index.mu like
// data: Add and Delete update it under the write lock so that, whenever
// Search sees it, slot i's codes encode data[i*dims:]; it is built under
// the read lock by one searcher (Index.quantBuild) and published through
// Index.quant.
type quantCodes struct {
	metric vindex.Metric // L2, Cosine or InnerProduct: what is encoded (above)
	dims   int
	offset []float64 // o_j
	scale  float64   // s > 0
	inv    float64   // 1/s

	codes []uint8   // slot-major, dims bytes per slot
	terms []uint32  // distance.U8L2RowTerm of each slot's codes
	resid []float32 // r_y of each slot: an upper bound on ‖y − ŷ‖; +Inf: left out
	// blockResid[b] ≥ every finite resid[i] for slot i in
	// [b·blockRows, (b+1)·blockRows): the scan's per-block integer cut-off.
	// Only raised between rebuilds.
	blockResid []float32
	// blockOut[b] counts the slots of block b left out of the prefilter
	// (resid +Inf; Cosine only).
	blockOut []int32
	// InnerProduct only: sqNorm[i] = Σ x_j², summed in float64 (each term
	// exact), and blockNorm[b] ≥ every sqNorm of block b (only raised).
	sqNorm    []float64
	blockNorm []float64
	// maxAbs ≥ |y_j| over every value encoded since the build: with the
	// query's it bounds the float32 distances away from overflow.
	maxAbs float64
	// unit is scratch for a unit vector (Cosine), used by Add (write lock)
	// and the build (before publication) only; searches have their own.
	unit []float32

	builtN  int // vectors when built; growing to twice this rebuilds
	clamped int // vectors encoded with a coordinate out of range (never decremented)
}

// buildQuant derives the quantization for metric (L2, Cosine or
// InnerProduct) from data (n vectors of dims values, all finite) and
// encodes every vector.
func buildQuant(data []float32, dims int, metric vindex.Metric) *quantCodes {
	n := len(data) / dims
	qc := &quantCodes{metric: metric, dims: dims, builtN: max(n, 1)}
	if metric == vindex.Cosine {
		qc.unit = make([]float32, dims)
	}
	lo, hi := make([]float64, dims), make([]float64, dims)
	for j := range dims {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for i := range n {
		row, ok := qc.encoded(data[i*dims:(i+1)*dims], qc.unit)
		if !ok {
			continue
		}
		lo, hi := lo[:len(row)], hi[:len(row)]
		for j, f := range row {
			v := float64(f)
			if v < lo[j] {
				lo[j] = v
			}
			if v > hi[j] {
				hi[j] = v
			}
		}
	}
	var width float64
	for j := range dims {
		if lo[j] > hi[j] {
			// NB: no vector was encoded (empty index, or only cosine
			// vectors left out): any range will do.
			lo[j], hi[j] = 0, 0
		}
		width = max(width, hi[j]-lo[j])
	}
	scale := width / 255
	if !(scale > 0) || math.IsInf(1/scale, 0) {
		// NB: constant data (or an empty index) encodes exactly with any
		// scale; 1 keeps later vectors representable.
		scale = 1
	}
	qc.offset, qc.scale, qc.inv = lo, scale, 1/scale
	qc.codes = make([]uint8, 0, n*dims)
	qc.terms, qc.resid = make([]uint32, 0, n), make([]float32, 0, n)
	nb := (n + blockRows - 1) / blockRows
	qc.blockResid, qc.blockOut = make([]float32, 0, nb), make([]int32, 0, nb)
	if metric == vindex.InnerProduct {
		qc.sqNorm, qc.blockNorm = make([]float64, 0, n), make([]float64, 0, nb)
	}
	for i := range n {
		qc.append(data[i*dims : (i+1)*dims])
	}
	return qc
}

// encoded returns the vector y that the copy encodes for the stored or
// query vector v: v itself, or for Cosine its unit vector written to unit
// (len dims). ok is false for a cosine vector left out of the prefilter
// (float32 squared norm outside [cosMinSqNorm, cosMaxSqNorm]).
func (qc *quantCodes) encoded(v, unit []float32) (y []float32, ok bool) {
	if qc.metric != vindex.Cosine {
		return v, true
	}
	if nv := dotSelf(v); !(nv >= cosMinSqNorm && nv <= cosMaxSqNorm) {
		return nil, false
	}
	var sq float64
	for _, f := range v {
		sq += float64(f) * float64(f)
	}
	norm := math.Sqrt(sq)
	unit = unit[:len(v)]
	for j, f := range v {
		unit[j] = float32(float64(f) / norm)
	}
	return unit, true
}

// unitErr bounds ‖u − ũ‖ for the unit vector u = v/‖v‖ and ũ as encoded
// computes it (dims values): the float64 sum of exact squares is within
// relative (d−1)·2⁻⁵³, the square root and the division add 2⁻⁵³ each, and
// the rounding to float32 adds relative 2⁻²⁴ (or 2⁻¹⁵⁰ absolute per
// subnormal value), so each |ũ_j − u_j| ≤ |u_j|·(2⁻²⁴ + (d+4)·2⁻⁵³) + 2⁻¹⁵⁰.
// Returned doubled for margin.
func unitErr(dims int) float64 {
	return 0x1p-23 + float64(dims+4)*0x1p-52 + float64(dims)*0x1p-149
}

// encodeVec encodes the stored vector v (finite, len dims) into dst: the
// residual bound r_y (+Inf for a cosine vector left out, whose codes are
// zero), whether a coordinate was clamped, max |y_j|, and Σ v_j² in float64
// (InnerProduct only, else 0). unit is scratch of dims values.
func (qc *quantCodes) encodeVec(v []float32, dst []uint8, unit []float32) (resid float32, clamped bool, maxAbs, sq float64) {
	y, ok := qc.encoded(v, unit)
	if !ok {
		clear(dst[:len(v)])
		return float32(math.Inf(1)), false, 0, 0
	}
	resid, clamped, maxAbs = qc.encode(y, dst)
	switch qc.metric {
	case vindex.Cosine:
		resid = upper32(float64(resid) + unitErr(len(v)))
	case vindex.InnerProduct:
		for _, f := range v {
			sq += float64(f) * float64(f)
		}
	}
	return resid, clamped, maxAbs, sq
}

// encodeQuery encodes the query q (finite, len dims) into dst and returns
// r_q, an upper bound on ‖y − ŷ‖ for the y the copy encodes (for Cosine
// the exact unit vector: the rounding of ũ is added, unitErr), and max
// |y_j|. ok is false for a cosine query without a unit vector. unit is
// scratch of dims values. Safe for concurrent use (reads the copy only).
func (qc *quantCodes) encodeQuery(q []float32, dst []uint8, unit []float32) (rq, maxAbs float64, ok bool) {
	y, ok := qc.encoded(q, unit)
	if !ok {
		return 0, 0, false
	}
	r, _, maxAbs := qc.encode(y, dst)
	rq = float64(r)
	if qc.metric == vindex.Cosine {
		rq += unitErr(len(q))
	}
	return rq, maxAbs, true
}

// encode writes the codes of v (finite, len dims) into dst and returns an
// upper bound on ‖v − v̂‖ (computed in float64, then rounded up to float32),
// whether a coordinate fell outside the range and was clamped, and max |v_j|.
//
// NB: the bound must hold for the real-number x̂ = o + s·c. The float64
// residual e_j = (x_j − o_j) − s·c_j is off by at most 3 ulps of
// |x_j|+|o_j|+s·c_j, so 2^-50·‖that‖ is added; the relative term covers the
// rounding of the sum and square root; upper32 never rounds down.
func (qc *quantCodes) encode(v []float32, dst []uint8) (resid float32, clamped bool, maxAbs float64) {
	var se, sm float64
	off := qc.offset[:len(v)]
	dst = dst[:len(v)]
	for j, f := range v {
		x := float64(f)
		o := off[j]
		t := (x - o) * qc.inv
		// NB: plain comparisons, not min/max (whose NaN handling costs
		// branches); values are finite. Round half up by truncation.
		if t < 0 {
			clamped = clamped || t < -0.5
			t = 0
		} else if t > 255 {
			clamped = clamped || t > 255.5
			t = 255
		}
		ci := int32(t + 0.5)
		dst[j] = uint8(ci)
		sc := qc.scale * float64(ci)
		e := (x - o) - sc
		se += e * e
		ax := math.Abs(x)
		m := ax + math.Abs(o) + sc
		sm += m * m
		if ax > maxAbs {
			maxAbs = ax
		}
	}
	r := math.Sqrt(se)*(1+float64(len(v)+4)*0x1p-52) + 0x1p-50*math.Sqrt(sm)
	return upper32(r), clamped, maxAbs
}

// upper32 returns the smallest float32 ≥ v (v ≥ 0, finite).
func upper32(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// append encodes v as a new last slot.
func (qc *quantCodes) append(v []float32) {
	slot := len(qc.terms)
	qc.codes = append(qc.codes, make([]uint8, qc.dims)...)
	qc.terms = append(qc.terms, 0)
	qc.resid = append(qc.resid, 0)
	if qc.sqNorm != nil {
		qc.sqNorm = append(qc.sqNorm, 0)
	}
	qc.set(slot, v)
}

// set encodes v into an existing slot (a replaced vector). Called under the
// write lock or before publication (it uses qc.unit).
func (qc *quantCodes) set(slot int, v []float32) {
	row := qc.codes[slot*qc.dims : (slot+1)*qc.dims]
	r, clamped, m, sq := qc.encodeVec(v, row, qc.unit)
	qc.terms[slot] = distance.U8L2RowTerm(row)
	qc.growBlocks(slot)
	b := slot / blockRows
	if isOut(qc.resid[slot]) {
		qc.blockOut[b]--
	}
	qc.resid[slot] = r
	if isOut(r) {
		qc.blockOut[b]++
	} else {
		qc.blockResid[b] = max(qc.blockResid[b], r)
	}
	if qc.sqNorm != nil {
		qc.sqNorm[slot] = sq
		qc.blockNorm[b] = max(qc.blockNorm[b], sq)
	}
	qc.maxAbs = max(qc.maxAbs, m)
	if clamped {
		qc.clamped++
	}
}

// isOut reports whether a residual bound marks a slot left out of the
// prefilter.
func isOut(r float32) bool { return r > math.MaxFloat32 }

// growBlocks makes the per-block arrays cover slot's block.
func (qc *quantCodes) growBlocks(slot int) {
	for b := slot / blockRows; len(qc.blockResid) <= b; {
		qc.blockResid = append(qc.blockResid, 0)
		qc.blockOut = append(qc.blockOut, 0)
		if qc.sqNorm != nil {
			qc.blockNorm = append(qc.blockNorm, 0)
		}
	}
}

// remove mirrors Index.Delete's swap-remove: slot last moves into slot s
// (s ≤ last), then the copy shrinks to last slots.
func (qc *quantCodes) remove(s, last int) {
	d := qc.dims
	bs, bl := s/blockRows, last/blockRows
	if isOut(qc.resid[s]) {
		qc.blockOut[bs]--
	}
	if s != last {
		copy(qc.codes[s*d:(s+1)*d], qc.codes[last*d:])
		qc.terms[s] = qc.terms[last]
		r := qc.resid[last]
		qc.resid[s] = r
		if isOut(r) {
			qc.blockOut[bl]--
			qc.blockOut[bs]++
		} else {
			qc.blockResid[bs] = max(qc.blockResid[bs], r)
		}
		if qc.sqNorm != nil {
			qc.sqNorm[s] = qc.sqNorm[last]
			qc.blockNorm[bs] = max(qc.blockNorm[bs], qc.sqNorm[s])
		}
	}
	nb := (last + blockRows - 1) / blockRows
	qc.codes = qc.codes[:last*d]
	qc.terms = qc.terms[:last]
	qc.resid = qc.resid[:last]
	qc.blockResid = qc.blockResid[:nb]
	qc.blockOut = qc.blockOut[:nb]
	if qc.sqNorm != nil {
		qc.sqNorm = qc.sqNorm[:last]
		qc.blockNorm = qc.blockNorm[:nb]
	}
}

// stale reports whether the copy should be re-derived for an index of n
// vectors: it has grown to twice the built size, or too many vectors were
// clamped (their r_x, and so the candidate count, grows).
func (qc *quantCodes) stale(n int) bool {
	return n >= 2*qc.builtN || qc.clamped*100 > quantMaxClampedPercent*max(n, qc.builtN)
}

// bytes is the memory the copy holds.
func (qc *quantCodes) bytes() int64 {
	return int64(cap(qc.codes)) + 4*int64(cap(qc.terms)+cap(qc.resid)+cap(qc.blockResid)+cap(qc.blockOut)+cap(qc.unit)) +
		8*int64(len(qc.offset)+cap(qc.sqNorm)+cap(qc.blockNorm))
}
