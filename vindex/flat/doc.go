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
// # Invariants
//
//   - len(data) == len(ids)*dims; slots[ids[i]] == i for every slot i.
//   - For Cosine, len(norms) == len(ids).
//   - All fields are guarded by mu; Search holds the read lock for the scan.
//
// # Debugging
//
// Results disagree with SQL? Compare with distance.ForMetric on the pair:
// flat must equal it up to float32 rounding of the batch kernels.
package flat
