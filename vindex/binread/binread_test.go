package binread

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"testing"
)

func TestSlice(t *testing.T) {
	want := make([]uint32, chunk+5) // crosses a chunk boundary
	for i := range want {
		want[i] = uint32(i * 7)
	}
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, want)
	raw := buf.Bytes()
	got, err := Slice[uint32](bytes.NewReader(raw), len(want))
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("Slice = %d values, %v", len(got), err)
	}
	if got, err := Slice[float32](bytes.NewReader(nil), 0); err != nil || len(got) != 0 {
		t.Fatalf("Slice(0) = %v, %v", got, err)
	}
	// A corrupt count larger than the data fails at EOF.
	if _, err := Slice[uint64](bytes.NewReader(raw), 1<<40); !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		t.Fatalf("huge count: err %v, want EOF", err)
	}
}
