package hnsw

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Parameter limits and defaults, the same as pgvector's hnsw.h so that
// CREATE INDEX ... WITH (m = ...) accepts and rejects the same values.
const (
	DefaultM              = 16
	MinM                  = 2
	MaxM                  = 100
	DefaultEfConstruction = 64
	MinEfConstruction     = 4
	MaxEfConstruction     = 1000
	// DefaultEfSearch is used when SearchParams.EfSearch is 0 (pgvector's
	// hnsw.ef_search default).
	DefaultEfSearch = 40
	// DefaultRepairFraction: Delete repairs the graph once tombstones
	// exceed this fraction of the stored vectors.
	DefaultRepairFraction = 0.1
	// maxLevel caps the level drawn for a node (levels are stored as uint8).
	maxLevel = 30
)

// ParamError is returned by New for an invalid or unknown index option.
// Msg and Detail are worded as PostgreSQL/pgvector word them; the SQL layer
// reports it with SQLSTATE 22023 (invalid_parameter_value).
type ParamError struct {
	Option string
	Msg    string
	Detail string
}

func (e *ParamError) Error() string {
	if e.Detail != "" {
		return e.Msg + " (" + e.Detail + ")"
	}
	return e.Msg
}

// ErrDims is returned (wrapped) when a vector's length does not match the
// index's dimensions.
var ErrDims = errors.New("hnsw: vector dimensions do not match the index")

// ErrNonFinite is returned (wrapped) by Add for vectors holding NaN or Inf.
var ErrNonFinite = errors.New("hnsw: NaN or infinity in vector")

// Slot flags. A slot is live when its flags are 0.
const (
	flagDead = 1 << iota // tombstone: traversed, never returned
	flagFree             // repaired away; on the free list, unreachable
	flagZero             // cosine zero vector: stored, not linked, never returned
)

const noEntry = math.MaxUint64

// lockStripes is the number of mutexes serialising writers of neighbour
// lists (slot s uses nodeMu[s%lockStripes]).
const lockStripes = 1024

// Index is an HNSW graph index (Malkov & Yashunin, "Efficient and robust
// approximate nearest neighbor search using Hierarchical Navigable Small
// World graphs", 2016/2018). It implements vindex.Index.
//
// Concurrency: any number of Search/Iterator calls run concurrently with
// each other and with Add; Add, Delete, Repair and Save are serialised
// among themselves. Add parallelises its own work over all cores.
// Delete, Repair and the reservation phase of Add briefly exclude searches.
type Index struct {
	dims int // the user's dimensions (Dims)
	// stride is the float32s stored per slot: dims, or dims+1 for inner
	// product, whose last coordinate is the MIPS augmentation (mips.go).
	stride int
	metric vindex.Metric
	m, m0  int // max links per node on levels >= 1, and on level 0 (2*m)
	efc    int
	seed   uint64
	ml     float64 // level multiplier 1/ln(m)
	// dist is the ranking distance (smaller is closer) over stride
	// floats: squared L2, L1, or -dot (inner product over augmented
	// vectors; cosine over normalised vectors). Set once in New so the
	// search loop makes one direct indirect call, no switch.
	dist func(a, b []float32) float32
	// gather computes dist from q to several slots at once (out[i] for
	// rows[i]); searchLayer ranks a node's unvisited neighbours with one
	// call. NB: the AVX-512 gather kernel prefetches the rows ahead, which
	// hides most of the cache misses of scattered neighbours.
	gather func(q, data []float32, dims int, rows []uint32, out []float32)

	// RepairFraction triggers Repair from Delete when tombstones exceed
	// this fraction of stored vectors (0 disables automatic repair). Set it
	// before sharing the index.
	RepairFraction float64
	// Progress, when set, receives bulk build progress ("hnsw build",
	// done, total). Set it before calling Add; it may be called from
	// several goroutines, never concurrently.
	Progress vindex.Progress

	// writeMu serialises Add, Delete, Repair, Save.
	writeMu sync.Mutex
	// mu guards the slices below against reallocation and slot reuse:
	// searches hold it shared; growth, Delete and Repair hold it exclusive.
	mu sync.RWMutex

	vecs   []float32  // slot-major vectors, stride per slot (normalised for cosine, augmented for ip)
	links0 []uint32   // level 0: per slot [count, m0 neighbour slots]
	upper  [][]uint32 // levels 1..L: per slot, level l at (l-1)*(m+1): [count, m slots]
	levels []uint8
	ids    []uint64
	flags  []uint8
	nslots int // slots handed out (live, dead, zero or free)
	free   []uint32
	idSlot map[uint64]uint32
	live   int // slots with flags 0 or flagZero
	dead   int // tombstones awaiting repair
	// normBound is M of the MIPS augmentation (inner product only; 0 until
	// the first Add): at least the norm of every stored vector. Written
	// under writeMu and mu held exclusively, read under writeMu.
	normBound float64
	// Quantized traversal (quant.go). quantize is whether this index
	// keeps codes (L2 and cosine, unless turned off); quant is the
	// quantization (nil until derived); codes holds dims bytes per slot
	// and terms distance.U8L2RowTerm per slot, written with the slot's
	// vector (before it is linked); clamped counts slots encoded with a
	// clamped coordinate since the derivation. All guarded by mu like vecs.
	quantize bool
	quant    *u8Quant
	codes    []uint8
	terms    []uint32
	clamped  int
	// gen changes whenever slots are freed or reused (iterators check it).
	gen uint64

	// entry packs the entry point: level<<32 | slot, or noEntry. Read
	// atomically by searches; changed under epMu.
	entry atomic.Uint64
	epMu  sync.Mutex

	nodeMu [lockStripes]sync.Mutex

	rng       *rand.Rand // level draws; guarded by writeMu
	pool      sync.Pool  // *scratch
	buildNs   atomic.Int64
	distCount atomic.Int64
}

// New returns an empty index for vectors of dims dimensions. params holds
// the CREATE INDEX options as text: "m" (2..100, default 16),
// "ef_construction" (4..1000, default 64, at least 2*m) and "seed"
// (level draws; default 0). Unknown options and bad values return a
// *ParamError. Metrics: L2, InnerProduct, Cosine, L1, and Jaccard over
// 0/1 vectors (bit strings; distance.JaccardBinary).
func New(dims int, metric vindex.Metric, params map[string]string) (*Index, error) {
	if dims <= 0 {
		return nil, fmt.Errorf("hnsw: dimensions must be positive, got %d", dims)
	}
	m, efc, seed := DefaultM, DefaultEfConstruction, uint64(0)
	for k, v := range params {
		switch k {
		case "m":
			n, err := intOption(k, v, MinM, MaxM)
			if err != nil {
				return nil, err
			}
			m = n
		case "ef_construction":
			n, err := intOption(k, v, MinEfConstruction, MaxEfConstruction)
			if err != nil {
				return nil, err
			}
			efc = n
		case "seed":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return nil, &ParamError{Option: k, Msg: fmt.Sprintf("invalid value for integer option %q: %s", k, v)}
			}
			seed = n
		default:
			return nil, &ParamError{Option: k, Msg: fmt.Sprintf("unrecognized parameter %q", k)}
		}
	}
	if efc < 2*m {
		return nil, &ParamError{Option: "ef_construction", Msg: "ef_construction must be greater than or equal to 2 * m"}
	}
	ix := &Index{dims: dims, stride: dims, metric: metric, m: m, m0: 2 * m, efc: efc, seed: seed,
		ml: 1 / math.Log(float64(m)), RepairFraction: DefaultRepairFraction,
		idSlot: make(map[uint64]uint32), rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
	switch metric {
	case vindex.L2:
		ix.dist, ix.gather = distance.L2Squared, distance.L2SquaredGather
	case vindex.L1:
		ix.dist, ix.gather = distance.L1, l1Gather
	case vindex.InnerProduct:
		ix.dist, ix.gather = negDot, negDotGather
		ix.stride = dims + 1 // see mips.go
	case vindex.Cosine:
		ix.dist, ix.gather = negDot, negDotGather
	case vindex.Jaccard:
		// NB: bit vectors held as 0/1 floats (pgvector's bit_jaccard_ops;
		// see distance.JaccardBinary); ranking and reported distance agree.
		ix.dist, ix.gather = distance.JaccardBinary, jaccardGather
	default:
		return nil, fmt.Errorf("hnsw: metric %d is not supported (use L2, InnerProduct, Cosine, L1 or Jaccard)", metric)
	}
	ix.quantize = quantizes(metric) && dims >= quantMinDims
	ix.entry.Store(noEntry)
	return ix, nil
}

func negDot(a, b []float32) float32 { return -distance.Dot(a, b) }

// negDotGather is negDot over a list of rows.
func negDotGather(q, data []float32, dims int, rows []uint32, out []float32) {
	distance.DotGather(q, data, dims, rows, out)
	for i, d := range out {
		out[i] = -d
	}
}

// l1Gather is distance.L1 over a list of rows (no SIMD gather form).
func l1Gather(q, data []float32, dims int, rows []uint32, out []float32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		out[i] = distance.L1(q, data[o:o+dims:o+dims])
	}
}

// jaccardGather is distance.JaccardBinary over a list of rows.
func jaccardGather(q, data []float32, dims int, rows []uint32, out []float32) {
	for i, r := range rows[:len(out)] {
		o := int(r) * dims
		out[i] = distance.JaccardBinary(q, data[o:o+dims:o+dims])
	}
}

func intOption(name, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &ParamError{Option: name, Msg: fmt.Sprintf("invalid value for integer option %q: %s", name, v)}
	}
	if n < lo || n > hi {
		return 0, &ParamError{Option: name,
			Msg:    fmt.Sprintf("value %s out of bounds for option %q", v, name),
			Detail: fmt.Sprintf("Valid values are between \"%d\" and \"%d\".", lo, hi)}
	}
	return n, nil
}

// Dims returns the vector dimensions callers pass to Add and Search (the
// inner-product augmentation coordinate is internal and never counted).
// Safe for concurrent use.
func (ix *Index) Dims() int { return ix.dims }

// Metric returns the index's metric. Safe for concurrent use.
func (ix *Index) Metric() vindex.Metric { return ix.metric }

// M returns the m option; EfConstruction the ef_construction option.
func (ix *Index) M() int { return ix.m }

// EfConstruction returns the ef_construction option.
func (ix *Index) EfConstruction() int { return ix.efc }

// Train is a no-op: HNSW needs no training (faiss's is_trained).
func (ix *Index) Train(vecs []float32) error { return nil }

// Stats reports live vectors, tombstones, memory and counters. Safe for
// concurrent use.
func (ix *Index) Stats() vindex.Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b := int64(cap(ix.vecs))*4 + int64(cap(ix.links0))*4 + int64(cap(ix.levels)) +
		int64(cap(ix.ids))*8 + int64(cap(ix.flags)) + int64(cap(ix.codes)) + int64(cap(ix.terms))*4 + int64(cap(ix.upper))*24 + int64(len(ix.idSlot))*16
	for _, u := range ix.upper[:ix.nslots] {
		b += int64(cap(u)) * 4
	}
	return vindex.Stats{Vectors: ix.live, Deleted: ix.dead, Bytes: b,
		BuildTime: timeDuration(ix.buildNs.Load()), Distances: ix.distCount.Load()}
}

// vec returns slot s's stored vector: stride floats, so for inner product
// the augmented vector (mips.go). Use userVec for the caller's form.
func (ix *Index) vec(s uint32) []float32 {
	o := int(s) * ix.stride
	return ix.vecs[o : o+ix.stride : o+ix.stride]
}

// userVec returns slot s's vector as the caller gave it (for cosine,
// normalised): vec without the augmentation coordinate. Anything handing
// stored vectors out of the index must use it.
func (ix *Index) userVec(s uint32) []float32 {
	o := int(s) * ix.stride
	return ix.vecs[o : o+ix.dims : o+ix.dims]
}

// links returns slot s's neighbour list at level l: element 0 is the count,
// the rest are neighbour slots. Entries are read and written atomically
// (see insert.go).
func (ix *Index) links(s uint32, l int) []uint32 {
	if l == 0 {
		o := int(s) * (ix.m0 + 1)
		return ix.links0[o : o+ix.m0+1 : o+ix.m0+1]
	}
	o := (l - 1) * (ix.m + 1)
	return ix.upper[s][o : o+ix.m+1 : o+ix.m+1]
}

func packEntry(s uint32, level int) uint64 { return uint64(level)<<32 | uint64(s) }

func unpackEntry(e uint64) (uint32, int) { return uint32(e), int(e >> 32) }

// reportDist turns a ranking distance into the metric's reported form.
func (ix *Index) reportDist(d float32) float32 {
	switch ix.metric {
	case vindex.L2:
		return float32(math.Sqrt(float64(d)))
	case vindex.Cosine:
		c := 1 + d // ranking is -cos
		if c < 0 {
			c = 0
		} else if c > 2 {
			c = 2
		}
		return c
	}
	return d
}

var _ vindex.Index = (*Index)(nil)
