package storage

import "errors"

// Engine is the key-value store under vecgres: the one seam where a second
// implementation is planned (a distributed engine such as TiKV for users who
// outgrow one machine), which is why it is an interface. The surface is
// deliberately small: snapshot-isolated transactions with get, put, delete
// and ordered range scans.
//
// Engine is safe for concurrent use; each Txn is used by one goroutine.
type Engine interface {
	// Begin starts a transaction that reads a consistent snapshot taken now
	// and sees its own writes.
	Begin() (Txn, error)
	// NextSequence atomically adds n to the durable counter stored at key and
	// returns the new value. It is not transactional (as PostgreSQL sequences
	// are not): a rolled-back transaction does not give values back.
	NextSequence(key []byte, n int64) (int64, error)
	// NextSequenceValue steps the catalog sequence whose state is at key
	// (SequenceValueKey) by o and returns the new value: o.Start when the
	// key holds no state. It fails with ErrSequenceLimit at the bound of a
	// sequence without CYCLE. Not transactional, like NextSequence.
	NextSequenceValue(key []byte, o SequenceOptions) (int64, error)
	// SetSequenceValue durably sets the state at key (setval): v was handed
	// out when called, else v is the next value. Not transactional.
	SetSequenceValue(key []byte, v int64, called bool) error
	// SequenceState returns the current state at key; ok is false when the
	// key holds none (the sequence was never used).
	SequenceState(key []byte) (v int64, called, ok bool, err error)
	// Close flushes and closes the store. Open transactions become invalid.
	Close() error
}

// Reader is the read half of a transaction.
type Reader interface {
	// Get returns the value stored at key, or ErrNotFound. The returned
	// slice belongs to the caller.
	Get(key []byte) ([]byte, error)
	// NewIter iterates keys in [lower, upper) in ascending order (upper nil:
	// unbounded). The iterator must be closed.
	NewIter(lower, upper []byte) (Iterator, error)
	// NewReverseIter iterates keys in [lower, upper) in descending order:
	// Next moves to the next smaller key, and SeekGE fails (Err reports
	// it). Otherwise as NewIter.
	NewReverseIter(lower, upper []byte) (Iterator, error)
}

// Txn is a transaction. Writes are buffered until Commit, which applies them
// atomically with a synced write (a committed transaction survives a power
// cut), or fails with ErrConflict when another transaction committed a write
// to a key this one wrote after this one's snapshot was taken
// (first committer wins).
type Txn interface {
	Reader
	// Put stores value at key. Both slices may be reused by the caller after
	// Put returns.
	Put(key, value []byte) error
	// Delete removes key (no error if absent).
	Delete(key []byte) error
	// DeleteRange removes every key in [lower, upper).
	DeleteRange(lower, upper []byte) error
	// Savepoint marks the current state of the transaction's writes and
	// returns a handle for RollbackTo.
	Savepoint() int
	// RollbackTo undoes every write made after the savepoint was taken.
	RollbackTo(savepoint int) error
	// Commit makes the writes durable and visible. After Commit or Rollback
	// the Txn must not be used.
	Commit() error
	// Rollback discards the writes. It is safe to call after Commit failed.
	Rollback()
}

// Iterator walks keys in ascending order (descending when made by
// NewReverseIter). Key and Value are valid only
// until the next call to Next or Close.
type Iterator interface {
	// Next advances to the next key; it must be called before the first Key.
	Next() bool
	// SeekGE positions the iterator at the first key >= key within its
	// bounds and reports whether there is one; Next continues after it.
	SeekGE(key []byte) bool
	Key() []byte
	Value() []byte
	// Err returns the error that ended iteration, if any (ErrClosed when
	// the transaction ended while the iterator was open).
	Err() error
	Close() error
}

// Sentinel errors; callers test them with errors.Is.
var (
	// ErrNotFound is returned by Get when the key has no value.
	ErrNotFound = errors.New("storage: key not found")
	// ErrConflict is returned by Commit when a concurrent transaction
	// committed a write to a key this transaction also wrote. The caller
	// maps it to SQLSTATE 40001.
	ErrConflict = errors.New("storage: write conflict with a concurrent transaction")
	// ErrClosed is returned after the engine or transaction was closed.
	ErrClosed = errors.New("storage: closed")
)
