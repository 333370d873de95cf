// Package vindextest is the conformance suite every vindex.Index type runs,
// with vindex/flat as the ground truth.
//
// # Use
//
// In an index package's test (package hnsw_test, say):
//
//	func TestConformance(t *testing.T) {
//		vindextest.RunSuite(t,
//			func(dims int, m vindex.Metric) vindex.Index {
//				x, err := hnsw.New(dims, m, map[string]string{"m": "16"})
//				if err != nil {
//					t.Fatal(err)
//				}
//				return x
//			},
//			func(r io.Reader) (vindex.Index, error) { return hnsw.Load(r) },
//			vindextest.SuiteOptions{
//				MinRecall:  0.95,
//				Params:     &vindex.SearchParams{EfSearch: 64},
//				Exhaustive: &vindex.SearchParams{EfSearch: 400},
//			})
//	}
//
// Run it under the race detector too: go test -race ./vindex/hnsw/.
//
// # What it checks (each a subtest, so -run narrows it)
//
//   - Basics: Dims/Metric, Search on an empty index, k <= 0, k > n, dst
//     reuse, wrong-length query and vectors rejected with an error.
//   - Exact answers on small sets (≤ 300 vectors) under opts.Exhaustive,
//     compared with flat: for every metric, after deletes, with a filter,
//     with duplicate vectors, after re-adding an id with a new vector.
//   - Ordering: closest first, ties broken by smaller id, no duplicate ids,
//     and (unless opts.ApproximateDistances) each reported distance equal to
//     the exact distance of that id in the metric's reported form (L2 as
//     Euclidean distance, InnerProduct negated, Cosine 1-cos, L1).
//   - Persistence: Save then the loader gives identical results; truncated
//     or garbage input makes the loader return an error, not panic.
//   - Recall@10 against flat on a fixed-seed clustered dataset
//     (opts.RecallN vectors of opts.RecallDims) above opts.MinRecall, for every
//     metric in opts.Metrics, using opts.Params; with opts.FilteredMinRecall
//     set, also under filters passing 10% and 1% of the ids.
//   - Concurrency: Searches running while another goroutine Adds and
//     Deletes; results stay well formed.
//
// # Contract for the index under test
//
// newIndex is called for every subtest with a fresh index. The suite calls
// Train with the vectors it is about to add before the first Add (indexes
// that need no training return nil); a training set can be small (a handful
// of vectors), so clamp the list count to it. Search on an index that was
// never trained or holds nothing must return no results and no error.
// Exhaustive must make the index return the exact top k on a few hundred
// vectors (e.g. a large ef_search, probes = lists, search_k = n·trees, a
// large rerank); nil means the index's defaults are already exact there.
package vindextest
