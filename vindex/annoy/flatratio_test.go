package annoy

import (
	"fmt"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// BenchmarkVsFlat measures ANNOY and the flat exact scan on siftsmall in
// the same run, alternating rounds so machine load affects both alike,
// and reports the QPS ratio next to recall, for a few forest shapes and
// search_k values around recall 0.9-0.99. Run:
//
//	go test ./vindex/annoy -run '^$' -bench VsFlat -benchtime 30x -count 3
func BenchmarkVsFlat(b *testing.B) {
	ds := vindextest.SharedDataset(b, "siftsmall", "l2")
	fl := flat.New(ds.Dims, vindex.L2)
	if err := fl.Add(vindextest.SeqIDs(0, ds.N), ds.Base); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		trees, leaf string
		searchK     int
	}{
		{"5", "32", 400},
		{"10", "32", 500},
		{"20", "32", 1000},
	} {
		ix := buildFrom(b, ds, map[string]string{"n_trees": tc.trees, "leaf_size": tc.leaf})
		name := fmt.Sprintf("n_trees=%s/leaf_size=%s/search_k=%d", tc.trees, tc.leaf, tc.searchK)
		b.Run(name, func(b *testing.B) { benchVsFlat(b, ds, ix, fl, &vindex.SearchParams{SearchK: tc.searchK}) })
	}
}

func benchVsFlat(b *testing.B, ds *dataset.Dataset, ix *Index, fl *flat.Index, p *vindex.SearchParams) {
	recall, _ := recallQPS(b, ix, ds, p)
	var res []vindex.Result
	var tAnnoy, tFlat time.Duration
	for b.Loop() {
		s := time.Now()
		for q := 0; q < ds.NQ; q++ {
			res, _ = ix.Search(ds.Query(q), 10, p, res)
		}
		tAnnoy += time.Since(s)
		s = time.Now()
		for q := 0; q < ds.NQ; q++ {
			res, _ = fl.Search(ds.Query(q), 10, nil, res)
		}
		tFlat += time.Since(s)
	}
	nq := float64(b.N * ds.NQ)
	b.ReportMetric(recall, "recall@10")
	b.ReportMetric(nq/tAnnoy.Seconds(), "annoy_qps")
	b.ReportMetric(nq/tFlat.Seconds(), "flat_qps")
	b.ReportMetric(tFlat.Seconds()/tAnnoy.Seconds(), "x_flat")
}
