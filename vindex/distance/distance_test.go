package distance

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Float64 references: the formula each kernel implements, summed in float64.

func refL2(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return s
}

func refDot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func refL1(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i]) - float64(b[i]))
	}
	return s
}

func refCos(a, b []float32) float64 {
	na, nb := refDot(a, a), refDot(b, b)
	if na == 0 || nb == 0 {
		return math.NaN()
	}
	return 1 - math.Max(-1, math.Min(1, refDot(a, b)/math.Sqrt(na*nb)))
}

// closeTo reports whether got is within float32 rounding of want. scale is
// the sum of magnitudes of the terms (the error bound of a float32 sum grows
// with it, not with the possibly cancelling result).
func closeTo(got float32, want, scale float64, n int) bool {
	tol := 1e-6 * scale * math.Sqrt(float64(n)+1) * 4
	return math.Abs(float64(got)-want) <= tol+1e-30
}

type genFunc func(r *rand.Rand, n int) ([]float32, []float32)

var generators = map[string]genFunc{
	"uniform": func(r *rand.Rand, n int) ([]float32, []float32) {
		return randVec(r, n, 1), randVec(r, n, 1)
	},
	"large": func(r *rand.Rand, n int) ([]float32, []float32) {
		return randVec(r, n, 1e15), randVec(r, n, 1e15)
	},
	"tiny": func(r *rand.Rand, n int) ([]float32, []float32) {
		return randVec(r, n, 1e-15), randVec(r, n, 1e-15)
	},
	"zeros": func(r *rand.Rand, n int) ([]float32, []float32) {
		return make([]float32, n), randVec(r, n, 1)
	},
	"equal": func(r *rand.Rand, n int) ([]float32, []float32) {
		a := randVec(r, n, 3)
		return a, append([]float32(nil), a...)
	},
	"negated": func(r *rand.Rand, n int) ([]float32, []float32) {
		a := randVec(r, n, 3)
		b := make([]float32, n)
		for i := range a {
			b[i] = -a[i]
		}
		return a, b
	},
}

func randVec(r *rand.Rand, n int, scale float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = (r.Float32()*2 - 1) * scale
	}
	return v
}

func testDims() []int {
	d := []int{}
	for i := 1; i <= 70; i++ {
		d = append(d, i)
	}
	return append(d, 127, 128, 129, 255, 256, 257, 511, 768, 784, 1000, 1023, 1536, 2048, 3071, 4095, 4096)
}

// allSets returns the Go kernels plus every SIMD set this CPU can run.
func allSets() []kernelSet { return append([]kernelSet{genericKernels}, simdKernelSets()...) }

func TestKernelsMatchFloat64Reference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, ks := range allSets() {
		for gname, gen := range generators {
			for _, n := range testDims() {
				a, b := gen(r, n)
				absA, absB := make([]float32, n), make([]float32, n)
				for i := range a {
					absA[i], absB[i] = float32(math.Abs(float64(a[i]))), float32(math.Abs(float64(b[i])))
				}
				l2Scale := refL2(absA, make([]float32, n)) + refL2(absB, make([]float32, n))
				l2Scale *= 2
				if got, want := ks.l2(a, b), refL2(a, b); !closeTo(got, want, l2Scale, n) {
					t.Fatalf("%s l2 %s n=%d: got %v want %v", ks.name, gname, n, got, want)
				}
				if got, want := ks.dot(a, b), refDot(a, b); !closeTo(got, want, refDot(absA, absB), n) {
					t.Fatalf("%s dot %s n=%d: got %v want %v", ks.name, gname, n, got, want)
				}
				if got, want := ks.l1(a, b), refL1(a, b); !closeTo(got, want, refL1(absA, make([]float32, n))+refL1(absB, make([]float32, n)), n) {
					t.Fatalf("%s l1 %s n=%d: got %v want %v", ks.name, gname, n, got, want)
				}
				d, na, nb := ks.cos(a, b)
				if !closeTo(d, refDot(a, b), refDot(absA, absB), n) || !closeTo(na, refDot(a, a), refDot(a, a), n) || !closeTo(nb, refDot(b, b), refDot(b, b), n) {
					t.Fatalf("%s cos parts %s n=%d: got %v %v %v", ks.name, gname, n, d, na, nb)
				}
			}
		}
	}
}

func TestExportedAPI(t *testing.T) {
	a, b := []float32{1, 2, 3}, []float32{4, 6, 3}
	if got := L2Squared(a, b); got != 25 {
		t.Errorf("L2Squared = %v, want 25", got)
	}
	if got := Dot([]float32{1, 2, 3}, []float32{4, 5, 6}); got != 32 {
		t.Errorf("Dot = %v, want 32", got)
	}
	if got := L1([]float32{1, 2}, []float32{4, 0}); got != 5 {
		t.Errorf("L1 = %v, want 5", got)
	}
	if got := Norm([]float32{3, 4}); got != 5 {
		t.Errorf("Norm = %v, want 5", got)
	}
	if got := CosineDistance([]float32{1, 0}, []float32{0, 1}); got != 1 {
		t.Errorf("Cosine orthogonal = %v, want 1", got)
	}
	if got := CosineDistance([]float32{1, 1}, []float32{2, 2}); math.Abs(got) > 1e-7 {
		t.Errorf("Cosine parallel = %v, want 0", got)
	}
	if got := CosineDistance([]float32{1, 1}, []float32{-2, -2}); math.Abs(got-2) > 1e-7 || got > 2 {
		t.Errorf("Cosine opposite = %v, want 2 (clamped)", got)
	}
	if got := CosineDistance([]float32{0, 0}, []float32{1, 2}); !math.IsNaN(got) {
		t.Errorf("Cosine with zero vector = %v, want NaN", got)
	}
	// The similarity of a vector with itself can round above 1: it must clamp to 0, never go negative.
	r := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		v := randVec(r, 1+r.IntN(300), 10)
		if got := CosineDistance(v, v); got < 0 || got > 1e-6 {
			t.Fatalf("Cosine(v, v) = %v, want in [0, 1e-6]", got)
		}
	}
	if Impl == "" {
		t.Error("Impl not set")
	}
	t.Logf("kernels: %s", Impl)
}

func TestLengthMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("L2Squared with short b did not panic")
		}
	}()
	L2Squared(make([]float32, 8), make([]float32, 7))
}

// TestSIMDMatchesGeneric checks each assembly set against the Go kernels on
// the same inputs (relative agreement: only summation order differs).
func TestSIMDMatchesGeneric(t *testing.T) {
	sets := simdKernelSets()
	if len(sets) == 0 {
		t.Logf("no SIMD kernels on this CPU/arch; the Go kernels are the only implementation")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, ks := range sets {
		for _, n := range testDims() {
			a, b := randVec(r, n, 5), randVec(r, n, 5)
			pairs := []struct {
				name      string
				simd, ref float32
			}{
				{"l2", ks.l2(a, b), genericKernels.l2(a, b)},
				{"dot", ks.dot(a, b), genericKernels.dot(a, b)},
				{"l1", ks.l1(a, b), genericKernels.l1(a, b)},
			}
			for _, p := range pairs {
				if diff := math.Abs(float64(p.simd - p.ref)); diff > 1e-4*math.Max(1, math.Abs(float64(p.ref))) && !(p.name == "dot" && diff < 1e-4*float64(n)) {
					t.Fatalf("%s %s n=%d: simd %v generic %v", ks.name, p.name, n, p.simd, p.ref)
				}
			}
		}
	}
}

// near: batch kernels may sum in a different order than single ones.
func near(a, b float32) bool {
	return math.Abs(float64(a-b)) <= 1e-5*math.Max(1, math.Abs(float64(b)))
}

func TestBatchMatchesSingle(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, ks := range allSets() {
		for _, dims := range []int{1, 3, 16, 17, 128, 784} {
			n := 37
			q := randVec(r, dims, 1)
			data := randVec(r, n*dims, 1)
			out := make([]float32, n)
			ks.l2Batch(q, data, dims, out)
			for i := range out {
				if want := ks.l2(q, data[i*dims:(i+1)*dims]); !near(out[i], want) {
					t.Fatalf("%s l2Batch dims=%d row %d: %v want %v", ks.name, dims, i, out[i], want)
				}
			}
			ks.dotBatch(q, data, dims, out)
			for i := range out {
				if want := ks.dot(q, data[i*dims:(i+1)*dims]); !near(out[i], want) {
					t.Fatalf("%s dotBatch dims=%d row %d: %v want %v", ks.name, dims, i, out[i], want)
				}
			}
		}
	}
	// Exported forms, including out shorter than data holds.
	q, data := randVec(r, 8, 1), randVec(r, 80, 1)
	out := make([]float32, 4)
	L2SquaredBatch(q, data, 8, out)
	DotBatch(q, data, 8, out[:2])
	if !near(out[3], L2Squared(q, data[24:32])) || !near(out[1], Dot(q, data[8:16])) {
		t.Fatalf("exported batch forms disagree with single kernels: %v", out)
	}
}

func TestBits(t *testing.T) {
	tests := []struct {
		a, b    []uint64
		ham     int
		jaccard float64
	}{
		{[]uint64{0b1011}, []uint64{0b0110}, 3, 1 - 1.0/4},
		{[]uint64{0b1100}, []uint64{0b0110}, 2, 1 - 1.0/3},
		{[]uint64{0, 0}, []uint64{0, 0}, 0, 1},
		{[]uint64{^uint64(0), 1}, []uint64{^uint64(0), 0}, 1, 1 - 64.0/65},
		{[]uint64{5}, []uint64{5}, 0, 0},
	}
	for _, tc := range tests {
		if got := Hamming(tc.a, tc.b); got != tc.ham {
			t.Errorf("Hamming(%b, %b) = %d, want %d", tc.a, tc.b, got, tc.ham)
		}
		if got := Jaccard(tc.a, tc.b); math.Abs(got-tc.jaccard) > 1e-12 {
			t.Errorf("Jaccard(%b, %b) = %v, want %v", tc.a, tc.b, got, tc.jaccard)
		}
	}
}

// TestGatherMatchesSingle checks the gather kernels of every set against
// the single kernels on scattered, repeated and edge rows (first, last),
// for row counts below, at and above the prefetch distance.
func TestGatherMatchesSingle(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, ks := range allSets() {
		for _, dims := range []int{1, 3, 15, 16, 17, 64, 128, 129, 784} {
			const nrows = 50
			q := randVec(r, dims, 1)
			data := randVec(r, nrows*dims, 1)
			for _, n := range []int{0, 1, 3, 4, 5, 37} {
				rows := make([]uint32, n)
				for i := range rows {
					rows[i] = uint32(r.IntN(nrows))
				}
				if n >= 2 {
					rows[0], rows[n-1] = nrows-1, 0
				}
				out := make([]float32, n)
				ks.l2Gather(q, data, dims, rows, out)
				for i, row := range rows {
					if want := ks.l2(q, data[int(row)*dims:int(row+1)*dims]); !near(out[i], want) {
						t.Fatalf("%s l2Gather dims=%d n=%d row %d: %v want %v", ks.name, dims, n, i, out[i], want)
					}
				}
				ks.dotGather(q, data, dims, rows, out)
				for i, row := range rows {
					if want := ks.dot(q, data[int(row)*dims:int(row+1)*dims]); !near(out[i], want) {
						t.Fatalf("%s dotGather dims=%d n=%d row %d: %v want %v", ks.name, dims, n, i, out[i], want)
					}
				}
			}
		}
	}
}

// TestGatherBounds checks the exported gather forms: out shorter than
// rows uses a prefix, and a row outside data panics.
func TestGatherBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	q, data := randVec(r, 8, 1), randVec(r, 80, 1)
	out := make([]float32, 2)
	L2SquaredGather(q, data, 8, []uint32{9, 2, 99}, out)
	if !near(out[0], L2Squared(q, data[72:80])) || !near(out[1], L2Squared(q, data[16:24])) {
		t.Fatalf("L2SquaredGather = %v", out)
	}
	DotGather(q, data, 8, []uint32{3}, out[:1])
	if !near(out[0], Dot(q, data[24:32])) {
		t.Fatalf("DotGather = %v", out[0])
	}
	defer func() {
		if recover() == nil {
			t.Fatal("row 10 of a 10-row data set did not panic")
		}
	}()
	L2SquaredGather(q, data, 8, []uint32{1, 10}, out)
}
