// Package topk keeps the k best search results seen so far: a bounded
// binary max-heap of vindex.Result ordered by distance, ties broken by the
// smaller id (the order vindex.Index.Search promises). It is the result
// collector of the annoy, ivfflat and ivfpq searches.
//
// # Data flow
//
// A search owns one Heap (usually in pooled scratch memory), calls Reset(k)
// once, then for each candidate asks Admits(d, id) before any costly work
// (the filter callback), Push-es the admitted ones, and finally Drain-s the
// kept results, best first, into the caller's slice.
//
// # Invariants
//
//   - h[0] is the worst kept result, so a candidate is compared once.
//   - At most k results are held; Push is only called after Admits.
//   - No allocation once the backing array has grown to k: Reset and Drain
//     keep it.
//
// Distances are compared as plain float32 (a NaN candidate never beats a
// kept one); callers rank by values that are never NaN, except the cosine
// zero query, which pushes 0 for every id so that ids decide.
//
// # Debugging
//
// A wrong order or a missing neighbour is more likely in the caller's
// Admits/Push protocol than here: heap_test.go checks the heap against a
// sort of every candidate.
package topk
