// Package space holds the per-metric arithmetic shared by the float-vector
// indexes that store prepared vectors (vindex/annoy, vindex/ivfflat,
// vindex/ivfpq): how a vector is prepared for storage, which kernel ranks
// candidates, and how a ranking distance becomes the reported one. The name
// follows hnswlib's "space" (L2Space, InnerProductSpace): a metric together
// with its kernels.
//
//	L2:     store raw;        rank ‖q-x‖²;        report √rank
//	IP:     store raw;        rank -q·x;          report rank
//	Cosine: store x/‖x‖;      rank 1 - q̂·x̂;      report rank
//	L1:     store raw;        rank Σ|q-x|;        report rank
//
// It also holds the input checks those indexes share (CheckAdd,
// CheckQuery), which return *pgerr.Error values worded as pgvector's.
//
// # Data flow
//
// Add: CheckAdd, then Prepare each vector into the index's storage (a
// cosine zero vector is reported, not stored as ranked). Search:
// CheckQuery, Prepare the query into scratch, rank with Exact, Batch or
// Gather, and Report only the k results returned.
//
// # Invariants
//
//   - Ranking distances order pairs exactly as the reported distances do,
//     so an index may rank by the cheaper one (vindex.ToReported).
//   - Cosine vectors are stored at unit length; the ranking distance is
//     then 1 - q̂·x̂ with one dot product.
//   - Nothing here allocates; callers own every slice.
//
// # Debugging
//
// A distance that differs from SQL's is either a missed Prepare (cosine
// query not normalised) or a missed Report (L2 still squared).
// vindex/vindextest's conformance suite compares reported distances with a
// float64 reference for every metric.
//
// hnsw and flat keep their own metric handling: hnsw normalises queries in
// float64 and picks kernels once at construction, flat ranks cosine without
// storing normalised vectors.
package space
