package ivfpq

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
// change only under a new version.
//
//	magic   [8]byte "VGIVFPQ_"
//	version uint32; dims uint32; metric uint8; lists uint32; m uint32;
//	nbits uint8; seed uint64; trained uint8; buildNs int64
//	when trained: centroids [lists*dims]float32, codebooks [2^nbits*dims]float32
//	lists+2 times (trained lists, pending, cosine zero):
//	  count uint64, ids [count]uint64,
//	  codes [count*m]uint8 and, for L2, extra [count]float32 (trained lists only),
//	  raw [count*dims]float32
var magic = [8]byte{'V', 'G', 'I', 'V', 'F', 'P', 'Q', '_'}

type header struct {
	Magic   [8]byte
	Version uint32
	Dims    uint32
	Metric  uint8
	Lists   uint32
	M       uint32
	NBits   uint8
	Seed    uint64
	Trained uint8
	BuildNs int64
}

// Save writes the index to w under the read lock (searches proceed,
// writers wait). Errors are w's, wrapped.
func (ix *Index) Save(w io.Writer) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bw := bufio.NewWriterSize(w, 1<<16)
	h := header{Magic: magic, Version: FormatVersion, Dims: uint32(ix.dims), Metric: uint8(ix.sp.Metric),
		Lists: uint32(ix.lists), M: uint32(ix.m), NBits: uint8(ix.nbits), Seed: ix.seed, BuildNs: int64(ix.buildTime)}
	if ix.trained {
		h.Trained = 1
	}
	parts := []any{h}
	if ix.trained {
		parts = append(parts, ix.centroids, ix.codebooks)
	}
	for i := range ix.l {
		l := &ix.l[i]
		parts = append(parts, uint64(len(l.ids)), l.ids)
		if ix.codedList(i) {
			parts = append(parts, l.codes)
			if ix.sp.Metric == vindex.L2 {
				parts = append(parts, l.extra)
			}
		}
		parts = append(parts, l.raw)
	}
	for _, p := range parts {
		if err := binary.Write(bw, binary.LittleEndian, p); err != nil {
			return fmt.Errorf("ivf_pq: save: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ivf_pq: save: %w", err)
	}
	return nil
}

// codedList reports whether list i carries PQ codes.
func (ix *Index) codedList(i int) bool { return ix.trained && i < ix.lists }

// ErrFormat is wrapped by Load errors for input that is not a valid IVF_PQ
// file (bad magic, unknown version, truncated or inconsistent).
var ErrFormat = errors.New("ivf_pq: invalid index file")

// Load reads an index written by Save. Errors are *pgerr.Error with
// SQLSTATE XX001 wrapping ErrFormat.
func Load(r io.Reader) (*Index, error) {
	ix, err := load(bufio.NewReaderSize(r, 1<<16))
	if err != nil {
		return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "ivf_pq: load")
	}
	return ix, nil
}

func load(r io.Reader) (*Index, error) {
	var h header
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
	if h.Dims == 0 || h.Dims > 1<<20 || h.Lists < MinLists || h.Lists > MaxLists || !supported(m) ||
		h.M < 1 || h.M > h.Dims || h.NBits < MinNBits || h.NBits > MaxNBits || h.Trained > 1 {
		return nil, fmt.Errorf("%w: bad header %+v", ErrFormat, h)
	}
	ix := &Index{dims: int(h.Dims), sp: space.Space{Metric: m}, lists: int(h.Lists), m: int(h.M), nbits: int(h.NBits), seed: h.Seed}
	ix.init()
	ix.reset()
	ix.buildTime = time.Duration(h.BuildNs)
	var err error
	if h.Trained == 1 {
		ix.trained = true
		if ix.centroids, err = binread.Slice[float32](r, ix.lists*ix.dims); err != nil {
			return nil, fmt.Errorf("%w: centroids: %v", ErrFormat, err)
		}
		if ix.codebooks, err = binread.Slice[float32](r, ix.ksub*ix.dims); err != nil {
			return nil, fmt.Errorf("%w: codebooks: %v", ErrFormat, err)
		}
	}
	for i := range ix.l {
		if err := ix.loadList(r, i); err != nil {
			return nil, fmt.Errorf("%w: list %d: %v", ErrFormat, i, err)
		}
	}
	return ix, nil
}

func (ix *Index) loadList(r io.Reader, i int) error {
	var n uint64
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return err
	}
	if n > 1<<40/uint64(ix.dims) || (!ix.trained && i < ix.lists && n > 0) {
		return fmt.Errorf("implausible count %d", n)
	}
	l := &ix.l[i]
	var err error
	if l.ids, err = binread.Slice[uint64](r, int(n)); err != nil {
		return err
	}
	if ix.codedList(i) {
		if l.codes, err = binread.Slice[uint8](r, int(n)*ix.m); err != nil {
			return err
		}
		for _, c := range l.codes {
			if int(c) >= ix.ksub {
				return fmt.Errorf("code %d out of range for nbits %d", c, ix.nbits)
			}
		}
		if ix.sp.Metric == vindex.L2 {
			if l.extra, err = binread.Slice[float32](r, int(n)); err != nil {
				return err
			}
		}
	}
	if l.raw, err = binread.Slice[float32](r, int(n)*ix.dims); err != nil {
		return err
	}
	if !space.Finite(l.raw) {
		return errors.New("non-finite vector")
	}
	for j, id := range l.ids {
		if _, dup := ix.loc[id]; dup {
			return fmt.Errorf("id %d stored twice", id)
		}
		ix.loc[id] = uint64(i)<<32 | uint64(j)
	}
	return nil
}
