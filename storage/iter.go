package storage

import (
	"bytes"
	"fmt"

	"github.com/RaduBerinde/btreemap"
	"github.com/cockroachdb/pebble/v2"
)

// txnIter merges a Pebble snapshot iterator with the transaction's write set
// as it was when the iterator was created:
//   - a key in the write set wins over the snapshot (tombstones hide it);
//   - snapshot keys inside a range deletion are skipped by seeking past the
//     range, not one by one.
//
// When the write set was empty at creation (tree == nil) it is a thin
// wrapper over the Pebble iterator.
//
// NB: the write-set side is read in chunks of up to iterChunk entries into a
// reused buffer, so iteration allocates per chunk, never per key. Entries
// alias the arena, which is immutable.
type txnIter struct {
	t            *pebbleTxn
	si           *pebble.Iterator
	lower, upper []byte

	tree   *btreemap.BTreeMap[[]byte, wsEntry] // nil: snapshot only
	ranges []keyRange
	rIdx   int // first range whose end > the current snapshot key

	sValid  bool
	buf     []bufEntry // write-set entries from buf[bi:]
	bi      int
	bDone   bool // no write-set entries beyond buf
	started bool

	key, val []byte
	src      uint8
	err      error
	closed   bool
	// reverse: made by NewReverseIter; Next walks down (iter_reverse.go).
	reverse bool
}

type bufEntry struct {
	key []byte
	wsEntry
}

const (
	srcSnap  uint8 = 1
	srcBatch uint8 = 2
	// iterChunk is how many write-set entries are buffered at a time.
	iterChunk = 64
)

var _ Iterator = (*txnIter)(nil)

// Next implements Iterator.
func (it *txnIter) Next() bool {
	if it.closed || it.err != nil {
		return false
	}
	if it.reverse {
		return it.prev()
	}
	if it.tree == nil {
		if it.started {
			it.sValid = it.si.Next()
		} else {
			it.started = true
			it.sValid = it.si.First()
		}
		return it.snapOnly()
	}
	if it.started {
		it.advance()
	} else {
		it.started = true
		it.sValid = it.si.First()
		it.fill(it.lower, true)
	}
	return it.findNext()
}

// SeekGE positions the iterator at the first key >= key (and >= the lower
// bound) and reports whether there is one. Next continues from there.
func (it *txnIter) SeekGE(key []byte) bool {
	if it.closed || it.err != nil {
		return false
	}
	if it.reverse {
		it.err = errSeekReverse
		return false
	}
	if bytes.Compare(key, it.lower) < 0 {
		key = it.lower
	}
	it.started = true
	it.sValid = it.si.SeekGE(key)
	if it.tree == nil {
		return it.snapOnly()
	}
	it.fill(key, true)
	it.rIdx = rangeIndex(it.ranges, key)
	return it.findNext()
}

func (it *txnIter) snapOnly() bool {
	if !it.sValid {
		return it.finish()
	}
	it.key = it.si.Key()
	v, err := it.si.ValueAndErr()
	if err != nil {
		it.err = fmt.Errorf("storage: iterator value: %w", err)
		return false
	}
	it.val = v
	return true
}

// finish ends iteration, picking up Pebble's error if any.
func (it *txnIter) finish() bool {
	if err := it.si.Error(); err != nil {
		it.err = fmt.Errorf("storage: iterator: %w", err)
	}
	it.key, it.val = nil, nil
	return false
}

// advance steps past the current key on the side(s) that produced it.
func (it *txnIter) advance() {
	if it.src&srcSnap != 0 {
		it.sValid = it.si.Next()
	}
	if it.src&srcBatch != 0 {
		it.bi++
		if it.bi == len(it.buf) && !it.bDone {
			it.fill(it.buf[len(it.buf)-1].key, false)
		}
	}
}

// fill loads the next chunk of write-set entries starting at from
// (inclusive or exclusive).
func (it *txnIter) fill(from []byte, inclusive bool) {
	it.buf = it.buf[:0]
	it.bi = 0
	lb := btreemap.GT(from)
	if inclusive {
		lb = btreemap.GE(from)
	}
	ub := btreemap.Max[[]byte]()
	if it.upper != nil {
		ub = btreemap.LT(it.upper)
	}
	it.tree.AscendFunc(lb, ub, func(k []byte, e wsEntry) bool {
		it.buf = append(it.buf, bufEntry{key: k, wsEntry: e})
		return len(it.buf) < iterChunk
	})
	it.bDone = len(it.buf) < iterChunk
}

// findNext moves to the first visible key at or after the current
// positions of both sides.
func (it *txnIter) findNext() bool {
	for {
		bValid := it.bi < len(it.buf)
		if !it.sValid && !bValid {
			return it.finish()
		}
		c := 1 // >0: write set first
		if !bValid {
			c = -1
		} else if it.sValid {
			c = bytes.Compare(it.si.Key(), it.buf[it.bi].key)
		}
		if c < 0 {
			k := it.si.Key()
			if end := it.coveringRangeEnd(k); end != nil {
				it.sValid = it.si.SeekGE(end)
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
			it.advance()
			continue
		}
		it.key, it.val = e.key, e.val
		return true
	}
}

// coveringRangeEnd returns the end of the range deletion covering k, or nil.
// Snapshot keys only ascend between seeks, so the cursor only moves forward.
func (it *txnIter) coveringRangeEnd(k []byte) []byte {
	for it.rIdx < len(it.ranges) && bytes.Compare(it.ranges[it.rIdx].end, k) <= 0 {
		it.rIdx++
	}
	if it.rIdx < len(it.ranges) && bytes.Compare(it.ranges[it.rIdx].start, k) <= 0 {
		return it.ranges[it.rIdx].end
	}
	return nil
}

// Key implements Iterator. The slice is valid until the next Next, SeekGE or
// Close and must not be modified.
func (it *txnIter) Key() []byte { return it.key }

// Value implements Iterator, with Key's lifetime rules.
func (it *txnIter) Value() []byte { return it.val }

// Err implements Iterator.
// It is ErrClosed when the transaction ended while the iterator was open.
func (it *txnIter) Err() error { return it.err }

// Close implements Iterator. It is idempotent.
func (it *txnIter) Close() error {
	if it.closed {
		return nil
	}
	it.closed = true
	it.t.removeIter(it)
	it.key, it.val, it.buf, it.tree = nil, nil, nil, nil
	err := it.si.Close()
	it.si = nil
	if err != nil {
		return fmt.Errorf("storage: close iterator: %w", err)
	}
	return nil
}
