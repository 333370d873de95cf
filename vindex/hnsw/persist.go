package hnsw

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/vecgres/vecgres/vindex"
)

// File format (little endian). These constants are part of the format:
// never change them; add a new version instead.
//
//	magic   [8]byte "VGHNSW\x00\x00"
//	version uint32  (formatVersion)
//	dims u32, metric u8, m u32, ef_construction u32, seed u64,
//	repair_fraction f64 (bits), nslots u32, entry u64 (level<<32|slot or ^0),
//	norm_bound f64 (bits; version ≥ 2: M of mips.go, 0 for other metrics)
//	per slot: id u64, flags u8, level u8, vector stride×f32,
//	          then for each level 0..level: count u32, count×u32 slots
//
// stride is dims, or dims+1 for inner product in version 2 (the
// augmentation coordinate, stored so a loaded index is bit-identical).
// Free slots (flags = flagFree) carry no vector or links. Vectors are
// stored in the index's form (unit length for cosine).
//
// Versions:
//
//	1  no norm_bound; inner-product vectors stored without augmentation.
//	   Still read: Load augments them (augmentAll derives M from the
//	   stored vectors) and keeps the graph, which was built on plain -dot.
//	2  norm_bound added; inner-product vectors stored augmented.
const (
	formatMagic   = "VGHNSW\x00\x00"
	formatVersion = 2
	// formatV1 is the oldest version Load still reads.
	formatV1 = 1
)

// ErrCorrupt is returned (wrapped) by Load for input that is not a valid
// index file of a version this code reads.
var ErrCorrupt = errors.New("hnsw: corrupt or unsupported index file")

// Save writes the index to w in the format above (buffered; the caller
// closes w). It waits for running Add/Delete calls and blocks new ones
// while it runs; searches continue. Errors are w's.
func (ix *Index) Save(w io.Writer) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	bw := bufio.NewWriterSize(w, 1<<16)
	b := make([]byte, 0, 64+ix.stride*4+(ix.m0+1)*4)
	b = append(b, formatMagic...)
	b = binary.LittleEndian.AppendUint32(b, formatVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(ix.dims))
	b = append(b, byte(ix.metric))
	b = binary.LittleEndian.AppendUint32(b, uint32(ix.m))
	b = binary.LittleEndian.AppendUint32(b, uint32(ix.efc))
	b = binary.LittleEndian.AppendUint64(b, ix.seed)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ix.RepairFraction))
	b = binary.LittleEndian.AppendUint32(b, uint32(ix.nslots))
	b = binary.LittleEndian.AppendUint64(b, ix.entry.Load())
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ix.normBound))
	if _, err := bw.Write(b); err != nil {
		return fmt.Errorf("hnsw: save: %w", err)
	}
	for si := 0; si < ix.nslots; si++ {
		s := uint32(si)
		b = b[:0]
		b = binary.LittleEndian.AppendUint64(b, ix.ids[s])
		b = append(b, ix.flags[s], ix.levels[s])
		if ix.flags[s]&flagFree == 0 {
			for _, v := range ix.vec(s) {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
			for l := 0; l <= int(ix.levels[s]); l++ {
				nl := ix.links(s, l)
				cnt := int(nl[0])
				for _, x := range nl[:cnt+1] {
					b = binary.LittleEndian.AppendUint32(b, x)
				}
			}
		}
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("hnsw: save: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("hnsw: save: %w", err)
	}
	return nil
}

// Load reads an index written by Save, in format version 2 or 1. The
// loaded index answers every search exactly as the saved one did (a
// version-1 inner-product image too: it is augmented on load, which
// changes no search result; see the version list above). Levels drawn for vectors added
// after Load come from a fresh generator (seed mixed with the slot
// count), so a loaded index grows differently from one never saved.
// Errors: wrapped ErrCorrupt for bad or truncated input (with the
// offending field), or r's error.
func Load(r io.Reader) (*Index, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	hdr := make([]byte, 8+4+4+1+4+4+8+8+4+8)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if string(hdr[:8]) != formatMagic {
		return nil, fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	le := binary.LittleEndian
	version := le.Uint32(hdr[8:])
	if version != formatV1 && version != formatVersion {
		return nil, fmt.Errorf("%w: format version %d, this build reads %d to %d", ErrCorrupt, version, formatV1, formatVersion)
	}
	dims := int(le.Uint32(hdr[12:]))
	metric := vindex.Metric(hdr[16])
	m := int(le.Uint32(hdr[17:]))
	efc := int(le.Uint32(hdr[21:]))
	seed := le.Uint64(hdr[25:])
	rf := math.Float64frombits(le.Uint64(hdr[33:]))
	nslots := int(le.Uint32(hdr[41:]))
	entry := le.Uint64(hdr[45:])
	if dims <= 0 || dims > 1<<20 || m < MinM || m > MaxM || efc < 1 {
		return nil, fmt.Errorf("%w: header fields dims=%d m=%d ef_construction=%d", ErrCorrupt, dims, m, efc)
	}
	ix, err := New(dims, metric, map[string]string{"m": fmt.Sprint(m), "ef_construction": fmt.Sprint(2 * m)})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	ix.efc, ix.seed, ix.RepairFraction = efc, seed, rf
	ix.rng = rand.New(rand.NewPCG(seed, uint64(nslots)))
	stored := ix.dims // floats per stored vector in the file
	if version >= 2 {
		if _, err := io.ReadFull(br, hdr[:8]); err != nil {
			return nil, fmt.Errorf("%w: header norm bound: %v", ErrCorrupt, err)
		}
		ix.normBound = math.Float64frombits(le.Uint64(hdr))
		if !(ix.normBound >= 0) || math.IsInf(ix.normBound, 0) || (!ix.augmented() && ix.normBound != 0) {
			return nil, fmt.Errorf("%w: norm bound %v", ErrCorrupt, ix.normBound)
		}
		stored = ix.stride
	}
	ix.nslots = nslots
	if err := ix.loadSlots(br, stored); err != nil {
		return nil, err
	}
	if version == formatV1 {
		ix.augmentAll()
	}
	if err := ix.checkLinks(); err != nil {
		return nil, err
	}
	if ix.quantize {
		ix.deriveQuant() // NB: codes are not in the file (quant.go)
	}
	if entry != noEntry {
		ep, lv := unpackEntry(entry)
		if int(ep) >= nslots || ix.flags[ep]&flagFree != 0 || lv != int(ix.levels[ep]) {
			return nil, fmt.Errorf("%w: entry point %d/%d", ErrCorrupt, ep, lv)
		}
	}
	ix.entry.Store(entry)
	return ix, nil
}

// loadSlots reads the per-slot records into a fresh index; each vector
// is stored floats long (dims in version 1, stride since version 2).
func (ix *Index) loadSlots(br *bufio.Reader, stored int) error {
	le := binary.LittleEndian
	buf := make([]byte, max(stored, ix.m0+1)*4)
	for si := 0; si < ix.nslots; si++ {
		s := uint32(si)
		if si == len(ix.levels) {
			// NB: grown by doubling as slots arrive, not to the header's
			// count up front, so a corrupt count (or dims) fails at end
			// of input after allocating about twice what the input held,
			// not gigabytes; capped at the count so a loaded index holds
			// no spare capacity.
			ix.resize(min(ix.nslots, max(2*si, 1)))
		}
		if _, err := io.ReadFull(br, buf[:10]); err != nil {
			return fmt.Errorf("%w: slot %d: %v", ErrCorrupt, s, err)
		}
		id, flags, level := le.Uint64(buf), buf[8], buf[9]
		if flags&^(flagDead|flagFree|flagZero) != 0 || level > maxLevel {
			return fmt.Errorf("%w: slot %d flags %d level %d", ErrCorrupt, s, flags, level)
		}
		ix.flags[s], ix.levels[s] = flags, level
		if flags&flagFree != 0 {
			ix.free = append(ix.free, s)
			continue
		}
		ix.ids[s] = id
		if flags&flagDead != 0 {
			ix.dead++
		} else {
			if _, dup := ix.idSlot[id]; dup {
				return fmt.Errorf("%w: id %d stored twice", ErrCorrupt, id)
			}
			ix.idSlot[id] = s
			ix.live++
		}
		if _, err := io.ReadFull(br, buf[:stored*4]); err != nil {
			return fmt.Errorf("%w: slot %d vector: %v", ErrCorrupt, s, err)
		}
		v := ix.vec(s)[:stored]
		for i := range v {
			v[i] = math.Float32frombits(le.Uint32(buf[i*4:]))
			if math.IsNaN(float64(v[i])) || math.IsInf(float64(v[i]), 0) {
				return fmt.Errorf("%w: slot %d vector element %d is %v", ErrCorrupt, s, i, v[i])
			}
		}
		if stored > ix.dims && v[ix.dims] < 0 {
			return fmt.Errorf("%w: slot %d augmentation %v", ErrCorrupt, s, v[ix.dims])
		}
		if level > 0 {
			ix.upper[s] = make([]uint32, int(level)*(ix.m+1))
		}
		for l := 0; l <= int(level); l++ {
			if err := ix.loadList(br, buf, s, l); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ix *Index) loadList(br *bufio.Reader, buf []byte, s uint32, l int) error {
	le := binary.LittleEndian
	nl := ix.links(s, l)
	if _, err := io.ReadFull(br, buf[:4]); err != nil {
		return fmt.Errorf("%w: slot %d level %d: %v", ErrCorrupt, s, l, err)
	}
	cnt := int(le.Uint32(buf))
	if cnt > len(nl)-1 {
		return fmt.Errorf("%w: slot %d level %d has %d links", ErrCorrupt, s, l, cnt)
	}
	if _, err := io.ReadFull(br, buf[:cnt*4]); err != nil {
		return fmt.Errorf("%w: slot %d level %d links: %v", ErrCorrupt, s, l, err)
	}
	nl[0] = uint32(cnt)
	for i := 0; i < cnt; i++ {
		x := le.Uint32(buf[i*4:])
		if int(x) >= ix.nslots {
			return fmt.Errorf("%w: slot %d links to slot %d of %d", ErrCorrupt, s, x, ix.nslots)
		}
		nl[i+1] = x
	}
	return nil
}

// checkLinks verifies that every stored link points at a stored (not
// free) slot that has the link's level, so a corrupt file cannot make a
// search index out of range.
func (ix *Index) checkLinks() error {
	for si := 0; si < ix.nslots; si++ {
		s := uint32(si)
		if ix.flags[s]&flagFree != 0 {
			continue
		}
		for l := 0; l <= int(ix.levels[s]); l++ {
			nl := ix.links(s, l)
			for _, x := range nl[1 : nl[0]+1] {
				if ix.flags[x]&flagFree != 0 || int(ix.levels[x]) < l {
					return fmt.Errorf("%w: slot %d level %d links to slot %d (free or level %d)",
						ErrCorrupt, s, l, x, ix.levels[x])
				}
			}
		}
	}
	return nil
}
