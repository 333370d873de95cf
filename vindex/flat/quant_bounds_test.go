package flat

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// White-box checks of the error inequalities the quantized scans' proofs
// use (quant_search.go, quant_ip.go), against exact big.Float arithmetic.
// End-to-end tests rarely come close enough to these margins to fail
// when one is too small; these fail at once.

// boundPairs returns query/vector pairs of dims values in the regimes the
// bounds must cover: random signs, near-orthogonal (the dot cancels),
// near-parallel, huge and tiny norms inside the cosine range, and values
// whose products are subnormal.
func boundPairs(r *rand.Rand, dims int) (qs, xs [][]float32) {
	vec := func(scale float64) []float32 {
		v := make([]float32, dims)
		for j := range v {
			v[j] = float32(r.NormFloat64() * scale)
		}
		return v
	}
	for i := range 60 {
		scale := []float64{1, 1e-3, 1e12, 1e-13, 3e-20}[i%5]
		q, x := vec(scale), vec([]float64{1, 1e5, 1e-9}[i%3])
		switch i % 4 {
		case 1: // x ⟂ q: subtract the projection, in float64
			var qx, qq float64
			for j := range q {
				qx += float64(q[j]) * float64(x[j])
				qq += float64(q[j]) * float64(q[j])
			}
			for j := range x {
				x[j] -= float32(qx / qq * float64(q[j]))
			}
		case 2: // x ≈ 7q
			for j := range x {
				x[j] = q[j]*7 + x[j]*1e-6*float32(scale)
			}
		}
		qs, xs = append(qs, q), append(xs, x)
	}
	return qs, xs
}

// exactDot returns Σ a_j·b_j in 300-bit precision.
func exactDot(a, b []float32) *big.Float {
	s, p := new(big.Float).SetPrec(300), new(big.Float).SetPrec(300)
	for j := range a {
		p.SetFloat64(float64(a[j]))
		p.Mul(p, new(big.Float).SetFloat64(float64(b[j])))
		s.Add(s, p)
	}
	return s
}

// plainDot is the plain scan's dot product (DotBatch on one row).
func plainDot(q, x []float32) float32 {
	var out [1]float32
	distance.DotBatch(q, x, len(q), out[:])
	return out[0]
}

// TestCosineRankWithinSlack: |R − (1 − cos)| ≤ E + ρ = cosineSlack/4 for
// the rank R cosineFromParts gives the plain scan's float32 parts.
func TestCosineRankWithinSlack(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	for _, dims := range []int{2, 17, 128, 784} {
		qs, xs := boundPairs(r, dims)
		var worst float64
		for i := range qs {
			q, x := qs[i], xs[i]
			nq, nx := dotSelf(q), dotSelf(x)
			if !(nq >= cosMinSqNorm && nq <= cosMaxSqNorm && nx >= cosMinSqNorm && nx <= cosMaxSqNorm) {
				continue
			}
			rank := cosineFromParts(plainDot(q, x), nq, nx)
			p := new(big.Float).SetPrec(300).Mul(exactDot(q, q), exactDot(x, x))
			c := new(big.Float).SetPrec(300).Quo(exactDot(q, x), p.Sqrt(p))
			want, _ := new(big.Float).Sub(big.NewFloat(1), c).Float64()
			slack := cosineSlack(dims) / 4
			if err := math.Abs(float64(rank) - want); !(err <= slack) {
				t.Fatalf("dims=%d pair %d: rank %v, exact %v: error %g above E+ρ = %g", dims, i, rank, want, err, slack)
			} else {
				worst = max(worst, err/slack)
			}
		}
		t.Logf("dims=%d: worst error %.3f of E+ρ", dims, worst)
	}
}

// TestDotWithinErr: |D̃ − q·x| ≤ ε·‖q‖‖x‖ + η (dotErr) for the plain
// scan's float32 dot, the inner-product bound.
func TestDotWithinErr(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	for _, dims := range []int{2, 17, 128, 784} {
		qs, xs := boundPairs(r, dims)
		eps, eta := dotErr(dims)
		var worst float64
		for i := range qs {
			q, x := qs[i], xs[i]
			exact, _ := exactDot(q, x).Float64()
			w := eps*math.Sqrt(sqNorm64(q)*sqNorm64(x)) + eta
			if err := math.Abs(float64(plainDot(q, x)) - exact); !(err <= w) {
				t.Fatalf("dims=%d pair %d: dot %v, exact %v: error %g above %g", dims, i, plainDot(q, x), exact, err, w)
			} else if w > 0 {
				worst = max(worst, err/w)
			}
		}
		t.Logf("dims=%d: worst error %.3f of the bound", dims, worst)
	}
}

// TestUnitVectorWithinErr: the unit vector the copy encodes for Cosine is
// within unitErr of x/‖x‖, also for subnormal coordinates.
func TestUnitVectorWithinErr(t *testing.T) {
	r := rand.New(rand.NewPCG(45, 46))
	for _, dims := range []int{1, 17, 128, 784} {
		qc := &quantCodes{metric: vindex.Cosine, dims: dims}
		unit := make([]float32, dims)
		qs, xs := boundPairs(r, dims)
		var worst float64
		for i, v := range append(qs, xs...) {
			if dims > 1 && i%7 == 0 {
				v[0] *= 1e-30 // a subnormal coordinate next to normal ones
			}
			u, ok := qc.encoded(v, unit)
			if !ok {
				continue
			}
			norm := exactDot(v, v)
			norm.Sqrt(norm)
			e2 := new(big.Float).SetPrec(300)
			for j := range v {
				d := new(big.Float).SetPrec(300).Quo(new(big.Float).SetFloat64(float64(v[j])), norm)
				d.Sub(d, new(big.Float).SetFloat64(float64(u[j])))
				e2.Add(e2, d.Mul(d, d))
			}
			e, _ := e2.Sqrt(e2).Float64()
			if !(e <= unitErr(dims)) {
				t.Fatalf("dims=%d vector %d: ‖ũ − u‖ = %g above unitErr %g", dims, i, e, unitErr(dims))
			}
			worst = max(worst, e/unitErr(dims))
		}
		t.Logf("dims=%d: worst error %.3f of unitErr", dims, worst)
	}
}

// TestResidualsCoverExact: every stored slot's r_y and every query's r_q
// bound the exact distance between the vector the bounds are about (x,
// or x/‖x‖ for Cosine, in 300-bit arithmetic) and its decoding o + s·c.
// Sign patterns of equal magnitudes (1/√3 after normalization) put the
// float32 unit vectors exactly on the grid, so for Cosine only the
// rounding of the normalization (unitErr) separates them from the exact
// ones: a residual without it fails here.
func TestResidualsCoverExact(t *testing.T) {
	r := rand.New(rand.NewPCG(47, 48))
	for _, m := range []vindex.Metric{vindex.L2, vindex.Cosine, vindex.InnerProduct} {
		for _, dims := range []int{3, 48} {
			n := 300
			data := make([]float32, n*dims)
			for i := range data {
				switch {
				case dims == 3:
					data[i] = float32(1 - 2*r.IntN(2)) // ±1: ũ_j = ±fl32(1/√3)
				default:
					data[i] = float32(r.NormFloat64() * 3)
				}
			}
			qc := buildQuant(data, dims, m)
			unit, code := make([]float32, dims), make([]uint8, dims)
			for i := range n {
				v := data[i*dims : (i+1)*dims]
				checkResidual(t, qc, m, v, qc.codes[i*dims:(i+1)*dims], float64(qc.resid[i]), "slot")
				rq, _, ok := qc.encodeQuery(v, code, unit)
				if !ok {
					t.Fatalf("%v: query %v not encoded", m, v)
				}
				checkResidual(t, qc, m, v, code, rq, "query")
			}
		}
	}
}

// checkResidual fails unless r ≥ ‖y − (o + s·c)‖ exactly, y being v or
// its exact unit vector.
func checkResidual(t *testing.T, qc *quantCodes, m vindex.Metric, v []float32, codes []uint8, r float64, what string) {
	t.Helper()
	const prec = 300
	norm := new(big.Float).SetPrec(prec).SetInt64(1)
	if m == vindex.Cosine {
		norm = exactDot(v, v)
		norm.Sqrt(norm)
	}
	e2 := new(big.Float).SetPrec(prec)
	for j := range v {
		y := new(big.Float).SetPrec(prec).Quo(new(big.Float).SetFloat64(float64(v[j])), norm)
		dec := new(big.Float).SetPrec(prec).SetFloat64(qc.scale)
		dec.Mul(dec, new(big.Float).SetInt64(int64(codes[j])))
		dec.Add(dec, new(big.Float).SetFloat64(qc.offset[j]))
		y.Sub(y, dec)
		e2.Add(e2, y.Mul(y, y))
	}
	if e, _ := e2.Sqrt(e2).Float64(); !(e <= r) {
		t.Fatalf("%v dims=%d %s %v: residual bound %g below the exact %g", m, len(v), what, v, r, e)
	}
}
