package hnsw

import (
	"math"
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
	if len(slots) >= parallelMin {
		ix.fixOrphans()
	}
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

// fixOrphans makes every linked node reachable on level 0 from the entry
// point, so that best-first search can find it.
//
// NB: the heuristic (Algorithm 4) prunes a full list when a new neighbour
// arrives, and a node pruned from every list it was in (or a small group
// linking only among themselves) becomes unreachable: invisible to every
// query however large ef, and to filtered and iterative scans that
// promise to exhaust the graph. hnswlib and the paper accept this; we fix
// it after bulk builds and repairs: a breadth-first walk from the entry
// point finds unreachable nodes, and each is adopted by the closest
// reachable node (found by a level-0 search) that has room in its list, or
// gives up an entry that has another incoming link. O(n*2m) plus one
// search per unreachable node; caller holds writeMu.
func (ix *Index) fixOrphans() {
	e := ix.entry.Load()
	if e == noEntry {
		return
	}
	ep, top := unpackEntry(e)
	indeg := make([]uint16, ix.nslots)
	for s := 0; s < ix.nslots; s++ {
		if ix.flags[s]&(flagFree|flagZero) != 0 {
			continue
		}
		nl := ix.links(uint32(s), 0)
		for _, x := range nl[1 : nl[0]+1] {
			if indeg[x] < math.MaxUint16 {
				indeg[x]++
			}
		}
	}
	reached := make([]bool, ix.nslots)
	queue := make([]uint32, 0, ix.nslots)
	walk := func(from uint32) {
		reached[from] = true
		queue = append(queue[:0], from)
		for len(queue) > 0 {
			s := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			nl := ix.links(s, 0)
			for _, x := range nl[1 : nl[0]+1] {
				if !reached[x] {
					reached[x] = true
					queue = append(queue, x)
				}
			}
		}
	}
	walk(ep)
	sc := ix.getScratch()
	defer ix.putScratch(sc)
	for si := 0; si < ix.nslots; si++ {
		o := uint32(si)
		if reached[o] || ix.flags[o] != 0 { // tombstones need no visitors
			continue
		}
		// Candidates: o's closest nodes found from the entry point (all
		// reachable, since the search walks from it).
		q := ix.buildQuery(o, sc)
		var count int64
		cur, curD := ep, ix.dist(q, ix.vec(ep))
		for l := top; l > 0; l-- {
			cur, curD = ix.greedy(q, cur, curD, l, o, &count)
		}
		sc.visited.reset(len(ix.levels))
		sc.visited.visit(o)
		sc.eps = append(sc.eps[:0], cand{curD, cur})
		ix.searchLayer(q, nil, sc, ix.efc, 0, nil, 0, &count)
		sc.sorted = sc.res.drainSorted(sc.sorted[:0])
		for _, c := range sc.sorted {
			if reached[c.slot] && ix.adopt(c.slot, o, indeg) {
				walk(o)
				break
			}
		}
	}
}

// adopt links o from n's level-0 list if n has room or an entry with
// another incoming link to give up.
func (ix *Index) adopt(n, o uint32, indeg []uint16) bool {
	mu := &ix.nodeMu[n%lockStripes]
	mu.Lock()
	defer mu.Unlock()
	nl := ix.links(n, 0)
	cnt := int(nl[0])
	if cnt < ix.m0 {
		atomic.StoreUint32(&nl[cnt+1], o)
		atomic.StoreUint32(&nl[0], uint32(cnt+1))
		indeg[o]++
		return true
	}
	for i := cnt; i >= 1; i-- {
		if x := nl[i]; indeg[x] > 1 {
			indeg[x]--
			atomic.StoreUint32(&nl[i], o)
			indeg[o]++
			return true
		}
	}
	return false
}
