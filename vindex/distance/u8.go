package distance

import "os"

// Integer kernels over uint8 codes: the exact prefilter of a quantized scan
// (vindex/flat keeps a uint8 copy of its vectors and ranks it with these
// before re-ranking the survivors with the float32 kernels).
//
// The distance is the squared Euclidean distance between code vectors,
//
//	I(q, c) = Σ_j (q[j] - c[j])²,
//
// computed exactly in integers. Example: q=[0,255,7], c=[3,255,0] → 9+0+49 = 58.
//
// NB: the AVX-512 VNNI kernel (VPDPBUSD) multiplies unsigned bytes by signed
// bytes, so it expands the square as Σq² + Σc² − 2Σqc and feeds the query as
// the signed bytes q−128: Σ c·(q−128) = Σqc − 128·Σc. With the per-row term
// t = Σc² − 256·Σc (U8L2RowTerm) the distance is Σq² + t − 2·Σ c·(q−128).
// Every step is exact modulo 2^32 (two's-complement wrap-around), and the
// result is below 2^32 while dims ≤ MaxU8Dims, so the wrapped sum is the
// exact value.

// MaxU8Dims is the largest dimension for which L2SquaredU8Batch is exact:
// dims·255² must stay below 2^32.
const MaxU8Dims = (1<<32 - 1) / (255 * 255)

// U8Impl names the implementation of the uint8 kernels chosen at start-up:
// "avx512vnni" or "generic" (also under VECGRES_NOSIMD=1). Read-only.
var U8Impl = u8Kernels.name

// U8L2RowTerm returns the per-row constant L2SquaredU8Batch needs for a
// stored code row: Σc² − 256·Σc modulo 2^32. Callers compute it once when a
// row is stored and pass it back with the row on every scan. Example:
// [1,2] → 1+4 − 256·3 = 2^32 − 763.
func U8L2RowTerm(row []uint8) uint32 {
	var sq, sum uint32
	for _, c := range row {
		sq += uint32(c) * uint32(c)
		sum += uint32(c)
	}
	return sq - 256*sum
}

// L2SquaredU8Batch computes out[i] = Σ_j (q[j] - codes[i*dims+j])² exactly,
// for every i < len(out). codes holds rows of dims bytes back to back (at
// least len(out)*dims), rowTerms[i] must be U8L2RowTerm of row i (some
// implementations ignore it, so a wrong value gives wrong results only on
// some CPUs), len(q) must be dims, and dims must be at most MaxU8Dims. It
// panics (bounds check) when a slice is too short or dims is out of range.
// The caller owns out; nothing is retained or allocated. Safe for concurrent use.
func L2SquaredU8Batch(q, codes []uint8, dims int, rowTerms, out []uint32) {
	if dims <= 0 || dims > MaxU8Dims {
		panic("distance: L2SquaredU8Batch dims out of range")
	}
	// NB: explicit length checks; a reslice q[:dims] would only check the capacity.
	if len(q) < dims || len(codes) < len(out)*dims || len(rowTerms) < len(out) {
		panic("distance: L2SquaredU8Batch slice shorter than dims or len(out) rows")
	}
	u8Kernels.l2Batch(q[:dims], codes, dims, rowTerms, out)
}

// u8KernelSet is one implementation of the uint8 kernels.
type u8KernelSet struct {
	name    string
	l2Batch func(q, codes []uint8, dims int, rowTerms, out []uint32)
}

// u8Kernels is chosen once, at package initialisation, and never changes.
var u8Kernels = chooseU8Kernels(os.Getenv("VECGRES_NOSIMD") == "1")

var genericU8Kernels = u8KernelSet{name: "generic", l2Batch: l2SquaredU8BatchGeneric}

// l2SquaredU8BatchGeneric sums the squared differences directly (rowTerms
// unused) in four uint32 accumulators; each holds at most dims·255² < 2^32.
func l2SquaredU8BatchGeneric(q, codes []uint8, dims int, _, out []uint32) {
	q = q[:dims]
	for i := range out {
		c := codes[i*dims : (i+1)*dims : (i+1)*dims]
		var s0, s1, s2, s3 uint32
		j := 0
		for ; j+4 <= dims; j += 4 {
			d0 := int32(q[j]) - int32(c[j])
			d1 := int32(q[j+1]) - int32(c[j+1])
			d2 := int32(q[j+2]) - int32(c[j+2])
			d3 := int32(q[j+3]) - int32(c[j+3])
			s0 += uint32(d0 * d0)
			s1 += uint32(d1 * d1)
			s2 += uint32(d2 * d2)
			s3 += uint32(d3 * d3)
		}
		for ; j < dims; j++ {
			d := int32(q[j]) - int32(c[j])
			s0 += uint32(d * d)
		}
		out[i] = s0 + s1 + s2 + s3
	}
}
