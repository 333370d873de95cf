package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
	"github.com/vecgres/vecgres/vindex"
)

// distanceOps maps the pgvector operators and distance functions that an
// index can serve to the metric they order by.
var distanceOps = map[string]vindex.Metric{
	"<->": vindex.L2, "l2_distance": vindex.L2, "vec_l2_distance": vindex.L2,
	"<=>": vindex.Cosine, "cosine_distance": vindex.Cosine, "vec_cosine_distance": vindex.Cosine,
	"<#>": vindex.InnerProduct, "vector_negative_inner_product": vindex.InnerProduct, "vec_negative_inner_product": vindex.InnerProduct,
	"<+>": vindex.L1, "l1_distance": vindex.L1, "vec_l1_distance": vindex.L1,
	"<~>": vindex.Hamming, "hamming_distance": vindex.Hamming,
	"<%>": vindex.Jaccard, "jaccard_distance": vindex.Jaccard,
}

// annTopK rewrites TopK(Project(Scan)) ordered by the distance between a
// vector column and a row-free query vector into a vector scan: an index
// scan in distance order when an index on that column has an operator
// class matching the operator (as pgvector requires), otherwise an exact
// scan over the column's in-memory copy. The TopK stays on top: it re-sorts the
// few rows by the exact distance and applies OFFSET. Preconditions that
// fail leave the plan unchanged (exact top-k).
func annTopK(o *Optimizer, n Node) Node {
	t, ok := n.(*TopK)
	if !ok || len(t.Keys) == 0 || t.Keys[0].Desc || t.Count == nil {
		return n
	}
	p, ok := t.Input.(*Project)
	if !ok {
		return n
	}
	s, ok := p.Input.(*Scan)
	if !ok || s.Index != nil && boundsRank(s.Table, s.Index.Bounds) == pointRank {
		// NB: point lookups return a row or a few; sorting them is cheaper
		// than any vector search.
		return n
	}
	key, ok := t.Keys[0].Expr.(*executor.ColRef)
	if !ok || key.Idx >= len(p.Exprs) {
		return n
	}
	call, ok := p.Exprs[key.Idx].(*executor.Call)
	if !ok || len(call.Args) != 2 {
		return n
	}
	opName := call.Op
	if opName == "" {
		opName = call.Fn.Name
	}
	metric, ok := distanceOps[opName]
	if !ok {
		return n
	}
	col, query := -1, executor.Expr(nil)
	for i := 0; i < 2; i++ {
		if c, ok := call.Args[i].(*executor.ColRef); ok && isRowFree(call.Args[1-i]) {
			col, query = c.Idx, call.Args[1-i]
		}
	}
	if col < 0 {
		return annExprIndex(o, t, p, s, call, opName, metric)
	}
	// NB: bit metrics need bit(n): every row then has the query's length,
	// so no row distance can fail (bit varying rows may differ; the exact
	// top-k raises pgvector's error for them).
	if !indexableFamily(s.Table.Types[col].Family, metric) {
		return n
	}
	ix := matchingIndex(s.Table.Desc, col, metric)
	strategy := executor.AnnPlain
	if s.Filter != nil {
		strategy = executor.AnnFilterAware
	}
	if ix == nil {
		// NB: no index: the scan answers exactly from the column's
		// in-memory exact cache (one SIMD pass) rather than decoding rows.
		strategy = executor.AnnExact
	}
	ann := &AnnScan{Scan: s, Index: ix, Metric: metric, Column: col, Query: query, Count: t.Count, Offset: t.Offset,
		Op: opName, Strategy: strategy, Stats: o.tableStats(s.Table)}
	p.Input = ann
	return t
}

// annExprIndex is annTopK for ORDER BY <expr> <op> query, where <expr>
// is the key of an expression index ("binary_quantize(embedding)::bit(3)
// <~> $1", pgvector's binary quantization) whose operator class matches
// <op>: the same index scan, ordering by the key expression. Without
// such an index the plan is left alone (an exact top-k over the rows:
// the exact caches hold columns, not expressions).
func annExprIndex(o *Optimizer, t *TopK, p *Project, s *Scan, call *executor.Call, opName string, metric vindex.Metric) Node {
	if o.IndexKey == nil {
		return t
	}
	for i := 0; i < 2; i++ {
		arg, query := call.Args[i], call.Args[1-i]
		if !isRowFree(query) || isRowFree(arg) || !indexableFamily(arg.Type().Family, metric) {
			continue
		}
		for j := range s.Table.Desc.Indexes {
			ix := &s.Table.Desc.Indexes[j]
			if !executor.IsVectorIndex(ix) || ix.Expr == "" {
				continue
			}
			if m, ok := executor.OpclassMetric(ix.Opclasses[0]); !ok || m != metric {
				continue
			}
			key := o.IndexKey(s.Table, ix)
			if key == nil || !executor.SameExpr(key, arg) {
				continue
			}
			strategy := executor.AnnPlain
			if s.Filter != nil {
				strategy = executor.AnnFilterAware
			}
			p.Input = &AnnScan{Scan: s, Index: ix, Metric: metric, Column: -1, Key: key, Query: query, Count: t.Count,
				Offset: t.Offset, Op: opName, Strategy: strategy, Stats: o.tableStats(s.Table)}
			return t
		}
	}
	return t
}

// tableStats is o.Stats(t), nil when the optimizer has no statistics.
func (o *Optimizer) tableStats(t *executor.Table) *executor.TableStats {
	if o.Stats == nil {
		return nil
	}
	return o.Stats(t)
}

// indexableFamily reports whether an ordering by metric over values of
// family f can use a vector scan: bit(n) for the bit metrics, vector or
// halfvec (whose halves vector indexes hold as exact float32s) for the
// others. An index also needs an operator class for metric; the DDL
// accepts only the classes of the key's type.
func indexableFamily(f types.Family, metric vindex.Metric) bool {
	if bitMetric(metric) {
		return f == types.Bit
	}
	return f == types.Vector || f == types.HalfVec
}

// bitMetric reports whether m orders bit strings (pgvector's <~>, <%>).
func bitMetric(m vindex.Metric) bool { return m == vindex.Hamming || m == vindex.Jaccard }

// matchingIndex finds a vector index on column col whose operator class
// orders by metric.
func matchingIndex(t *storage.TableDesc, col int, metric vindex.Metric) *storage.IndexDesc {
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !executor.IsVectorIndex(ix) || ix.Expr != "" || len(ix.Columns) != 1 || ix.Columns[0] != col {
			continue
		}
		if m, ok := executor.OpclassMetric(ix.Opclasses[0]); ok && m == metric {
			return ix
		}
	}
	return nil
}

// annOrderedOutput drops the re-sort above a vector scan whose distance is
// only an ORDER BY key: Project(prefix) over TopK over Project over AnnScan,
// where the outer projection does not output the distance column, becomes
// Project(prefix) over Limit over Project over AnnScan, and the inner
// projection no longer computes the distance (NULL in its place).
//
// NB: the scan already returns its rows nearest first (index order, or the
// exact order PostgreSQL's ORDER BY gives: numbers, NaN, NULL). Recomputing
// each distance only to sort k sorted rows again cost ~10 us a query on
// siftsmall: the row vectors are cold in cache, and the TopK copies rows.
// IVF_PQ is left alone: without re-ranking its order is by approximate
// (quantized) distance, and the TopK puts the k rows in exact order.
func annOrderedOutput(_ *Optimizer, n Node) Node {
	outer, ok := n.(*Project)
	if !ok {
		return n
	}
	t, ok := outer.Input.(*TopK)
	if !ok || len(t.Keys) != 1 {
		return n
	}
	inner, ok := t.Input.(*Project)
	if !ok {
		return n
	}
	a, ok := inner.Input.(*AnnScan)
	if !ok || (a.Index != nil && a.Index.Method == "ivf_pq") {
		return n
	}
	key, ok := t.Keys[0].Expr.(*executor.ColRef)
	if !ok || key.Idx >= len(inner.Exprs) {
		return n
	}
	for _, e := range outer.Exprs {
		if c, ok := e.(*executor.ColRef); !ok || c.Idx == key.Idx {
			return n
		}
	}
	exprs := append([]executor.Expr(nil), inner.Exprs...)
	exprs[key.Idx] = &executor.Const{Value: types.Null, Typ: exprs[key.Idx].Type()}
	inner.Exprs = exprs
	a.KeyOnly = readsOnlyKey(a, exprs)
	outer.Input = &Limit{Input: inner, Count: t.Count, Offset: t.Offset}
	return outer
}

// readsOnlyKey reports whether exprs, the projection over scan a, read no
// column but a's single-column primary key (constants aside), so that a
// can return key-only rows (AnnScan.KeyOnly).
//
// NB: the query "SELECT id FROM t ORDER BY v <-> $1 LIMIT k", the common
// way to use a vector index, then reads no row at all: fetching its k
// rows from the row mirror (an id lookup and the row's datums, cold in
// cache) was ~8 % of the server's CPU per siftsmall HNSW query.
func readsOnlyKey(a *AnnScan, exprs []executor.Expr) bool {
	t := a.Scan.Table
	if a.Scan.WithKey || t.HiddenRowID || len(t.Desc.PrimaryKey) != 1 {
		return false
	}
	pk := t.Desc.PrimaryKey[0]
	for _, e := range exprs {
		switch e := e.(type) {
		case *executor.Const:
		case *executor.ColRef:
			if e.Idx != pk {
				return false
			}
		default:
			return false
		}
	}
	return true
}
