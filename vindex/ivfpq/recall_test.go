package ivfpq

import (
	"fmt"
	"testing"

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

func measure(t testing.TB, ix *Index, ds *dataset.Dataset, p *vindex.SearchParams) float64 {
	var res []vindex.Result
	var sum float64
	for q := 0; q < ds.NQ; q++ {
		var err error
		res, err = ix.Search(ds.Query(q), 10, p, res)
		if err != nil {
			t.Fatal(err)
		}
		sum += dataset.Recall(res, ds.TruthRow(q), 10)
	}
	return sum / float64(ds.NQ)
}

// Recall floors on siftsmall with lists=100, m=16 (16-byte codes), nbits=8,
// seed 1, pinned a little below the measured values (see the report in
// the benchmark); lowered only with a recorded reason.
func TestRecallSiftsmall(t *testing.T) {
	for _, tc := range []struct {
		metric         vindex.Metric
		gt             string
		probes, rerank int
		floor          float64
	}{
		{vindex.L2, "l2", 10, 1, 0.5},
		{vindex.L2, "l2", 10, 10, 0.9},
		{vindex.Cosine, "cosine", 10, 10, 0.9},
	} {
		t.Run(fmt.Sprintf("%s/probes=%d/rerank=%d", tc.gt, tc.probes, tc.rerank), func(t *testing.T) {
			ds := vindextest.SharedDataset(t, "siftsmall", tc.gt)
			ix := buildFrom(t, ds, tc.metric, map[string]string{"m": "16"})
			r := measure(t, ix, ds, &vindex.SearchParams{Probes: tc.probes, Rerank: tc.rerank})
			mem := ix.Memory()
			raw := int64(len(ds.Base)) * 4
			t.Logf("recall@10 = %.4f; compressed %d bytes (codes %d, centroids %d, codebooks %d) vs raw %d = 1/%.1f",
				r, mem.Compressed(), mem.Codes, mem.Centroids, mem.Codebooks, raw, float64(raw)/float64(mem.Compressed()))
			if r < tc.floor {
				t.Fatalf("recall@10 %.4f below floor %.2f", r, tc.floor)
			}
			if mem.Codes+mem.Centroids+mem.Codebooks > raw/8 {
				t.Fatalf("code+centroid+codebook bytes %d exceed 1/8 of raw %d", mem.Codes+mem.Centroids+mem.Codebooks, raw)
			}
		})
	}
}
