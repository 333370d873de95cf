package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/cockroachdb/pebble/v2"
)

// Catalog sequences (CREATE SEQUENCE, serial and identity columns) keep
// their state under SequenceValueKey(oid) as PostgreSQL keeps it in the
// sequence relation: a value and an is_called flag. NextSequenceValue steps
// it by the sequence's options; SetSequenceValue (setval) overwrites it.
// Both are outside transactions, as in PostgreSQL: ROLLBACK gives nothing
// back.
//
// NB: as with NextSequence, a synced write per nextval would cap inserts at
// the fsync rate, so the engine reserves a block of values with one synced
// write (the state on disk says the block's last value was called) and hands
// them out from memory. A block never crosses a CYCLE wrap, so a crash can
// only lose values (a gap, as PostgreSQL's SEQ_LOG_VALS does), never repeat
// one. Close writes back the exact state.

// ErrSequenceLimit is returned by NextSequenceValue when a sequence without
// CYCLE has reached its maximum (or, descending, its minimum).
var ErrSequenceLimit = errors.New("storage: sequence reached its limit")

// SequenceOptions are the step and bounds NextSequenceValue applies. Start
// is the first value of a sequence whose key holds no state.
type SequenceOptions struct {
	Start, Increment, Min, Max int64
	Cycle                      bool
}

// valSeq is the cached state of a catalog sequence: value v (called), and
// how many of the following values are already reserved on disk.
type valSeq struct {
	v         int64
	remaining int64
	block     int64
}

// EncodeSequenceState encodes the state stored under SequenceValueKey:
// int64 big-endian value, then 1 when the value was handed out (is_called)
// or 0 when it is the next value to hand out. Part of the on-disk format.
func EncodeSequenceState(v int64, called bool) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 9), uint64(v))
	if called {
		return append(b, 1)
	}
	return append(b, 0)
}

// DecodeSequenceState decodes a value made by EncodeSequenceState.
func DecodeSequenceState(b []byte) (v int64, called bool, err error) {
	if len(b) != 9 || b[8] > 1 {
		return 0, false, fmt.Errorf("%w: sequence state has %d bytes, want 9", errKeyDecode, len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), b[8] == 1, nil
}

// nextSequenceStep returns the value after state (v, called) under o, and
// whether it wrapped around (CYCLE). It fails with ErrSequenceLimit at the
// bound of a sequence without CYCLE.
func nextSequenceStep(v int64, called bool, o SequenceOptions) (int64, bool, error) {
	if !called {
		return v, false, nil
	}
	if o.Increment > 0 {
		if v > o.Max-o.Increment { // v + inc > max, without overflow
			if !o.Cycle {
				return 0, false, ErrSequenceLimit
			}
			return o.Min, true, nil
		}
		return v + o.Increment, false, nil
	}
	if v < o.Min-o.Increment {
		if !o.Cycle {
			return 0, false, ErrSequenceLimit
		}
		return o.Max, true, nil
	}
	return v + o.Increment, false, nil
}

// NextSequenceValue implements Engine.
func (e *pebbleEngine) NextSequenceValue(key []byte, o SequenceOptions) (int64, error) {
	if o.Increment == 0 || o.Min > o.Max {
		return 0, fmt.Errorf("storage: sequence %x: invalid options %+v", key, o)
	}
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	if e.closed.Load() {
		return 0, ErrClosed
	}
	s := e.vseqs[string(key)]
	v, called := int64(0), true
	if s != nil {
		v = s.v
	} else {
		var ok bool
		var err error
		if v, called, ok, err = e.readSequenceState(key); err != nil {
			return 0, err
		}
		if !ok {
			v, called = o.Start, false
		}
	}
	next, wrapped, err := nextSequenceStep(v, called, o)
	if err != nil {
		return 0, err
	}
	if s == nil || s.remaining <= 0 || wrapped {
		block := int64(seqBlockMin)
		if s != nil {
			block = min(2*s.block, seqBlockMax)
		}
		// The block's last value: next + (n-1)*inc, clamped to the bound.
		n := block
		if o.Increment > 0 {
			n = min(n, (o.Max-next)/o.Increment+1)
		} else {
			n = min(n, (next-o.Min)/-o.Increment+1)
		}
		last := next + (n-1)*o.Increment
		if err := e.db.Set(key, EncodeSequenceState(last, true), pebble.Sync); err != nil {
			return 0, fmt.Errorf("storage: sequence %x: reserve: %w", key, err)
		}
		if s == nil {
			s = &valSeq{}
			e.vseqs[string(key)] = s
		}
		s.remaining, s.block = n, block
	}
	s.v = next
	s.remaining--
	return next, nil
}

// SetSequenceValue implements Engine.
func (e *pebbleEngine) SetSequenceValue(key []byte, v int64, called bool) error {
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	if e.closed.Load() {
		return ErrClosed
	}
	delete(e.vseqs, string(key))
	if err := e.db.Set(key, EncodeSequenceState(v, called), pebble.Sync); err != nil {
		return fmt.Errorf("storage: sequence %x: set: %w", key, err)
	}
	return nil
}

// SequenceState implements Engine.
func (e *pebbleEngine) SequenceState(key []byte) (v int64, called, ok bool, err error) {
	e.seqMu.Lock()
	defer e.seqMu.Unlock()
	if e.closed.Load() {
		return 0, false, false, ErrClosed
	}
	if s := e.vseqs[string(key)]; s != nil {
		return s.v, true, true, nil
	}
	return e.readSequenceState(key)
}

func (e *pebbleEngine) readSequenceState(key []byte) (int64, bool, bool, error) {
	b, closer, err := e.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, false, nil
	}
	if err != nil {
		return 0, false, false, fmt.Errorf("storage: sequence %x: %w", key, err)
	}
	defer closer.Close()
	v, called, err := DecodeSequenceState(b)
	if err != nil {
		return 0, false, false, fmt.Errorf("storage: sequence %x: %w", key, err)
	}
	return v, called, true, nil
}

// flushSequenceStatesLocked writes back the exact state of every cached catalog
// sequence into b, so a clean restart continues without a gap.
// e.seqMu is held.
func (e *pebbleEngine) flushSequenceStatesLocked(b *pebble.Batch) error {
	for k, s := range e.vseqs {
		if s.remaining > 0 {
			if err := b.Set([]byte(k), EncodeSequenceState(s.v, true), nil); err != nil {
				return fmt.Errorf("storage: close: write back sequence %x: %w", k, err)
			}
		}
	}
	clear(e.vseqs)
	return nil
}

// SequenceBounds returns the default bounds of a sequence of a type of size
// bits (16, 32, 64), ascending or descending, as PostgreSQL's CREATE
// SEQUENCE chooses them.
func SequenceBounds(bits int, ascending bool) (lo, hi int64) {
	hi = math.MaxInt64
	switch bits {
	case 16:
		hi = math.MaxInt16
	case 32:
		hi = math.MaxInt32
	}
	if ascending {
		return 1, hi
	}
	return -hi - 1, -1
}
