//go:build amd64

package distance

import "golang.org/x/sys/cpu"

// chooseU8Kernels picks the AVX-512 VNNI kernel when the CPU has it (with
// AVX-512BW for the byte-masked tail loads), else the Go kernel; noSIMD
// forces the Go kernel.
func chooseU8Kernels(noSIMD bool) u8KernelSet {
	if noSIMD {
		return genericU8Kernels
	}
	if sets := u8SIMDKernelSets(); len(sets) > 0 {
		return sets[0]
	}
	return genericU8Kernels
}

// u8SIMDKernelSets lists the assembly uint8 kernels this CPU can run, best
// first. Tests compare each against the Go kernel.
func u8SIMDKernelSets() []u8KernelSet {
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VNNI && cpu.X86.HasAVX2 {
		return []u8KernelSet{{name: "avx512vnni", l2Batch: l2SquaredU8BatchVNNI}}
	}
	return nil
}

// l2SquaredU8BatchVNNI computes Σq² (once per call) for the assembly.
func l2SquaredU8BatchVNNI(q, codes []uint8, dims int, rowTerms, out []uint32) {
	l2SquaredU8BatchVNNIAsm(q, u8SumSquares(q), codes, dims, rowTerms, out)
}

// l2SquaredU8BatchVNNIAsm (u8_amd64.s) reads dims bytes of q, len(out)*dims
// bytes of codes and len(out) rowTerms; the exported wrapper checks the
// bounds. qsq is Σq² modulo 2^32.
//
//go:noescape
func l2SquaredU8BatchVNNIAsm(q []uint8, qsq uint32, codes []uint8, dims int, rowTerms, out []uint32)

// u8SumSquares is Σq² of a query's codes (two accumulators: the loop is on
// the query path of every VNNI scan).
func u8SumSquares(q []uint8) uint32 {
	var s0, s1 uint32
	j := 0
	for ; j+2 <= len(q); j += 2 {
		s0 += uint32(q[j]) * uint32(q[j])
		s1 += uint32(q[j+1]) * uint32(q[j+1])
	}
	if j < len(q) {
		s0 += uint32(q[j]) * uint32(q[j])
	}
	return s0 + s1
}
