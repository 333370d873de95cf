//go:build amd64

package distance

// u8GatherSIMDKernels lists the assembly gather kernels this CPU can run,
// best first: the VNNI one needs what the VNNI batch kernel needs.
func u8GatherSIMDKernels() []u8GatherKernel {
	if len(u8SIMDKernelSets()) > 0 {
		return []u8GatherKernel{{name: "avx512vnni", fn: l2SquaredU8GatherVNNI}}
	}
	return nil
}

// u8GatherAhead is how many rows ahead the VNNI gather prefetches: about
// 4 KiB of rows, between 2 and 16.
func u8GatherAhead(dims int) int { return min(16, max(2, 4096/dims)) }

// l2SquaredU8GatherVNNI computes Σq² (once per call) for the assembly.
func l2SquaredU8GatherVNNI(q, codes []uint8, dims int, rowTerms, rows, out []uint32) {
	l2SquaredU8GatherVNNIAsm(q, u8SumSquares(q), codes, dims, rows, rowTerms, out, u8GatherAhead(dims))
}

// l2SquaredU8GatherVNNIAsm (u8_gather_amd64.s) reads dims bytes of q, the
// rows of codes named by rows[:len(out)] and their rowTerms; the exported
// wrapper checks the bounds. qsq is Σq² modulo 2^32.
//
//go:noescape
func l2SquaredU8GatherVNNIAsm(q []uint8, qsq uint32, codes []uint8, dims int, rows, rowTerms, out []uint32, ahead int)
