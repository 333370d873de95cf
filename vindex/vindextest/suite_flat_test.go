package vindextest_test

import (
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// TestFlatConformance runs the suite on flat itself: it must pass with
// recall exactly 1.
func TestFlatConformance(t *testing.T) {
	vindextest.RunSuite(t,
		func(dims int, m vindex.Metric) vindex.Index { return flat.New(dims, m) },
		flat.LoadIndex,
		vindextest.SuiteOptions{MinRecall: 1, FilteredMinRecall: 1})
}
