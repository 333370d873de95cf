package annoy

import (
	"io"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// The suite's small sets stay under build_threshold (all buffer, exact);
// build_threshold=64 makes them go through the forest instead.
func TestConformance(t *testing.T) {
	for _, threshold := range []string{"1000", "64"} {
		t.Run("build_threshold="+threshold, func(t *testing.T) {
			vindextest.RunSuite(t,
				func(dims int, m vindex.Metric) vindex.Index {
					x, err := New(dims, m, map[string]string{"n_trees": "10", "build_threshold": threshold})
					if err != nil {
						t.Fatal(err)
					}
					return x
				},
				func(r io.Reader) (vindex.Index, error) { return Load(r) },
				vindextest.SuiteOptions{
					MinRecall:  0.95,
					Params:     &vindex.SearchParams{SearchK: 1000},
					Exhaustive: &vindex.SearchParams{SearchK: 1 << 30},
				})
		})
	}
}
