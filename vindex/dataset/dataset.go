package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/flat"
)

// Dataset is a loaded benchmark dataset. All slices are flat and owned by
// the Dataset; treat them as read-only (it is then safe to share).
type Dataset struct {
	Name    string        // folder name, e.g. "siftsmall"
	Metric  vindex.Metric // the metric the ground truth is for
	Dims    int
	Base    []float32 // N vectors
	N       int
	Queries []float32 // NQ vectors
	NQ      int
	// Truth holds NQ rows of TruthK base indexes (0-based ids), nearest
	// first, ties by smaller id.
	Truth  []int32
	TruthK int
	// TruthComputed is true when no ground-truth file existed for Metric and
	// Open computed it with an exact scan.
	TruthComputed bool
}

// Open loads dir/base.fvecs, dir/query.fvecs and the ground truth for
// metric ("l2", "cosine", "ip", "l1"; see vindex.ParseMetric) from
// dir/gt_<metric>.ivecs, computing the top 100 exactly when that file does
// not exist. Errors name the file and what is wrong with it.
func Open(dir string, metric string) (*Dataset, error) {
	m, err := vindex.ParseMetric(metric)
	if err != nil {
		return nil, err
	}
	if !m.Valid() {
		return nil, fmt.Errorf("metric %v is not a float-vector metric", m)
	}
	d := &Dataset{Name: filepath.Base(filepath.Clean(dir)), Metric: m}
	if d.Base, d.N, d.Dims, err = LoadFvecs(filepath.Join(dir, "base.fvecs")); err != nil {
		return nil, fmt.Errorf("dataset %s: %w", dir, err)
	}
	var qdims int
	if d.Queries, d.NQ, qdims, err = LoadFvecs(filepath.Join(dir, "query.fvecs")); err != nil {
		return nil, fmt.Errorf("dataset %s: %w", dir, err)
	}
	if d.N == 0 || d.NQ == 0 || qdims != d.Dims {
		return nil, fmt.Errorf("dataset %s: %d base vectors of %d dims, %d queries of %d dims: want both non-empty with equal dims",
			dir, d.N, d.Dims, d.NQ, qdims)
	}
	gtPath := filepath.Join(dir, "gt_"+m.String()+".ivecs")
	truth, tn, tk, err := LoadIvecs(gtPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		d.TruthK = min(100, d.N)
		d.Truth = ExactTruth(m, d.Dims, d.Base, d.Queries, d.TruthK)
		d.TruthComputed = true
	case err != nil:
		return nil, fmt.Errorf("dataset %s: %w", dir, err)
	case tn != d.NQ:
		return nil, fmt.Errorf("dataset %s: %s has %d rows for %d queries", dir, gtPath, tn, d.NQ)
	default:
		for _, id := range truth {
			if id < 0 || int(id) >= d.N {
				return nil, fmt.Errorf("dataset %s: %s holds id %d outside 0..%d", dir, gtPath, id, d.N-1)
			}
		}
		d.Truth, d.TruthK = truth, tk
	}
	return d, nil
}

// Query returns query i (aliases the dataset's memory).
func (d *Dataset) Query(i int) []float32 { return d.Queries[i*d.Dims : (i+1)*d.Dims] }

// TruthRow returns the exact neighbours of query i, nearest first.
func (d *Dataset) TruthRow(i int) []int32 { return d.Truth[i*d.TruthK : (i+1)*d.TruthK] }

// Recall returns |ids of got[:k] ∩ truth[:k]| / k: recall@k of one query's
// results against its ground-truth row. Result ids are base indexes. k must
// be at most len(truth).
func Recall(got []vindex.Result, truth []int32, k int) float64 {
	if k <= 0 {
		return 1
	}
	want := truth[:k]
	hit := 0
	for _, r := range got[:min(k, len(got))] {
		if r.ID <= uint64(^uint32(0)>>1) && slices.Contains(want, int32(r.ID)) {
			hit++
		}
	}
	return float64(hit) / float64(k)
}

// ExactTruth computes the top k neighbours (0-based base indexes) of every
// query with an exact scan, k per row, using two goroutines per query.
func ExactTruth(m vindex.Metric, dims int, base, queries []float32, k int) []int32 {
	x := flat.New(dims, m)
	n := len(base) / dims
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i)
	}
	if err := x.Add(ids, base); err != nil {
		// NB: base came from ParseFvecs (finite values, whole vectors), so Add cannot fail.
		panic(err)
	}
	nq := len(queries) / dims
	out := make([]int32, 0, nq*k)
	var res []vindex.Result
	for q := range nq {
		res, _ = x.SearchParallel(queries[q*dims:(q+1)*dims], k, nil, res, 2)
		for _, r := range res {
			out = append(out, int32(r.ID))
		}
		for range k - len(res) {
			out = append(out, -1)
		}
	}
	return out
}
