package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/RaduBerinde/btreemap"
	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// Options configures OpenPebble. The zero value gives sensible settings for a
// small server.
type Options struct {
	// CacheSize is the block cache size in bytes (default 64 MiB).
	CacheSize int64
	// MemTableSize is the size of one memtable in bytes (default 32 MiB).
	// Larger memtables help bulk loads.
	MemTableSize uint64
	// InMemory keeps the whole store in memory (for tests of other
	// packages); dir is then only a name. Nothing survives Close.
	InMemory bool
}

const (
	defaultCacheSize    = 64 << 20
	defaultMemTableSize = 32 << 20
	// NB: pinned rather than pebble.FormatNewest, so that upgrading the
	// pebble module never silently ratchets the on-disk format of existing
	// stores (which would make a downgrade impossible). Raise it deliberately.
	pebbleFormat = pebble.FormatValueSeparation
)

// pebbleEngine is the Engine on a local Pebble store.
//
// NB on the transaction model: Pebble has no public "indexed batch over a
// snapshot" (an indexed batch reads through to the latest DB state), so each
// transaction keeps its writes in its own ordered write set (txn.go) and
// merges it with a pebble.Snapshot when reading (iter.go). Commit turns the
// write set into a pebble.Batch.
type pebbleEngine struct {
	db    *pebble.DB
	cache interface{ Unref() }

	closed atomic.Bool

	// mu serialises Begin's snapshot against commits, so that a snapshot
	// and the commit counter always agree, and guards the fields below.
	mu sync.Mutex
	// commitSeq counts committed read-write transactions.
	commitSeq uint64
	// active holds every open transaction (for pruning and Close).
	active map[*pebbleTxn]struct{}
	// committed is the write sets of recent commits, in commit order, kept
	// while some open transaction's snapshot predates them.
	committed []commitRecord
	// inflight counts commits waiting for their WAL sync outside mu.
	inflight sync.WaitGroup

	// seqMu guards seqs, the sequence blocks allocated but not yet handed
	// out (sequence.go). Lock order: mu before seqMu.
	seqMu sync.Mutex
	seqs  map[string]*seqBlock
	// vseqs are the cached states of catalog sequences (sequence_value.go),
	// also guarded by seqMu.
	vseqs map[string]*valSeq
}

var _ Engine = (*pebbleEngine)(nil)

// OpenPebble opens the store in dir, creating it if it does not exist. A new
// store gets the current FormatVersion; an existing one must carry exactly
// that version (an older or newer one is refused with an error saying which
// version it has), and a non-empty Pebble store without a version key is
// refused as not being a vecgres store.
//
// The Engine is safe for concurrent use. Close it to release the directory
// lock.
func OpenPebble(dir string, opts Options) (Engine, error) {
	if opts.CacheSize <= 0 {
		opts.CacheSize = defaultCacheSize
	}
	if opts.MemTableSize == 0 {
		opts.MemTableSize = defaultMemTableSize
	}
	cache := pebble.NewCache(opts.CacheSize)
	po := &pebble.Options{
		Cache:              cache,
		MemTableSize:       opts.MemTableSize,
		FormatMajorVersion: pebbleFormat,
		Logger:             quietLogger{},
	}
	if opts.InMemory {
		po.FS = vfs.NewMem()
	}
	for i := range po.Levels {
		// NB: bloom filters on every level make point lookups of absent
		// keys (unique checks, inserts) skip most sstables.
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := pebble.Open(dir, po)
	if err != nil {
		cache.Unref()
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	e := &pebbleEngine{
		db:     db,
		cache:  cache,
		active: make(map[*pebbleTxn]struct{}),
		seqs:   make(map[string]*seqBlock),
		vseqs:  make(map[string]*valSeq),
	}
	if err := e.checkFormat(dir); err != nil {
		_ = db.Close()
		cache.Unref()
		return nil, err
	}
	return e, nil
}

// checkFormat writes the format version into a new store and checks it in
// an existing one.
func (e *pebbleEngine) checkFormat(dir string) error {
	v, closer, err := e.db.Get(FormatVersionKey())
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		empty, err := e.isEmpty()
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("storage: %s holds a Pebble store without a vecgres format version; "+
				"it is not a vecgres data directory (point vecgres at an empty or vecgres directory)", dir)
		}
		ver := binary.BigEndian.AppendUint32(nil, FormatVersion)
		if err := e.db.Set(FormatVersionKey(), ver, pebble.Sync); err != nil {
			return fmt.Errorf("storage: write format version: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("storage: read format version: %w", err)
	}
	defer closer.Close()
	got, err := decodeUint32(v)
	if err != nil {
		return fmt.Errorf("storage: %s: format version key: %w", dir, err)
	}
	switch {
	case got > FormatVersion:
		return fmt.Errorf("storage: %s was written by a newer vecgres (format version %d; this binary "+
			"supports up to %d): run a newer vecgres", dir, got, FormatVersion)
	case got < FormatVersion:
		return fmt.Errorf("storage: %s has format version %d, which this binary (format %d) cannot "+
			"read: no migration exists; dump and restore with the older vecgres", dir, got, FormatVersion)
	}
	return nil
}

func (e *pebbleEngine) isEmpty() (bool, error) {
	it, err := e.db.NewIter(nil)
	if err != nil {
		return false, err
	}
	empty := !it.First()
	if err := it.Close(); err != nil {
		return false, err
	}
	return empty, nil
}

// Begin implements Engine.
func (e *pebbleEngine) Begin() (Txn, error) {
	t := &pebbleTxn{e: e, ws: newWriteSet()}
	e.mu.Lock()
	if e.closed.Load() {
		e.mu.Unlock()
		return nil, ErrClosed
	}
	t.startSeq = e.commitSeq
	e.active[t] = struct{}{}
	e.mu.Unlock()
	return t, nil
}

// snapshot returns t's Pebble snapshot, taking it at the first read.
//
// NB: why lazily: a statement served from memory (an index search over the
// row mirror, SELECT 1) never reads Pebble, and a snapshot is not free:
// closing one runs Pebble's compaction scoring (~2 % of the server's CPU
// on SELECT 1). PostgreSQL too takes a repeatable-read snapshot at the
// first statement, not at BEGIN. A transaction that has written nothing
// yet also moves its start to the snapshot, so commits it will see are not
// later taken for concurrent ones; one with blind writes keeps its start
// (conservative: a conflict check over more commits).
func (t *pebbleTxn) snapshot() (*pebble.Snapshot, error) {
	if t.snap != nil {
		return t.snap, nil
	}
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed.Load() {
		return nil, ErrClosed
	}
	if t.ws.empty() {
		t.startSeq = e.commitSeq
	}
	t.snap = e.db.NewSnapshot()
	return t.snap, nil
}

// commit applies b, the batch of read-write transaction t, unless a
// transaction that committed after t's snapshot wrote a key t wrote.
// NB: conflict check, apply and the commit counter move together under mu;
// the WAL sync is waited for outside it so that concurrent commits share
// syncs (Pebble makes an applied batch visible before its sync either way).
func (e *pebbleEngine) commit(t *pebbleTxn, b *pebble.Batch, touchesSeqs bool) error {
	e.mu.Lock()
	if e.closed.Load() {
		e.mu.Unlock()
		_ = b.Close()
		return ErrClosed
	}
	for i := len(e.committed) - 1; i >= 0 && e.committed[i].seq > t.startSeq; i-- {
		if e.committed[i].conflicts(&t.ws) {
			e.endLocked(t)
			e.mu.Unlock()
			_ = b.Close()
			return ErrConflict
		}
	}
	if touchesSeqs {
		// NB: a transaction that writes or deletes a sequence key (setval,
		// DROP) invalidates the cached blocks; holding seqMu across apply
		// keeps NextSequence from overwriting that write with a stale block.
		e.seqMu.Lock()
	}
	err := e.db.ApplyNoSyncWait(b, pebble.Sync)
	if touchesSeqs {
		if err == nil {
			e.invalidateSeqsLocked(&t.ws)
		}
		e.seqMu.Unlock()
	}
	if err != nil {
		e.endLocked(t)
		e.mu.Unlock()
		_ = b.Close()
		return fmt.Errorf("storage: commit: %w", err)
	}
	e.commitSeq++
	if len(e.active) > 1 {
		// Some other open transaction may conflict with this one.
		e.committed = append(e.committed, t.ws.record(e.commitSeq))
	}
	e.endLocked(t)
	e.inflight.Add(1)
	e.mu.Unlock()

	err = b.SyncWait()
	e.inflight.Done()
	if cerr := b.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("storage: commit: WAL sync: %w", err)
	}
	return nil
}

// end removes t from the open transactions.
func (e *pebbleEngine) end(t *pebbleTxn) {
	e.mu.Lock()
	e.endLocked(t)
	e.mu.Unlock()
}

// endLocked removes t from the open transactions and drops the commit
// records no open transaction can conflict with any more. e.mu is held.
func (e *pebbleEngine) endLocked(t *pebbleTxn) {
	delete(e.active, t)
	if len(e.active) == 0 {
		clear(e.committed)
		e.committed = e.committed[:0]
		return
	}
	minStart := ^uint64(0)
	for a := range e.active {
		minStart = min(minStart, a.startSeq)
	}
	n := 0
	for n < len(e.committed) && e.committed[n].seq <= minStart {
		n++
	}
	if n > 0 {
		k := copy(e.committed, e.committed[n:])
		clear(e.committed[k:])
		e.committed = e.committed[:k]
	}
}

// Close implements Engine. Open transactions are aborted (their later calls
// return ErrClosed); Close must not run concurrently with calls on them.
// Cached sequence blocks are written back so that a clean restart leaves no
// gap. Close is idempotent.
func (e *pebbleEngine) Close() error {
	e.mu.Lock()
	if e.closed.Swap(true) {
		e.mu.Unlock()
		return nil
	}
	for t := range e.active {
		t.release()
		delete(e.active, t)
	}
	e.committed = nil
	e.mu.Unlock()
	e.inflight.Wait()

	err := e.flushSequences()
	if cerr := e.db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("storage: close: %w", cerr)
	}
	e.cache.Unref()
	return err
}

// commitRecord is the write set of one committed transaction, kept for
// conflict checks. keys is sorted and aliases the committed transaction's
// arena, which is immutable after commit.
type commitRecord struct {
	seq    uint64
	keys   [][]byte
	ranges []keyRange
}

// conflicts reports whether ws writes any key r wrote (point or range).
// NB: it walks the smaller of the two point sets and probes the other, so a
// small transaction committing after a 100k-row bulk load pays for its own
// keys only.
func (r *commitRecord) conflicts(ws *writeSet) bool {
	if ws.tree.Len() < len(r.keys) {
		found := false
		ws.tree.AscendFunc(btreemap.Min[[]byte](), btreemap.Max[[]byte](), func(k []byte, _ wsEntry) bool {
			_, found = slices.BinarySearchFunc(r.keys, k, bytes.Compare)
			return !found
		})
		if found {
			return true
		}
		for _, rg := range ws.ranges {
			i, _ := slices.BinarySearchFunc(r.keys, rg.start, bytes.Compare)
			if i < len(r.keys) && bytes.Compare(r.keys[i], rg.end) < 0 {
				return true
			}
		}
	} else {
		for _, k := range r.keys {
			if ws.writes(k) {
				return true
			}
		}
	}
	for _, rg := range r.ranges {
		if ws.writesIn(rg.start, rg.end) {
			return true
		}
	}
	return false
}

// keyRange is [start, end).
type keyRange struct{ start, end []byte }

func (r keyRange) contains(k []byte) bool {
	return bytes.Compare(r.start, k) <= 0 && bytes.Compare(k, r.end) < 0
}

// quietLogger drops Pebble's informational messages (the server has its own
// log) and keeps errors on stderr via the default logger.
type quietLogger struct{}

func (quietLogger) Infof(string, ...interface{}) {}
func (quietLogger) Errorf(format string, args ...interface{}) {
	pebble.DefaultLogger.Errorf(format, args...)
}
func (quietLogger) Fatalf(format string, args ...interface{}) {
	pebble.DefaultLogger.Fatalf(format, args...)
}
