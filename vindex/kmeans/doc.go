// Package kmeans clusters flat float32 vectors with Lloyd's algorithm. It is
// the trainer behind the IVF coarse quantizers (vindex/ivfflat, vindex/ivfpq)
// and the product-quantizer codebooks (vindex/ivfpq).
//
// # Data flow
//
// Train(data, dims, cfg) draws a sample of at most cfg.MaxSample rows with
// a seeded RNG, seeds K centroids (k-means++ by default, Arthur &
// Vassilvitskii 2007, "k-means++: The Advantages of Careful Seeding",
// Algorithm 1 with the greedy variant's single trial), then runs Lloyd
// iterations: an assignment step split over cfg.Workers goroutines, each
// accumulating float64 partial sums into its own buffer, then an update
// step that merges the partial sums in worker order. Iteration stops after
// cfg.Iters rounds or when fewer than 0.1 % of the sample changes cluster.
//
// # Invariants
//
//   - Deterministic: the same data, dims and Config (including Workers)
//     give bit-identical centroids. The RNG is seeded from cfg.Seed only
//     and partial sums are merged in a fixed order.
//   - No empty cluster survives an update step: an empty cluster takes the
//     sample point farthest from its centroid (among clusters with at least
//     two members), which then moves to the new cluster.
//   - Spherical mode normalises the sample and every centroid to unit
//     length, so minimum squared L2 equals maximum inner product; that is
//     the mode for cosine and inner-product indexes.
//   - K larger than the sample is allowed: the surplus centroids duplicate
//     sample points (IVF lists then simply stay empty), so callers never
//     fail on small tables.
//
// # Debugging
//
// Start with Config.Progress (phase "kmeans.init" then "kmeans.iter"), and
// Result.Inertia per iteration (Result.History) which must not increase
// by more than rounding between iterations.
package kmeans
