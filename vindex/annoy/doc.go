// Package annoy is a random-projection forest index in the manner of
// Spotify's Annoy (Bernhardsson, "Annoy: Approximate Nearest Neighbors Oh
// Yeah"): n_trees binary trees, each splitting the vectors recursively by
// a hyperplane between two centres found by a short two-means run, until a
// leaf holds at most leaf_size vectors. A query walks all trees at once
// with one priority queue ordered by the margin to each splitting plane,
// collects search_k candidate slots from the leaves it reaches, and ranks
// the distinct candidates by exact distance.
//
// # Search cost (where the time goes)
//
// On siftsmall the walk, not the ranking, dominated: plane dot products
// (each plane a cache miss), heap operations and the leaf dedupe. So a
// popped node descends straight to its leaf on the query's side, queueing
// only the far children (half the heap traffic of Annoy's loop); leaves
// are deduplicated against an epoch-stamped visited array (O(1) reset)
// without branches; and the candidates are ranked in one prefetching
// gather call (distance.L2SquaredGather) instead of a call per slot.
//
// # Layout (no pointer trees)
//
// Vectors live in one flat array (slot s at vecs[s*dims:]), ids and
// tombstones in parallel arrays. Each inner node n has its plane normal at
// planes[n*dims:], its offset at offsets[n] and two children at
// child[2n], child[2n+1]: a child c ≥ 0 is an inner node, c < 0 is leaf
// -(c+1), whose slots are leafItems[leafStart[l]:leafStart[l+1]].
//
// # Inserts after a build: the buffer
//
// The forest covers slots [0, built). Slots added later form the buffer,
// which every Search scans exactly and merges into the results, so an
// insert is visible at once. When the buffer reaches
// max(build_threshold, built/10) vectors, Add rebuilds the forest over
// every live vector (dropping tombstones). A small index (under
// build_threshold vectors) is therefore all buffer and searched exactly.
//
// # Deletes
//
// Delete marks the slot dead (skipped by Search) and forgets its id. When
// dead slots exceed a quarter of all slots, the forest is rebuilt without
// them. Re-adding an id tombstones the old slot and appends a new one.
//
// # Search parameters
//
// SearchParams.SearchK: candidate slots to collect from the forest
// (default n_trees*k*DefaultSearchKFactor; Annoy's default is n_trees*k,
// which gives poor recall at k=10 and is multiplied up here). With a
// Filter, collection continues past search_k while fewer than k
// candidates passed, until the forest is exhausted or
// SearchParams.MaxCandidates slots were collected.
//
// # Metrics
//
// Splits are Euclidean on the stored vectors (unit vectors for cosine), so
// L2, cosine and L1 behave like Annoy's euclidean/angular/manhattan. Inner
// product is not a metric: splitting the raw vectors by position sends a
// query to the vectors near it, not to those with the largest q·x. So for
// inner product the build splits vectors lifted to x' = (x, √(M² − ‖x‖²))
// (M the largest norm; Bachrach et al. 2014, as Annoy's dot metric does),
// where Euclidean order from (q, 0) is inner-product order, and the walk
// scales the query to norm M (build.go ipLift, search.go walkQuery). The
// stored planes keep Dims() values: the query's extra coordinate is 0.
// An image saved before the lift (same format) keeps its old trees until
// the next rebuild (REINDEX).
//
// # Concurrency
//
// One RWMutex: Search, Save and Stats shared; Add, Delete and rebuilds
// exclusive. Builds are parallel over trees (2 workers).
//
// # Debugging
//
// Stats().Distances counts exact distances plus plane margins; low recall
// at a large search_k points at degenerate splits (check leaf sizes with
// Forest()).
package annoy
