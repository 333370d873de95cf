// Package binread reads little-endian arrays whose length comes from an
// untrusted file header (the index files of vindex/annoy, vindex/ivfflat and
// vindex/ivfpq). NB: it grows the result in bounded chunks, so a corrupt
// count fails at EOF after reading what the file holds, instead of
// allocating terabytes first.
package binread

import (
	"encoding/binary"
	"io"
)

// chunk bounds each allocation (values, not bytes).
const chunk = 1 << 16

// Slice reads n little-endian values of type T from r. It returns r's
// error (io.ErrUnexpectedEOF or io.EOF for a short file) and no slice when
// fewer than n values can be read. The result is owned by the caller.
func Slice[T float32 | uint64 | uint8 | int32 | uint32](r io.Reader, n int) ([]T, error) {
	out := make([]T, 0, min(n, chunk))
	for len(out) < n {
		c := min(n-len(out), chunk)
		out = append(out, make([]T, c)...)
		if err := binary.Read(r, binary.LittleEndian, out[len(out)-c:]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
