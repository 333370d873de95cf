package hnsw

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// parallelMin is the batch size from which Add links in parallel.
const parallelMin = 256

// Add inserts vectors under ids (vecs holds len(ids)*Dims() values, row
// after row; the index copies them). An id already present is replaced:
// its old vector becomes a tombstone. For cosine, vectors are stored
// normalised; all-zero vectors are kept but never returned (as pgvector,
// which does not index them).
//
// Batches of parallelMin or more vectors are linked by runtime.NumCPU()
// goroutines (the bulk build), reporting progress through ix.Progress.
// Searches may run concurrently; concurrent Add/Delete calls are
// serialised. Errors (nothing is added): wrapped ErrDims for a length
// mismatch, wrapped ErrNonFinite for NaN or Inf values.
func (ix *Index) Add(ids []uint64, vecs []float32) error {
	if err := ix.validate(ids, vecs); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	start := time.Now()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	slots := ix.reserve(ids, vecs)
	ix.linkAll(slots)
	ix.buildNs.Add(int64(time.Since(start)))
	return nil
}

// linkAll inserts reserved slots into the graph, in parallel for large
// batches. Caller holds writeMu.
func (ix *Index) linkAll(slots []uint32) {
	workers := runtime.NumCPU()
	if len(slots) < parallelMin || workers < 2 {
		sc := ix.getScratch()
		for i, s := range slots {
			ix.insert(s, sc)
			ix.report(i+1, len(slots))
		}
		ix.putScratch(sc)
		return
	}
	// NB: items are handed out in order by an atomic counter rather than
	// split into contiguous chunks, so every worker inserts into a graph
	// that grows evenly (as hnswlib's ParallelFor); chunks would build
	// disjoint regions first and link them late.
	var next, done atomic.Int64
	var progMu sync.Mutex
	step := int64(max(len(slots)/100, 1))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			sc := ix.getScratch()
			defer ix.putScratch(sc)
			for {
				i := next.Add(1) - 1
				if i >= int64(len(slots)) {
					return
				}
				ix.insert(slots[i], sc)
				if n := done.Add(1); n%step == 0 || n == int64(len(slots)) {
					progMu.Lock()
					ix.report(int(n), len(slots))
					progMu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}

func (ix *Index) report(done, total int) {
	if ix.Progress != nil {
		ix.Progress("hnsw build", done, total)
	}
}

func timeDuration(ns int64) time.Duration { return time.Duration(ns) }
