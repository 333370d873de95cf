package distance

import "math/bits"

// Hamming returns the number of differing bits between two bit vectors
// stored as 64-bit words (bit i of the vector is bit i%64 of word i/64;
// padding bits past the vector's length must be zero in both). len(b) must
// be at least len(a). Example: 0b1011 vs 0b0110 → 3.
//
// NB: math/bits.OnesCount64 compiles to the POPCNT instruction on amd64
// (guarded by a CPU feature check the compiler emits), so no assembly is needed.
func Hamming(a, b []uint64) int {
	b = b[:len(a)]
	var n int
	for i := range a {
		n += bits.OnesCount64(a[i] ^ b[i])
	}
	return n
}

// Jaccard returns the Jaccard distance 1 - |a∧b| / |a∨b| between two bit
// vectors laid out as for Hamming, as pgvector's <%> does. Example: 0b1100
// vs 0b0110 → 1 - 1/3.
//
// NB: two all-zero vectors give 1, not NaN: pgvector's jaccard_distance
// returns 1 whenever the intersection is empty, which covers that case.
func Jaccard(a, b []uint64) float64 {
	b = b[:len(a)]
	var inter, union int
	for i := range a {
		inter += bits.OnesCount64(a[i] & b[i])
		union += bits.OnesCount64(a[i] | b[i])
	}
	if union == 0 {
		return 1
	}
	return 1 - float64(inter)/float64(union)
}
