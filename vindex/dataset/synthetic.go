package dataset

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/vindex"
)

// SyntheticPrefix starts a dataset name that OpenNamed generates instead
// of reading: "synthetic:NxD" is N base vectors of D dimensions.
const SyntheticPrefix = "synthetic:"

// syntheticQueries is how many queries a synthetic dataset has.
const syntheticQueries = 100

// Clustered returns n vectors of dims dimensions drawn around 100 random
// centres in [-10, 10)^dims with unit Gaussian noise, deterministic in
// seed.
//
// NB: why clustered and not uniform: real embeddings sit on clusters and
// low-dimensional manifolds; uniform random vectors in 128 dimensions have
// nearly equal distances to everything, which no ANN index (nor pgvector's)
// is built for, so they measure an unrealistic worst case.
func Clustered(seed uint64, n, dims int) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	const centres = 100
	c := make([]float32, centres*dims)
	for i := range c {
		c[i] = float32(r.Float64()*20 - 10)
	}
	v := make([]float32, n*dims)
	for i := 0; i < n; i++ {
		k := r.IntN(centres)
		for j := 0; j < dims; j++ {
			v[i*dims+j] = c[k*dims+j] + float32(r.NormFloat64())
		}
	}
	return v
}

// Synthetic returns a generated dataset of dims dimensions: n base
// vectors and 100 queries drawn together from one Clustered mixture (seed
// 7; the queries are the last 100 draws, so none is a base vector), with
// the top 100 computed exactly for metric.
//
// NB: the queries must come from the same centres as the base. Drawn with
// another seed they sit ~90 away from every centre, where all base vectors
// are nearly equidistant: hnsw then needed ef_search 2,000 for recall 0.99.
func Synthetic(n, dims int, metric vindex.Metric) *Dataset {
	all := Clustered(7, n+syntheticQueries, dims)
	d := &Dataset{Name: fmt.Sprintf("synthetic-%dx%d", n, dims), Metric: metric, Dims: dims,
		Base: all[: n*dims : n*dims], N: n, Queries: all[n*dims:], NQ: syntheticQueries,
		TruthK: min(100, n), TruthComputed: true}
	d.Truth = ExactTruth(metric, dims, d.Base, d.Queries, d.TruthK)
	return d
}

// OpenNamed opens the dataset folder dir with Open, or generates one with
// Synthetic when dir is "synthetic:NxD" (e.g. "synthetic:50000x128").
func OpenNamed(dir string, metric string) (*Dataset, error) {
	spec, ok := strings.CutPrefix(dir, SyntheticPrefix)
	if !ok {
		return Open(dir, metric)
	}
	m, err := vindex.ParseMetric(metric)
	if err != nil {
		return nil, err
	}
	if !m.Valid() {
		return nil, fmt.Errorf("metric %v is not a float-vector metric", m)
	}
	ns, ds, ok := strings.Cut(spec, "x")
	n, err1 := strconv.Atoi(ns)
	dims, err2 := strconv.Atoi(ds)
	if !ok || err1 != nil || err2 != nil || n < 1 || dims < 1 || n > 10_000_000 || dims > 65_536 {
		return nil, fmt.Errorf("dataset %q: want %sNxD with 1 ≤ N ≤ 10,000,000 vectors of 1 ≤ D ≤ 65,536 dimensions, e.g. %s50000x128",
			dir, SyntheticPrefix, SyntheticPrefix)
	}
	return Synthetic(n, dims, m), nil
}
