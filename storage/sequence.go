package storage

import (
	"errors"
	"fmt"
	"math"

	"github.com/cockroachdb/pebble/v2"
)

// Sequences are durable int64 counters outside transactions (as PostgreSQL's
// are). The value stored under a sequence key is the highest value that may
// have been handed out (EncodeSequenceValue).
//
// NB: a synced write per nextval would cap inserts into serial columns at
// the disk's fsync rate, so NextSequence reserves a block of values with one
// synced write and hands them out from memory, like PostgreSQL's
// SEQ_LOG_VALS. A crash loses the unused rest of a block (a gap, as in
// PostgreSQL; never a repeat); Close writes back the exact value, so a clean
// restart leaves no gap.

// seqBlock is the part of a sequence reserved on disk but not handed out:
// values next..limit.
type seqBlock struct {
	next, limit int64
	// block is the reservation size of the next refill; it doubles from
	// seqBlockMin to seqBlockMax as a sequence proves busy.
	block int64
}

const (
	seqBlockMin = 32
	seqBlockMax = 4096
)

// NextSequence implements Engine. n must be positive; the values
// v-n+1 .. v, where v is the result, belong to the caller. It fails when the
// counter would pass math.MaxInt64.
func (e *pebbleEngine) NextSequence(key []byte, n int64) (int64, error) {
	if n <= 0 {
		return 0, fmt.Errorf("storage: NextSequence(%q): n must be positive, got %d", key, n)
	}
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	if e.closed.Load() {
		return 0, ErrClosed
	}
	s := e.seqs[string(key)]
	if s == nil || s.limit-s.next+1 < n {
		var err error
		if s, err = e.reserveLocked(key, s, n); err != nil {
			return 0, err
		}
	}
	v := s.next + n - 1
	s.next += n
	return v, nil
}

// reserveLocked durably reserves at least n more values of the sequence at
// key. e.seqMu is held.
func (e *pebbleEngine) reserveLocked(key []byte, s *seqBlock, n int64) (*seqBlock, error) {
	var start, block int64
	if s != nil {
		start, block = s.next, min(2*s.block, seqBlockMax)
	} else {
		cur, err := e.readSequence(key)
		if err != nil {
			return nil, err
		}
		if cur == math.MaxInt64 {
			return nil, fmt.Errorf("storage: sequence %q is exhausted (at %d)", key, cur)
		}
		start, block = cur+1, seqBlockMin
	}
	if start > math.MaxInt64-n+1 {
		return nil, fmt.Errorf("storage: sequence %q cannot advance by %d from %d: exhausted", key, n, start-1)
	}
	limit := start + n - 1
	limit += min(block-1, math.MaxInt64-limit)
	if err := e.db.Set(key, EncodeSequenceValue(limit), pebble.Sync); err != nil {
		return nil, fmt.Errorf("storage: sequence %q: reserve: %w", key, err)
	}
	if s == nil {
		s = &seqBlock{}
		e.seqs[string(key)] = s
	}
	*s = seqBlock{next: start, limit: limit, block: block}
	return s, nil
}

func (e *pebbleEngine) readSequence(key []byte) (int64, error) {
	v, closer, err := e.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("storage: sequence %q: %w", key, err)
	}
	defer closer.Close()
	cur, err := DecodeSequenceValue(v)
	if err != nil {
		return 0, fmt.Errorf("storage: sequence %q: %w", key, err)
	}
	return cur, nil
}

// invalidateSeqsLocked drops the cached blocks of the sequences ws wrote
// (setval or drop), so the next NextSequence reads the committed value.
// e.seqMu is held.
func (e *pebbleEngine) invalidateSeqsLocked(ws *writeSet) {
	for k := range e.seqs {
		if ws.writes([]byte(k)) {
			delete(e.seqs, k)
		}
	}
	for k := range e.vseqs {
		if ws.writes([]byte(k)) {
			delete(e.vseqs, k)
		}
	}
}

// flushSequences writes back the last value handed out of every cached
// block, so that a clean restart continues without a gap.
func (e *pebbleEngine) flushSequences() error {
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	b := e.db.NewBatch()
	defer b.Close()
	for k, s := range e.seqs {
		if s.next-1 < s.limit {
			if err := b.Set([]byte(k), EncodeSequenceValue(s.next-1), nil); err != nil {
				return fmt.Errorf("storage: close: write back sequence %q: %w", k, err)
			}
		}
	}
	clear(e.seqs)
	if err := e.flushSequenceStatesLocked(b); err != nil {
		return err
	}
	if b.Empty() {
		return nil
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("storage: close: write back sequences: %w", err)
	}
	return nil
}
