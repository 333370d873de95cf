package distance

import "os"

// L2SquaredU8Gather is the gather form of L2SquaredU8Batch: rows named by
// index instead of back to back. It is the traversal distance of a
// quantized HNSW search (vindex/hnsw), whose candidates are scattered graph
// neighbours.
//
// NB: the AVX-512 VNNI kernel prefetches the rows a few positions ahead,
// like L2SquaredGather; with a quarter of the float32 bytes per row, a
// search bound by memory latency touches a quarter of the cache lines.

// L2SquaredU8Gather computes out[i] = Σ_j (q[j] − codes[r*dims+j])² exactly
// with r = rows[i], for every i < len(out). rowTerms[r] must be
// U8L2RowTerm of row r (indexed by row, like codes; some implementations
// ignore it, so a wrong value gives wrong results only on some CPUs).
// len(q) must be at least dims, dims at most MaxU8Dims, len(rows) at least
// len(out), and every named row must lie inside codes and rowTerms: it
// panics before computing anything otherwise. The caller owns out; nothing
// is retained or allocated. Safe for concurrent use.
func L2SquaredU8Gather(q, codes []uint8, dims int, rowTerms, rows, out []uint32) {
	if dims <= 0 || dims > MaxU8Dims {
		panic("distance: L2SquaredU8Gather dims out of range")
	}
	if len(q) < dims || len(rows) < len(out) {
		panic("distance: L2SquaredU8Gather q shorter than dims or rows shorter than out")
	}
	n := uint64(len(codes) / dims)
	if t := uint64(len(rowTerms)); t < n {
		n = t
	}
	for _, r := range rows[:len(out)] {
		if uint64(r) >= n {
			panic("distance: L2SquaredU8Gather row out of range")
		}
	}
	u8Gather.fn(q[:dims], codes, dims, rowTerms, rows[:len(out)], out)
}

// U8GatherImpl names the implementation L2SquaredU8Gather uses:
// "avx512vnni" or "generic" (also under VECGRES_NOSIMD=1). Read-only.
var U8GatherImpl = u8Gather.name

// u8GatherKernel is one implementation of L2SquaredU8Gather (arguments
// already checked).
type u8GatherKernel struct {
	name string
	fn   func(q, codes []uint8, dims int, rowTerms, rows, out []uint32)
}

// u8Gather is chosen once, at package initialisation, and never changes.
var u8Gather = chooseU8Gather(os.Getenv("VECGRES_NOSIMD") == "1")

var genericU8Gather = u8GatherKernel{name: "generic", fn: l2SquaredU8GatherGeneric}

// chooseU8Gather picks the best kernel this CPU runs; noSIMD forces the Go one.
func chooseU8Gather(noSIMD bool) u8GatherKernel {
	if noSIMD {
		return genericU8Gather
	}
	if ks := u8GatherSIMDKernels(); len(ks) > 0 {
		return ks[0]
	}
	return genericU8Gather
}

// l2SquaredU8GatherGeneric runs the Go batch kernel on each row.
func l2SquaredU8GatherGeneric(q, codes []uint8, dims int, _, rows, out []uint32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		l2SquaredU8BatchGeneric(q, codes[o:o+dims:o+dims], dims, nil, out[i:i+1])
	}
}
