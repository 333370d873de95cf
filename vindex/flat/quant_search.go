package flat

import (
	"math"

	"github.com/vecgres/vecgres/vindex/distance"
)

// The quantized L2 scan: an exact search in two passes.
//
// Pass 1 runs the integer kernel over the uint8 copy (quant.go) and, from
// I = Σ(qc_j − c_j)², bounds every true distance:
//
//	L = s·√I − r_q − r_x ≤ ‖q − x‖ ≤ s·√I + r_q + r_x = U.
//
// It keeps the k smallest U (their largest is T, which only shrinks) and
// collects every slot with L ≤ Tc, where Tc is T widened by the float32
// error bound of the exact kernel (see threshold). Pass 2 computes the
// exact float32 distance of the survivors with the same kernel
// semantics as the plain scan and offers them to the same (rank, id) heap.
//
// Why the result equals the plain scan's: let D̃ be the float32 squared
// distance the plain scan computes. The k slots with the smallest U all have
// D̃ ≤ (1+ε)T² + η, so every slot of the plain scan's top k has D̃ no larger,
// hence ‖q − x‖ ≤ Tc and L ≤ Tc: it is a survivor. The heap over a superset
// of the top k returns the top k.
//
// NB: pass 2 uses distance.L2SquaredGather, which gives the same float32
// bits as the plain scan's L2SquaredBatch for every row in every kernel set
// (pinned by distance.TestL2GatherBitwiseEqualsBatch).

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

// quantWorthIt reports whether the quantized scan should be tried for an
// L2 search without filter over n vectors for k results.
func (x *Index) quantWorthIt(n, k int) bool {
	if n == 0 || x.dims > distance.MaxU8Dims {
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
	qc := buildQuant(x.data[:n*x.dims], x.dims)
	x.quant.Store(qc)
	return qc
}

// scanQuant fills s.heap with the k nearest of the n slots by the
// two-pass scan and reports true, or reports false (heap unspecified) when
// the query cannot use it: non-finite or huge values, or too many
// survivors. The caller holds x.mu (read).
func (x *Index) scanQuant(qc *quantCodes, q []float32, k, n int, s *searchScratch) bool {
	d := x.dims
	if cap(s.qcode) < d {
		s.qcode = make([]uint8, d)
	}
	qcode := s.qcode[:d]
	for _, v := range q {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	rq32, _, qmax := qc.encode(q, qcode)
	rq := float64(rq32)
	// NB: keep every float32 squared distance, and so the error analysis,
	// far from overflow. Written to fail on NaN.
	if m := qmax + qc.maxAbs; !(float64(d)*m*m <= 1e36) {
		return false
	}
	limit := n / quantMaxCandidatesDiv
	if quantMode(x.quantMode.Load()) == quantForce {
		limit = n
	}
	cands, ok := x.quantPass1(qc, qcode, rq, k, n, limit, s)
	if !ok {
		return false
	}
	x.quantQueries.Add(1)
	x.quantCands.Add(int64(len(cands)))
	h := &s.heap
	for c := 0; c < len(cands); c += blockRows {
		rows := cands[c:min(c+blockRows, len(cands))]
		out := s.dist[:len(rows)]
		distance.L2SquaredGather(q, x.data, d, rows, out)
		for i, dist := range out {
			h.offer(dist, x.ids[rows[i]])
		}
	}
	return true
}

// quantPass1 scans the codes and returns the survivors (slots in
// ascending order, in s.cands), or false if there are more than limit.
func (x *Index) quantPass1(qc *quantCodes, qcode []uint8, rq float64, k, n, limit int, s *searchScratch) ([]uint32, bool) {
	d := x.dims
	if cap(s.idist) < blockRows {
		s.idist = make([]uint32, blockRows)
	}
	cands, lows := s.cands[:0], s.lows[:0]
	s.uheap = s.uheap[:0]
	eps := float64(d+8) * 0x1p-23
	eta := float64(d) * 0x1p-147
	tc := math.Inf(1)
	for b := 0; b < n; b += blockRows {
		e := min(b+blockRows, n)
		idist := s.idist[:e-b]
		distance.L2SquaredU8Batch(qcode, qc.codes[b*d:e*d], d, qc.terms[b:e], idist)
		rblock := float64(qc.blockResid[b/blockRows])
		ibound := intBound(tc, rq+rblock, qc.scale)
		for i, di := range idist {
			if di > ibound {
				continue
			}
			a := qc.scale * math.Sqrt(float64(di))
			r := rq + float64(qc.resid[b+i])
			if l := a*(1-1e-12) - r*(1+1e-12); l <= tc {
				if len(cands) == limit {
					s.cands, s.lows = cands, lows
					return nil, false
				}
				cands = append(cands, uint32(b+i))
				lows = append(lows, l)
			}
			if u := (a + r) * (1 + 1e-12); s.pushUpper(u, k) {
				tc = threshold(s.uheap[0], eps, eta)
				ibound = intBound(tc, rq+rblock, qc.scale)
			}
		}
	}
	// Survivors admitted under an earlier, larger Tc are dropped now.
	kept := cands[:0]
	for i, c := range cands {
		if lows[i] <= tc {
			kept = append(kept, c)
		}
	}
	s.cands, s.lows = cands, lows
	return kept, true
}

// threshold widens T (an upper bound on the true distance of k slots) to
// Tc, a bound on the true distance of any slot whose float32 squared
// distance ties or beats theirs. A float32 sum of d non-negative
// squared differences is within relative ε = (d+8)·2⁻²³ of the exact value
// (twice the textbook bound) plus η = d·2⁻¹⁴⁷ of subnormal underflow, so
// D̃ ≤ (1+ε)T² + η and D ≤ (D̃ + η)/(1−ε).
func threshold(t, eps, eta float64) float64 {
	return math.Sqrt(((1+eps)*t*t+2*eta)/(1-eps)) * (1 + 1e-12)
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
