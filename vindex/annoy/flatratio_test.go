package annoy

import (
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/flat"
)

// BenchmarkVsFlat measures ANNOY (n_trees=10, search_k=500) and the flat
// exact scan on siftsmall in the same run, alternating rounds so machine
// load affects both alike, and reports the QPS ratio next to recall.
func BenchmarkVsFlat(b *testing.B) {
	ds := openData(b, "siftsmall", "l2")
	ix := buildFrom(b, ds, map[string]string{"n_trees": "10"})
	fl := flat.New(ds.Dims, vindex.L2)
	ids := make([]uint64, ds.N)
	for i := range ids {
		ids[i] = uint64(i)
	}
	if err := fl.Add(ids, ds.Base); err != nil {
		b.Fatal(err)
	}
	p := &vindex.SearchParams{SearchK: 500}
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
