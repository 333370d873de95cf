package hnsw

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
)

// evictBuf is streamed through before each cold query.
var evictBuf = make([]uint64, (64<<20)/8)

// evict writes one word of every cache line of the first n bytes of
// evictBuf: 2 MiB flushes the per-core caches (L1, L2), 64 MiB the last
// level too.
func evict(n int) {
	b := evictBuf[:n/8]
	for i := 0; i < len(b); i += 8 {
		b[i]++
	}
}

// benchQuant builds an L2 index over a data set once (m=16,
// ef_construction=200) and, per ef, measures one-thread search with
// float32 and quantized (u8) traversal in three cache regimes: hot
// (queries back to back), l2cold (2 MiB streamed through the caches before
// every query: the per-core caches are cold, the last level warm, close to
// a server between queries) and cold (64 MiB: everything cold, the worst
// case). Modes alternate in rounds over all queries so that other load on
// the machine hits both alike; each search is timed alone and the median
// is reported (ns), with recall@10 over all queries. Run with
// -benchtime=1x: the work per ef is fixed (rounds × queries × 6).
func benchQuant(b *testing.B, name string) {
	d := loadDataset(b, name, "l2")
	ix := mustNew(b, d.dims, vindex.L2, map[string]string{"m": "16", "ef_construction": "200", "seed": "42"})
	st := time.Now()
	if err := ix.Add(seqIDs(d.n()), d.base); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: built %d×%d in %v", name, d.n(), d.dims, time.Since(st))
	const rounds = 3
	modes := []string{"float", "u8"}
	regimes := []struct {
		name  string
		bytes int
	}{{"hot", 0}, {"l2cold", 2 << 20}, {"cold", 64 << 20}}
	for _, ef := range []int{10, 20, 30, 40, 80} {
		b.Run(fmt.Sprintf("ef=%d", ef), func(b *testing.B) {
			p := &vindex.SearchParams{EfSearch: ef}
			samples := map[string][]time.Duration{}
			recall := map[string]float64{}
			res := make([]vindex.Result, 0, 16)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for b.Loop() {
				for range rounds {
					for _, mode := range modes {
						ix.setQuantized(mode == "u8")
						recall[mode] = meanRecall(b, ix, d, p, func(i int) []int32 { return d.gt[i] })
						for _, rg := range regimes {
							key := mode + "-" + rg.name
							for i := range d.nq() {
								evict(rg.bytes)
								t0 := time.Now()
								res, _ = ix.Search(d.query(i), 10, p, res)
								samples[key] = append(samples[key], time.Since(t0))
							}
						}
					}
				}
			}
			for _, mode := range modes {
				b.ReportMetric(recall[mode], mode+"-recall@10")
				for _, rg := range regimes {
					s := samples[mode+"-"+rg.name]
					slices.Sort(s)
					b.ReportMetric(float64(s[len(s)/2].Nanoseconds()), mode+"-"+rg.name+"-ns")
				}
			}
		})
	}
}

func BenchmarkQuantSiftsmall(b *testing.B) { benchQuant(b, "siftsmall") }

func BenchmarkQuantFashionMNIST(b *testing.B) { benchQuant(b, "fashion-mnist-784") }
