// Package vindex defines the contract every vector index type implements,
// and the small shared vocabulary around it.
//
// # What lives where
//
//   - vindex (this package): Index, Metric, Result, SearchParams, Stats,
//     Progress, and Registry (type name → constructor and loader). It is a
//     leaf: it imports nothing from vecgres, so every index package and
//     vindex/distance may import it.
//   - vindex/distance: the SIMD distance kernels (AVX-512, AVX2+FMA, Go
//     fallback), ForMetric (ranking distance for a Metric) and Report.
//   - vindex/flat: the exact index, the ground truth every other type is
//     tested against.
//   - vindex/hnsw, vindex/ivfflat, vindex/ivfpq, vindex/annoy: ANN indexes
//     (vindex/kmeans trains the IVF coarse quantizers).
//   - Shared by annoy, ivfflat and ivfpq: vindex/space (metric preparation,
//     ranking kernels per metric, reported distance, input checks),
//     vindex/topk (the bounded top-k result heap), vindex/coarse (IVF
//     centroid ranking, list assignment, probe order).
//   - vindex/vindextest: RunSuite, the conformance suite each index type runs.
//   - vindex/dataset: fvecs/ivecs readers, ground truth and Recall.
//   - vindex/bench: the driver behind "vecgres bench".
//
// # Data flow
//
// Callers hand vectors flat (ids []uint64 and vecs []float32 of
// len(ids)*Dims()); indexes copy what they keep. Indexes rank by a "ranking
// distance" (distance.ForMetric: squared L2, -dot, 1-cos, L1) and convert to
// the reported distance (ToReported: √ for L2) only for the k results they
// return, so Result.Distance equals what SQL's <->, <#>, <=>, <+> compute.
//
// # Invariants
//
//   - Search results are sorted by reported distance ascending, ties broken
//     by smaller id; at most k results; never an id the Filter rejected.
//   - Adding an existing id replaces its vector; deleting an unknown id is a
//     no-op.
//   - Save writes a format version first; Load rejects versions it does not
//     know with an error, never a panic, and a loaded index returns the same
//     results as the saved one.
//   - Metric values are persisted: never renumber them.
//
// # Debugging
//
// Start by comparing against flat: vindextest.RunSuite does exactly that.
// A recall drop that follows the machine, not the code, is a kernel bug:
// rerun with VECGRES_NOSIMD=1 to force the Go kernels.
package vindex
