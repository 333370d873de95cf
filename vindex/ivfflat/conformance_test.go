package ivfflat

import (
	"io"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func TestConformance(t *testing.T) {
	vindextest.RunSuite(t,
		func(dims int, m vindex.Metric) vindex.Index {
			x, err := New(dims, m, map[string]string{"lists": "16"})
			if err != nil {
				t.Fatal(err)
			}
			return x
		},
		func(r io.Reader) (vindex.Index, error) { return Load(r) },
		vindextest.SuiteOptions{
			MinRecall:  0.95,
			Params:     &vindex.SearchParams{Probes: 8},
			Exhaustive: &vindex.SearchParams{Probes: 16},
		})
}
