package annoy

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
//	header (see type header)
//	ids [slots]uint64, dead [slots]uint8, vecs [slots*dims]float32
//	zeros [nzeros]uint64
//	planes [nodes*dims]float32, offsets [nodes]float32, child [2*nodes]int32
//	leafStart [leaves+1]int32, leafItems [items]uint32, roots [trees]int32
var magic = [8]byte{'V', 'G', 'A', 'N', 'N', 'O', 'Y', '_'}

type header struct {
	Magic          [8]byte
	Version        uint32
	Dims           uint32
	Metric         uint8
	NTrees         uint32
	LeafSize       uint32
	BuildThreshold uint32
	Seed           uint64
	Builds         uint64
	BuildNs        int64
	Slots          uint64
	Zeros          uint64
	Built          uint64
	Nodes          uint64
	Leaves         uint64
	Items          uint64
	Roots          uint64
}

// Save writes the index to w under the read lock (searches proceed,
// writers wait). Errors are w's, wrapped.
func (ix *Index) Save(w io.Writer) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	f := &ix.f
	h := header{Magic: magic, Version: FormatVersion, Dims: uint32(ix.dims), Metric: uint8(ix.sp.Metric),
		NTrees: uint32(ix.nTrees), LeafSize: uint32(ix.leafSize), BuildThreshold: uint32(ix.buildThreshold),
		Seed: ix.seed, Builds: uint64(ix.builds), BuildNs: int64(ix.buildTime),
		Slots: uint64(len(ix.ids)), Zeros: uint64(len(ix.zeros)), Built: uint64(f.built),
		Nodes: uint64(len(f.offsets)), Items: uint64(len(f.leafItems)), Roots: uint64(len(f.roots))}
	if len(f.leafStart) > 0 {
		h.Leaves = uint64(len(f.leafStart) - 1)
	}
	dead := make([]uint8, len(ix.dead))
	for i, d := range ix.dead {
		if d {
			dead[i] = 1
		}
	}
	zeros := make([]uint64, 0, len(ix.zeros))
	for id := range ix.zeros {
		zeros = append(zeros, id)
	}
	leafStart := f.leafStart
	if len(leafStart) == 0 {
		leafStart = []int32{0}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	for _, p := range []any{h, ix.ids, dead, ix.vecs, zeros, f.planes, f.offsets, f.child, leafStart, f.leafItems, f.roots} {
		if err := binary.Write(bw, binary.LittleEndian, p); err != nil {
			return fmt.Errorf("annoy: save: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("annoy: save: %w", err)
	}
	return nil
}

// ErrFormat is wrapped by Load errors for input that is not a valid ANNOY
// file (bad magic, unknown version, truncated or inconsistent).
var ErrFormat = errors.New("annoy: invalid index file")

// Load reads an index written by Save. Errors are *pgerr.Error with
// SQLSTATE XX001 wrapping ErrFormat. Every node and leaf reference is
// checked, so a corrupt file fails here rather than in Search.
func Load(r io.Reader) (*Index, error) {
	ix, err := load(bufio.NewReaderSize(r, 1<<16))
	if err != nil {
		return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "annoy: load")
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
	const lim = 1 << 34
	if h.Dims == 0 || h.Dims > 1<<20 || !m.Valid() || h.NTrees < MinNTrees || h.NTrees > MaxNTrees ||
		h.LeafSize < 2 || h.BuildThreshold < 1 || h.Slots > lim || h.Zeros > lim || h.Built > h.Slots ||
		h.Nodes > lim || h.Leaves > lim || h.Items > lim || h.Roots > MaxNTrees {
		return nil, fmt.Errorf("%w: bad header %+v", ErrFormat, h)
	}
	ix := &Index{dims: int(h.Dims), sp: space.Space{Metric: m}, nTrees: int(h.NTrees), leafSize: int(h.LeafSize),
		buildThreshold: int(h.BuildThreshold), seed: h.Seed, builds: int(h.Builds), buildTime: time.Duration(h.BuildNs),
		loc: map[uint64]uint32{}, zeros: map[uint64]struct{}{}}
	var err error
	var dead []uint8
	var zeros []uint64
	f := &ix.f
	f.built = int(h.Built)
	steps := []func() error{
		func() (e error) { ix.ids, e = binread.Slice[uint64](r, int(h.Slots)); return },
		func() (e error) { dead, e = binread.Slice[uint8](r, int(h.Slots)); return },
		func() (e error) { ix.vecs, e = binread.Slice[float32](r, int(h.Slots)*ix.dims); return },
		func() (e error) { zeros, e = binread.Slice[uint64](r, int(h.Zeros)); return },
		func() (e error) { f.planes, e = binread.Slice[float32](r, int(h.Nodes)*ix.dims); return },
		func() (e error) { f.offsets, e = binread.Slice[float32](r, int(h.Nodes)); return },
		func() (e error) { f.child, e = binread.Slice[int32](r, 2*int(h.Nodes)); return },
		func() (e error) { f.leafStart, e = binread.Slice[int32](r, int(h.Leaves)+1); return },
		func() (e error) { f.leafItems, e = binread.Slice[uint32](r, int(h.Items)); return },
		func() (e error) { f.roots, e = binread.Slice[int32](r, int(h.Roots)); return },
	}
	for _, step := range steps {
		if err = step(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
	}
	if err := ix.restore(dead, zeros); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return ix, nil
}

// restore rebuilds the id maps and validates every reference.
func (ix *Index) restore(dead []uint8, zeros []uint64) error {
	if !space.Finite(ix.vecs) {
		return errors.New("non-finite vector")
	}
	ix.dead = make([]bool, len(dead))
	for s, d := range dead {
		if d > 1 {
			return fmt.Errorf("bad tombstone flag %d", d)
		}
		if d == 1 {
			ix.dead[s] = true
			ix.ndead++
			continue
		}
		if _, dup := ix.loc[ix.ids[s]]; dup {
			return fmt.Errorf("id %d stored twice", ix.ids[s])
		}
		ix.loc[ix.ids[s]] = uint32(s)
	}
	for _, id := range zeros {
		ix.zeros[id] = struct{}{}
	}
	f := &ix.f
	nodes, leaves := int32(len(f.offsets)), int32(len(f.leafStart)-1)
	validRef := func(c int32) bool { return (c >= 0 && c < nodes) || (c < 0 && -c-1 < leaves) }
	for _, c := range f.child {
		if !validRef(c) {
			return fmt.Errorf("child reference %d out of range", c)
		}
	}
	for _, c := range f.roots {
		if !validRef(c) {
			return fmt.Errorf("root reference %d out of range", c)
		}
	}
	for l := int32(0); l < leaves; l++ {
		if f.leafStart[l] < 0 || f.leafStart[l] > f.leafStart[l+1] {
			return fmt.Errorf("leaf %d bounds out of order", l)
		}
	}
	if int(f.leafStart[leaves]) != len(f.leafItems) {
		return errors.New("leaf bounds do not cover the items")
	}
	for _, s := range f.leafItems {
		if int(s) >= f.built {
			return fmt.Errorf("leaf slot %d beyond the %d built", s, f.built)
		}
	}
	// NB: the lift's M is not stored: the built slots (tombstones
	// included) are the ones the build measured, so it is recomputed.
	f.liftNorm = ix.liftNorm(f.built)
	return nil
}
