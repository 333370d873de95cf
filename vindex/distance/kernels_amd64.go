//go:build amd64

package distance

import "golang.org/x/sys/cpu"

// chooseKernels picks AVX-512 when the CPU has AVX-512F, else AVX2 with FMA,
// else the Go kernels; noSIMD forces the Go kernels.
func chooseKernels(noSIMD bool) kernelSet {
	if noSIMD {
		return genericKernels
	}
	if sets := simdKernelSets(); len(sets) > 0 {
		return sets[0]
	}
	return genericKernels
}

// simdKernelSets lists the assembly implementations this CPU can run, best
// first. Tests compare each against the Go kernels.
func simdKernelSets() []kernelSet {
	var sets []kernelSet
	if cpu.X86.HasAVX512F {
		sets = append(sets, avx512Kernels)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		sets = append(sets, avx2Kernels)
	}
	return sets
}

var avx512Kernels = kernelSet{
	name:      "avx512",
	level:     levelAVX512,
	l2:        l2SquaredAVX512,
	dot:       dotAVX512,
	l1:        l1AVX512,
	cos:       cosPartsAVX512,
	l2Batch:   l2SquaredBatchAVX512,
	dotBatch:  dotBatchAVX512,
	l2Gather:  l2SquaredGatherAVX512,
	dotGather: dotGatherAVX512,
}

var avx2Kernels = kernelSet{
	name:      "avx2",
	level:     levelAVX2,
	l2:        l2SquaredAVX2,
	dot:       dotAVX2,
	l1:        l1AVX2,
	cos:       cosGeneric,
	l2Batch:   l2SquaredBatchAVX2,
	dotBatch:  dotBatchAVX2,
	l2Gather:  l2SquaredGatherAVX2,
	dotGather: dotGatherAVX2,
}

// Assembly kernels (kernels_amd64.s). Each reads len(a) elements of a and b;
// the Go wrappers check len(b) >= len(a).

//go:noescape
func l2SquaredAVX512(a, b []float32) float32

//go:noescape
func dotAVX512(a, b []float32) float32

//go:noescape
func l1AVX512(a, b []float32) float32

//go:noescape
func l2SquaredAVX2(a, b []float32) float32

//go:noescape
func dotAVX2(a, b []float32) float32

//go:noescape
func l1AVX2(a, b []float32) float32

//go:noescape
func cosPartsAVX512(a, b []float32) (dot, na, nb float32)

// The batch kernels read len(out)*dims values of data and dims of q; the Go
// wrappers check both bounds.

//go:noescape
func l2SquaredBatchAVX512(q, data []float32, dims int, out []float32)

//go:noescape
func dotBatchAVX512(q, data []float32, dims int, out []float32)

// The gather kernels read dims values of q and of each row named by rows
// (len(out) of them); the Go wrappers check every row is inside data.

//go:noescape
func l2SquaredGatherAVX512Asm(q, data []float32, dims int, rows []uint32, out []float32, ahead int)

//go:noescape
func dotGatherAVX512Asm(q, data []float32, dims int, rows []uint32, out []float32, ahead int)

// gatherAhead is how many rows ahead the gather kernels prefetch: about
// 8 KiB of rows, at least 1 and at most 8 (measured with BenchmarkGather:
// 8 rows at d=128, 2 at d=784 beat shorter and longer distances).
func gatherAhead(dims int) int { return min(8, max(1, 8192/(4*dims))) }

func l2SquaredGatherAVX512(q, data []float32, dims int, rows []uint32, out []float32) {
	l2SquaredGatherAVX512Asm(q, data, dims, rows, out, gatherAhead(dims))
}

func dotGatherAVX512(q, data []float32, dims int, rows []uint32, out []float32) {
	dotGatherAVX512Asm(q, data, dims, rows, out, gatherAhead(dims))
}

// asmLevel mirrors kernels.level for the assembly dispatchers.
var asmLevel = kernels.level

// l2Dispatch, dotDispatch and l1Dispatch are assembly stubs that test
// asmLevel and tail-jump to the chosen kernel (the Go kernels through their
// ABI0 wrappers). NB: one direct call from Go, instead of a Go dispatcher
// calling the assembly, saves about 0.6 ns per distance at d=128 — a tenth
// of the kernel's time — because the stub call is small enough to inline
// L2Squared, Dot and L1 into their callers.

//go:noescape
func l2Dispatch(a, b []float32) float32

//go:noescape
func dotDispatch(a, b []float32) float32

//go:noescape
func l1Dispatch(a, b []float32) float32

// l2SquaredBatchAVX2 and dotBatchAVX2 loop in Go with direct calls to the
// assembly (a call through a func value would add an ABI wrapper per row).

func l2SquaredBatchAVX2(q, data []float32, dims int, out []float32) {
	for i := range out {
		out[i] = l2SquaredAVX2(q, data[i*dims:(i+1)*dims:(i+1)*dims])
	}
}

func dotBatchAVX2(q, data []float32, dims int, out []float32) {
	for i := range out {
		out[i] = dotAVX2(q, data[i*dims:(i+1)*dims:(i+1)*dims])
	}
}

func l2SquaredGatherAVX2(q, data []float32, dims int, rows []uint32, out []float32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		out[i] = l2SquaredAVX2(q, data[o:o+dims:o+dims])
	}
}

func dotGatherAVX2(q, data []float32, dims int, rows []uint32, out []float32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		out[i] = dotAVX2(q, data[o:o+dims:o+dims])
	}
}
