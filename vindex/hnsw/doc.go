// Package hnsw is vecgres's HNSW vector index (Malkov & Yashunin,
// "Efficient and robust approximate nearest neighbor search using
// Hierarchical Navigable Small World graphs", IEEE TPAMI 2018). It
// implements vindex.Index for the float metrics L2, inner product, cosine
// and L1, and for Jaccard over 0/1 vectors (bit strings, as SQL's
// bit_jaccard_ops indexes them; distance.JaccardBinary).
//
// # Files
//
//	hnsw.go     Index type, New and its options (m, ef_construction, seed), Stats
//	build.go    Add: reserve slots, then link them with runtime.NumCPU() workers
//	insert.go   Algorithm 1 (INSERT), Algorithm 4 (neighbour heuristic), link updates
//	search.go   Algorithm 2 (SEARCH-LAYER), Algorithm 5 (K-NN-SEARCH), filters
//	iter.go     Iterator: the resumable, iterative scan for SQL filters
//	delete.go   tombstones and Repair
//	mips.go     inner product: vectors augmented to norm M (MIPS→NN reduction)
//	quant.go    quantized traversal: uint8 codes, code-distance search, exact re-rank
//	persist.go  Save/Load, format version 2 (reads 1)
//	visited.go  O(1)-reset visited set; heap.go typed candidate heaps
//
// # Data layout
//
// Vectors live in one []float32 slab indexed by slot (slot s at
// s*stride; stride is dims, or dims+1 for inner product). Level-0
// neighbour lists live in one []uint32 slab, slot s at s*(2m+1): a count
// then up to 2m neighbour slots. Nodes above level 0 (about 1/m of them)
// have one []uint32 holding their upper lists (m+1 words per level).
// External uint64 ids map to slots through ids[] and idSlot. Cosine
// vectors are stored normalised, so cosine ranks by -dot. Inner product
// stores vectors augmented with one coordinate sqrt(M²-|x|²) (mips.go:
// all of them have norm M, so -dot between stored vectors is a true
// metric, used to select neighbours) and ranks queries, padded with 0,
// by -dot (so -q·x is unchanged). L2 ranks by the squared distance, L1
// by itself (the function is chosen once, in New). Dims() and every
// vector handed out exclude the extra coordinate. Results report the
// metric's SQL form (see vindex.Result).
//
// # Quantized traversal
//
// L2 and cosine indexes of at least quantMinDims dimensions also keep
// every vector as dims uint8 codes (quant.go). Search then walks the graph
// (upper levels and level 0) by the exact integer distance between codes
// (distance.L2SquaredU8Gather), keeps ef nodes (plus the closest few it
// pushed out), and re-ranks them with the float32 distance, so results and
// distances are the float path's. Construction, Repair, fixOrphans and
// Iterator use float32 distances only. Codes are written with the vector
// in reserve (before the slot is linked) and rebuilt by Load (not saved);
// when more than 1% of the slots were clamped into the code range, reserve
// re-derives it and re-encodes every slot under mu.
//
// # Concurrency and invariants
//
//   - writeMu serialises Add, Delete, Repair and Save; Add parallelises
//     its linking internally.
//   - mu is held shared by searches and exclusively only while slices
//     grow, slots are reserved, tombstones are set and repaired slots are
//     freed: short critical sections.
//   - Neighbour lists are written with atomic stores under a per-node
//     stripe lock and read with atomic loads and no lock: searches run
//     while inserts link (see the NB in insert.go).
//   - A slot is published (reachable by links) only after its vector,
//     codes (quantized indexes), level and id are written; a slot is freed only after no live list
//     links to it; slot reuse bumps gen, which iterators check.
//   - Tombstones (flagDead) stay in the graph and are traversed but never
//     returned; Repair relinks their neighbours and frees them.
//   - Inner product: normBound (M) ≥ the norm of every stored vector and
//     each stored slot's last coordinate is sqrt(M²-|x|²); Add raises M
//     (rewriting only that coordinate, under mu) before storing a longer
//     vector.
//
// # Filtered search
//
// Search with SearchParams.Filter walks through nodes that fail the
// filter but keeps only passing ones as results, and continues until ef
// passing nodes are found (or the graph or MaxCandidates is exhausted):
// strategy (c) in design.md. Iterator gives strategy (b): batches of new
// results until the caller has enough rows.
//
// # Debugging
//
// Recall drops: run the recall tests (recall_test.go) and compare with
// ef raised; check Stats().Deleted (unrepaired tombstones cost hops);
// checkLinks (persist.go) validates a graph's structure. Speed: the
// benchmarks in bench_test.go report recall@10 next to QPS; profile with
// go test -bench SearchSiftsmall -cpuprofile.
package hnsw
