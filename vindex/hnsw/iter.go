package hnsw

import (
	"errors"
	"fmt"
	"math"
	"sync/atomic"

	"github.com/vecgres/vecgres/vindex"
)

// ErrStale is returned by Iterator.Next when slots were freed or reused
// (Repair, or Add reusing repaired slots) since the iterator started: its
// position may name other vectors now. Start a new iterator (or a larger
// Search) and skip ids already returned.
var ErrStale = errors.New("hnsw: index changed under the iterator; restart the scan")

// Iterator continues one query's graph traversal batch after batch: the
// iterative index scan (pgvector 0.8's hnsw.iterative_scan) that the SQL
// layer uses when a WHERE clause it cannot pass down as a Filter rejects
// rows: take a batch, filter, and call Next again until k rows pass or
// the scan is exhausted.
//
// Each batch holds up to ef results never returned before, sorted by
// distance, ties by id. Order across batches is relaxed: a later batch
// may hold a result closer than the last one of an earlier batch (rarely;
// the SQL layer re-sorts what it buffers for strict order). Filter and
// MaxCandidates (a bound on distance computations over the whole scan)
// from the SearchParams apply as in Search.
//
// An Iterator is not safe for concurrent use; it may run concurrently
// with searches, Add and Delete on its index. Close returns its memory.
type Iterator struct {
	ix     *Index
	q      []float32
	sc     *scratch
	ef     int
	acc    acceptor
	budget int64
	stats  *vindex.SearchStats
	count  int64
	gen    uint64
	start  bool
	done   bool
}

// NewIterator starts an iterative scan for q. ef per batch is
// p.EfSearch or DefaultEfSearch. Errors: wrapped ErrDims.
func (ix *Index) NewIterator(q []float32, p *vindex.SearchParams) (*Iterator, error) {
	if len(q) != ix.dims {
		return nil, fmt.Errorf("%w: query has %d dimensions, index %d", ErrDims, len(q), ix.dims)
	}
	it := &Iterator{ix: ix, sc: ix.getScratch(), ef: DefaultEfSearch}
	if p != nil {
		if p.EfSearch > 0 {
			it.ef = p.EfSearch
		}
		it.acc.filter = p.Filter
		it.budget = int64(p.MaxCandidates)
		it.stats = p.Stats
	}
	pq, ok := ix.prepareQuery(q, it.sc)
	if !ok {
		it.done = true
	}
	it.q = append([]float32(nil), pq...)
	return it, nil
}

// Next appends the next batch of results to dst[:0]. An empty batch with
// a nil error means the scan is exhausted (the reachable graph, or the
// MaxCandidates budget).
func (it *Iterator) Next(dst []vindex.Result) ([]vindex.Result, error) {
	dst = dst[:0]
	if it.done || it.sc == nil {
		return dst, nil
	}
	ix, sc := it.ix, it.sc
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if !it.start {
		it.start = true
		it.gen = ix.gen
		if !ix.descend(it.q, nil, sc, &it.count) {
			it.done = true
			return dst, nil
		}
		sc.cands, sc.res, sc.rest = sc.cands[:0], sc.res[:0], sc.rest[:0]
		for _, e := range sc.eps {
			if !sc.visited.visit(e.slot) {
				sc.cands.push(e)
				it.offer(e)
			}
		}
	} else if ix.gen != it.gen {
		return dst, ErrStale
	}
	sc.visited.ensure(len(ix.levels))
	before, expanded := it.count, sc.expanded
	it.batch()
	ix.distCount.Add(it.count - before)
	if it.stats != nil {
		it.stats.Distances += it.count - before
		it.stats.Visited += sc.expanded - expanded
	}
	sc.sorted = sc.res.drainSorted(sc.sorted[:0])
	dst = ix.appendResults(dst, sc.sorted, math.MaxInt)
	if len(dst) == 0 {
		it.done = true
	}
	return dst, nil
}

// offer records an accepted node as a result not yet returned: the ef
// best in sc.res, the others in sc.rest for later batches.
func (it *Iterator) offer(c cand) {
	if !it.acc.accepts(it.ix, c.slot) {
		return
	}
	sc := it.sc
	sc.res.push(c)
	if len(sc.res) > it.ef {
		sc.rest.push(sc.res.pop())
	}
}

// batch is Algorithm 2's loop made resumable: every visited node stays in
// the candidate queue (sc.cands) and every accepted one in sc.res or
// sc.rest, so nothing is lost between batches. It stops when ef results
// are held and the closest unexpanded candidate is farther than all of
// them, or the graph or budget is exhausted.
func (it *Iterator) batch() {
	ix, sc := it.ix, it.sc
	for len(sc.res) < it.ef && len(sc.rest) > 0 {
		sc.res.push(sc.rest.pop())
	}
	for len(sc.cands) > 0 {
		if it.budget > 0 && it.count >= it.budget {
			return
		}
		c := sc.cands[0]
		if len(sc.res) >= it.ef && c.d > sc.res[0].d {
			return
		}
		sc.cands.pop()
		sc.expanded++
		nl := ix.links(c.slot, 0)
		n := min(int(atomic.LoadUint32(&nl[0])), len(nl)-1)
		for i := 1; i <= n; i++ {
			nb := atomic.LoadUint32(&nl[i])
			if sc.visited.visit(nb) {
				continue
			}
			d := ix.dist(it.q, ix.vec(nb))
			it.count++
			sc.cands.push(cand{d, nb})
			it.offer(cand{d, nb})
		}
	}
}

// Close releases the iterator's scratch memory to the index's pool. The
// iterator returns no more results afterwards.
func (it *Iterator) Close() {
	if it.sc != nil {
		it.ix.putScratch(it.sc)
		it.sc = nil
	}
	it.done = true
}
