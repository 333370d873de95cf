// Package distance holds the distance kernels every vector index and the
// SQL vector functions share.
//
// The exported functions are the API. Each dispatches to the fastest
// implementation the CPU supports, chosen once when the package is
// initialised: AVX-512F, then AVX2+FMA (amd64 assembly in kernels_amd64.s),
// then the portable Go code in generic.go. Setting the environment variable
// VECGRES_NOSIMD=1 before start-up forces the Go code (useful to bisect a
// suspected kernel bug: results must agree within float32 rounding).
//
// All kernels are safe for concurrent use, never allocate and never retain
// their arguments. Length mismatches are the caller's bug: kernels read
// len(a) elements from both slices and panic (bounds check) if b is shorter.
//
// NB: SIMD kernels sum in a different order than a sequential loop, so their
// results differ from the Go path in the last bits (relative error ~1e-6 for
// d ≤ 4096). Code that needs bit-for-bit reproducible distances across
// machines must run with VECGRES_NOSIMD=1.
package distance

import (
	"math"
	"os"
)

// Impl names the implementation chosen at start-up: "avx512", "avx2" or
// "generic". Read-only.
var Impl = kernels.name

// L2Squared returns Σ (a[i]-b[i])², the squared Euclidean distance.
// Example: a=[1,2,3], b=[4,6,3] → 9+16+0 = 25.
func L2Squared(a, b []float32) float32 {
	_ = b[:len(a)]
	return l2Dispatch(a, b)
}

// Dot returns Σ a[i]*b[i]. Example: [1,2,3]·[4,5,6] = 32.
func Dot(a, b []float32) float32 {
	_ = b[:len(a)]
	return dotDispatch(a, b)
}

// L1 returns Σ |a[i]-b[i]|, the taxicab distance. Example: [1,2]→[4,0] = 5.
func L1(a, b []float32) float32 {
	_ = b[:len(a)]
	return l1Dispatch(a, b)
}

// Norm returns the Euclidean norm √(Σ a[i]²).
func Norm(a []float32) float32 {
	return float32(math.Sqrt(float64(dotDispatch(a, a))))
}

// CosineDistance returns 1 - a·b / (|a| |b|), with the similarity clamped to
// [-1, 1] (so the result is in [0, 2]), computed as pgvector's <=> does:
// float32 sums, float64 division. It returns NaN when either vector is all
// zeros. Example: [1,0]·[0,1] → 1; [1,1] and [2,2] → 0.
func CosineDistance(a, b []float32) float64 {
	_ = b[:len(a)]
	dot, na, nb := kernels.cos(a, b)
	sim := float64(dot) / math.Sqrt(float64(na)*float64(nb))
	// NB: NaN fails both comparisons and is returned as is (pgvector does the same).
	if sim > 1 {
		sim = 1
	} else if sim < -1 {
		sim = -1
	}
	return 1 - sim
}

// L2SquaredBatch computes out[i] = L2Squared(q, data[i*dims:(i+1)*dims]) for
// every i < len(out). data holds vectors of dims float32s back to back (at
// least len(out)*dims values); len(q) must be dims. The caller owns out.
func L2SquaredBatch(q []float32, data []float32, dims int, out []float32) {
	_ = q[:dims]
	_ = data[:len(out)*dims]
	kernels.l2Batch(q[:dims], data, dims, out)
}

// DotBatch computes out[i] = Dot(q, data[i*dims:(i+1)*dims]) for every
// i < len(out), with the same layout and ownership rules as L2SquaredBatch.
func DotBatch(q []float32, data []float32, dims int, out []float32) {
	_ = q[:dims]
	_ = data[:len(out)*dims]
	kernels.dotBatch(q[:dims], data, dims, out)
}

// L2SquaredGather computes out[i] = L2Squared(q, data[r*dims:(r+1)*dims])
// with r = rows[i], for every i < len(out): one call ranks a candidate list
// of scattered rows (graph neighbours, tree leaves). len(q) must be dims,
// len(rows) ≥ len(out), and every row must lie inside data; a row outside
// it panics before any distance is computed. The caller owns out.
// NB: the AVX-512 kernel prefetches the rows a few positions ahead, so on
// data that does not fit in cache it is markedly faster than calling
// L2Squared per row (BenchmarkGather).
func L2SquaredGather(q, data []float32, dims int, rows []uint32, out []float32) {
	checkGather(q, data, dims, rows, out)
	kernels.l2Gather(q[:dims], data, dims, rows[:len(out)], out)
}

// DotGather computes out[i] = Dot(q, data[rows[i]*dims:]) for every
// i < len(out), with the same contract as L2SquaredGather.
func DotGather(q, data []float32, dims int, rows []uint32, out []float32) {
	checkGather(q, data, dims, rows, out)
	kernels.dotGather(q[:dims], data, dims, rows[:len(out)], out)
}

// checkGather panics unless q has dims values and every rows[i], i <
// len(out), names a whole row of data.
func checkGather(q, data []float32, dims int, rows []uint32, out []float32) {
	_ = q[:dims]
	if dims <= 0 {
		panic("distance: gather with non-positive dims")
	}
	n := uint32(len(data) / dims)
	for _, r := range rows[:len(out)] {
		if r >= n {
			panic("distance: gather row out of range")
		}
	}
}

// kernelSet is one implementation of every float kernel.
type kernelSet struct {
	name     string
	level    simdLevel
	l2       func(a, b []float32) float32
	dot      func(a, b []float32) float32
	l1       func(a, b []float32) float32
	cos      func(a, b []float32) (dot, na, nb float32)
	l2Batch  func(q, data []float32, dims int, out []float32)
	dotBatch func(q, data []float32, dims int, out []float32)
	// l2Gather and dotGather: rows are checked by the exported wrappers.
	l2Gather  func(q, data []float32, dims int, rows []uint32, out []float32)
	dotGather func(q, data []float32, dims int, rows []uint32, out []float32)
}

// kernels is chosen once, at package initialisation, and never changes
// (tests aside).
// NB: the hottest kernels (L2Squared, Dot, L1) do not call through it: an
// assembly function reached through a func value goes via an ABI wrapper
// that costs a few ns per call, so they call l2Dispatch and friends, which
// on amd64 are assembly stubs that tail-jump to the chosen kernel.
var kernels = chooseKernels(os.Getenv("VECGRES_NOSIMD") == "1")

// simdLevel identifies a kernel set for the direct-call dispatchers.
type simdLevel uint8

const (
	levelGeneric simdLevel = iota
	levelAVX2
	levelAVX512
)

var genericKernels = kernelSet{
	name:      "generic",
	level:     levelGeneric,
	l2:        l2SquaredGeneric,
	dot:       dotGeneric,
	l1:        l1Generic,
	cos:       cosGeneric,
	l2Batch:   l2SquaredBatchGeneric,
	dotBatch:  dotBatchGeneric,
	l2Gather:  l2SquaredGatherGeneric,
	dotGather: dotGatherGeneric,
}

func l2SquaredBatchGeneric(q, data []float32, dims int, out []float32) {
	for i := range out {
		out[i] = l2SquaredGeneric(q, data[i*dims:(i+1)*dims:(i+1)*dims])
	}
}

func l2SquaredGatherGeneric(q, data []float32, dims int, rows []uint32, out []float32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		out[i] = l2SquaredGeneric(q, data[o:o+dims:o+dims])
	}
}

func dotGatherGeneric(q, data []float32, dims int, rows []uint32, out []float32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		out[i] = dotGeneric(q, data[o:o+dims:o+dims])
	}
}

func dotBatchGeneric(q, data []float32, dims int, out []float32) {
	for i := range out {
		out[i] = dotGeneric(q, data[i*dims:(i+1)*dims:(i+1)*dims])
	}
}
