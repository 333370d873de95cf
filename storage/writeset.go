package storage

import (
	"bytes"
	"sort"

	"github.com/RaduBerinde/btreemap"
)

// writeSet holds a transaction's uncommitted writes: point writes (puts and
// tombstones) in an ordered copy-on-write B-tree, and range deletions as
// sorted, disjoint intervals.
//
// Invariants:
//   - no point entry lies inside a range deletion made after it: DeleteRange
//     removes the points it covers, so a point entry is always newer than
//     every range covering it. Commit therefore applies ranges first, then
//     points.
//   - keys and values live in the arena and are never modified after being
//     written, so B-tree clones (savepoints, iterators) and commit records
//     may alias them.
//   - ranges is never modified in place: DeleteRange builds a new slice, so
//     a captured slice header is a stable view.
type writeSet struct {
	tree   *btreemap.BTreeMap[[]byte, wsEntry]
	ranges []keyRange
	arena  arena
	// bytes approximates the batch size Commit will build.
	bytes int
}

// wsEntry is one point write; del marks a tombstone.
type wsEntry struct {
	val []byte
	del bool
}

// NB: degree 32 gives nodes of up to 63 items: shallow trees for 100k-key
// bulk loads, and cheap copy-on-write clones.
const writeSetDegree = 32

func newWriteSet() writeSet {
	return writeSet{tree: btreemap.New[[]byte, wsEntry](writeSetDegree, bytes.Compare)}
}

func (ws *writeSet) empty() bool { return ws.tree.Len() == 0 && len(ws.ranges) == 0 }

func (ws *writeSet) put(key, value []byte, del bool) {
	k := ws.arena.copy(key)
	var v []byte
	if !del {
		v = ws.arena.copy(value)
	}
	ws.tree.ReplaceOrInsert(k, wsEntry{val: v, del: del})
	ws.bytes += len(key) + len(value) + 16
}

// get returns the point entry for key, if any.
func (ws *writeSet) get(key []byte) (wsEntry, bool) {
	_, e, ok := ws.tree.Get(key)
	return e, ok
}

// deleteRange records the deletion of [lower, upper), lower < upper.
func (ws *writeSet) deleteRange(lower, upper []byte) {
	var doomed [][]byte
	ws.tree.AscendFunc(btreemap.GE(lower), btreemap.LT(upper), func(k []byte, _ wsEntry) bool {
		doomed = append(doomed, k)
		return true
	})
	for _, k := range doomed {
		ws.tree.Delete(k)
	}
	ws.ranges = addRange(ws.ranges, keyRange{ws.arena.copy(lower), ws.arena.copy(upper)})
	ws.bytes += len(lower) + len(upper) + 16
}

// addRange returns a new sorted, disjoint slice holding rs and r merged.
func addRange(rs []keyRange, r keyRange) []keyRange {
	out := make([]keyRange, 0, len(rs)+1)
	i := 0
	for ; i < len(rs) && bytes.Compare(rs[i].end, r.start) < 0; i++ {
		out = append(out, rs[i])
	}
	for ; i < len(rs) && bytes.Compare(rs[i].start, r.end) <= 0; i++ {
		if bytes.Compare(rs[i].start, r.start) < 0 {
			r.start = rs[i].start
		}
		if bytes.Compare(rs[i].end, r.end) > 0 {
			r.end = rs[i].end
		}
	}
	out = append(out, r)
	return append(out, rs[i:]...)
}

// rangeIndex returns the index of the first range whose end is > key.
func rangeIndex(rs []keyRange, key []byte) int {
	return sort.Search(len(rs), func(i int) bool { return bytes.Compare(rs[i].end, key) > 0 })
}

// rangesContain reports whether a range deletion covers key.
func (ws *writeSet) rangesContain(key []byte) bool {
	i := rangeIndex(ws.ranges, key)
	return i < len(ws.ranges) && ws.ranges[i].contains(key)
}

// writes reports whether the transaction wrote key (put, delete or a
// covering range deletion).
func (ws *writeSet) writes(key []byte) bool {
	return ws.tree.Has(key) || ws.rangesContain(key)
}

// writesIn reports whether the transaction wrote any key in [start, end).
func (ws *writeSet) writesIn(start, end []byte) bool {
	found := false
	ws.tree.AscendFunc(btreemap.GE(start), btreemap.LT(end), func([]byte, wsEntry) bool {
		found = true
		return false
	})
	if found {
		return true
	}
	i := rangeIndex(ws.ranges, start)
	return i < len(ws.ranges) && bytes.Compare(ws.ranges[i].start, end) < 0
}

// record returns the commit record of this write set. It aliases the arena.
func (ws *writeSet) record(seq uint64) commitRecord {
	keys := make([][]byte, 0, ws.tree.Len())
	ws.tree.AscendFunc(btreemap.Min[[]byte](), btreemap.Max[[]byte](), func(k []byte, _ wsEntry) bool {
		keys = append(keys, k)
		return true
	})
	return commitRecord{seq: seq, keys: keys, ranges: ws.ranges}
}

// arena hands out immutable copies of byte slices from large chunks, so a
// transaction's writes cost about one allocation per chunk instead of two
// per Put. Chunks are never reused: slices handed out stay valid for as long
// as anything refers to them.
type arena struct {
	buf []byte
	// next is the size of the next chunk; it doubles up to arenaMaxChunk.
	next int
}

const (
	arenaMinChunk = 4 << 10
	arenaMaxChunk = 1 << 20
)

func (a *arena) copy(b []byte) []byte {
	if len(b) > cap(a.buf)-len(a.buf) {
		if len(b) > arenaMaxChunk/4 {
			// NB: large values get their own allocation rather than
			// wasting the rest of a chunk.
			out := make([]byte, len(b))
			copy(out, b)
			return out
		}
		if a.next < arenaMinChunk {
			a.next = arenaMinChunk
		}
		a.buf = make([]byte, 0, a.next)
		a.next = min(a.next*2, arenaMaxChunk)
	}
	n := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[n:len(a.buf):len(a.buf)]
}
