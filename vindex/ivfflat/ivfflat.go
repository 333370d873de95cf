package ivfflat

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/reloption"
	"github.com/vecgres/vecgres/vindex/space"
)

// Options, as pgvector's ivfflat.h defines them.
const (
	DefaultLists  = 100
	MinLists      = 1
	MaxLists      = 32768
	DefaultProbes = 1 // SearchParams.Probes == 0
	// AutoTrainPerList: an untrained index trains itself once it holds this
	// many pending vectors per list (faiss warns below 39 per centroid).
	AutoTrainPerList = 40
	// DefaultSeed seeds k-means unless the "seed" option says otherwise.
	DefaultSeed = 1
)

// FormatVersion is written by Save and checked by Load. Part of the file
// format: never reuse a number.
const FormatVersion = 1

// Index is an IVF_FLAT index. It implements vindex.Index; see the package
// doc for the concurrency contract.
type Index struct {
	dims  int
	sp    space.Space
	lists int
	seed  uint64

	mu        sync.RWMutex
	trained   bool
	centroids []float32 // lists*dims, valid when trained
	// l holds lists+2 entries: the trained lists, then pendingList (vectors
	// added before training, always scanned), then zeroList (cosine zero
	// vectors, never returned).
	l         []list
	loc       map[uint64]uint64 // id → list<<32 | position
	progress  vindex.Progress
	buildTime time.Duration

	distances atomic.Int64
	scratch   sync.Pool // *searchScratch
}

// list is one inverted list: ids and their vectors, contiguous.
type list struct {
	ids  []uint64
	vecs []float32
}

func (ix *Index) pendingList() int { return ix.lists }
func (ix *Index) zeroList() int    { return ix.lists + 1 }

var _ vindex.Index = (*Index)(nil)

// New returns an empty, untrained index for dims-dimensional vectors.
// params are the CREATE INDEX ... WITH options as text: "lists" (1..32768,
// default 100) and "seed" (k-means seed, default 1). Errors are
// *pgerr.Error with SQLSTATE 22023 worded as pgvector words them, or 0A000
// for a metric IVF_FLAT does not serve (Hamming, Jaccard).
func New(dims int, m vindex.Metric, params map[string]string) (*Index, error) {
	if dims < 1 {
		return nil, pgerr.Newf(pgerr.InvalidParameterValue, "ivfflat: dimensions must be positive, got %d", dims)
	}
	if !m.Valid() {
		return nil, pgerr.Newf(pgerr.FeatureNotSupported, "ivfflat: metric %d is not supported (use L2, inner product, cosine or L1)", m)
	}
	ix := &Index{dims: dims, sp: space.Space{Metric: m}, lists: DefaultLists, seed: DefaultSeed}
	for k, v := range params {
		switch k {
		case "lists":
			n, err := reloption.Int(k, v, MinLists, MaxLists)
			if err != nil {
				return nil, err
			}
			ix.lists = n
		case "seed":
			s, err := reloption.Uint64(k, v)
			if err != nil {
				return nil, err
			}
			ix.seed = s
		default:
			return nil, reloption.Unrecognized(k)
		}
	}
	ix.reset()
	return ix, nil
}

// reset empties the index's contents (not its options).
func (ix *Index) reset() {
	ix.trained = false
	ix.centroids = nil
	ix.l = make([]list, ix.lists+2)
	ix.loc = make(map[uint64]uint64)
}

// Dims returns the vector dimensions.
func (ix *Index) Dims() int { return ix.dims }

// Metric returns the distance metric.
func (ix *Index) Metric() vindex.Metric { return ix.sp.Metric }

// Lists returns the number of inverted lists.
func (ix *Index) Lists() int { return ix.lists }

// Trained reports whether centroids exist.
func (ix *Index) Trained() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.trained
}

// SetProgress installs a callback for Train's progress (k-means phases,
// then "ivfflat.assign"). Call it before Train; not safe concurrently
// with Train or Add.
func (ix *Index) SetProgress(p vindex.Progress) { ix.progress = p }

// ListSizes returns the number of vectors in each trained list (a copy).
func (ix *Index) ListSizes() []int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]int, ix.lists)
	for i := range out {
		out[i] = len(ix.l[i].ids)
	}
	return out
}

// Stats reports live vectors and memory: centroids, stored vectors and
// ids, plus an estimate of 24 bytes per entry for the id→location map.
func (ix *Index) Stats() vindex.Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var bytes int64
	live := 0
	for i := range ix.l {
		bytes += int64(cap(ix.l[i].ids))*8 + int64(cap(ix.l[i].vecs))*4
		live += len(ix.l[i].ids) // cosine zero vectors count: they are stored
	}
	bytes += int64(len(ix.centroids))*4 + int64(len(ix.loc))*24
	return vindex.Stats{
		Vectors:   live,
		Bytes:     bytes,
		BuildTime: ix.buildTime,
		Distances: ix.distances.Load(),
	}
}
