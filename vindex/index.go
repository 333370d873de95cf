package vindex

import (
	"io"
	"time"
)

// Metric is a distance function, named after the pgvector operator it serves.
type Metric uint8

// Metrics. Values are persisted in index files: never renumber.
const (
	L2           Metric = 1 // <->: Euclidean distance (indexes rank by its square)
	InnerProduct Metric = 2 // <#>: negative inner product
	Cosine       Metric = 3 // <=>: 1 - cosine similarity
	L1           Metric = 4 // <+>: taxicab distance
	Hamming      Metric = 5 // <~>: bit vectors
	Jaccard      Metric = 6 // <%>: bit vectors
)

// Result is one neighbour: the caller's id and its distance to the query,
// in the metric's reported form (L2 as Euclidean distance, not its square;
// inner product negated), so results from any index compare directly with
// what SQL computes.
type Result struct {
	ID       uint64
	Distance float32
}

// SearchParams are per-query knobs; zero values mean the index's defaults.
// One struct for all index types (as faiss's SearchParameters) so that the
// Index interface does not grow with each new knob.
type SearchParams struct {
	EfSearch int // hnsw: candidate list size
	Probes   int // ivf_flat, ivf_pq: lists probed
	Rerank   int // ivf_pq: candidates re-ranked with exact distances (k*Rerank)
	SearchK  int // annoy: nodes inspected
	// Filter, when set, is called with a candidate id; only ids for which it
	// returns true may be returned. It must be safe for concurrent use.
	Filter func(id uint64) bool
	// Stats, when set, receives this search's work (added to what it
	// holds), for EXPLAIN ANALYZE.
	Stats *SearchStats
	// MaxCandidates bounds the candidates the search examines (0: no
	// bound beyond the index's own); an iterative scan grows it.
	MaxCandidates int
}

// Stats describes an index's size and history.
type Stats struct {
	Vectors   int           // live vectors
	Deleted   int           // tombstones not yet repaired
	Bytes     int64         // memory used by the index structure and stored vectors
	BuildTime time.Duration // time spent in Train and bulk Add
	Distances int64         // distance computations since creation (for EXPLAIN ANALYZE)
}

// SearchStats is the work of the searches it was passed to. Unlike the
// index-wide Stats.Distances it is exact for one statement while other
// sessions search the same index.
type SearchStats struct {
	// Distances counts vector distance computations, exact or on
	// compressed codes (PQ estimates, quantized graph hops).
	Distances int64
	// Visited counts the index structure's nodes visited: hnsw graph
	// nodes expanded (their neighbour lists read), IVF lists scanned,
	// annoy tree nodes descended through.
	Visited int64
}

// Index is the interface every vector index type implements. Vectors are
// passed flat: vecs holds len(ids)*Dims() float32 values, row after row.
// The index copies what it keeps; callers may reuse their slices.
//
// Implementations are safe for concurrent Search calls, and for Search
// concurrent with Add and Delete.
type Index interface {
	Dims() int
	Metric() Metric
	// Train prepares the index from a sample (k-means for IVF); indexes that
	// need no training (flat, hnsw, annoy) return nil.
	Train(vecs []float32) error
	// Add inserts vectors under the given ids. Adding an id that is already
	// present replaces its vector.
	Add(ids []uint64, vecs []float32) error
	// Delete removes ids; unknown ids are ignored.
	Delete(ids []uint64) error
	// Search returns up to k nearest neighbours of q, closest first, ties
	// broken by smaller id, appended to dst[:0].
	Search(q []float32, k int, p *SearchParams, dst []Result) ([]Result, error)
	// Save writes the index, with a format version, to w.
	Save(w io.Writer) error
	Stats() Stats
}

// Progress receives progress reports from long operations (training,
// builds): a phase name and work done out of total.
type Progress func(phase string, done, total int)
