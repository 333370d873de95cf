package ivfflat

import (
	"fmt"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// BenchmarkSearch sweeps probes on the shared datasets (one goroutine) and
// reports recall@10 and QPS next to ns/op. Run:
//
//	go test ./vindex/ivfflat -run '^$' -bench Search -benchtime 2000x
func BenchmarkSearch(b *testing.B) {
	for _, cfg := range []struct {
		data   string
		lists  string
		probes []int
	}{
		{"siftsmall", "100", []int{1, 4, 6, 8, 10, 16}},
		{"fashion-mnist-784", "100", []int{1, 2, 4, 6, 8}},
		{"fashion-mnist-784", "300", []int{4, 8, 12, 16}},
	} {
		ds := vindextest.SharedDataset(b, cfg.data, "l2")
		ix := buildFrom(b, ds, vindex.L2, map[string]string{"lists": cfg.lists})
		for _, p := range cfg.probes {
			b.Run(fmt.Sprintf("%s/lists=%s/probes=%d", cfg.data, cfg.lists, p), func(b *testing.B) {
				benchQueries(b, ix, ds, &vindex.SearchParams{Probes: p})
			})
		}
	}
}

func benchQueries(b *testing.B, ix vindex.Index, ds *dataset.Dataset, p *vindex.SearchParams) {
	nq := ds.NQ
	var sum float64
	res := make([]vindex.Result, 0, 10)
	for q := 0; q < nq; q++ {
		res, _ = ix.Search(ds.Query(q), 10, p, res)
		sum += dataset.Recall(res, ds.TruthRow(q), 10)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := i % nq
		i++
		res, _ = ix.Search(ds.Query(q), 10, p, res)
	}
	b.ReportMetric(sum/float64(nq), "recall@10")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
}
