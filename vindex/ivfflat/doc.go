// Package ivfflat is an inverted-file index with uncompressed vectors
// (IVF_FLAT, as pgvector's ivfflat and faiss's IndexIVFFlat): k-means
// splits the space into `lists` cells, each vector is stored in the list of
// its nearest centroid, and a query scans only the `probes` lists whose
// centroids are nearest to it.
//
// # Data flow
//
//	New(dims, metric, params) ─► Train(sample) ─► Add(ids, vecs) ─► Search
//	                              │ kmeans.Train   │ nearest centroid  │ rank centroids, scan
//	                              ▼                ▼                   ▼ probed lists (batch kernel)
//	                           centroids        lists[c]: ids + vecs   top-k heap, Filter
//
// Files: ivfflat.go (Index, New, options), train.go, insert.go, search.go,
// delete.go, persist.go. Shared with the other indexes: metric handling in
// vindex/space, centroid ranking and probe order in vindex/coarse, the
// result heap in vindex/topk.
//
// # Untrained index
//
// Vectors added before Train go to a pending list that every Search scans
// exactly, so they are never lost or invisible. Once the pending list
// reaches AutoTrainPerList*lists vectors, Add trains the centroids on them
// (k-means, fixed seed) and distributes them. NB: we deliberately do not
// train at the first Search on a handful of rows: centroids learnt from a
// few rows would stay poor for the life of the index, and an exact scan of
// fewer than AutoTrainPerList*lists rows is cheap. The SQL layer normally
// calls Train with a sample of the table before the bulk Add.
//
// # Search and iterative widening
//
// Search ranks all centroids, scans the SearchParams.Probes nearest lists
// (default 1, as pgvector's ivfflat.probes), and keeps the k best
// candidates that pass SearchParams.Filter. If fewer than k candidates
// passed, it keeps scanning the next-nearest lists, one at a time, until k
// passed, every list was scanned, or SearchParams.MaxCandidates vectors
// have been examined (0 = no limit). So a selective filter never silently
// yields fewer than k rows when k matching rows exist, unless the caller
// set a candidate budget (pgvector's ivfflat.max_probes plays that role).
// Filter is called only for candidates that would enter the current top k.
//
// # Invariants
//
//   - Every stored id is in exactly one list (a trained list, the pending
//     list, or the cosine zero list), and loc maps it to (list, position).
//   - Within a list, vecs holds len(ids)*dims values, contiguous, in the
//     same order as ids; Delete swaps the last entry into the hole.
//   - Cosine indexes store unit-length vectors; zero vectors are kept in
//     the zero list and never returned (as pgvector does not index them).
//   - Results are ordered by distance, ties by smaller id.
//
// # Concurrency
//
// One RWMutex: Search holds it shared; Train, Add, Delete and Load hold it
// exclusively; Save and Stats hold it shared.
//
// # Debugging
//
// Stats().Distances counts distance computations (centroids included);
// ListSizes shows how balanced the k-means cells are. Poor recall at
// modest probes usually means badly balanced lists (too small a sample)
// or, for cosine, vectors that were not normalised.
package ivfflat
