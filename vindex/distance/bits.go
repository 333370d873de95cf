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

// HammingPacked is Hamming over bit strings packed into bytes (as SQL bit
// values hold them: eight bits a byte, padding bits zero in both). len(b)
// must be at least len(a). It counts eight bytes at a time, so it agrees
// with Hamming over the same bits packed into words (TestPackedKernels).
// Example: "\xb0" (1011) vs "\x60" (0110) → 3.
func HammingPacked(a, b string) int {
	b = b[:len(a)]
	n, i := 0, 0
	for ; i+8 <= len(a); i += 8 {
		n += bits.OnesCount64(load64(a[i:]) ^ load64(b[i:]))
	}
	for ; i < len(a); i++ {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}

// JaccardPacked is Jaccard over bit strings packed into bytes, laid out as
// for HammingPacked: 1 - |a∧b| / |a∨b|, and 1 when the intersection is
// empty (pgvector's jaccard_distance). Example: "\xc0" (1100) vs "\x60"
// (0110) → 1 - 1/3.
func JaccardPacked(a, b string) float64 {
	b = b[:len(a)]
	var inter, union, i int
	for ; i+8 <= len(a); i += 8 {
		x, y := load64(a[i:]), load64(b[i:])
		inter += bits.OnesCount64(x & y)
		union += bits.OnesCount64(x | y)
	}
	for ; i < len(a); i++ {
		inter += bits.OnesCount8(a[i] & b[i])
		union += bits.OnesCount8(a[i] | b[i])
	}
	if inter == 0 {
		return 1
	}
	return 1 - float64(inter)/float64(union)
}

// load64 reads eight bytes of s as a little-endian word (the compiler
// merges the byte loads into one).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// JaccardBinary is the Jaccard distance between two bit vectors stored as
// 0/1 floats (how vector indexes keep SQL bit values):
//
//	d = 1 - a·b / (Σa + Σb - a·b)
//
// and 1 when a·b = 0, as pgvector's jaccard_distance. Over 0/1 vectors a·b
// is |a∧b| and Σa + Σb - a·b is |a∨b|, so it equals Jaccard on the same
// bits. Example: [1,1,0,0] vs [0,1,1,0] → 1 - 1/(2+2-1) = 2/3.
// len(b) must be at least len(a).
func JaccardBinary(a, b []float32) float32 {
	b = b[:len(a)]
	var dot, sa, sb float32
	for i, x := range a {
		y := b[i]
		dot += x * y
		sa += x
		sb += y
	}
	if dot == 0 {
		return 1
	}
	return 1 - dot/(sa+sb-dot)
}
