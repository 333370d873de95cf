package flat_test

import (
	"fmt"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// benchDataset measures single-query exact search over a shared dataset,
// reporting recall@10 against the ground truth and queries per second.
// quant is the quantized-scan mode ("auto", "off"); with it on, the
// average number of pass-1 survivors is reported as cands/query.
func benchDataset(b *testing.B, name string, workers int, quant string) {
	dir, err := dataset.SharedDir(name)
	if err != nil {
		b.Fatal(err)
	}
	d, err := dataset.Open(dir, "l2")
	if err != nil {
		b.Fatal(err)
	}
	x := flat.New(d.Dims, vindex.L2)
	x.SetQuantizedScan(quant)
	if err := x.Add(vindextest.SeqIDs(0, d.N), d.Base); err != nil {
		b.Fatal(err)
	}
	res := make([]vindex.Result, 0, 10)
	var recall float64
	for q := range d.NQ {
		res, _ = x.SearchParallel(d.Query(q), 10, nil, res, workers)
		recall += dataset.Recall(res, d.TruthRow(q), 10)
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
		b.Run(fmt.Sprintf("threads=%d", w), func(b *testing.B) { benchDataset(b, "siftsmall", w, "auto") })
	}
}

// BenchmarkFlatFashionMNIST: 30k × 784 (the first 30k of 60k), memory-bandwidth bound.
func BenchmarkFlatFashionMNIST(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", w), func(b *testing.B) { benchDataset(b, "fashion-mnist-784", w, "auto") })
	}
}

// BenchmarkFlatQuantized compares, in one run, the plain float32 L2 scan
// (quant=off) with the default that prefilters with the uint8 copy
// (quant=auto), single-threaded and on 2 goroutines:
//
//	go test -run X -bench FlatQuantized -count 3 ./vindex/flat/
func BenchmarkFlatQuantized(b *testing.B) {
	for _, name := range []string{"siftsmall", "fashion-mnist-784"} {
		for _, w := range []int{1, 2} {
			for _, quant := range []string{"off", "auto"} {
				b.Run(fmt.Sprintf("%s/threads=%d/quant=%s", name, w, quant), func(b *testing.B) { benchDataset(b, name, w, quant) })
			}
		}
	}
}
