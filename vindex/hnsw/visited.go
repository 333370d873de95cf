package hnsw

// visitedSet marks slots seen during one graph traversal. Reset is O(1):
// each traversal gets a fresh epoch, and a slot counts as visited when its
// stamp equals the current epoch.
//
// NB: a []bool or bitset would need clearing (O(n)) before every query,
// which at 10k–1M slots costs more than the traversal itself; hnswlib's
// VisitedList uses the same epoch trick with 16-bit stamps.
type visitedSet struct {
	stamp []uint32
	epoch uint32
}

// reset starts a new traversal over at least n slots.
func (v *visitedSet) reset(n int) {
	if n > len(v.stamp) {
		// Fresh memory is all zero, so any epoch >= 1 is clean.
		grown := make([]uint32, n+n/4+16)
		copy(grown, v.stamp)
		v.stamp = grown
	}
	v.epoch++
	if v.epoch == 0 { // wrapped: stamps from 2^32 traversals ago would alias
		clear(v.stamp)
		v.epoch = 1
	}
}

// ensure grows the set to n slots keeping the current traversal's marks
// (used by iterators whose traversal spans index growth).
func (v *visitedSet) ensure(n int) {
	if n > len(v.stamp) {
		grown := make([]uint32, n+n/4+16)
		copy(grown, v.stamp)
		v.stamp = grown
	}
}

// visit marks s and reports whether it was already marked in this traversal.
func (v *visitedSet) visit(s uint32) bool {
	p := &v.stamp[s]
	if *p == v.epoch {
		return true
	}
	*p = v.epoch
	return false
}
