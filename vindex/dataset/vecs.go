package dataset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
)

// ErrFormat is wrapped by errors for input that is not well-formed fvecs or ivecs.
var ErrFormat = errors.New("malformed fvecs/ivecs data")

// maxDims bounds a record's dimension so a corrupt header is caught early.
const maxDims = 1 << 20

// LoadFvecs reads an fvecs file: n vectors of dims float32s, returned flat
// (vector i at data[i*dims:]). The caller owns data.
func LoadFvecs(path string) (data []float32, n, dims int, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, 0, err
	}
	data, n, dims, err = ParseFvecs(raw)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	return data, n, dims, nil
}

// LoadIvecs reads an ivecs file: n records of dims int32s, returned flat.
func LoadIvecs(path string) (data []int32, n, dims int, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, 0, err
	}
	data, n, dims, err = ParseIvecs(raw)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	return data, n, dims, nil
}

// ParseFvecs decodes fvecs bytes. It returns an error wrapping ErrFormat for
// a non-positive or oversized dimension, records of differing dimension, a
// truncated record, or NaN/Inf values. Empty input gives n = 0, dims = 0.
func ParseFvecs(raw []byte) (data []float32, n, dims int, err error) {
	words, n, dims, err := parseRecords(raw)
	if err != nil {
		return nil, 0, 0, err
	}
	data = make([]float32, len(words))
	for i, w := range words {
		f := math.Float32frombits(w)
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return nil, 0, 0, fmt.Errorf("%w: vector %d has a NaN or infinite value", ErrFormat, i/dims)
		}
		data[i] = f
	}
	return data, n, dims, nil
}

// ParseIvecs decodes ivecs bytes, with the same checks as ParseFvecs except
// for NaN.
func ParseIvecs(raw []byte) (data []int32, n, dims int, err error) {
	words, n, dims, err := parseRecords(raw)
	if err != nil {
		return nil, 0, 0, err
	}
	data = make([]int32, len(words))
	for i, w := range words {
		data[i] = int32(w)
	}
	return data, n, dims, nil
}

// parseRecords splits raw into records and returns their payload words.
func parseRecords(raw []byte) (words []uint32, n, dims int, err error) {
	if len(raw) == 0 {
		return nil, 0, 0, nil
	}
	if len(raw) < 4 {
		return nil, 0, 0, fmt.Errorf("%w: %d bytes, too short for a record header", ErrFormat, len(raw))
	}
	d := int32(binary.LittleEndian.Uint32(raw))
	if d <= 0 || d > maxDims {
		return nil, 0, 0, fmt.Errorf("%w: first record has dimension %d", ErrFormat, d)
	}
	dims = int(d)
	rec := 4 + 4*dims
	if len(raw)%rec != 0 {
		return nil, 0, 0, fmt.Errorf("%w: %d bytes is not a whole number of %d-dimension records (%d bytes each)", ErrFormat, len(raw), dims, rec)
	}
	n = len(raw) / rec
	words = make([]uint32, 0, n*dims)
	for i := range n {
		r := raw[i*rec : (i+1)*rec]
		if got := int32(binary.LittleEndian.Uint32(r)); int(got) != dims {
			return nil, 0, 0, fmt.Errorf("%w: record %d has dimension %d, the first has %d", ErrFormat, i, got, dims)
		}
		for j := range dims {
			words = append(words, binary.LittleEndian.Uint32(r[4+4*j:]))
		}
	}
	return words, n, dims, nil
}
