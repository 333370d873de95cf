package executor

import (
	"container/heap"
	"math"
	"runtime"
	"sort"
	"strconv"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/hnsw"
	"github.com/vecgres/vecgres/vindex/ivfflat"
	"github.com/vecgres/vecgres/vindex/ivfpq"
)

// AnnStrategy names how an AnnScan met its WHERE clause.
type AnnStrategy string

// Strategies. The planner picks one from the filter's estimated
// selectivity; at run time a scan that cannot find k passing rows through
// the index falls back to Exact, so no query silently returns fewer rows
// than exist.
const (
	AnnPlain       AnnStrategy = "index"        // no filter
	AnnFilterAware AnnStrategy = "filter-aware" // predicate tested during traversal
	AnnIterative   AnnStrategy = "iterative"    // widen the search until k rows pass
	AnnExact       AnnStrategy = "exact"        // exact distance over matching rows
)

// AnnScan returns the rows of Table nearest to Query under the index's
// metric, closest first: at most Count+Offset rows (the TopK above applies
// the offset and the final order), each passing Filter.
type AnnScan struct {
	Table    *Table
	IndexOID uint32
	Metric   vindex.Metric
	Column   int
	// Key, when not nil, is the expression the scan orders by (an
	// expression index's key, evaluated on each row) in place of Column.
	Key      Expr
	Query    Expr
	Count    Expr
	Offset   Expr
	Filter   Expr
	WithKey  bool
	Strategy AnnStrategy
	// Stats, when known, let the scan estimate the filter's selectivity
	// with the actual parameters and choose how to meet it.
	Stats *TableStats
	// Btree, when set, bounds a btree index column the filter restricts:
	// a selective filter is then answered from the matching rows alone.
	Btree *BtreeBounds
	// KeyOnly, when set, lets index results become rows holding only the
	// primary key (the vector id), other columns NULL, without fetching
	// the rows: nothing above reads another column. The planner sets it
	// only for tables keyed by one integer column (VectorID).
	KeyOnly bool

	out [][]types.Datum
	pos int
	// qbits is the query as a bit string when Metric orders bit strings.
	qbits types.Datum
	// mirror, when set, serves row fetches from memory; pred is Filter
	// compiled against it (compilePredicate), valid across commits.
	mirror *rowMirror
	pred   func(int) bool
	vecs   *VectorIndexes
	// Used is the strategy that actually ran; Distances the distance
	// computations it made and Visited the index nodes it visited (see
	// vindex.SearchStats), counted for EXPLAIN ANALYZE (Ctx.Analyze).
	Used      AnnStrategy
	Distances int64
	Visited   int64
	// Returned is the number of rows the search produced.
	Returned int
}

// Open runs the search and buffers the result rows.
func (a *AnnScan) Open(ctx *Ctx) error {
	a.out, a.pos, a.Distances, a.Visited = nil, 0, 0, 0
	defer func() { a.Returned = len(a.out) }()
	qv, err := a.Query.Eval(ctx, nil)
	if err != nil {
		return err
	}
	k, err := a.limit(ctx)
	if err != nil || k == 0 {
		return err
	}
	a.attachMirror(ctx)
	if qv.IsNull() {
		return a.exact(ctx, nil, k)
	}
	kt := KeyType(a.Table, a.Column, a.Key)
	dims := int(kt.Typmod)
	a.qbits = types.Null
	if isBitMetric(a.Metric) {
		// NB: exact strategies compare the packed bits (a.qbits); the
		// index searches the bits as 0/1 floats (vector_bits.go).
		if a.qbits, err = bitQuery(qv, a.Query.Type(), dims); err != nil {
			return err
		}
		qv = types.NewVector(indexVector(a.qbits))
	}
	if qv.K != types.KindVector {
		if qv, err = types.Cast(qv, a.Query.Type(), types.VectorType, false); err != nil {
			return err
		}
	}
	if len(qv.Vec) != dims {
		typ := "vector"
		if kt.Family == types.HalfVec {
			typ = "halfvec"
		}
		return pgerr.Newf(pgerr.DataException, "different %s dimensions %d and %d", typ, dims, len(qv.Vec))
	}
	li, sel := a.liveIndex(ctx), a.selectivity(ctx)
	switch a.choose(ctx, li, sel, k) {
	case AnnExact:
		return a.exact(ctx, qv.Vec, k)
	case annBtree:
		return a.btreeExact(ctx, qv.Vec, k)
	}
	return a.indexSearch(ctx, li, qv.Vec, k, sel)
}

// Plan returns the strategy Open would run now, with ctx's parameters,
// settings, statistics and transaction, without evaluating the query
// vector or searching: what EXPLAIN prints as the filtered-search
// strategy. A scan that comes back short at run time may still fall back
// to exact (EXPLAIN ANALYZE shows what ran).
func (a *AnnScan) Plan(ctx *Ctx) (AnnStrategy, error) {
	k, err := a.limit(ctx)
	if err != nil {
		return "", err
	}
	a.attachMirror(ctx)
	li, sel := a.liveIndex(ctx), a.selectivity(ctx)
	s := a.choose(ctx, li, sel, max(k, 1))
	switch {
	case s != AnnFilterAware:
		return s, nil
	case a.Filter == nil:
		return AnnPlain, nil
	}
	if a.useIterative(ctx, li, sel) {
		return AnnIterative, nil
	}
	return s, nil
}

// limit is the number of rows the scan must produce: LIMIT plus OFFSET,
// capped at 2^20 (also when unlimited).
func (a *AnnScan) limit(ctx *Ctx) (int, error) {
	count, unlimited, err := evalBound(ctx, a.Count, "LIMIT")
	if err != nil {
		return 0, err
	}
	offset, _, err := evalBound(ctx, a.Offset, "OFFSET")
	if err != nil {
		return 0, err
	}
	k := int(count + offset)
	if unlimited || k > 1<<20 {
		k = 1 << 20
	}
	return k, nil
}

// attachMirror points the scan at its table's row mirror, when the
// mirror can serve it (no pending changes of this transaction), and
// compiles the filter against it (a.pred; nil when there is no mirror or
// the filter has a shape compilePredicate does not handle).
func (a *AnnScan) attachMirror(ctx *Ctx) {
	a.mirror, a.vecs, a.pred = nil, ctx.Vectors, nil
	if ctx.Vectors != nil && !ctx.Changes.Pending(a.Table.Desc.ID) && !a.WithKey {
		a.mirror = ctx.Vectors.mirrorOf(a.Table)
	}
	if a.mirror != nil && a.Filter != nil {
		a.vecs.withMirror(a.mirror, func(m *rowMirror) {
			if pred, ok := compilePredicate(ctx, a.Filter, m); ok {
				a.pred = pred
			}
		})
	}
}

// liveIndex is the scan's index, or nil when it cannot serve this
// transaction.
func (a *AnnScan) liveIndex(ctx *Ctx) *LiveIndex {
	if ctx.Vectors == nil || a.IndexOID == 0 || ctx.Changes.Pending(a.Table.Desc.ID) {
		// NB: the transaction's own uncommitted vectors are not in the
		// index yet; the exact strategies see them.
		return nil
	}
	return ctx.Vectors.Get(a.IndexOID)
}

// selectivity is the filter's estimated pass rate, -1 when there is no
// filter or no estimate.
func (a *AnnScan) selectivity(ctx *Ctx) float64 {
	if a.Filter == nil {
		return -1
	}
	return a.Stats.Selectivity(ctx, a.Filter)
}

// annBtree is the strategy of answering exactly from the rows a btree
// index range yields.
const annBtree AnnStrategy = "exact via btree"

// choose picks the cheapest way to meet the query, by estimated cost in
// nanoseconds (measured on this project's 2-core AVX-512 machine, 50,000
// rows of 128 dims, filters of 1-30 %):
//   - exact over the row mirror with a compiled filter (mirrorExact): ~0.5
//     ns a row to scan the column copies (matchPositions), plus ~70 ns a
//     passing row (its distance and the top-k heap);
//   - exact otherwise: ~12 ns a row (contiguous SIMD distances over the
//     exact cache), the filter asked only of rows entering the top k;
//   - exact over a btree range: ~300 ns per matching row (index entry,
//     row, filter, distance);
//   - filtered index search: see walkCost.
//
// NB: the walk's cost was once put at 150 ns a node; a 1 % filter on
// 50,000 rows then chose the walk at 2.3-3.7 ms a query over the exact
// scan's 0.3 ms.
//
// Without a filter the index answers; without statistics, the index walk
// (filter-aware) is the safe default: it falls back to exact when short.
func (a *AnnScan) choose(ctx *Ctx, li *LiveIndex, sel float64, k int) AnnStrategy {
	if li == nil {
		if a.Btree != nil && sel >= 0 && a.Stats != nil && sel*float64(a.Stats.Rows)*300 < float64(a.Stats.Rows)*12 {
			return annBtree
		}
		return AnnExact
	}
	if a.Filter == nil || sel < 0 || a.Stats == nil || a.Stats.Rows == 0 {
		return AnnFilterAware
	}
	n := float64(a.Stats.Rows)
	compiled := a.pred != nil
	exact := n * 12
	if compiled {
		exact = n/2 + sel*n*70
	}
	// NB: compared in a fixed order (ties keep the earlier strategy), with
	// no map: a map allocated on every filtered query and ranged over in
	// random order, so a tie chose differently from run to run.
	best, cost := AnnFilterAware, a.walkCost(ctx, li, sel, n, k, compiled)
	if exact < cost {
		best, cost = AnnExact, exact
	}
	if a.Btree != nil {
		if c := max(sel*n, 1) * 300; c < cost {
			best = annBtree
		}
	}
	return best
}

// walkCost estimates a filtered index search (filter-aware or iterative)
// in nanoseconds, for choose.
//   - hnsw: to collect ef passing rows it expands about ef/sel nodes, ~1 µs
//     each with a compiled filter (the node's unvisited neighbours'
//     distances, heap pushes, filter tests), ~1.5 µs when each test
//     fetches the row.
//   - IVF: it scans whole lists, ~35 ns a row (distance and filter test):
//     probes/sel lists, at most all of them (ivfIterativeSearch starts
//     there too).
//   - other methods: as hnsw with ef = k.
func (a *AnnScan) walkCost(ctx *Ctx, li *LiveIndex, sel, n float64, k int, compiled bool) float64 {
	sel = max(sel, 1/n)
	lists := 0
	switch x := li.Index.(type) {
	case *ivfflat.Index:
		lists = x.Lists()
	case *ivfpq.Index:
		lists = x.Lists()
	}
	if lists > 0 {
		perList := n / float64(lists)
		probes := float64(max(setting(ctx, li.Method+".probes"), 1)) / sel
		return min(probes, float64(lists)) * perList * 35
	}
	perNode := 1500.0
	if compiled {
		perNode = 1000
	}
	ef := float64(k)
	if li.Method == "hnsw" {
		ef = float64(max(setting(ctx, "hnsw.ef_search"), k))
	}
	return ef / sel * perNode
}

// btreeExact answers exactly from the rows of the btree range: each
// passing row's distance is computed and the k nearest kept.
func (a *AnnScan) btreeExact(ctx *Ctx, q []float32, k int) error {
	a.Used = annBtree
	ranges, err := a.Btree.keyRanges(ctx, a.Table)
	if err != nil {
		return err
	}
	best := nearestK{k: k}
	for _, r := range ranges {
		it, err := ctx.Txn.NewIter(r.lo, r.hi)
		if err != nil {
			return err
		}
		for it.Next() {
			// NB: a primary-key range reads the rows themselves; the pk
			// is in the key, where an index entry holds it as its value.
			pk := it.Value()
			if a.Btree.Index.Primary {
				_, pk, _ = storage.DecodeTableRowKey(it.Key())
			}
			id, ok := VectorID(a.Table, pk)
			if !ok {
				continue
			}
			row, err := a.fetch(ctx, id)
			if err != nil {
				it.Close()
				return err
			}
			if row == nil {
				continue
			}
			pass, err := EvalBool(ctx, a.Filter, row)
			if err != nil {
				it.Close()
				return err
			}
			if !pass {
				continue
			}
			// NB: fetch returns a fresh row or an immutable mirror row.
			d, class, err := a.distance(ctx, q, row)
			if err != nil {
				it.Close()
				return err
			}
			best.offer(d, class, int64(id), row, false)
		}
		err = it.Err()
		it.Close()
		if err != nil {
			return err
		}
	}
	a.out = best.rows()
	return nil
}

// setting reads an integer session setting (0 when unset).
func setting(ctx *Ctx, name string) int {
	if ctx.Builtin == nil || ctx.Builtin.Setting == nil {
		return 0
	}
	v, _ := ctx.Builtin.Setting(name)
	n, _ := strconv.Atoi(v)
	return n
}

func (a *AnnScan) searchParams(ctx *Ctx, li *LiveIndex, k int) *vindex.SearchParams {
	p := &vindex.SearchParams{}
	switch li.Method {
	case "hnsw":
		p.EfSearch = max(setting(ctx, "hnsw.ef_search"), k)
	case "ivfflat":
		p.Probes = setting(ctx, "ivfflat.probes")
	case "ivf_pq":
		p.Probes = setting(ctx, "ivf_pq.probes")
		p.Rerank = setting(ctx, "ivf_pq.rerank")
	case "annoy":
		if sk := setting(ctx, "annoy.search_k"); sk > 0 {
			p.SearchK = sk
		}
	}
	return p
}

func (a *AnnScan) indexSearch(ctx *Ctx, li *LiveIndex, q []float32, k int, sel float64) error {
	p := a.searchParams(ctx, li, k)
	if a.useIterative(ctx, li, sel) {
		switch x := li.Index.(type) {
		case *hnsw.Index:
			return a.iterativeSearch(ctx, x, p, q, k, sel)
		case *ivfflat.Index:
			return a.ivfIterativeSearch(ctx, x, p, q, k, sel)
		}
	}
	if sel > 0 && sel < 1 && p.Probes > 0 {
		// NB: an IVF scan that rejects most rows must probe more lists to
		// find the true neighbours among the passing ones, not just any k
		// passing rows: scale the probes by the inverse selectivity.
		p.Probes = int(float64(p.Probes)/sel + 0.5)
	}
	var st vindex.SearchStats
	if ctx.Analyze {
		p.Stats = &st
	}
	seen := map[uint64][]types.Datum{}
	var ferr func() error
	if a.Filter != nil {
		// Filter-aware traversal: the index asks about each candidate.
		p.Filter, ferr = a.candidateFilter(ctx, seen)
		if li.Method == "hnsw" {
			p.MaxCandidates = setting(ctx, "hnsw.max_scan_tuples")
		}
		a.Used = AnnFilterAware
	} else {
		a.Used = AnnPlain
	}
	res, err := li.Index.Search(q, k, p, nil)
	a.Distances, a.Visited = a.Distances+st.Distances, a.Visited+st.Visited
	if ferr != nil && ferr() != nil {
		return ferr()
	}
	if err != nil {
		return pgerr.Wrap(err, pgerr.InternalError, "searching index "+li.Name)
	}
	if err := a.collect(ctx, res, seen); err != nil {
		return err
	}
	if a.Filter != nil && a.owedMore(sel, k) {
		// The index could not produce k passing rows within its budget,
		// and more rows may match: answer exactly over the matching rows
		// instead of returning fewer.
		a.out = nil
		return a.exact(ctx, q, k)
	}
	if a.Filter == nil && len(a.out) < k && a.mayHaveMoreRows(len(a.out)) {
		// NB: an index can come back short without a filter too: IVF lists
		// probed that hold fewer than k vectors, rows the index skips
		// (NULL vectors sort last but are rows), a graph region cut off by
		// deletes. The table has more rows, so the exact answer is owed.
		a.out = nil
		return a.exact(ctx, q, k)
	}
	return nil
}

// mayHaveMoreRows reports whether the table may hold more than got rows:
// the committed row count when the row mirror has it, otherwise true.
func (a *AnnScan) mayHaveMoreRows(got int) bool {
	if a.mirror == nil {
		return true
	}
	more := true
	a.vecs.withMirror(a.mirror, func(m *rowMirror) { more = len(m.rows) > got })
	return more
}

// fetch reads the row with vector id id; nil when it does not exist.
func (a *AnnScan) fetch(ctx *Ctx, id uint64) ([]types.Datum, error) {
	if a.mirror != nil {
		return a.vecs.mirrorRow(a.mirror, id), nil
	}
	key := a.Table.RowKey(nil, PKForID(a.Table, id))
	val, err := ctx.Txn.Get(key)
	if err == storage.ErrNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	n := len(a.Table.Types)
	if a.WithKey {
		n++
	}
	row := make([]types.Datum, n)
	if err := a.Table.DecodeValue(val, row); err != nil {
		return nil, err
	}
	if a.WithKey {
		row[n-1] = types.Datum{K: types.KindBytes, S: string(key)}
	}
	return row, nil
}

// exact returns the k nearest rows passing the filter, exactly: through
// the column's in-memory exact cache when it can, otherwise by decoding
// every row. A NULL query vector orders nothing: the first k passing rows
// are returned.
func (a *AnnScan) exact(ctx *Ctx, q []float32, k int) error {
	a.Used = AnnExact
	if q != nil && a.Filter != nil && a.mirror != nil && a.mirrorExact(ctx, q, k) {
		return nil
	}
	if q != nil && a.Key == nil && ctx.Vectors != nil && !ctx.Changes.Pending(a.Table.Desc.ID) {
		if cache := ctx.Vectors.ExactCache(a.Table, a.Column, a.Metric); cache != nil {
			return a.cachedExact(ctx, cache, q, k)
		}
	}
	return a.scanExact(ctx, q, k)
}

// parallelScanFloats is the size (vectors × dimensions) from which an
// exact scan is split across cores. Below it, starting the second
// goroutine costs more than it saves: on siftsmall (1.3M floats, a 77 us
// scan) two threads took 115 us.
const parallelScanFloats = 4 << 20

// cachedExact searches the exact cache; the filter is asked only about
// rows that would enter the top k.
func (a *AnnScan) cachedExact(ctx *Ctx, cache *LiveIndex, q []float32, k int) error {
	seen := map[uint64][]types.Datum{}
	var ferr func() error
	var st vindex.SearchStats
	p := &vindex.SearchParams{Stats: &st}
	if a.Filter != nil {
		p.Filter, ferr = a.candidateFilter(ctx, seen)
	}
	var res []vindex.Result
	var err error
	if f, ok := cache.Index.(*flat.Index); ok && a.Filter == nil && f.Len()*f.Dims() >= parallelScanFloats {
		// NB: without a filter callback (which reads this statement's
		// state) a large scan can use every core: one query's latency
		// nearly halves (fashion-mnist: 1.8x on 2 cores).
		res, err = f.SearchParallel(q, k, p, nil, runtime.GOMAXPROCS(0))
	} else {
		res, err = cache.Index.Search(q, k, p, nil)
	}
	if ferr != nil && ferr() != nil {
		return ferr()
	}
	if err != nil {
		return err
	}
	a.Distances += st.Distances
	if err := a.collect(ctx, res, seen); err != nil {
		return err
	}
	if len(a.out) < k {
		// NB: rows with a NULL vector are not in the cache but are part of
		// the answer (they sort last); the slow path includes them.
		a.out = nil
		return a.scanExact(ctx, q, k)
	}
	return nil
}

// scanExact decodes every row, keeping the k nearest that pass the filter.
func (a *AnnScan) scanExact(ctx *Ctx, q []float32, k int) error {
	scan := &TableScan{Table: a.Table, WithKey: a.WithKey}
	if err := scan.Open(ctx); err != nil {
		return err
	}
	defer scan.Close()
	best := nearestK{k: k}
	// NB: rows arrive in key order, so the arrival number breaks ties the
	// way the key would.
	for seq := int64(0); ; seq++ {
		row, err := scan.Next(ctx)
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if a.Filter != nil {
			ok, err := EvalBool(ctx, a.Filter, row)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		d, class := 0.0, distNumber
		if q != nil {
			if d, class, err = a.distance(ctx, q, row); err != nil {
				return err
			}
		}
		best.offer(d, class, seq, row, true) // the scan reuses its row buffer
	}
	a.out = best.rows()
	return nil
}

// metricDistance computes the distance the SQL operator reports (NaN for a
// zero vector under cosine).
func metricDistance(m vindex.Metric, q, v []float32) float64 {
	var d float64
	switch m {
	case vindex.L2:
		d = math.Sqrt(float64(distance.L2Squared(q, v)))
	case vindex.InnerProduct:
		d = -float64(distance.Dot(q, v))
	case vindex.Cosine:
		d = distance.CosineDistance(q, v)
	case vindex.L1:
		d = float64(distance.L1(q, v))
	}
	return d
}

// distClass orders what is not a number among distances the way
// PostgreSQL's ORDER BY ... ASC does: every number (+Infinity included),
// then NaN, then NULL (a row whose vector is NULL).
type distClass uint8

const (
	distNumber distClass = iota
	distNaN
	distNull
)

type annItem struct {
	d     float64
	class distClass
	seq   int64
	row   []types.Datum
}

func (x *annItem) less(y *annItem) bool {
	if x.class != y.class {
		return x.class < y.class
	}
	if x.class == distNumber && x.d != y.d {
		return x.d < y.d
	}
	return x.seq < y.seq
}

type annHeap struct{ items []*annItem }

func (h *annHeap) Len() int           { return len(h.items) }
func (h *annHeap) Less(i, j int) bool { return h.items[j].less(h.items[i]) }
func (h *annHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *annHeap) Push(x any)         { h.items = append(h.items, x.(*annItem)) }
func (h *annHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}

// Next returns the next buffered row.
func (a *AnnScan) Next(*Ctx) ([]types.Datum, error) {
	if a.pos >= len(a.out) {
		return nil, nil
	}
	a.pos++
	return a.out[a.pos-1], nil
}

// Close drops the buffer.
func (a *AnnScan) Close() error { a.out = nil; return nil }

// mirrorExact answers a filtered query exactly by testing the filter,
// compiled, on the in-memory column copies: a few nanoseconds per row,
// then one distance per passing row. It reports false, doing nothing,
// when the filter has a shape compilePredicate does not handle.
func (a *AnnScan) mirrorExact(ctx *Ctx, q []float32, k int) bool {
	best := nearestK{k: k}
	compiled := false
	var derr error
	a.vecs.withMirror(a.mirror, func(m *rowMirror) {
		var pos []int32
		if pos, compiled = matchPositions(ctx, a.Filter, m, nil); !compiled {
			return
		}
		// NB: ties are broken by vector id (the key), so results do not
		// depend on the mirror's internal order; mirror rows are immutable.
		for _, i := range pos {
			d, class, err := a.distance(ctx, q, m.rows[i])
			if err != nil {
				derr = err
				return
			}
			best.offer(d, class, int64(m.ids[i]), m.rows[i], false)
		}
	})
	if derr != nil {
		// NB: the expression failed on a row; the row scan reports it.
		return false
	}
	if compiled {
		a.out = best.rows()
	}
	return compiled
}

// distance is the query's distance to the row's vector and its sort
// class (NULL and NaN sort after every number).
func (a *AnnScan) distance(ctx *Ctx, q []float32, row []types.Datum) (float64, distClass, error) {
	v, err := keyValue(ctx, a.Column, a.Key, row)
	if err != nil {
		return 0, distNull, err
	}
	if v.IsNull() {
		return 0, distNull, nil
	}
	a.Distances++
	if isBitMetric(a.Metric) {
		d, ok := bitDistance(a.Metric, a.qbits, v)
		if !ok {
			return 0, distNull, nil
		}
		return d, distNumber, nil
	}
	d := metricDistance(a.Metric, q, v.Vec)
	if math.IsNaN(d) {
		return 0, distNaN, nil
	}
	return d, distNumber, nil
}

// nearestK keeps the k rows nearest to a query in a bounded max-heap,
// ties going to the smaller seq (the key order).
type nearestK struct {
	k int
	h annHeap
}

// offer considers a row at distance d of the given class; copyRow when the
// caller reuses row.
func (n *nearestK) offer(d float64, class distClass, seq int64, row []types.Datum, copyRow bool) {
	// NB: cand stays on the stack; only rows that enter the heap allocate
	// (a filtered scan offers every passing row).
	cand := annItem{d: d, class: class, seq: seq}
	if n.h.Len() >= n.k {
		worst := n.h.items[0]
		if !cand.less(worst) {
			return
		}
		worst.d, worst.class, worst.seq = d, class, seq
		if copyRow {
			worst.row = append(worst.row[:0:0], row...)
		} else {
			worst.row = row
		}
		heap.Fix(&n.h, 0)
		return
	}
	if copyRow {
		row = append([]types.Datum(nil), row...)
	}
	item := cand
	item.row = row
	heap.Push(&n.h, &item)
}

// rows returns the kept rows, nearest first.
func (n *nearestK) rows() [][]types.Datum {
	sort.Slice(n.h.items, func(i, j int) bool { return n.h.items[i].less(n.h.items[j]) })
	out := make([][]types.Datum, len(n.h.items))
	for i, it := range n.h.items {
		out[i] = it.row
	}
	return out
}

// collect appends the rows of search results to the output: rows the
// filter already fetched, others fetched now (a row deleted by a
// transaction this snapshot predates is skipped).
func (a *AnnScan) collect(ctx *Ctx, res []vindex.Result, seen map[uint64][]types.Datum) error {
	if a.KeyOnly && a.mirror != nil {
		// NB: an index holds the latest committed rows, dropping a row
		// when its delete commits, as the row mirror that fetch would
		// read does; without the mirror fetch reads the transaction's
		// snapshot, so it must run.
		pk := a.Table.Desc.PrimaryKey[0]
		cols := len(a.Table.Types)
		buf := make([]types.Datum, len(res)*cols)
		for i, r := range res {
			row := buf[i*cols : (i+1)*cols : (i+1)*cols]
			row[pk] = types.NewInt(int64(r.ID))
			a.out = append(a.out, row)
		}
		return nil
	}
	for _, r := range res {
		row := seen[r.ID]
		if row == nil {
			var err error
			if row, err = a.fetch(ctx, r.ID); err != nil {
				return err
			}
			if row == nil {
				continue
			}
		}
		a.out = append(a.out, row)
	}
	return nil
}
