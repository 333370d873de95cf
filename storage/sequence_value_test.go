package storage

import (
	"errors"
	"testing"
)

// TestNextSequenceValue steps sequences with bounds, negative increments,
// CYCLE and setval, and checks the state survives a clean reopen.
func TestNextSequenceValue(t *testing.T) {
	dir := t.TempDir()
	e, err := OpenPebble(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	step := func(key []byte, o SequenceOptions, want ...int64) {
		t.Helper()
		for _, w := range want {
			v, err := e.NextSequenceValue(key, o)
			if err != nil || v != w {
				t.Fatalf("NextSequenceValue = %d, %v; want %d", v, err, w)
			}
		}
	}
	up := SequenceOptions{Start: 5, Increment: 3, Min: 1, Max: 12}
	step(SequenceValueKey(1), up, 5, 8, 11)
	if _, err := e.NextSequenceValue(SequenceValueKey(1), up); !errors.Is(err, ErrSequenceLimit) {
		t.Fatalf("past MAXVALUE: err = %v, want ErrSequenceLimit", err)
	}
	down := SequenceOptions{Start: 2, Increment: -1, Min: 1, Max: 3, Cycle: true}
	step(SequenceValueKey(2), down, 2, 1, 3, 2)
	if err := e.SetSequenceValue(SequenceValueKey(1), 2, false); err != nil {
		t.Fatal(err)
	}
	step(SequenceValueKey(1), up, 2, 5)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if e, err = OpenPebble(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	step(SequenceValueKey(1), up, 8)
	step(SequenceValueKey(2), down, 1, 3)
	if v, called, ok, err := e.SequenceState(SequenceValueKey(2)); err != nil || !ok || !called || v != 3 {
		t.Fatalf("SequenceState = %d, %v, %v, %v", v, called, ok, err)
	}
}
