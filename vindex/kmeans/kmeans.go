package kmeans

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vecgres/vecgres/vindex"
)

// Init selects how the first K centroids are chosen.
type Init uint8

const (
	// PlusPlus is k-means++ seeding: each next centroid is drawn with
	// probability proportional to the squared distance to the nearest
	// centroid chosen so far. Costs one pass over the sample per centroid.
	PlusPlus Init = iota
	// Random picks K distinct sample points uniformly. Cheap; fine when the
	// sample is large relative to K (PQ codebooks).
	Random
)

// Defaults used when a Config field is zero.
const (
	DefaultIters     = 15
	DefaultWorkers   = 2
	DefaultPerCenter = 64    // sample rows per centroid
	DefaultMinSample = 10000 // never sample fewer rows than this (when available)
)

// Config controls one Train call. Zero values take the defaults above.
type Config struct {
	K       int    // number of centroids (required, ≥ 1)
	Iters   int    // maximum Lloyd iterations (default DefaultIters)
	Seed    uint64 // RNG seed; same seed, same result
	Workers int    // goroutines for the assignment step (default 2)
	// MaxSample bounds the rows used for training (default
	// max(DefaultPerCenter*K, DefaultMinSample)). Rows beyond it are
	// ignored, not clustered.
	MaxSample int
	// Spherical normalises the sample and the centroids to unit length
	// (cosine / inner-product indexes).
	Spherical bool
	Init      Init
	// Progress, when set, is called from the calling goroutine after the
	// seeding phase ("kmeans.init") and after each iteration ("kmeans.iter").
	Progress vindex.Progress
}

// Result is a trained set of centroids.
type Result struct {
	Centroids  []float32 // K*dims values, row after row; owned by the caller
	K, Dims    int
	Iterations int       // Lloyd iterations run
	Inertia    float64   // Σ squared distance of sample rows to their centroid
	History    []float64 // inertia after each iteration
}

// ErrNoData is returned when Train gets no rows.
var ErrNoData = errors.New("kmeans: no training vectors")

// Train clusters data (rows of dims float32 values) into cfg.K centroids.
// data is read, never modified or retained. Errors: ErrNoData for an empty
// input, a descriptive error for bad dims or K, or non-finite values.
// Train is safe to call concurrently on different data.
func Train(data []float32, dims int, cfg Config) (*Result, error) {
	if dims <= 0 {
		return nil, fmt.Errorf("kmeans: dims must be positive, got %d", dims)
	}
	if len(data)%dims != 0 {
		return nil, fmt.Errorf("kmeans: data length %d is not a multiple of dims %d", len(data), dims)
	}
	n := len(data) / dims
	if n == 0 {
		return nil, ErrNoData
	}
	if cfg.K <= 0 {
		return nil, fmt.Errorf("kmeans: K must be positive, got %d", cfg.K)
	}
	cfg = withDefaults(cfg)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	sample := drawSample(data, dims, n, cfg.MaxSample, rng)
	for _, x := range sample {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, errors.New("kmeans: training vectors contain NaN or Inf")
		}
	}
	if cfg.Spherical {
		for i := 0; i < len(sample); i += dims {
			Normalize(sample[i : i+dims])
		}
	}
	t := &trainer{dims: dims, k: cfg.K, sample: sample, n: len(sample) / dims, cfg: cfg, rng: rng}
	t.seed()
	if cfg.Progress != nil {
		cfg.Progress("kmeans.init", cfg.K, cfg.K)
	}
	res := &Result{K: cfg.K, Dims: dims}
	t.assign = make([]int32, t.n)
	for i := range t.assign {
		t.assign[i] = -1
	}
	t.dist = make([]float32, t.n)
	for it := 0; it < cfg.Iters; it++ {
		changed, inertia := t.step()
		res.Iterations = it + 1
		res.Inertia = inertia
		res.History = append(res.History, inertia)
		if cfg.Progress != nil {
			cfg.Progress("kmeans.iter", it+1, cfg.Iters)
		}
		// NB: 0.1 % of rows moving is the usual convergence cut (pgvector
		// stops when no row moves; we stop a little earlier, the last
		// iterations change centroids by rounding noise only).
		if changed*1000 <= t.n && it > 0 {
			break
		}
	}
	res.Centroids = t.cent
	return res, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Iters <= 0 {
		cfg.Iters = DefaultIters
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.MaxSample <= 0 {
		cfg.MaxSample = max(DefaultPerCenter*cfg.K, DefaultMinSample)
	}
	return cfg
}

// drawSample copies up to maxRows rows of data, chosen uniformly without
// replacement and kept in their original order (for memory locality).
func drawSample(data []float32, dims, n, maxRows int, rng *rand.Rand) []float32 {
	if n <= maxRows {
		return append([]float32(nil), data...)
	}
	// Partial Fisher-Yates over row indices, then a marker pass to restore
	// the original order.
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	for i := 0; i < maxRows; i++ {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	picked := make([]bool, n)
	for _, r := range idx[:maxRows] {
		picked[r] = true
	}
	out := make([]float32, 0, maxRows*dims)
	for r := 0; r < n; r++ {
		if picked[r] {
			out = append(out, data[r*dims:(r+1)*dims]...)
		}
	}
	return out
}

// Normalize scales v to unit Euclidean length in place and returns its
// original norm. A zero vector is left unchanged (norm 0).
func Normalize(v []float32) float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return 0
	}
	norm := math.Sqrt(s)
	inv := float32(1 / norm)
	for i := range v {
		v[i] *= inv
	}
	return float32(norm)
}
