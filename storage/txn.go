package storage

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/RaduBerinde/btreemap"
	"github.com/cockroachdb/pebble/v2"
)

// pebbleTxn is a snapshot-isolated transaction: reads see the Pebble
// snapshot taken at Begin overlaid with the transaction's own write set;
// Commit turns the write set into one synced Pebble batch.
//
// A pebbleTxn is used by one goroutine at a time.
type pebbleTxn struct {
	e        *pebbleEngine
	snap     *pebble.Snapshot // taken at the first read (snapshot)
	startSeq uint64           // e.commitSeq at Begin, or when snap was taken
	ws       writeSet
	// savepoints[i] is the write set as of Savepoint() returning i.
	savepoints []savedWrites
	// iters are the open iterators (closed by Commit and Rollback).
	iters []*txnIter
	done  bool
}

type savedWrites struct {
	tree   *btreemap.BTreeMap[[]byte, wsEntry]
	ranges []keyRange
}

var _ Txn = (*pebbleTxn)(nil)

func (t *pebbleTxn) check() error {
	if t.done || t.e.closed.Load() {
		return ErrClosed
	}
	return nil
}

// Get implements Reader.
func (t *pebbleTxn) Get(key []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if e, ok := t.ws.get(key); ok {
		if e.del {
			return nil, ErrNotFound
		}
		return bytes.Clone(e.val), nil
	}
	if t.ws.rangesContain(key) {
		return nil, ErrNotFound
	}
	snap, err := t.snapshot()
	if err != nil {
		return nil, err
	}
	v, closer, err := snap.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get %x: %w", key, err)
	}
	out := make([]byte, len(v))
	copy(out, v)
	return out, closer.Close()
}

// Put implements Txn.
func (t *pebbleTxn) Put(key, value []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	t.freezeIters()
	t.ws.put(key, value, false)
	return nil
}

// Delete implements Txn.
func (t *pebbleTxn) Delete(key []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	t.freezeIters()
	t.ws.put(key, nil, true)
	return nil
}

// DeleteRange implements Txn. An empty range (lower >= upper) is a no-op;
// upper must not be nil.
func (t *pebbleTxn) DeleteRange(lower, upper []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if upper == nil {
		return errors.New("storage: DeleteRange needs an upper bound (use PrefixEnd)")
	}
	if bytes.Compare(lower, upper) >= 0 {
		return nil
	}
	t.freezeIters()
	t.ws.deleteRange(lower, upper)
	return nil
}

// freezeIters gives every open iterator that reads the live write set a
// frozen copy-on-write clone of it, so that an iterator sees the writes made
// before it was created and none after (as Pebble's batch iterators do).
// NB: this keeps UPDATE from meeting its own new rows (the Halloween
// problem), and costs nothing when no iterator is open.
func (t *pebbleTxn) freezeIters() {
	var frozen *btreemap.BTreeMap[[]byte, wsEntry]
	for _, it := range t.iters {
		if it.tree == t.ws.tree && it.tree != nil {
			if frozen == nil {
				frozen = t.ws.tree.Clone()
			}
			it.tree = frozen
		}
	}
}

// Savepoint implements Txn. It costs O(1): the write set is cloned lazily.
// On a finished transaction it returns -1 (RollbackTo(-1) then fails).
func (t *pebbleTxn) Savepoint() int {
	if t.check() != nil {
		return -1
	}
	t.savepoints = append(t.savepoints, savedWrites{tree: t.ws.tree.Clone(), ranges: t.ws.ranges})
	return len(t.savepoints) - 1
}

// RollbackTo implements Txn. The savepoint stays valid (PostgreSQL's ROLLBACK
// TO SAVEPOINT keeps it); savepoints taken after it are released.
func (t *pebbleTxn) RollbackTo(savepoint int) error {
	if err := t.check(); err != nil {
		return err
	}
	if savepoint < 0 || savepoint >= len(t.savepoints) {
		return fmt.Errorf("storage: RollbackTo(%d): no such savepoint (have %d)", savepoint, len(t.savepoints))
	}
	sp := t.savepoints[savepoint]
	// NB: open iterators keep the old tree pointer, which is no longer
	// written to, so they keep their view without a freeze.
	t.ws.tree = sp.tree.Clone()
	t.ws.ranges = sp.ranges
	t.savepoints = t.savepoints[:savepoint+1]
	return nil
}

// Commit implements Txn. Open iterators are closed. A transaction without
// writes commits without touching the WAL.
func (t *pebbleTxn) Commit() error {
	if err := t.check(); err != nil {
		return err
	}
	t.done = true
	defer t.release()
	t.closeIters()
	if t.ws.empty() {
		t.e.end(t)
		return nil
	}
	b := t.e.db.NewBatchWithSize(t.ws.bytes + 64)
	if err := t.fillBatch(b); err != nil {
		_ = b.Close()
		t.e.end(t)
		return err
	}
	seqStart := SequencePrefix()
	touchesSeqs := t.ws.writesIn(seqStart, PrefixEnd(seqStart))
	return t.e.commit(t, b, touchesSeqs)
}

// fillBatch writes the write set into b: range deletions first, then point
// writes (see the writeSet invariants).
func (t *pebbleTxn) fillBatch(b *pebble.Batch) error {
	for _, r := range t.ws.ranges {
		if err := b.DeleteRange(r.start, r.end, nil); err != nil {
			return fmt.Errorf("storage: commit: %w", err)
		}
	}
	var err error
	t.ws.tree.AscendFunc(btreemap.Min[[]byte](), btreemap.Max[[]byte](), func(k []byte, e wsEntry) bool {
		if e.del {
			err = b.Delete(k, nil)
		} else {
			err = b.Set(k, e.val, nil)
		}
		return err == nil
	})
	if err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// Rollback implements Txn.
func (t *pebbleTxn) Rollback() {
	if t.done {
		return
	}
	t.done = true
	t.release()
	if !t.e.closed.Load() {
		t.e.end(t)
	}
}

// release closes the iterators and the snapshot. It is idempotent; Close
// calls it on transactions left open.
func (t *pebbleTxn) release() {
	t.done = true
	t.closeIters()
	if t.snap != nil {
		_ = t.snap.Close()
		t.snap = nil
	}
}

func (t *pebbleTxn) closeIters() {
	for len(t.iters) > 0 {
		it := t.iters[len(t.iters)-1]
		if it.err == nil {
			it.err = ErrClosed
		}
		_ = it.Close()
	}
}

// NewIter implements Reader. An inverted range (lower > upper) is empty.
// The iterator sees the snapshot and the writes
// made before NewIter, not later ones. Commit and Rollback close iterators
// left open.
func (t *pebbleTxn) NewIter(lower, upper []byte) (Iterator, error) {
	it, err := t.newIter(lower, upper)
	if err != nil {
		return nil, err
	}
	return it, nil
}

// newIter makes a registered forward iterator over [lower, upper).
func (t *pebbleTxn) newIter(lower, upper []byte) (*txnIter, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	it := &txnIter{t: t}
	it.lower = bytes.Clone(lower)
	it.upper = bytes.Clone(upper)
	if upper != nil && bytes.Compare(lower, upper) > 0 {
		// NB: an inverted range is empty (as DeleteRange treats it);
		// Pebble wants lower <= upper.
		it.upper = it.lower
	}
	snap, err := t.snapshot()
	if err != nil {
		return nil, err
	}
	si, err := snap.NewIter(&pebble.IterOptions{LowerBound: it.lower, UpperBound: it.upper})
	if err != nil {
		return nil, fmt.Errorf("storage: new iterator: %w", err)
	}
	it.si = si
	if !t.ws.empty() {
		it.tree = t.ws.tree
		it.ranges = t.ws.ranges
	}
	t.iters = append(t.iters, it)
	return it, nil
}

func (t *pebbleTxn) removeIter(it *txnIter) {
	for i, x := range t.iters {
		if x == it {
			last := len(t.iters) - 1
			t.iters[i] = t.iters[last]
			t.iters[last] = nil
			t.iters = t.iters[:last]
			return
		}
	}
}
