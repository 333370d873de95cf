// Package flat is the exact vector index: every search scans every stored
// vector. It is the ground truth that every approximate index type is
// tested against (vindextest.RunSuite), and the index the planner uses for
// exact scans of small or heavily filtered sets.
//
// # Layout
//
// Vectors live in one contiguous []float32 (slot i at data[i*dims:]), with
// ids[slot] and a map id → slot. Delete moves the last slot into the hole
// (swap-remove), so storage stays dense and a scan never skips tombstones.
// For Cosine the squared norm of every stored vector is kept in norms[slot]
// so a scan needs one dot product per vector.
//
// # Search
//
// Distances are computed in blocks with the batch kernels
// (distance.L2SquaredBatch, DotBatch) into a pooled scratch buffer, and the
// best k kept in a bounded max-heap ordered by (ranking distance, id), so
// ties go to the smaller id. The filter is called only for candidates that
// would enter the heap. SearchParallel (and Search, after SetSearchWorkers)
// splits the slots between goroutines and merges their heaps; indexes under
// about 128k stored values are always scanned on the calling goroutine. NaN distances (cosine with a zero vector) sort
// after every number, as in PostgreSQL.
//
// # Quantized scans (L2, Cosine, InnerProduct)
//
// An unfiltered L2, Cosine or InnerProduct search of an index of at least
// 64k stored values (with the AVX-512 VNNI uint8 kernel, or with every
// kernel in Go) first scans a uint8 copy of the vectors (quant.go:
// per-dimension offset, one global scale, a per-vector residual bound)
// with distance.L2SquaredU8Batch. Exact integer distances give lower and
// upper bounds on every true distance (triangle inequality); only the slots
// whose lower bound can beat the k-th smallest upper bound, widened by the
// float32 rounding bound of the plain scan's rank, are re-ranked exactly as
// the plain scan ranks them into the same heap, so the results are
// bit-for-bit the plain scan's (quant_search.go states the argument).
//
//   - L2 encodes the vectors; siftsmall queries take ~28 µs instead of ~76.
//   - Cosine encodes the unit vectors (1 − cos = ‖q̂ − x̂‖²/2). Vectors
//     whose float32 squared norm is zero, subnormal or above 2¹⁰⁰ (no
//     usable unit vector) are left out of the prefilter and always
//     re-ranked, so zero vectors keep their NaN and their place;
//     siftsmall ~125 → ~31 µs, fashion-mnist ~3.9 → ~0.9 ms.
//   - InnerProduct encodes the vectors and keeps ‖x‖²: q·x =
//     (‖q‖² + ‖x‖² − ‖q − x‖²)/2 bounds the rank per slot (quant_ip.go);
//     siftsmall ~89 → ~34 µs, fashion-mnist ~2.3 → ~1.0-1.3 ms.
//
// (One goroutine, BenchmarkFlatQuantized, -count 3 on a shared 2-core
// machine.) About 4× less memory is read. The copy is built lazily by the first such
// search (one searcher builds it under the read lock, about 6 ms per
// million values, Cosine about twice that; others scan the floats
// meanwhile), kept in step by Add and Delete, dropped for a rebuild when
// the index doubles or over 1% of vectors were clamped on encoding, and not
// persisted (a loaded index rebuilds it). It costs dims+12 bytes per vector
// (InnerProduct dims+20; Stats includes it). The quantized scan runs on
// the calling goroutine whatever the worker count: it beats the plain scan
// on two; filtered, L1 or small searches, k > n/8, NaN or huge queries, a
// cosine query without a unit vector and queries with more than n/4
// survivors use the plain scan.
//
// # Invariants
//
//   - len(data) == len(ids)*dims; slots[ids[i]] == i for every slot i.
//   - For Cosine, len(norms) == len(ids).
//   - All fields are guarded by mu; Search holds the read lock for the scan.
//   - When quant is non-nil, its slot i encodes data[i*dims:] (same length,
//     codes, row terms, residual bounds ≥ the true residual, +Inf exactly for
//     the cosine slots left out, counted per block; for InnerProduct the
//     squared norm); stored values are finite (Add and Load reject NaN and
//     ±Inf). QuantCheck (export_test.go) re-derives all of it.
//
// # Debugging
//
// Results disagree with SQL? Compare with distance.ForMetric on the pair:
// flat must equal it up to float32 rounding of the batch kernels. Quantized
// and plain scans disagree? Switch with SetQuantizedScan("off"/"force") in
// a test (export_test.go); QuantCheck finds a copy out of step with the
// data; quant_bounds_test.go checks each error bound the proofs use.
package flat
