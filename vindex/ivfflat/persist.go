package ivfflat

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/binread"
	"github.com/vecgres/vecgres/vindex/space"
)

// File layout (little-endian), FormatVersion 1. Part of the file format:
// append fields only under a new version.
//
//	magic    [8]byte "VGIVFFLT"
//	version  uint32
//	dims     uint32
//	metric   uint8
//	lists    uint32
//	seed     uint64
//	trained  uint8
//	buildNs  int64
//	centroids [lists*dims]float32          (only when trained = 1)
//	lists+2 times: count uint64, ids [count]uint64, vecs [count*dims]float32
//	  (trained lists, then the pending list, then the cosine zero list)
var magic = [8]byte{'V', 'G', 'I', 'V', 'F', 'F', 'L', 'T'}

// Save writes the index to w. It holds the read lock, so searches proceed
// and writers wait. Errors are w's, wrapped.
func (ix *Index) Save(w io.Writer) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bw := bufio.NewWriterSize(w, 1<<16)
	trained := uint8(0)
	if ix.trained {
		trained = 1
	}
	hdr := []any{magic, uint32(FormatVersion), uint32(ix.dims), uint8(ix.sp.Metric), uint32(ix.lists),
		ix.seed, trained, int64(ix.buildTime)}
	for _, v := range hdr {
		if err := binary.Write(bw, binary.LittleEndian, v); err != nil {
			return fmt.Errorf("ivfflat: save header: %w", err)
		}
	}
	if ix.trained {
		if err := binary.Write(bw, binary.LittleEndian, ix.centroids); err != nil {
			return fmt.Errorf("ivfflat: save centroids: %w", err)
		}
	}
	for i := range ix.l {
		l := &ix.l[i]
		for _, v := range []any{uint64(len(l.ids)), l.ids, l.vecs} {
			if err := binary.Write(bw, binary.LittleEndian, v); err != nil {
				return fmt.Errorf("ivfflat: save list %d: %w", i, err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ivfflat: save: %w", err)
	}
	return nil
}

// ErrFormat is wrapped by Load errors for input that is not a valid
// IVF_FLAT file (bad magic, unknown version, truncated or inconsistent).
var ErrFormat = errors.New("ivfflat: invalid index file")

// Load reads an index written by Save. Errors are *pgerr.Error with
// SQLSTATE XX001 (data corrupted) wrapping ErrFormat or the reader's error.
// The returned index is independent of r.
func Load(r io.Reader) (*Index, error) {
	ix, err := load(bufio.NewReaderSize(r, 1<<16))
	if err != nil {
		return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "ivfflat: load")
	}
	return ix, nil
}

func load(r io.Reader) (*Index, error) {
	var h struct {
		Magic   [8]byte
		Version uint32
		Dims    uint32
		Metric  uint8
		Lists   uint32
		Seed    uint64
		Trained uint8
		BuildNs int64
	}
	if err := binary.Read(r, binary.LittleEndian, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	if h.Magic != magic {
		return nil, fmt.Errorf("%w: bad magic %q", ErrFormat, h.Magic[:])
	}
	if h.Version != FormatVersion {
		return nil, fmt.Errorf("%w: format version %d, this build reads %d", ErrFormat, h.Version, FormatVersion)
	}
	m := vindex.Metric(h.Metric)
	if h.Dims == 0 || h.Dims > 1<<20 || h.Lists < MinLists || h.Lists > MaxLists || !m.Valid() || h.Trained > 1 {
		return nil, fmt.Errorf("%w: bad header %+v", ErrFormat, h)
	}
	ix := &Index{dims: int(h.Dims), sp: space.Space{Metric: m}, lists: int(h.Lists), seed: h.Seed}
	ix.reset()
	ix.buildTime = time.Duration(h.BuildNs)
	if h.Trained == 1 {
		c, err := binread.Slice[float32](r, ix.lists*ix.dims)
		if err != nil {
			return nil, fmt.Errorf("%w: centroids: %v", ErrFormat, err)
		}
		ix.centroids, ix.trained = c, true
	}
	for i := range ix.l {
		var n uint64
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("%w: list %d: %v", ErrFormat, i, err)
		}
		if n > 1<<40/uint64(ix.dims) {
			return nil, fmt.Errorf("%w: list %d claims %d vectors", ErrFormat, i, n)
		}
		ids, err := binread.Slice[uint64](r, int(n))
		if err != nil {
			return nil, fmt.Errorf("%w: list %d ids: %v", ErrFormat, i, err)
		}
		vecs, err := binread.Slice[float32](r, int(n)*ix.dims)
		if err != nil {
			return nil, fmt.Errorf("%w: list %d vectors: %v", ErrFormat, i, err)
		}
		if (i < ix.lists && !ix.trained && n > 0) || !space.Finite(vecs) {
			return nil, fmt.Errorf("%w: list %d content inconsistent", ErrFormat, i)
		}
		ix.l[i] = list{ids: ids, vecs: vecs}
		for j, id := range ids {
			if _, dup := ix.loc[id]; dup {
				return nil, fmt.Errorf("%w: id %d stored twice", ErrFormat, id)
			}
			ix.loc[id] = uint64(i)<<32 | uint64(j)
		}
	}
	return ix, nil
}
