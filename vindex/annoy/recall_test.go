package annoy

import (
	"fmt"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func buildFrom(t testing.TB, ds *dataset.Dataset, params map[string]string) *Index {
	ix, err := New(ds.Dims, ds.Metric, params)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(vindextest.SeqIDs(0, ds.N), ds.Base); err != nil {
		t.Fatal(err)
	}
	return ix
}

// recallQPS runs every query once (one goroutine) and returns mean
// recall@10 and queries per second.
func recallQPS(t testing.TB, ix vindex.Index, ds *dataset.Dataset, p *vindex.SearchParams) (float64, float64) {
	var res []vindex.Result
	var sum float64
	start := time.Now()
	for q := 0; q < ds.NQ; q++ {
		var err error
		res, err = ix.Search(ds.Queries[q*ds.Dims:(q+1)*ds.Dims], 10, p, res)
		if err != nil {
			t.Fatal(err)
		}
		sum += dataset.Recall(res, ds.Truth[q*ds.TruthK:(q+1)*ds.TruthK], 10)
	}
	return sum / float64(ds.NQ), float64(ds.NQ) / time.Since(start).Seconds()
}

// Recall floors on siftsmall, default n_trees (10), seed 1, pinned a
// little below the measured values (l2 0.952, cosine 0.949, ip 0.939:
// SIFT norms vary little, and the inner-product lift costs 0.014 there
// against splits on the raw vectors, while it is what makes ip work when
// norms vary, see recall_ip_test.go); lowered only
// with a recorded reason. NB: the defaults changed from 20 trees and
// search_k 2000 (recall 1.0, slower than flat) to 10 trees and search_k
// 500; the 0.9 floor is unchanged.
func TestRecallSiftsmall(t *testing.T) {
	for _, tc := range []struct {
		metric  string
		searchK int
		floor   float64
	}{
		{"l2", 0, 0.9}, // default search_k = 10*10*5
		{"cosine", 0, 0.9},
		{"ip", 0, 0.9},
	} {
		t.Run(fmt.Sprintf("%s/search_k=%d", tc.metric, tc.searchK), func(t *testing.T) {
			ds := vindextest.SharedDataset(t, "siftsmall", tc.metric)
			ix := buildFrom(t, ds, nil)
			if fi := ix.Forest(); fi.Built != ds.N || fi.Buffered != 0 || fi.MaxLeaf > DefaultLeafSize {
				t.Fatalf("forest after bulk add: %+v", fi)
			}
			r, _ := recallQPS(t, ix, ds, &vindex.SearchParams{SearchK: tc.searchK})
			t.Logf("recall@10 = %.4f", r)
			if r < tc.floor {
				t.Fatalf("recall@10 %.4f below floor %.2f", r, tc.floor)
			}
		})
	}
}

// BenchmarkSearch sweeps n_trees and search_k on siftsmall (one goroutine)
// and reports recall@10 and QPS. Run:
//
//	go test ./vindex/annoy -run '^$' -bench Search -benchtime 3000x
func BenchmarkSearch(b *testing.B) {
	ds := vindextest.SharedDataset(b, "siftsmall", "l2")
	for _, trees := range []string{"10", "20", "40"} {
		ix := buildFrom(b, ds, map[string]string{"n_trees": trees})
		for _, sk := range []int{500, 1000, 2000, 4000} {
			b.Run(fmt.Sprintf("siftsmall/n_trees=%s/search_k=%d", trees, sk), func(b *testing.B) {
				p := &vindex.SearchParams{SearchK: sk}
				recall, _ := recallQPS(b, ix, ds, p)
				var res []vindex.Result
				b.ReportAllocs()
				b.ResetTimer()
				i := 0
				for b.Loop() {
					q := i % ds.NQ
					i++
					res, _ = ix.Search(ds.Queries[q*ds.Dims:(q+1)*ds.Dims], 10, p, res)
				}
				b.ReportMetric(recall, "recall@10")
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
			})
		}
	}
}
