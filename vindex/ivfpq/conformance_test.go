package ivfpq

import (
	"io"
	"strconv"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func TestConformance(t *testing.T) {
	vindextest.RunSuite(t,
		func(dims int, m vindex.Metric) vindex.Index {
			x, err := New(dims, m, map[string]string{"lists": "16", "m": strconv.Itoa(min(8, dims))})
			if err != nil {
				t.Fatal(err)
			}
			return x
		},
		func(r io.Reader) (vindex.Index, error) { return Load(r) },
		vindextest.SuiteOptions{
			MinRecall:  0.95,
			Params:     &vindex.SearchParams{Probes: 8, Rerank: 10},
			Exhaustive: &vindex.SearchParams{Probes: 16, Rerank: 1000},
			// NB: L1 does not decompose over the PQ inner-product tables (see doc.go).
			Metrics: []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine},
		})
}
