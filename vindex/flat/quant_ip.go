package flat

import (
	"math"

	"github.com/vecgres/vecgres/vindex/distance"
)

// The quantized inner-product scan's pass 1 (pass 2 and the argument's
// frame are in quant_search.go).
//
// The copy encodes the stored vectors themselves, as for L2, and keeps
// ‖x‖² per slot. The plain scan ranks by R = −D̃ with D̃ the float32 dot.
// Since q·x = (‖q‖² + ‖x‖² − ‖q − x‖²)/2, the L2 bounds
// ℓ_lo = max(0, s·√I − r_q − r_x) ≤ ‖q − x‖ ≤ s·√I + r_q + r_x = ℓ_hi give
//
//	(ℓ_lo² − ‖q‖² − ‖x‖²)/2 ≤ −q·x ≤ (ℓ_hi² − ‖q‖² − ‖x‖²)/2,
//
// and the float32 dot is within w_x = ε·‖q‖‖x‖ + η of q·x (ε = (d+8)·2⁻²³,
// η = d·2⁻¹⁴⁶ of underflow; the error is relative to ‖q‖‖x‖, not to the
// dot, which may cancel). So per slot
//
//	L' = (ℓ_lo² − ‖q‖² − ‖x‖²)/2 − w_x ≤ R ≤ (ℓ_hi² − ‖q‖² − ‖x‖²)/2 + w_x = U'
//
// in the plain scan's own rank space. The k smallest U' (largest T') are
// ranks at least k slots reach; a slot with L' > T' has R > T', behind all
// of them, so the survivors (L' ≤ T') hold the plain scan's top k with no
// further widening. The half-width is about ‖q − x‖·(r_q + r_x): tight for
// the vectors that score well, whose distance to q is small next to their
// norms.
//
// NB: the float64 norms are sums of exact squares, within relative
// (d+2)·2⁻⁵³; the few float64 operations on L' and U' are covered by an
// absolute 10⁻¹² of the magnitudes involved.

// quantPass1IP is quantPass1 for InnerProduct: it returns the survivors
// (slots ascending, in s.cands), or false if there are more than limit. nq
// is Σq_j² in float64 (sqNorm64).
func (x *Index) quantPass1IP(qc *quantCodes, qcode []uint8, rq, nq float64, k, n, limit int, s *searchScratch) ([]uint32, bool) {
	d := x.dims
	if cap(s.idist) < blockRows {
		s.idist = make([]uint32, blockRows)
	}
	cands, lows := s.cands[:0], s.lows[:0]
	s.uheap = s.uheap[:0]
	eps, eta := dotErr(d)
	dn := float64(d+2) * 0x1p-53
	nqHi, nqLo := nq*(1+dn), nq*(1-dn)
	qn := math.Sqrt(nqHi)
	tc := math.Inf(1)
	for b := 0; b < n; b += blockRows {
		e := min(b+blockRows, n)
		idist := s.idist[:e-b]
		distance.L2SquaredU8Batch(qcode, qc.codes[b*d:e*d], d, qc.terms[b:e], idist)
		rblock := rq + float64(qc.blockResid[b/blockRows])
		nbHi := qc.blockNorm[b/blockRows] * (1 + dn)
		wb := eps*qn*math.Sqrt(nbHi) + eta
		ibound := ipIntBound(tc, nqHi+nbHi, wb, rblock, qc.scale)
		resid, norms := qc.resid[b:e], qc.sqNorm[b:e]
		for i, di := range idist {
			if di > ibound {
				continue
			}
			a := qc.scale * math.Sqrt(float64(di))
			r := rq + float64(resid[i])
			lo := max(a*(1-1e-12)-r*(1+1e-12), 0)
			hi := (a + r) * (1 + 1e-12)
			nx := norms[i]
			nxHi, nxLo := nx*(1+dn), nx*(1-dn)
			w := eps*qn*math.Sqrt(nxHi) + eta
			lsq, hsq := lo*lo, hi*hi
			if l := (lsq-nqHi-nxHi)*0.5 - w - 1e-12*(lsq+nqHi+nxHi); l <= tc {
				if len(cands) == limit {
					s.cands, s.lows = cands, lows
					return nil, false
				}
				cands = append(cands, uint32(b+i))
				lows = append(lows, l)
			}
			u := (hsq-nqLo-nxLo)*0.5 + w + 1e-12*(hsq+nqHi+nxHi)
			if s.pushUpper(u, k) {
				tc = s.uheap[0]
				ibound = ipIntBound(tc, nqHi+nbHi, wb, rblock, qc.scale)
			}
		}
	}
	return s.keepBelow(cands, lows, tc), true
}

// ipIntBound returns an integer I₀ such that no slot of a block with
// I > I₀ can have L' ≤ tc, given nsum ≥ ‖q‖² + ‖x‖², wb ≥ w_x and
// r ≥ r_q + r_x for every slot of the block. L' > tc holds once
// ℓ_lo²·(½ − 10⁻¹¹) > H = tc + nsum·(½ + 10⁻¹¹) + wb (+ 10⁻¹¹ of the
// magnitudes for the float64 rounding of H), that is once
// ℓ_lo > λ = √(H/(½ − 10⁻¹¹)); intBound turns that into I₀. MaxUint32 when
// tc is infinite.
func ipIntBound(tc, nsum, wb, r, scale float64) uint32 {
	h := tc + nsum*(0.5+1e-11) + wb + 1e-11*(math.Abs(tc)+nsum+wb)
	lambda := math.Sqrt(max(h, 0)/(0.5-1e-11)) * (1 + 1e-11)
	return intBound(lambda, r, scale)
}

// dotErr returns ε and η such that the float32 dot D̃ of any kernel set
// is within ε·Σ|q_j·x_j| + η ≤ ε·‖q‖‖x‖ + η of q·x over dims values: twice
// the textbook γ_d (recursive summation with or without FMA; the SIMD
// kernels sum shorter chains), plus one 2⁻¹⁵⁰ of underflow per rounding.
func dotErr(dims int) (eps, eta float64) {
	return float64(dims+8) * 0x1p-23 * (1 + 1e-12), float64(dims) * 0x1p-146
}

// sqNorm64 returns Σ v_j² summed in float64 (each square exact).
func sqNorm64(v []float32) float64 {
	var s float64
	for _, f := range v {
		s += float64(f) * float64(f)
	}
	return s
}
