package flat_test

import (
	"fmt"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// benchTruth returns the top-10 ids of every query of d under metric: the
// shipped ground truth for l2 and cosine, and for ip (which has none) the
// plain float32 scan's answer, so that the quantized scan is never its own
// reference.
func benchTruth(b *testing.B, d *dataset.Dataset, metric vindex.Metric) (truth []int32, k int) {
	if !d.TruthComputed {
		return d.Truth, d.TruthK
	}
	x := flat.New(d.Dims, metric)
	x.SetQuantizedScan("off")
	if err := x.Add(vindextest.SeqIDs(0, d.N), d.Base); err != nil {
		b.Fatal(err)
	}
	var res []vindex.Result
	for q := range d.NQ {
		res, _ = x.SearchParallel(d.Query(q), 10, nil, res, 2)
		for _, r := range res {
			truth = append(truth, int32(r.ID))
		}
	}
	return truth, 10
}

// benchDataset measures single-query exact search over a shared dataset
// under metric ("l2", "cosine", "ip"), reporting recall@10 against the
// ground truth and queries per second. quant is the quantized-scan mode
// ("auto", "off"); with it on, the average number of pass-1 survivors is
// reported as cands/query.
func benchDataset(b *testing.B, name, metric string, workers int, quant string) {
	dir, err := dataset.SharedDir(name)
	if err != nil {
		b.Fatal(err)
	}
	m, err := vindex.ParseMetric(metric)
	if err != nil {
		b.Fatal(err)
	}
	d, err := dataset.Open(dir, metric)
	if err != nil {
		b.Fatal(err)
	}
	truth, tk := benchTruth(b, d, m)
	x := flat.New(d.Dims, m)
	x.SetQuantizedScan(quant)
	if err := x.Add(vindextest.SeqIDs(0, d.N), d.Base); err != nil {
		b.Fatal(err)
	}
	res := make([]vindex.Result, 0, 10)
	var recall float64
	for q := range d.NQ {
		res, _ = x.SearchParallel(d.Query(q), 10, nil, res, workers)
		recall += dataset.Recall(res, truth[q*tk:(q+1)*tk], 10)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		res, _ = x.SearchParallel(d.Query(i%d.NQ), 10, nil, res, workers)
		i++
	}
	b.ReportMetric(recall/float64(d.NQ), "recall@10")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
	if queries, cands := x.QuantStats(); queries > 0 {
		b.ReportMetric(float64(cands)/float64(queries), "cands/query")
	}
}

// BenchmarkFlatSiftsmall: go test -run X -bench FlatSiftsmall ./vindex/flat/
func BenchmarkFlatSiftsmall(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", w), func(b *testing.B) { benchDataset(b, "siftsmall", "l2", w, "auto") })
	}
}

// BenchmarkFlatFashionMNIST: 30k × 784 (the first 30k of 60k), memory-bandwidth bound.
func BenchmarkFlatFashionMNIST(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", w), func(b *testing.B) { benchDataset(b, "fashion-mnist-784", "l2", w, "auto") })
	}
}

// BenchmarkFlatQuantized compares, in one run and per metric, the plain
// float32 scan (quant=off) with the default that prefilters with the uint8
// copy (quant=auto), single-threaded and on 2 goroutines:
//
//	go test -run X -bench FlatQuantized -count 3 ./vindex/flat/
//	go test -run X -bench 'FlatQuantized/siftsmall/cosine' -count 3 ./vindex/flat/
func BenchmarkFlatQuantized(b *testing.B) {
	for _, name := range []string{"siftsmall", "fashion-mnist-784"} {
		for _, metric := range []string{"l2", "cosine", "ip"} {
			for _, w := range []int{1, 2} {
				for _, quant := range []string{"off", "auto"} {
					b.Run(fmt.Sprintf("%s/%s/threads=%d/quant=%s", name, metric, w, quant), func(b *testing.B) {
						benchDataset(b, name, metric, w, quant)
					})
				}
			}
		}
	}
}
