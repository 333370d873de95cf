package flat

import (
	"fmt"
	"math"
	"sync"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// blockRows is how many distances are computed per batch-kernel call: large
// enough to amortise the call, small enough that the scratch stays in L1.
const blockRows = 256

// minParallelValues is the stored size (vectors × dims) below which
// SearchParallel scans on the calling goroutine: under it, starting
// goroutines costs more than it saves.
const minParallelValues = 1 << 17

type searchScratch struct {
	dist []float32
	heap resultHeap

	// The quantized scan's buffers (quant_search.go), grown on first use.
	qcode []uint8   // the query's codes
	qunit []float32 // the query's unit vector (Cosine)
	idist []uint32  // integer distances of one block
	cands []uint32  // pass-1 survivors
	lows  []float64 // their lower bounds
	uheap []float64 // max-heap of the k smallest upper bounds
}

// Search returns the k nearest stored vectors to q (exactly), closest first,
// ties broken by smaller id, appended to dst[:0]. p may be nil; only
// p.Filter is used. It scans on SetSearchWorkers goroutines (default 1). It returns an error if len(q) != Dims(). k <= 0 gives no
// results. Safe for concurrent use. The first large unfiltered L2, Cosine
// or InnerProduct search also builds the quantized copy (doc.go), about
// 5-7 ms per million stored values (more for Cosine, which normalizes every
// vector twice), holding the read lock (Adds wait meanwhile).
func (x *Index) Search(q []float32, k int, p *vindex.SearchParams, dst []vindex.Result) ([]vindex.Result, error) {
	return x.SearchParallel(q, k, p, dst, int(x.workers.Load()))
}

// SetSearchWorkers sets how many goroutines Search splits a large scan
// across (default 1; values below 1 mean 1). Safe to call at any time, also
// concurrently with Search. Use it when the index serves one query at a
// time and idle cores should help (an exact scan from SQL); keep 1 when
// many queries run in parallel anyway.
func (x *Index) SetSearchWorkers(n int) { x.workers.Store(int32(max(n, 1))) }

// SearchParallel is Search with the scan split across up to workers
// goroutines (use 2 on this project's 2-core machines). Small indexes are
// scanned on the calling goroutine, and so are unfiltered L2, Cosine and
// InnerProduct searches that take the quantized scan (quant_search.go; on one core it beats the plain
// scan on two). Results are identical to Search's.
func (x *Index) SearchParallel(q []float32, k int, p *vindex.SearchParams, dst []vindex.Result, workers int) ([]vindex.Result, error) {
	dst = dst[:0]
	if len(q) != x.dims {
		return dst, fmt.Errorf("flat: search: query has %d dimensions, index has %d", len(q), x.dims)
	}
	if k <= 0 {
		return dst, nil
	}
	var filter func(uint64) bool
	if p != nil {
		filter = p.Filter
	}
	qnorm := float32(0)
	if x.metric == vindex.Cosine {
		qnorm = distance.Dot(q, q)
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.ids)
	x.distances.Add(int64(n))
	if p != nil && p.Stats != nil {
		p.Stats.Distances += int64(n)
	}
	if workers < 1 {
		workers = 1
	}
	if filter == nil && x.quantWorthIt(n, k) {
		if qc := x.quantCodesFor(n); qc != nil {
			s := x.getScratch(k)
			ok := x.scanQuant(qc, q, qnorm, k, n, s)
			if ok {
				dst = s.heap.drainSorted(dst, x.metric)
			}
			x.scratch.Put(s)
			if ok {
				return dst, nil
			}
		}
	}
	if n*x.dims < minParallelValues || workers == 1 {
		s := x.getScratch(k)
		x.scan(q, qnorm, 0, n, filter, s)
		dst = s.heap.drainSorted(dst, x.metric)
		x.scratch.Put(s)
		return dst, nil
	}
	return x.scanParallel(q, qnorm, k, n, filter, dst, workers), nil
}

// scanParallel splits [0, n) into workers ranges scanned on their own
// goroutines and merges the per-range heaps. The caller holds x.mu.
// NB: a separate function, and the goroutines get their inputs as
// arguments: a closure capturing SearchParallel's locals moved them to the
// heap, two allocations on every search, also single-threaded ones.
func (x *Index) scanParallel(q []float32, qnorm float32, k, n int, filter func(uint64) bool, dst []vindex.Result, workers int) []vindex.Result {
	parts := make([]*searchScratch, workers)
	var wg sync.WaitGroup
	for w := range workers {
		parts[w] = x.getScratch(k)
		wg.Add(1)
		go x.scanPart(&wg, q, qnorm, n*w/workers, n*(w+1)/workers, filter, parts[w])
	}
	wg.Wait()
	merged := parts[0]
	for _, s := range parts[1:] {
		for _, r := range s.heap.items {
			merged.heap.offer(r.rank, r.id)
		}
		x.scratch.Put(s)
	}
	dst = merged.heap.drainSorted(dst, x.metric)
	x.scratch.Put(merged)
	return dst
}

// scanPart is scan on its own goroutine, signalling wg when done.
func (x *Index) scanPart(wg *sync.WaitGroup, q []float32, qnorm float32, lo, hi int, filter func(uint64) bool, s *searchScratch) {
	defer wg.Done()
	x.scan(q, qnorm, lo, hi, filter, s)
}

func (x *Index) getScratch(k int) *searchScratch {
	s, _ := x.scratch.Get().(*searchScratch)
	if s == nil {
		s = &searchScratch{dist: make([]float32, blockRows)}
	}
	s.heap.reset(k)
	return s
}

// scan offers slots [lo, hi) to s.heap. The caller holds x.mu.
func (x *Index) scan(q []float32, qnorm float32, lo, hi int, filter func(uint64) bool, s *searchScratch) {
	d := x.dims
	h := &s.heap
	for b := lo; b < hi; b += blockRows {
		e := min(b+blockRows, hi)
		out := s.dist[:e-b]
		block := x.data[b*d : e*d]
		switch x.metric {
		case vindex.L2:
			distance.L2SquaredBatch(q, block, d, out)
		case vindex.InnerProduct:
			distance.DotBatch(q, block, d, out)
			for i := range out {
				out[i] = -out[i]
			}
		case vindex.Cosine:
			distance.DotBatch(q, block, d, out)
			norms := x.norms[b:e]
			for i := range out {
				out[i] = cosineFromParts(out[i], qnorm, norms[i])
			}
		case vindex.L1:
			for i := range out {
				out[i] = distance.L1(q, block[i*d:(i+1)*d])
			}
		}
		ids := x.ids[b:e]
		for i, dist := range out {
			// NB: fast reject of the common case (a full heap and a clearly
			// worse candidate) with one float compare; NaN and ties fall
			// through to the exact (rank, id) check.
			if len(h.items) == h.k && dist > h.items[0].rank {
				continue
			}
			if !h.wants(dist, ids[i]) {
				continue
			}
			if filter != nil && !filter(ids[i]) {
				continue
			}
			h.offer(dist, ids[i])
		}
	}
}

// cosineFromParts is distance.CosineDistance given a·b, |a|² and |b|²
// (same clamping, NaN for a zero vector).
func cosineFromParts(dot, na, nb float32) float32 {
	sim := float64(dot) / math.Sqrt(float64(na)*float64(nb))
	if sim > 1 {
		sim = 1
	} else if sim < -1 {
		sim = -1
	}
	return float32(1 - sim)
}
