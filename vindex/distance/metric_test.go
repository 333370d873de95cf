package distance

import (
	"math"
	"os"
	"testing"

	"github.com/vecgres/vecgres/vindex"
)

func TestChooseKernels(t *testing.T) {
	if got := chooseKernels(true).name; got != "generic" {
		t.Fatalf("chooseKernels(noSIMD=true) = %s, want generic", got)
	}
	sets := simdKernelSets()
	want := "generic"
	if len(sets) > 0 {
		want = sets[0].name
	}
	if got := chooseKernels(false).name; got != want {
		t.Fatalf("chooseKernels(false) = %s, want the best available %s", got, want)
	}
	if os.Getenv("VECGRES_NOSIMD") == "1" && Impl != "generic" {
		t.Fatalf("VECGRES_NOSIMD=1 but Impl = %s", Impl)
	}
}

func TestForMetricAndReport(t *testing.T) {
	a, b := []float32{1, 2, 2}, []float32{3, 2, 0}
	tests := []struct {
		m              vindex.Metric
		rank, reported float32
	}{
		{vindex.L2, 8, float32(math.Sqrt(8))},
		{vindex.InnerProduct, -7, -7},
		{vindex.Cosine, float32(1 - 7/(3*math.Sqrt(13))), float32(1 - 7/(3*math.Sqrt(13)))},
		{vindex.L1, 4, 4},
	}
	for _, tc := range tests {
		f := ForMetric(tc.m)
		if f == nil {
			t.Fatalf("ForMetric(%v) = nil", tc.m)
		}
		rank := f(a, b)
		if math.Abs(float64(rank-tc.rank)) > 1e-6 {
			t.Errorf("%v: rank = %v, want %v", tc.m, rank, tc.rank)
		}
		if got := Report(tc.m, rank); math.Abs(float64(got-tc.reported)) > 1e-6 {
			t.Errorf("%v: Report = %v, want %v", tc.m, got, tc.reported)
		}
	}
	if ForMetric(vindex.Hamming) != nil || ForMetric(0) != nil {
		t.Error("ForMetric of a bit or unknown metric is not nil")
	}
	if got := ForMetric(vindex.Cosine)([]float32{0, 0}, []float32{1, 1}); !math.IsNaN(float64(got)) {
		t.Errorf("cosine rank with a zero vector = %v, want NaN", got)
	}
}

// TestDispatchStubs drives the assembly dispatch stubs at every level this
// CPU supports (the stubs tail-jump to the kernel asmLevel names).
func TestDispatchStubs(t *testing.T) {
	saved := asmLevel
	defer func() { asmLevel = saved }()
	levels := []simdLevel{levelGeneric}
	for _, ks := range simdKernelSets() {
		levels = append(levels, ks.level)
	}
	a, b := []float32{1, 2, 3, 4, 5}, []float32{5, 4, 3, 2, 1}
	for _, l := range levels {
		asmLevel = l
		if got := L2Squared(a, b); got != 40 {
			t.Errorf("level %d: L2Squared = %v, want 40", l, got)
		}
		if got := Dot(a, b); got != 35 {
			t.Errorf("level %d: Dot = %v, want 35", l, got)
		}
		if got := L1(a, b); got != 12 {
			t.Errorf("level %d: L1 = %v, want 12", l, got)
		}
	}
}
