package annoy

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
	DefaultNTrees = 10
	MinNTrees     = 1
	MaxNTrees     = 1000
	// DefaultLeafSize bounds the slots per leaf (Annoy uses up to dims+2).
	DefaultLeafSize = 32
	// DefaultSearchKFactor: SearchK == 0 means n_trees*k*DefaultSearchKFactor.
	DefaultSearchKFactor = 5
	// DefaultBuildThreshold: the forest is (re)built once the buffer holds
	// max(build_threshold, built/10) vectors.
	DefaultBuildThreshold = 1000
	DefaultSeed           = 1
	// twoMeansIters is the number of points two-means visits per split
	// (Annoy's iteration_steps is 200).
	twoMeansIters = 200
)

// FormatVersion is written by Save and checked by Load. Never reuse a number.
const FormatVersion = 1

// Index is an ANNOY-style forest index; see the package doc. It implements
// vindex.Index.
type Index struct {
	dims           int
	sp             space.Space
	nTrees         int
	leafSize       int
	buildThreshold int
	seed           uint64

	mu    sync.RWMutex
	vecs  []float32 // slot-major prepared vectors
	ids   []uint64  // id of each slot
	dead  []bool    // tombstone: deleted or replaced
	ndead int
	loc   map[uint64]uint32 // live id → slot
	// zeros holds the ids of cosine zero vectors: stored, never returned
	// (pgvector does not index them either), outside the slot arrays.
	zeros  map[uint64]struct{}
	f      forest // covers slots [0, f.built)
	builds int
	// buildTime sums the time spent building forests.
	buildTime time.Duration

	distances atomic.Int64
	scratch   sync.Pool // *searchScratch
}

var _ vindex.Index = (*Index)(nil)

// New returns an empty index. params: "n_trees" (1..1000, default 10),
// "leaf_size" (2..1024, default 32), "build_threshold" (vectors buffered
// before the first build, 1..1e9, default 1000) and "seed". Errors are
// *pgerr.Error: 22023 for bad options, 0A000 for Hamming and Jaccard.
func New(dims int, m vindex.Metric, params map[string]string) (*Index, error) {
	if dims < 1 {
		return nil, pgerr.Newf(pgerr.InvalidParameterValue, "annoy: dimensions must be positive, got %d", dims)
	}
	if !m.Valid() {
		return nil, pgerr.Newf(pgerr.FeatureNotSupported, "annoy: metric %v is not supported (use l2, ip, cosine or l1)", m)
	}
	ix := &Index{dims: dims, sp: space.Space{Metric: m}, nTrees: DefaultNTrees, leafSize: DefaultLeafSize,
		buildThreshold: DefaultBuildThreshold, seed: DefaultSeed, loc: map[uint64]uint32{}, zeros: map[uint64]struct{}{}}
	for k, v := range params {
		var err error
		switch k {
		case "n_trees":
			ix.nTrees, err = reloption.Int(k, v, MinNTrees, MaxNTrees)
		case "leaf_size":
			ix.leafSize, err = reloption.Int(k, v, 2, 1024)
		case "build_threshold":
			ix.buildThreshold, err = reloption.Int(k, v, 1, 1e9)
		case "seed":
			ix.seed, err = reloption.Uint64(k, v)
		default:
			err = reloption.Unrecognized(k)
		}
		if err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// Dims returns the vector dimensions.
func (ix *Index) Dims() int { return ix.dims }

// Metric returns the distance metric.
func (ix *Index) Metric() vindex.Metric { return ix.sp.Metric }

// NTrees returns the number of trees built.
func (ix *Index) NTrees() int { return ix.nTrees }

// Train returns nil: the forest is built from the vectors themselves as
// they are added (see the package doc).
func (ix *Index) Train(vecs []float32) error { return nil }

// ForestInfo describes the current forest (for tests and EXPLAIN).
type ForestInfo struct {
	Built    int // slots covered by the forest
	Buffered int // slots added since, searched exactly
	Nodes    int // inner nodes over all trees
	Leaves   int
	MaxLeaf  int // largest leaf
	Builds   int // forest builds since creation or load
}

// Forest reports the forest's shape.
func (ix *Index) Forest() ForestInfo {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	fi := ForestInfo{Built: ix.f.built, Buffered: len(ix.ids) - ix.f.built, Nodes: len(ix.f.offsets),
		Leaves: len(ix.f.leafStart) - 1, Builds: ix.builds}
	if fi.Leaves < 0 {
		fi.Leaves = 0
	}
	for l := 0; l < fi.Leaves; l++ {
		fi.MaxLeaf = max(fi.MaxLeaf, int(ix.f.leafStart[l+1]-ix.f.leafStart[l]))
	}
	return fi
}

// Stats reports live vectors, tombstones and memory (vectors, ids, flags,
// planes, leaves, plus 16 bytes per id-map entry as an estimate).
func (ix *Index) Stats() vindex.Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b := int64(len(ix.vecs))*4 + int64(len(ix.ids))*9 + int64(len(ix.loc))*16 +
		int64(len(ix.f.planes))*4 + int64(len(ix.f.offsets))*4 + int64(len(ix.f.child))*4 +
		int64(len(ix.f.leafItems))*4 + int64(len(ix.f.leafStart))*4 + int64(len(ix.f.roots))*4
	return vindex.Stats{
		Vectors:   len(ix.loc) + len(ix.zeros),
		Deleted:   ix.ndead,
		Bytes:     b,
		BuildTime: ix.buildTime,
		Distances: ix.distances.Load(),
	}
}
