package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// SemiJoinIn turns the WHERE conjunct "x IN (sub)" over left into a semi
// join of left with sub on x = sub's only column, as PostgreSQL pulls up
// an uncorrelated ANY sublink (convert_ANY_sublink_to_join). x is bound
// over left's row, eq is the "=" the binder resolved for x and sub's
// column (already cast to eq's right parameter). A semi join returns each
// left row once however many sub rows match, and, as a WHERE conjunct,
// an IN that is NULL (a NULL x, or no match but a NULL in sub) rejects
// the row just as false does: so the join is exact.
//
// It reports false (and the caller keeps the per-row subquery) when sub
// reads the outer query (correlated), when its shape is not understood,
// or when x may not be evaluated per candidate pair (volatile, or holding
// a subquery).
func SemiJoinIn(left Node, x executor.Expr, eq *builtin.Func, sub Node) (Node, bool) {
	if refs, ok := nodeRefsOuter(sub); refs || !ok {
		return nil, false
	}
	if _, _, movable := colRange(x); !movable {
		return nil, false
	}
	lc, rc := left.Columns(), sub.Columns()
	if len(rc) != 1 {
		return nil, false
	}
	var y executor.Expr = &executor.ColRef{Idx: 0, Typ: rc[0].Type, Name: rc[0].Name}
	// NB: the select list (and the binder's cast of it) moves into the
	// join condition, so that the key reads the subquery's own columns
	// (EXPLAIN then shows "ev.uid", as PostgreSQL does); only the join
	// evaluates it, once per sub row when hashed.
	for {
		p, ok := sub.(*Project)
		if !ok {
			break
		}
		e := remapCols(y, func(c *executor.ColRef) executor.Expr { return p.Exprs[c.Idx] })
		if _, _, movable := colRange(e); !movable {
			break
		}
		y, sub = e, p.Input
	}
	on := &executor.Call{Fn: eq, Args: []executor.Expr{x, shiftCols(y, -len(lc))}, Typ: types.BoolType, Op: "="}
	return &Join{Kind: executor.SemiJoin, Left: left, Right: sub, On: on, Cols: lc}, true
}

// SemiJoinExists turns the WHERE conjunct "[NOT] EXISTS (sub)" over left
// into a semi (anti, when not) join, as PostgreSQL pulls up an EXISTS
// sublink (convert_EXISTS_sublink_to_join): sub must be a filtered
// relation whose filter is the only place it reads the outer query, and
// only the immediately enclosing one (OuterRef depth 1). The filter's
// conjuncts that read the outer row become the join condition (their
// equalities then become hash keys); the others stay on sub's side.
//
// sub's select list, DISTINCT, ORDER BY and a constant LIMIT above zero
// (or NULL) do not change whether a row exists, so they are dropped.
// Aggregates, OFFSET, other LIMITs, window functions and set operations
// do, so such a sub is left alone (as by PostgreSQL's
// simplify_EXISTS_query), as is an uncorrelated one (it runs once per
// statement already).
func SemiJoinExists(left Node, sub Node, not bool) (Node, bool) {
	for {
		switch n := sub.(type) {
		case *Project:
			sub = n.Input
			continue
		case *Distinct:
			sub = n.Input
			continue
		case *Sort:
			sub = n.Input
			continue
		case *Limit:
			if positiveLimit(n) {
				sub = n.Input
				continue
			}
		}
		break
	}
	f, ok := sub.(*Filter)
	if !ok {
		return nil, false
	}
	if refs, ok := nodeRefsOuter(f.Input); refs || !ok {
		return nil, false
	}
	lw := len(left.Columns())
	var on, stay []executor.Expr
	for _, c := range conjuncts(f.Pred) {
		refs, ok := exprRefsOuter(c)
		switch {
		case !ok:
			return nil, false
		case !refs:
			stay = append(stay, c)
			continue
		}
		if _, _, movable := colRange(c); !movable {
			return nil, false
		}
		on = append(on, remapRefs(c,
			func(r *executor.ColRef) executor.Expr {
				return &executor.ColRef{Idx: lw + r.Idx, Typ: r.Typ, Name: r.Name}
			},
			func(o *executor.OuterRef) executor.Expr {
				return &executor.ColRef{Idx: o.Idx, Typ: o.Typ, Name: o.Name}
			}))
	}
	if len(on) == 0 {
		return nil, false
	}
	kind := executor.SemiJoin
	if not {
		kind = executor.AntiJoin
	}
	right := withFilter(f.Input, stay)
	return &Join{Kind: kind, Left: left, Right: right, On: conjoin(on), Cols: left.Columns()}, true
}

// positiveLimit reports whether l is "LIMIT c" without OFFSET, c a
// constant that is NULL (no limit) or above zero.
func positiveLimit(l *Limit) bool {
	c, ok := l.Count.(*executor.Const)
	if !ok || l.Offset != nil {
		return false
	}
	return c.Value.IsNull() || (c.Value.K == types.KindInt && c.Value.I > 0)
}

// nodeRefsOuter reports whether any expression of n's tree reads an outer
// query's row; ok is false when that cannot be told (an outer reference
// more than one level up, a correlated nested subquery, an unknown node
// or expression), which callers treat as "do not move".
func nodeRefsOuter(n Node) (refs, ok bool) {
	var exprs []executor.Expr
	switch n := n.(type) {
	case *Scan:
		if n.Index != nil {
			return false, false
		}
		exprs = []executor.Expr{n.Filter}
	case *Values:
		for _, r := range n.Rows {
			exprs = append(exprs, r...)
		}
	case *Filter:
		exprs = []executor.Expr{n.Pred}
	case *Project:
		exprs = n.Exprs
	case *Aggregate:
		exprs = append(exprs, n.GroupBy...)
		for _, a := range n.Aggs {
			exprs = append(exprs, a.Args...)
			exprs = append(exprs, a.Filter)
		}
	case *Window:
		exprs = append(exprs, n.PartitionBy...)
		for _, k := range n.OrderBy {
			exprs = append(exprs, k.Expr)
		}
		for _, w := range n.Funcs {
			exprs = append(exprs, w.Args...)
		}
		if n.Frame != nil {
			// NB: frame offsets may be expressions; not inspected.
			return false, false
		}
	case *Sort:
		for _, k := range n.Keys {
			exprs = append(exprs, k.Expr)
		}
	case *Limit:
		exprs = []executor.Expr{n.Count, n.Offset}
	case *Distinct:
		exprs = n.On
	case *Join:
		exprs = []executor.Expr{n.On}
	case *Append:
	case *Series:
		exprs = []executor.Expr{n.Start, n.Stop, n.Step}
	case *Unnest:
		exprs = n.Arrays
	default:
		return false, false
	}
	for _, e := range exprs {
		r, k := exprRefsOuter(e)
		if !k {
			return false, false
		}
		refs = refs || r
	}
	for _, c := range inputs(n) {
		r, k := nodeRefsOuter(c)
		if !k {
			return false, false
		}
		refs = refs || r
	}
	return refs, true
}

// exprRefsOuter reports whether e reads the enclosing query's row
// (OuterRef depth 1); ok is false for deeper references, correlated
// subqueries and expressions it does not know.
func exprRefsOuter(e executor.Expr) (refs, ok bool) {
	if e == nil {
		return false, true
	}
	var kids []executor.Expr
	switch e := e.(type) {
	case *executor.ColRef, *executor.Const, *executor.ParamRef:
		return false, true
	case *executor.OuterRef:
		return true, e.Depth == 1
	case *executor.Subquery:
		return false, !e.Correlated
	case *executor.Call:
		kids = e.Args
	case *executor.SeqFunc:
		kids = e.Args
	case *executor.CastExpr:
		kids = []executor.Expr{e.Expr}
	case *executor.And:
		kids = []executor.Expr{e.Left, e.Right}
	case *executor.Or:
		kids = []executor.Expr{e.Left, e.Right}
	case *executor.Not:
		kids = []executor.Expr{e.Expr}
	case *executor.IsNullExpr:
		kids = []executor.Expr{e.Expr}
	case *executor.CaseExpr:
		kids = append(kids, e.Else)
		for _, w := range e.Whens {
			kids = append(kids, w.Cond, w.Result)
		}
	case *executor.Coalesce:
		kids = e.Args
	case *executor.Greatest:
		kids = e.Args
	case *executor.InList:
		kids = append([]executor.Expr{e.Expr}, e.List...)
	case *executor.AnyArray:
		kids = []executor.Expr{e.Left, e.Right}
	case *executor.DistinctFrom:
		kids = []executor.Expr{e.Left, e.Right}
	case *executor.ArrayExpr:
		kids = e.Elems
	default:
		return false, false
	}
	for _, k := range kids {
		r, o := exprRefsOuter(k)
		if !o {
			return false, false
		}
		refs = refs || r
	}
	return refs, true
}

// HashableEq reports whether fn is an "=" that holds exactly when its
// operands' types.AppendKey encodings are equal (both of the returned
// type), so that a hash table can stand in for calling it: the hash join
// rule's keys, and executor.Subquery.Hashed.
func HashableEq(fn *builtin.Func) (types.T, bool) {
	if fn == nil || fn.Name != "=" || len(fn.Params) != 2 || !fn.Params[0].Equal(fn.Params[1]) || !hashable(fn.Params[0].Family) {
		return types.T{}, false
	}
	return fn.Params[0], true
}
