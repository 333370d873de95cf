package hnsw

import (
	"sync"
	"testing"

	"github.com/vecgres/vecgres/vindex/vindextest"
)

// dataset is an ANN benchmark set from ../shared/data, read through
// vindex/dataset.
type testData struct {
	dims    int
	base    []float32 // n × dims
	queries []float32 // nq × dims
	gt      [][]int32 // per query, exact neighbours (0-based base rows)
}

func (d *testData) n() int  { return len(d.base) / d.dims }
func (d *testData) nq() int { return len(d.queries) / d.dims }
func (d *testData) query(i int) []float32 {
	return d.queries[i*d.dims : (i+1)*d.dims]
}

var dataCache sync.Map // name/metric → *testData

// loadDataset reads a data set of ../shared/data (e.g. "siftsmall") with
// the ground truth for metric ("l2", "cosine"). Missing data fails the
// test: the data is part of the repository's checkout layout.
func loadDataset(t testing.TB, name, metric string) *testData {
	key := name + "/" + metric
	if d, ok := dataCache.Load(key); ok {
		return d.(*testData)
	}
	ds := vindextest.SharedDataset(t, name, metric)
	d := &testData{dims: ds.Dims, base: ds.Base, queries: ds.Queries}
	for i := 0; i < ds.NQ; i++ {
		d.gt = append(d.gt, ds.TruthRow(i))
	}
	dataCache.Store(key, d)
	return d
}

// seqIDs returns ids 0..n-1 (ids equal base rows, so results compare
// with ground truth directly).
func seqIDs(n int) []uint64 {
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i)
	}
	return ids
}

// recallAt returns |got ∩ want[:k]| / k.
func recallAt(got []uint64, want []int32, k int) float64 {
	hit := 0
	for _, g := range got {
		for _, w := range want[:k] {
			if int32(g) == w {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(k)
}
