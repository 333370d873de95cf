package flat

import (
	"math"

	"github.com/vecgres/vecgres/vindex/distance"
)

// The quantized copy: every stored vector also kept as dims bytes, the
// prefilter of the exact L2 scan (quant_search.go).
//
// Quantization (one per index, fixed when the copy is built): a
// per-dimension offset o_j and one global scale s, so the integer kernel is
// a plain Σ(q_j − c_j)²:
//
//	c_j = clamp(round((x_j − o_j)/s), 0, 255)      x̂_j = o_j + s·c_j
//
// with o_j the minimum of dimension j over the data and s the widest
// dimension's range divided by 255. Per vector we keep r_x, an upper bound on
// ‖x − x̂‖, so for a query q (encoded the same way, with its own r_q) the
// triangle inequality bounds the true distance from the exact integer
// distance I = Σ(qc_j − c_j)²:
//
//	|‖q − x‖ − s·√I| ≤ r_q + r_x.
//
// Example (dims 2, o = [0, 10], s = 0.5): x = [1.2, 10.1] → c = [2, 0],
// x̂ = [1, 10], r_x ≈ ‖[0.2, 0.1]‖ ≈ 0.224.

// quantMinValues is the stored size (vectors × dims) from which the L2 scan
// uses the quantized copy: below it the float32 data is about 256 KiB and
// the plain scan is as fast.
const quantMinValues = 1 << 16

// quantMaxClampedPercent: when more of the stored vectors than this had a
// coordinate outside the quantization range when encoded, the copy is
// dropped and re-derived from the data on the next search.
const quantMaxClampedPercent = 1

// quantCodes is the quantized copy of Index.data. Guarded by Index.mu like
// data: Add and Delete update it under the write lock so that, whenever
// Search sees it, slot i's codes encode data[i*dims:]; it is built under
// the read lock by one searcher (Index.quantBuild) and published through
// Index.quant.
type quantCodes struct {
	dims   int
	offset []float64 // o_j
	scale  float64   // s > 0
	inv    float64   // 1/s

	codes []uint8   // slot-major, dims bytes per slot
	terms []uint32  // distance.U8L2RowTerm of each slot's codes
	resid []float32 // r_x of each slot: an upper bound on ‖x − x̂‖
	// blockResid[b] ≥ resid[i] for every slot i in [b·blockRows, (b+1)·blockRows):
	// the scan's per-block integer cut-off. Only raised between rebuilds.
	blockResid []float32
	// maxAbs ≥ |x_j| over every value encoded since the build: with the
	// query's it bounds the float32 distances away from overflow.
	maxAbs float64

	builtN  int // vectors when built; growing to twice this rebuilds
	clamped int // vectors encoded with a coordinate out of range (never decremented)
}

// buildQuant derives the quantization from data (n vectors of dims values,
// all finite) and encodes every vector.
func buildQuant(data []float32, dims int) *quantCodes {
	n := len(data) / dims
	lo, hi := make([]float64, dims), make([]float64, dims)
	for j := range dims {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for i := range n {
		row := data[i*dims : (i+1)*dims]
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
		width = max(width, hi[j]-lo[j])
	}
	scale := width / 255
	if !(scale > 0) || math.IsInf(1/scale, 0) {
		// NB: constant data (or an empty index) encodes exactly with any
		// scale; 1 keeps later vectors representable.
		scale = 1
	}
	if n == 0 {
		clear(lo)
	}
	qc := &quantCodes{
		dims: dims, offset: lo, scale: scale, inv: 1 / scale,
		codes: make([]uint8, 0, n*dims),
		terms: make([]uint32, 0, n), resid: make([]float32, 0, n),
		blockResid: make([]float32, 0, (n+blockRows-1)/blockRows),
		builtN:     max(n, 1),
	}
	for i := range n {
		qc.append(data[i*dims : (i+1)*dims])
	}
	return qc
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
	qc.set(slot, v)
}

// set encodes v into an existing slot (a replaced vector).
func (qc *quantCodes) set(slot int, v []float32) {
	row := qc.codes[slot*qc.dims : (slot+1)*qc.dims]
	r, clamped, m := qc.encode(v, row)
	qc.terms[slot] = distance.U8L2RowTerm(row)
	qc.resid[slot] = r
	qc.raiseBlock(slot, r)
	qc.maxAbs = max(qc.maxAbs, m)
	if clamped {
		qc.clamped++
	}
}

// raiseBlock makes slot's block bound at least r.
func (qc *quantCodes) raiseBlock(slot int, r float32) {
	b := slot / blockRows
	for len(qc.blockResid) <= b {
		qc.blockResid = append(qc.blockResid, 0)
	}
	qc.blockResid[b] = max(qc.blockResid[b], r)
}

// remove mirrors Index.Delete's swap-remove: slot last moves into slot s
// (s ≤ last), then the copy shrinks to last slots.
func (qc *quantCodes) remove(s, last int) {
	d := qc.dims
	if s != last {
		copy(qc.codes[s*d:(s+1)*d], qc.codes[last*d:])
		qc.terms[s] = qc.terms[last]
		qc.resid[s] = qc.resid[last]
		qc.raiseBlock(s, qc.resid[last])
	}
	qc.codes = qc.codes[:last*d]
	qc.terms = qc.terms[:last]
	qc.resid = qc.resid[:last]
	qc.blockResid = qc.blockResid[:(last+blockRows-1)/blockRows]
}

// stale reports whether the copy should be re-derived for an index of n
// vectors: it has grown to twice the built size, or too many vectors were
// clamped (their r_x, and so the candidate count, grows).
func (qc *quantCodes) stale(n int) bool {
	return n >= 2*qc.builtN || qc.clamped*100 > quantMaxClampedPercent*max(n, qc.builtN)
}

// bytes is the memory the copy holds.
func (qc *quantCodes) bytes() int64 {
	return int64(cap(qc.codes)) + 4*int64(cap(qc.terms)+cap(qc.resid)+cap(qc.blockResid)) + 8*int64(len(qc.offset))
}
