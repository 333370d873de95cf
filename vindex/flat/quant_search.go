package flat

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// The quantized scans: an exact search in two passes.
//
// Pass 1 runs the integer kernel over the uint8 copy (quant.go) and, from
// I = Σ(qc_j − c_j)², bounds every true distance between the encoded
// vectors (y = x for L2, the unit vectors for Cosine):
//
//	L = s·√I − r_q − r_y ≤ ‖q − y‖ ≤ s·√I + r_q + r_y = U.
//
// It keeps the k smallest U (their largest is T, which only shrinks) and
// collects every slot with L ≤ Tc, where Tc is T widened to cover the
// float32 rounding of the rank the plain scan computes (see threshold).
// Pass 2 computes the exact float32 rank of the survivors with the same
// kernel semantics as the plain scan and offers them to the same
// (rank, id) heap.
//
// Why the result equals the plain scan's: let R be the float32 rank the
// plain scan computes. The k slots with the smallest U all have R ≤ R*,
// the largest rank a slot with true distance T can get. A slot y of the
// plain scan's top k either is one of them or has R_y ≤ R* (else those k
// all rank strictly before it); then its true distance is at most Tc, so
// L ≤ Tc: it is a survivor. The heap over a superset of the top k returns
// the top k, ties and NaN ordered as in the plain scan.
//
//   - L2: R = D̃, the float32 squared distance: D̃ ≤ (1+ε)T² + η, and
//     D ≤ (D̃ + η)/(1−ε) (l2Threshold).
//   - Cosine: R = fl32(1 − clamp(D̃/√(Ñq·Ñx))) with float32 dot D̃ and
//     squared norms Ñ (cosineFromParts). The true distance is
//     1 − cos = ‖q̂ − x̂‖²/2 for the unit vectors, so T bounds it by T²/2.
//     The computed similarity is within E of the true cosine (cosineSlack:
//     |D̃ − q·x| ≤ ε·‖q‖‖x‖ + η, the error is relative to ‖q‖‖x‖, not to
//     the dot, which may cancel), the last rounding moves R by at most
//     ρ = 2⁻²⁴ and is monotone, so the top-k slots have 1 − cos ≤
//     T²/2 + 2E + 2ρ: Tc = √(T² + 4E + 4ρ). Slots without a unit vector
//     (quant.go) are survivors unconditionally.
//   - InnerProduct: bounds per slot rather than one widening of T
//     (quant_ip.go).
//
// NB: pass 2 uses distance.L2SquaredGather and DotGather, which give the
// same float32 bits as the plain scan's L2SquaredBatch and DotBatch for
// every row in every kernel set (pinned by
// distance.TestL2GatherBitwiseEqualsBatch and TestDotGatherBitwiseEqualsBatch).

// quantMode selects when Search uses the quantized scan (tests and
// benchmarks switch it through export_test.go).
type quantMode int32

const (
	quantAuto  quantMode = iota // when it pays: large index, SIMD kernel, k ≤ n/8
	quantOff                    // never
	quantForce                  // whenever possible, any size, k or candidate count
)

// quantMaxCandidatesDiv: a query with more than n/quantMaxCandidatesDiv
// survivors (data the quantization cannot separate) is answered by the
// plain scan instead.
const quantMaxCandidatesDiv = 4

// quantWorthIt reports whether the quantized scan should be tried for a
// search without filter over n vectors for k results.
func (x *Index) quantWorthIt(n, k int) bool {
	if n == 0 || x.dims > distance.MaxU8Dims || x.metric == vindex.L1 {
		return false
	}
	switch quantMode(x.quantMode.Load()) {
	case quantOff:
		return false
	case quantForce:
		return true
	}
	// NB: the Go uint8 kernel is much slower than SIMD float32 kernels;
	// only use it when the float kernels are Go code too.
	simd := distance.U8Impl != "generic" || distance.Impl == "generic"
	return simd && n*x.dims >= quantMinValues && k*8 <= n
}

// quantCodesFor returns the quantized copy of the n stored vectors,
// building it if needed, or nil if another search is building it (the
// caller then scans the float data). The caller holds x.mu (read).
func (x *Index) quantCodesFor(n int) *quantCodes {
	if qc := x.quant.Load(); qc != nil {
		return qc
	}
	if !x.quantBuild.TryLock() {
		return nil
	}
	defer x.quantBuild.Unlock()
	if qc := x.quant.Load(); qc != nil {
		return qc
	}
	qc := buildQuant(x.data[:n*x.dims], x.dims, x.metric)
	x.quant.Store(qc)
	return qc
}

// scanQuant fills s.heap with the k nearest of the n slots by the
// two-pass scan and reports true, or reports false (heap unspecified) when
// the query cannot use it: non-finite or huge values, a cosine query
// without a unit vector, or too many survivors. qnorm is the float32 Dot(q,
// q) for Cosine. The caller holds x.mu (read).
func (x *Index) scanQuant(qc *quantCodes, q []float32, qnorm float32, k, n int, s *searchScratch) bool {
	d := x.dims
	if cap(s.qcode) < d {
		s.qcode = make([]uint8, d)
		s.qunit = make([]float32, d)
	}
	qcode := s.qcode[:d]
	for _, v := range q {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	limit := n / quantMaxCandidatesDiv
	if quantMode(x.quantMode.Load()) == quantForce {
		limit = n
	}
	rq, qmax, usable := qc.encodeQuery(q, qcode, s.qunit)
	// NB: keep every float32 distance and dot, and so the error analysis,
	// far from overflow (Cosine: the norms are bounded). Written to fail
	// on NaN.
	if m := qmax + qc.maxAbs; !usable || x.metric != vindex.Cosine && !(float64(d)*m*m <= 1e36) {
		return false
	}
	var cands []uint32
	var ok bool
	switch x.metric {
	case vindex.Cosine:
		cands, ok = x.quantPass1(qc, qcode, rq, k, n, limit, 1, cosineSlack(d), s)
	case vindex.L2:
		mul, add := l2Threshold(d)
		cands, ok = x.quantPass1(qc, qcode, rq, k, n, limit, mul, add, s)
	default:
		cands, ok = x.quantPass1IP(qc, qcode, rq, sqNorm64(q), k, n, limit, s)
	}
	if !ok {
		return false
	}
	x.quantQueries.Add(1)
	x.quantCands.Add(int64(len(cands)))
	x.rerank(q, qnorm, cands, s)
	return true
}

// rerank offers the slots cands to s.heap with the rank the plain scan
// (Index.scan) computes, bit for bit. The caller holds x.mu (read).
func (x *Index) rerank(q []float32, qnorm float32, cands []uint32, s *searchScratch) {
	d := x.dims
	h := &s.heap
	for c := 0; c < len(cands); c += blockRows {
		rows := cands[c:min(c+blockRows, len(cands))]
		out := s.dist[:len(rows)]
		switch x.metric {
		case vindex.L2:
			distance.L2SquaredGather(q, x.data, d, rows, out)
		case vindex.InnerProduct:
			distance.DotGather(q, x.data, d, rows, out)
			for i := range out {
				out[i] = -out[i]
			}
		case vindex.Cosine:
			distance.DotGather(q, x.data, d, rows, out)
			for i, r := range rows {
				out[i] = cosineFromParts(out[i], qnorm, x.norms[r])
			}
		}
		for i, dist := range out {
			h.offer(dist, x.ids[rows[i]])
		}
	}
}

// quantPass1 scans the codes for L2 and Cosine and returns the survivors
// (in s.cands: slots left out of the prefilter first within their block,
// then the others, ascending), or false if there are more than limit. The
// threshold is Tc = √(mul·T² + add) (l2Threshold, cosineSlack).
func (x *Index) quantPass1(qc *quantCodes, qcode []uint8, rq float64, k, n, limit int, mul, add float64, s *searchScratch) ([]uint32, bool) {
	d := x.dims
	if cap(s.idist) < blockRows {
		s.idist = make([]uint32, blockRows)
	}
	cands, lows := s.cands[:0], s.lows[:0]
	s.uheap = s.uheap[:0]
	tc := math.Inf(1)
	for b := 0; b < n; b += blockRows {
		e := min(b+blockRows, n)
		if qc.blockOut[b/blockRows] > 0 {
			for i := b; i < e; i++ {
				if isOut(qc.resid[i]) {
					if len(cands) == limit {
						s.cands, s.lows = cands, lows
						return nil, false
					}
					cands = append(cands, uint32(i))
					lows = append(lows, math.Inf(-1))
				}
			}
		}
		idist := s.idist[:e-b]
		distance.L2SquaredU8Batch(qcode, qc.codes[b*d:e*d], d, qc.terms[b:e], idist)
		rblock := float64(qc.blockResid[b/blockRows])
		ibound := intBound(tc, rq+rblock, qc.scale)
		for i, di := range idist {
			if di > ibound {
				continue
			}
			rx := qc.resid[b+i]
			if isOut(rx) {
				continue // already a survivor
			}
			a := qc.scale * math.Sqrt(float64(di))
			r := rq + float64(rx)
			if l := a*(1-1e-12) - r*(1+1e-12); l <= tc {
				if len(cands) == limit {
					s.cands, s.lows = cands, lows
					return nil, false
				}
				cands = append(cands, uint32(b+i))
				lows = append(lows, l)
			}
			if u := (a + r) * (1 + 1e-12); s.pushUpper(u, k) {
				tc = threshold(s.uheap[0], mul, add)
				ibound = intBound(tc, rq+rblock, qc.scale)
			}
		}
	}
	return s.keepBelow(cands, lows, tc), true
}

// keepBelow drops the survivors admitted under an earlier, larger Tc:
// it returns the cands whose lows are at most tc (in place) and keeps the
// buffers in s for the next search.
func (s *searchScratch) keepBelow(cands []uint32, lows []float64, tc float64) []uint32 {
	kept := cands[:0]
	for i, c := range cands {
		if lows[i] <= tc {
			kept = append(kept, c)
		}
	}
	s.cands, s.lows = cands, lows
	return kept
}

// threshold widens T (an upper bound on the true distance of k slots) to
// Tc = √(mul·T² + add), a bound on the true distance of any slot whose
// float32 rank ties or beats theirs, rounded up.
func threshold(t, mul, add float64) float64 {
	return math.Sqrt(mul*t*t+add) * (1 + 1e-12)
}

// l2Threshold returns threshold's mul and add for L2 over dims values. A
// float32 sum of d non-negative squared differences is within relative
// ε = (d+8)·2⁻²³ of the exact value (twice the textbook bound) plus
// η = d·2⁻¹⁴⁷ of subnormal underflow, so D̃ ≤ (1+ε)T² + η and
// D ≤ (D̃ + η)/(1−ε): Tc² = ((1+ε)T² + 2η)/(1−ε).
func l2Threshold(dims int) (mul, add float64) {
	eps := float64(dims+8) * 0x1p-23
	eta := float64(dims) * 0x1p-147
	return (1 + eps) / (1 - eps), 2 * eta / (1 - eps)
}

// cosineSlack returns threshold's add for Cosine over dims values (mul is
// 1): 4E + 4ρ in squared unit-vector distance (1 − cos = ‖q̂ − x̂‖²/2).
//
// E bounds |sim − cos| for sim = D̃/√(Ñq·Ñx) as cosineFromParts computes it
// (before clamping, which only moves it towards cos ∈ [−1, 1]). With
// ε = (d+8)·2⁻²³ (as for L2) and the squared norms of both vectors in
// [2⁻¹⁰⁰, 2¹⁰⁰] (cosMinSqNorm), the float32 underflow terms η ≤ d·2⁻¹⁴⁶
// are below d·2⁻⁴⁵ relative to ‖q‖‖x‖ and to each squared norm, so with
// ε₁ = ε + d·2⁻⁴⁴:
//
//	|D̃ − q·x| ≤ ε₁‖q‖‖x‖,  Ñ = ‖·‖²(1 ± ε₁),  √(Ñq·Ñx) = ‖q‖‖x‖(1 ± ε₁),
//	|sim − cos| ≤ (2ε₁ + 2⁻⁵¹)/(1 − 2ε₁) + 2⁻⁵¹ = E
//
// (the 2⁻⁵¹ terms cover the float64 product, square root and division).
// 1 − sim in float64 and its float32 rounding move R by at most
// ρ = 2⁻²⁴ + 2⁻⁵² and never reverse an order, so a slot whose R ties or beats
// one of true distance T²/2 has true distance ≤ T²/2 + 2E + 2ρ.
// Example: d = 128 gives ε₁ ≈ 1.6e-5 and add ≈ 1.3e-4.
func cosineSlack(dims int) float64 {
	e1 := float64(dims+8)*0x1p-23 + float64(dims)*0x1p-44
	e := (2*e1+0x1p-51)/(1-2*e1) + 0x1p-51
	rho := 0x1p-24 + 0x1p-52
	return 4*e + 4*rho
}

// intBound returns an integer I₀ such that no slot with I > I₀ can have
// L ≤ tc when r bounds r_q + r_x: s·√I − r > tc. MaxUint32 when tc is
// infinite or the bound does not fit.
func intBound(tc, r, scale float64) uint32 {
	v := (tc + r*(1+1e-12)) / (scale * (1 - 1e-12))
	b := v*v*(1+1e-9) + 1
	if !(b < math.MaxUint32) {
		return math.MaxUint32
	}
	return uint32(b)
}

// pushUpper keeps the k smallest upper bounds in the max-heap s.uheap and
// reports whether the heap is full and its maximum (T) changed.
func (s *searchScratch) pushUpper(u float64, k int) bool {
	h := s.uheap
	if len(h) < k {
		h = append(h, u)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if h[p] >= h[i] {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		s.uheap = h
		return len(h) == k
	}
	if u >= h[0] {
		return false
	}
	h[0] = u
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if l+1 < len(h) && h[l+1] > h[l] {
			m = l + 1
		}
		if h[i] >= h[m] {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	return true
}
