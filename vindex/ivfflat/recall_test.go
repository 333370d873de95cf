package ivfflat

import (
	"fmt"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func buildFrom(t testing.TB, ds *dataset.Dataset, m vindex.Metric, params map[string]string) *Index {
	ix, err := New(ds.Dims, m, params)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Train(ds.Base); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(vindextest.SeqIDs(0, ds.N), ds.Base); err != nil {
		t.Fatal(err)
	}
	return ix
}

func measure(t testing.TB, ix *Index, ds *dataset.Dataset, probes int) (recall float64, qps float64) {
	var res []vindex.Result
	var err error
	var sum float64
	start := time.Now()
	for q := 0; q < ds.NQ; q++ {
		res, err = ix.Search(ds.Query(q), 10, &vindex.SearchParams{Probes: probes}, res)
		if err != nil {
			t.Fatal(err)
		}
		sum += dataset.Recall(res, ds.TruthRow(q), 10)
	}
	el := time.Since(start)
	return sum / float64(ds.NQ), float64(ds.NQ) / el.Seconds()
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
			ds := vindextest.SharedDataset(t, "siftsmall", tc.gt)
			ix := buildFrom(t, ds, tc.metric, nil)
			r, _ := measure(t, ix, ds, tc.probes)
			t.Logf("recall@10 = %.4f", r)
			if r < tc.floor {
				t.Fatalf("recall@10 %.4f below floor %.2f", r, tc.floor)
			}
		})
	}
}
