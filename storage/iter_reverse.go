package storage

import (
	"bytes"
	"errors"

	"github.com/RaduBerinde/btreemap"
)

// errSeekReverse is returned by SeekGE on an iterator made by
// NewReverseIter, which only walks from its upper bound down.
var errSeekReverse = errors.New("storage: SeekGE on a reverse iterator")

// The reverse mode of txnIter (NewReverseIter): the same merge as the
// forward one in iter.go, mirrored. The snapshot side steps with Prev, the
// write-set side is read in descending chunks, and snapshot keys inside a
// range deletion are skipped by seeking below the range's start. The
// write-set entries win over the snapshot exactly as going forward.

// prev advances a reverse iterator to the next smaller visible key.
func (it *txnIter) prev() bool {
	if it.tree == nil {
		if it.started {
			it.sValid = it.si.Prev()
		} else {
			it.started = true
			it.sValid = it.si.Last()
		}
		return it.snapOnly()
	}
	if it.started {
		it.retreat()
	} else {
		it.started = true
		it.sValid = it.si.Last()
		it.rIdx = len(it.ranges) - 1
		it.fillDesc(it.upper)
	}
	return it.findPrev()
}

// retreat steps below the current key on the side(s) that produced it.
func (it *txnIter) retreat() {
	if it.src&srcSnap != 0 {
		it.sValid = it.si.Prev()
	}
	if it.src&srcBatch != 0 {
		it.bi++
		if it.bi == len(it.buf) && !it.bDone {
			it.fillDesc(it.buf[len(it.buf)-1].key)
		}
	}
}

// fillDesc loads the next chunk of write-set entries below below (nil:
// from the top), in descending order.
func (it *txnIter) fillDesc(below []byte) {
	it.buf = it.buf[:0]
	it.bi = 0
	ub := btreemap.Max[[]byte]()
	if below != nil {
		ub = btreemap.LT(below)
	}
	lb := btreemap.Min[[]byte]()
	if it.lower != nil {
		lb = btreemap.GE(it.lower)
	}
	it.tree.DescendFunc(ub, lb, func(k []byte, e wsEntry) bool {
		it.buf = append(it.buf, bufEntry{key: k, wsEntry: e})
		return len(it.buf) < iterChunk
	})
	it.bDone = len(it.buf) < iterChunk
}

// findPrev moves to the greatest visible key at or below the current
// positions of both sides.
func (it *txnIter) findPrev() bool {
	for {
		bValid := it.bi < len(it.buf)
		if !it.sValid && !bValid {
			return it.finish()
		}
		c := -1 // <0: write set first
		if !bValid {
			c = 1
		} else if it.sValid {
			c = bytes.Compare(it.si.Key(), it.buf[it.bi].key)
		}
		if c > 0 {
			k := it.si.Key()
			if start := it.coveringRangeStart(k); start != nil {
				it.sValid = it.si.SeekLT(start)
				continue
			}
			it.src = srcSnap
			return it.snapOnly()
		}
		e := &it.buf[it.bi]
		it.src = srcBatch
		if c == 0 {
			it.src |= srcSnap
		}
		if e.del {
			it.retreat()
			continue
		}
		it.key, it.val = e.key, e.val
		return true
	}
}

// coveringRangeStart returns the start of the range deletion covering k,
// or nil. Snapshot keys only descend, so the cursor only moves down.
func (it *txnIter) coveringRangeStart(k []byte) []byte {
	for it.rIdx >= 0 && bytes.Compare(it.ranges[it.rIdx].start, k) > 0 {
		it.rIdx--
	}
	if it.rIdx >= 0 && it.ranges[it.rIdx].contains(k) {
		return it.ranges[it.rIdx].start
	}
	return nil
}

// NewReverseIter implements Reader: as NewIter, in descending key order.
func (t *pebbleTxn) NewReverseIter(lower, upper []byte) (Iterator, error) {
	it, err := t.newIter(lower, upper)
	if err != nil {
		return nil, err
	}
	it.reverse = true
	return it, nil
}
