package ivfflat

import (
	"fmt"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
)

func buildFrom(t testing.TB, ds *dataset, m vindex.Metric, params map[string]string) *Index {
	ix, err := New(ds.dims, m, params)
	if err != nil {
		t.Fatal(err)
	}
	n := len(ds.base) / ds.dims
	if err := ix.Train(ds.base); err != nil {
		t.Fatal(err)
	}
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i)
	}
	if err := ix.Add(ids, ds.base); err != nil {
		t.Fatal(err)
	}
	return ix
}

func measure(t testing.TB, ix *Index, ds *dataset, probes int) (recall float64, qps float64) {
	nq := len(ds.queries) / ds.dims
	var res []vindex.Result
	var err error
	var sum float64
	got := make([]uint64, 10)
	start := time.Now()
	for q := 0; q < nq; q++ {
		res, err = ix.Search(ds.queries[q*ds.dims:(q+1)*ds.dims], 10, &vindex.SearchParams{Probes: probes}, res)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, r := range res {
			got = append(got, r.ID)
		}
		sum += recallAt(10, got, ds.gt[q])
	}
	el := time.Since(start)
	return sum / float64(nq), float64(nq) / el.Seconds()
}

// Recall floors on siftsmall (10k×128, 100 queries), lists=100, seed 1.
// Measured at commit time (see the report in the package's benchmark):
// they are pinned a little below the measurement and only lowered with a
// recorded reason.
func TestRecallSiftsmall(t *testing.T) {
	for _, tc := range []struct {
		metric vindex.Metric
		gt     string
		probes int
		floor  float64
	}{
		{vindex.L2, "l2", 1, 0.35},
		{vindex.L2, "l2", 10, 0.95},
		{vindex.Cosine, "cosine", 10, 0.95},
	} {
		t.Run(fmt.Sprintf("%s/probes=%d", tc.gt, tc.probes), func(t *testing.T) {
			ds := loadDataset(t, "siftsmall", tc.gt)
			ix := buildFrom(t, ds, tc.metric, nil)
			r, _ := measure(t, ix, ds, tc.probes)
			t.Logf("recall@10 = %.4f", r)
			if r < tc.floor {
				t.Fatalf("recall@10 %.4f below floor %.2f", r, tc.floor)
			}
		})
	}
}
