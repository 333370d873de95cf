package hnsw

// visitedSet marks slots seen during one graph traversal: a bitset, and
// the list of its words this traversal made non-zero, which reset clears.
// Reset therefore costs O(slots visited), not O(n).
//
// NB: this replaced hnswlib's epoch trick (a uint32 stamp per slot, O(1)
// reset), which costs 4 bytes a slot in every search's scratch: 4 MB for a
// 1M-slot index, per concurrent search, and a cache line per visit spread
// over all of it. The bitset is 1/32 of that. On siftsmall (10k slots,
// where the stamps were 40 KB) search time did not measurably change, hot
// or with cold caches.
type visitedSet struct {
	bits    []uint64
	touched []uint32 // indexes of the words set in this traversal
}

// reset starts a new traversal over at least n slots.
func (v *visitedSet) reset(n int) {
	for _, w := range v.touched {
		v.bits[w] = 0
	}
	v.touched = v.touched[:0]
	if words := (n + 63) / 64; words > len(v.bits) {
		v.bits = make([]uint64, words+words/4+1)
	}
}

// ensure grows the set to n slots keeping the current traversal's marks
// (used by iterators whose traversal spans index growth).
func (v *visitedSet) ensure(n int) {
	if words := (n + 63) / 64; words > len(v.bits) {
		grown := make([]uint64, words+words/4+1)
		copy(grown, v.bits)
		v.bits = grown
	}
}

// visit marks s and reports whether it was already marked in this traversal.
func (v *visitedSet) visit(s uint32) bool {
	w := s >> 6
	bit := uint64(1) << (s & 63)
	x := v.bits[w]
	if x&bit != 0 {
		return true
	}
	if x == 0 {
		v.touched = append(v.touched, w)
	}
	v.bits[w] = x | bit
	return false
}
