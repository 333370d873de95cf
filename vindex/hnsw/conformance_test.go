package hnsw_test

import (
	"io"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/hnsw"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func newHNSW(t *testing.T) func(dims int, m vindex.Metric) vindex.Index {
	return func(dims int, m vindex.Metric) vindex.Index {
		x, err := hnsw.New(dims, m, map[string]string{"m": "16", "ef_construction": "64", "seed": "1"})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
}

func loadHNSW(r io.Reader) (vindex.Index, error) { return hnsw.Load(r) }

// TestConformance runs the shared vindex conformance suite (flat as the
// reference) on HNSW. Floors: measured recall@10 on the suite's clustered
// 2000×32 set at ef_search 128 was l2 0.992, cosine 0.994, l1 0.996.
func TestConformance(t *testing.T) {
	vindextest.RunSuite(t, newHNSW(t), loadHNSW, vindextest.SuiteOptions{
		MinRecall:  0.97,
		Params:     &vindex.SearchParams{EfSearch: 128},
		Exhaustive: &vindex.SearchParams{EfSearch: 400},
		Metrics:    []vindex.Metric{vindex.L2, vindex.Cosine, vindex.L1},
	})
}

// TestConformanceInnerProduct: inner product is not a metric; the graph
// is built with the augmented-vector metric for neighbour selection
// (mips.go). Recall@10 at ef_search 128 was 0.922–0.934 before that
// (the old floor was 0.95 at ef 256, where it measured 0.96 and once
// 0.932 under load); measured since over 40 builds, most of them beside
// a CPU-heavy benchmark: 0.976–0.992 at ef 128 (ef 64: 0.90–0.95;
// ef 256: 0.998–1.0). Floor 0.95 at ef 128.
func TestConformanceInnerProduct(t *testing.T) {
	vindextest.RunSuite(t, newHNSW(t), loadHNSW, vindextest.SuiteOptions{
		MinRecall:  0.95,
		Params:     &vindex.SearchParams{EfSearch: 128},
		Exhaustive: &vindex.SearchParams{EfSearch: 400},
		Metrics:    []vindex.Metric{vindex.InnerProduct},
	})
}
