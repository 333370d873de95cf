package hnsw

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
)

// benchSearch builds an index over a data set (m=16, ef_construction=200)
// once, then measures one-thread search per ef, reporting recall@10 and
// QPS next to ns/op. Run with -benchtime=Nx to fix the query count.
func benchSearch(b *testing.B, name string) {
	d := loadDataset(b, name, "l2")
	ix := mustNew(b, d.dims, vindex.L2, map[string]string{"m": "16", "ef_construction": "200", "seed": "42"})
	st := time.Now()
	if err := ix.Add(seqIDs(d.n()), d.base); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: built %d×%d in %v on %d cores", name, d.n(), d.dims, time.Since(st), runtime.NumCPU())
	for _, ef := range []int{10, 20, 40, 80, 120} {
		b.Run(fmt.Sprintf("ef=%d", ef), func(b *testing.B) {
			p := &vindex.SearchParams{EfSearch: ef}
			res := make([]vindex.Result, 0, 16)
			got := make([]uint64, 0, 16)
			var recall float64
			for i := 0; i < d.nq(); i++ { // recall over all queries, outside the timer
				res, _ = ix.Search(d.query(i), 10, p, res)
				got = got[:0]
				for _, r := range res {
					got = append(got, r.ID)
				}
				recall += recallAt(got, d.gt[i], 10)
			}
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0 := threadCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, _ = ix.Search(d.query(i%d.nq()), 10, p, res)
			}
			b.StopTimer()
			b.ReportMetric(recall/float64(d.nq()), "recall@10")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "qps")
			// NB: cpu-qps divides by this thread's CPU time, so it stays
			// meaningful when other processes share the cores (wall-clock
			// qps then understates single-thread speed).
			if cpu := threadCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "cpu-qps")
			}
		})
	}
}

// threadCPU returns the calling OS thread's user+system CPU time.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkSearchSiftsmall(b *testing.B) { benchSearch(b, "siftsmall") }

func BenchmarkSearchFashionMNIST(b *testing.B) { benchSearch(b, "fashion-mnist-784") }

// BenchmarkBuild measures a bulk build on all cores (m=16,
// ef_construction=200) and reports recall@10 of the built graph at ef=40
// on 100 queries against exact ground truth (dataset.Synthetic computes
// it for the synthetic set).
func BenchmarkBuild(b *testing.B) {
	params := map[string]string{"m": "16", "ef_construction": "200"}
	b.Run("siftsmall", func(b *testing.B) {
		d := loadDataset(b, "siftsmall", "l2")
		var ix *Index
		for i := 0; i < b.N; i++ {
			ix = mustNew(b, d.dims, vindex.L2, params)
			if err := ix.Add(seqIDs(d.n()), d.base); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/build")
		b.ReportMetric(meanRecall(b, ix, d, &vindex.SearchParams{EfSearch: 40}, func(i int) []int32 { return d.gt[i] }), "recall@10")
	})
	b.Run("synthetic50k", func(b *testing.B) {
		d := dataset.Synthetic(50000, 128, vindex.L2)
		var ix *Index
		for i := 0; i < b.N; i++ {
			ix = mustNew(b, d.Dims, vindex.L2, params)
			if err := ix.Add(seqIDs(d.N), d.Base); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/build")
		var rec float64
		for qi := 0; qi < d.NQ; qi++ {
			res, _ := ix.Search(d.Query(qi), 10, &vindex.SearchParams{EfSearch: 40}, nil)
			rec += dataset.Recall(res, d.TruthRow(qi), 10)
		}
		b.ReportMetric(rec/float64(d.NQ), "recall@10")
	})
}
