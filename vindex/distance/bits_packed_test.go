package distance

import (
	"math/rand/v2"
	"testing"
)

// packedBits returns n random bits three ways: packed into bytes MSB first
// (as SQL bit values), into words (as Hamming and Jaccard take them) and
// as 0/1 floats (as vector indexes keep them).
func packedBits(r *rand.Rand, n int, density float64) (string, []uint64, []float32) {
	bytes := make([]byte, (n+7)/8)
	words := make([]uint64, (n+63)/64)
	floats := make([]float32, n)
	for i := 0; i < n; i++ {
		if r.Float64() < density {
			bytes[i/8] |= 0x80 >> (i % 8)
			words[i/64] |= 1 << (i % 64)
			floats[i] = 1
		}
	}
	return string(bytes), words, floats
}

// TestPackedKernels checks that the byte-packed and 0/1-float kernels agree
// with the word kernels on the same bits, across lengths that exercise the
// eight-byte loop and its tail, and densities down to all-zero vectors.
func TestPackedKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 3, 8, 9, 63, 64, 65, 127, 200, 1024, 1031} {
		for _, density := range []float64{0, 0.05, 0.5, 0.95} {
			for trial := 0; trial < 5; trial++ {
				as, aw, af := packedBits(r, n, density)
				bs, bw, bf := packedBits(r, n, density)
				if got, want := HammingPacked(as, bs), Hamming(aw, bw); got != want {
					t.Fatalf("n=%d density=%g: HammingPacked = %d, Hamming = %d", n, density, got, want)
				}
				if got, want := float32(L1(af, bf)), float32(Hamming(aw, bw)); got != want {
					t.Fatalf("n=%d: L1 over 0/1 = %g, Hamming = %g", n, got, want)
				}
				want := Jaccard(aw, bw)
				if got := JaccardPacked(as, bs); got != want {
					t.Fatalf("n=%d density=%g: JaccardPacked = %g, Jaccard = %g", n, density, got, want)
				}
				if got := JaccardBinary(af, bf); absDiff(float64(got), want) > 1e-6 {
					t.Fatalf("n=%d density=%g: JaccardBinary = %g, Jaccard = %g", n, density, got, want)
				}
			}
		}
	}
}

func absDiff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestPackedKernelExamples pins the worked examples of the doc comments.
func TestPackedKernelExamples(t *testing.T) {
	if got := HammingPacked("\xb0", "\x60"); got != 3 {
		t.Errorf("HammingPacked(1011, 0110) = %d, want 3", got)
	}
	third := 1.0
	third /= 3
	if got := JaccardPacked("\xc0", "\x60"); got != 1-third {
		t.Errorf("JaccardPacked(1100, 0110) = %g, want 2/3", got)
	}
	if got := JaccardPacked("\x00", "\x00"); got != 1 {
		t.Errorf("JaccardPacked(0000, 0000) = %g, want 1", got)
	}
	if got := JaccardBinary([]float32{1, 1, 0, 0}, []float32{0, 1, 1, 0}); absDiff(float64(got), 2.0/3) > 1e-7 {
		t.Errorf("JaccardBinary = %g, want 2/3", got)
	}
	if got := JaccardBinary([]float32{0, 0}, []float32{0, 0}); got != 1 {
		t.Errorf("JaccardBinary of zero vectors = %g, want 1", got)
	}
}
