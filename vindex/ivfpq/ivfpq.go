package ivfpq

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/reloption"
	"github.com/vecgres/vecgres/vindex/space"
)

// Options and defaults.
const (
	DefaultLists  = 100
	MinLists      = 1
	MaxLists      = 32768
	DefaultNBits  = 8
	MinNBits      = 1
	MaxNBits      = 8
	DefaultProbes = 1  // SearchParams.Probes == 0
	DefaultRerank = 10 // SearchParams.Rerank == 0: re-rank the best k*10
	// AutoTrainPerList: an untrained index trains itself once it holds this
	// many pending vectors per list.
	AutoTrainPerList = 40
	// PQSamplePerCode bounds the residuals used to train each sub-space
	// codebook (per codeword).
	PQSamplePerCode = 40
	DefaultSeed     = 1
)

// FormatVersion is written by Save and checked by Load. Never reuse a number.
const FormatVersion = 1

// DefaultM returns the default number of sub-quantizers for dims: one per
// 8 dimensions (at least 1), i.e. codes of 1/32 of the raw float32 size.
func DefaultM(dims int) int { return max(1, dims/8) }

// Index is an IVF_PQ index. It implements vindex.Index; see the package doc
// for the concurrency contract.
type Index struct {
	dims, lists, m, nbits, ksub int
	sp                          space.Space
	seed                        uint64
	subOff                      []int // m+1 sub-space boundaries

	mu        sync.RWMutex
	trained   bool
	centroids []float32 // lists*dims
	codebooks []float32 // sub-space j: ksub rows of its width at ksub*subOff[j]
	l         []list    // lists, then pending, then cosine zero vectors
	loc       map[uint64]uint64
	progress  vindex.Progress
	buildTime time.Duration

	distances atomic.Int64
	scratch   sync.Pool // *searchScratch
}

// list is one inverted list; all slices are parallel (see package doc).
type list struct {
	ids   []uint64
	codes []uint8   // m per vector (trained lists only)
	extra []float32 // L2: ‖r̂‖² + 2c·r̂ per vector (trained lists only)
	raw   []float32 // dims per vector: the prepared vector, for re-ranking
}

func (ix *Index) pendingList() int { return ix.lists }
func (ix *Index) zeroList() int    { return ix.lists + 1 }

var _ vindex.Index = (*Index)(nil)

// New returns an empty, untrained index. params: "lists" (1..32768, default
// 100), "m" (sub-quantizers, 1..dims, default DefaultM(dims)), "nbits"
// (bits per code, 1..8, default 8) and "seed" (default 1). Errors are
// *pgerr.Error: 22023 for bad options (Postgres's wording), 0A000 for L1,
// Hamming and Jaccard.
func New(dims int, m vindex.Metric, params map[string]string) (*Index, error) {
	if dims < 1 {
		return nil, pgerr.Newf(pgerr.InvalidParameterValue, "ivf_pq: dimensions must be positive, got %d", dims)
	}
	if !supported(m) {
		return nil, pgerr.Newf(pgerr.FeatureNotSupported, "ivf_pq: metric %v is not supported (use l2, ip or cosine)", m)
	}
	ix := &Index{dims: dims, sp: space.Space{Metric: m}, lists: DefaultLists, m: DefaultM(dims), nbits: DefaultNBits, seed: DefaultSeed}
	for k, v := range params {
		var err error
		switch k {
		case "lists":
			ix.lists, err = reloption.Int(k, v, MinLists, MaxLists)
		case "m":
			ix.m, err = reloption.Int(k, v, 1, dims)
		case "nbits":
			ix.nbits, err = reloption.Int(k, v, MinNBits, MaxNBits)
		case "seed":
			ix.seed, err = reloption.Uint64(k, v)
		default:
			err = reloption.Unrecognized(k)
		}
		if err != nil {
			return nil, err
		}
	}
	ix.init()
	ix.reset()
	return ix, nil
}

// supported reports whether the index serves m (L1 does not decompose over
// the inner-product lookup tables).
func supported(m vindex.Metric) bool {
	switch m {
	case vindex.L2, vindex.InnerProduct, vindex.Cosine:
		return true
	}
	return false
}

// init derives ksub and the sub-space boundaries from the options.
func (ix *Index) init() {
	ix.ksub = 1 << ix.nbits
	ix.subOff = make([]int, ix.m+1)
	for j := 0; j <= ix.m; j++ {
		ix.subOff[j] = j * ix.dims / ix.m
	}
}

func (ix *Index) reset() {
	ix.trained = false
	ix.centroids, ix.codebooks = nil, nil
	ix.l = make([]list, ix.lists+2)
	ix.loc = make(map[uint64]uint64)
}

// Dims returns the vector dimensions.
func (ix *Index) Dims() int { return ix.dims }

// Metric returns the distance metric.
func (ix *Index) Metric() vindex.Metric { return ix.sp.Metric }

// Lists, M and NBits return the index options.
func (ix *Index) Lists() int { return ix.lists }

// M returns the number of sub-quantizers (code bytes per vector).
func (ix *Index) M() int { return ix.m }

// NBits returns the bits per sub-quantizer code.
func (ix *Index) NBits() int { return ix.nbits }

// Trained reports whether centroids and codebooks exist.
func (ix *Index) Trained() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.trained
}

// SetProgress installs a callback for Train's progress ("kmeans.*" for the
// coarse quantizer, "ivfpq.codebooks" per sub-space, "ivfpq.encode").
// Not safe concurrently with Train or Add.
func (ix *Index) SetProgress(p vindex.Progress) { ix.progress = p }

// Memory is the index's memory by part, in bytes.
type Memory struct {
	Codes     int64 // PQ codes: m bytes per vector
	IDs       int64 // 8 bytes per vector
	Extra     int64 // L2 norm terms: 4 bytes per vector (0 for IP/cosine)
	Centroids int64 // coarse centroids
	Codebooks int64 // PQ codebooks
	Map       int64 // id → location map (estimated at 24 bytes per entry)
	Raw       int64 // exact vectors kept for re-ranking (and pending ones)
}

// Compressed is the memory Stats().Bytes reports: all but Raw.
func (m Memory) Compressed() int64 {
	return m.Codes + m.IDs + m.Extra + m.Centroids + m.Codebooks + m.Map
}

// Memory reports the index's memory by part (lengths, not capacities).
func (ix *Index) Memory() Memory {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var mem Memory
	for i := range ix.l {
		l := &ix.l[i]
		mem.Codes += int64(len(l.codes))
		mem.IDs += int64(len(l.ids)) * 8
		mem.Extra += int64(len(l.extra)) * 4
		mem.Raw += int64(len(l.raw)) * 4
	}
	mem.Centroids = int64(len(ix.centroids)) * 4
	mem.Codebooks = int64(len(ix.codebooks)) * 4
	mem.Map = int64(len(ix.loc)) * 24
	return mem
}

// Stats reports live vectors and the compressed size (Memory().Compressed():
// NOT including the exact vectors kept for re-ranking; see Memory).
func (ix *Index) Stats() vindex.Stats {
	mem := ix.Memory()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return vindex.Stats{
		Vectors:   len(ix.loc),
		Bytes:     mem.Compressed(),
		BuildTime: ix.buildTime,
		Distances: ix.distances.Load(),
	}
}
