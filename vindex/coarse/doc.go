// Package coarse is the coarse quantizer shared by the inverted-file
// indexes (vindex/ivfflat, vindex/ivfpq): given k-means centroids, it ranks
// them for a query, assigns stored vectors to their nearest list, and
// orders the lists a search probes.
//
// # Data flow
//
// Train: the index runs kmeans.Train with Spherical(metric). Add: Nearest
// picks the list of each prepared vector. Search: Rank fills one distance
// per centroid, Select picks the nearest `probes` lists, and AppendRest
// orders the remaining lists for the widening scan.
//
// # Invariants
//
//   - Centroid ranking is ‖q-c‖² for L2 and L1 (k-means minimises L2) and
//     -q·c for inner product and cosine, whose centroids are unit length
//     (spherical k-means). For inner product, stored vectors are assigned
//     by their normalised form, as the centroids were trained on it.
//   - List orders are deterministic: by distance, ties by smaller list
//     index, so searches and tests are reproducible.
//   - Rank, Select and AppendRest allocate nothing when dst has capacity.
//
// # Debugging
//
// Poor recall with many probes is rarely the order here; check that the
// index prepared the query (space.Space.Prepare) before Rank.
package coarse
