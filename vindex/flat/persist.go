package flat

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/vecgres/vecgres/vindex"
)

// File format (little-endian), version 1:
//
//	magic   [8]byte "VGFLAT\x00\x00"
//	version uint32  = 1
//	metric  uint8   (vindex.Metric)
//	dims    uint32
//	count   uint64
//	ids     count × uint64
//	vectors count × dims × float32
//
// These constants are part of the file format and must not change; a new
// layout gets a new version and Load keeps reading the old ones.
const (
	magic         = "VGFLAT\x00\x00"
	formatVersion = 1
	// maxDims bounds dims in a file so a corrupt header cannot request a huge allocation.
	maxDims = 1 << 16
)

// ErrFormat is wrapped by Load errors for input that is not a flat index
// file or is corrupt or truncated.
var ErrFormat = errors.New("not a valid flat index file")

// Save writes the index to w in the format above. It holds the read lock
// while writing, so concurrent Searches proceed and Adds wait.
func (x *Index) Save(w io.Writer) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	bw := bufio.NewWriterSize(w, 1<<16)
	var hdr [8 + 4 + 1 + 4 + 8]byte
	copy(hdr[:8], magic)
	binary.LittleEndian.PutUint32(hdr[8:], formatVersion)
	hdr[12] = byte(x.metric)
	binary.LittleEndian.PutUint32(hdr[13:], uint32(x.dims))
	binary.LittleEndian.PutUint64(hdr[17:], uint64(len(x.ids)))
	bw.Write(hdr[:])
	var buf [8]byte
	for _, id := range x.ids {
		binary.LittleEndian.PutUint64(buf[:], id)
		bw.Write(buf[:])
	}
	for _, v := range x.data {
		binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(v))
		bw.Write(buf[:4])
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flat: save: %w", err)
	}
	return nil
}

// Load reads an index written by Save. Errors wrap ErrFormat for a bad
// magic, unknown version, invalid header, a NaN or infinite value or
// truncated data, and carry the reader's error otherwise. The uint8 copy
// of the quantized scans is not stored: the first search that uses it
// rebuilds it.
func Load(r io.Reader) (*Index, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var hdr [25]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, fmt.Errorf("flat: load header: %w (%w)", ErrFormat, err)
	}
	if string(hdr[:8]) != magic {
		return nil, fmt.Errorf("flat: load: %w: bad magic", ErrFormat)
	}
	if v := binary.LittleEndian.Uint32(hdr[8:]); v != formatVersion {
		return nil, fmt.Errorf("flat: load: %w: format version %d, this build reads %d", ErrFormat, v, formatVersion)
	}
	metric := vindex.Metric(hdr[12])
	dims := int(binary.LittleEndian.Uint32(hdr[13:]))
	count := binary.LittleEndian.Uint64(hdr[17:])
	if !metric.Valid() || dims <= 0 || dims > maxDims || count > math.MaxUint32 {
		return nil, fmt.Errorf("flat: load: %w: metric %d, dims %d, count %d", ErrFormat, metric, dims, count)
	}
	x := New(dims, metric)
	n := int(count)
	// NB: grow with the data actually read, so a corrupt count cannot make
	// us allocate gigabytes before hitting EOF.
	ids := make([]uint64, 0, min(n, 1<<16))
	var buf [8]byte
	for range n {
		if _, err := io.ReadFull(br, buf[:]); err != nil {
			return nil, fmt.Errorf("flat: load ids: %w (%w)", ErrFormat, err)
		}
		ids = append(ids, binary.LittleEndian.Uint64(buf[:]))
	}
	data := make([]float32, 0, min(n*dims, 1<<20))
	for range n * dims {
		if _, err := io.ReadFull(br, buf[:4]); err != nil {
			return nil, fmt.Errorf("flat: load vectors: %w (%w)", ErrFormat, err)
		}
		v := math.Float32frombits(binary.LittleEndian.Uint32(buf[:4]))
		// NB: Add never stores NaN or ±Inf, and the quantized scan's bounds
		// rely on it, so a file holding one is corrupt.
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("flat: load vectors: %w: NaN or infinite value at vector %d", ErrFormat, len(data)/dims)
		}
		data = append(data, v)
	}
	for i, id := range ids {
		if _, dup := x.slots[id]; dup {
			return nil, fmt.Errorf("flat: load: %w: id %d stored twice", ErrFormat, id)
		}
		x.slots[id] = uint32(i)
	}
	x.ids, x.data = ids, data
	if metric == vindex.Cosine {
		x.norms = make([]float32, n)
		for i := range n {
			v := data[i*dims : (i+1)*dims]
			x.norms[i] = dotSelf(v)
		}
	}
	return x, nil
}

// LoadIndex is Load as a vindex.Loader, for Registry.Register.
func LoadIndex(r io.Reader) (vindex.Index, error) {
	x, err := Load(r)
	if err != nil {
		return nil, err
	}
	return x, nil
}
