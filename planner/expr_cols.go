package planner

import "github.com/vecgres/vecgres/executor"

// colRange reports the smallest and largest input column e reads (lo > hi
// when it reads none) and whether e may be moved to another position in
// the plan at all: expressions holding a subquery (which may read the
// current row through OuterRef), a sequence function or a volatile call
// are pinned where the binder put them.
func colRange(e executor.Expr) (lo, hi int, movable bool) {
	lo, hi, movable = int(^uint(0)>>1), -1, true
	var walk func(e executor.Expr)
	walk = func(e executor.Expr) {
		if !movable || e == nil {
			return
		}
		switch e := e.(type) {
		case *executor.ColRef:
			lo, hi = min(lo, e.Idx), max(hi, e.Idx)
		case *executor.Const, *executor.ParamRef, *executor.OuterRef:
		case *executor.Call:
			if e.Fn == nil || e.Fn.Volatile {
				movable = false
				return
			}
			for _, a := range e.Args {
				walk(a)
			}
		case *executor.CastExpr:
			walk(e.Expr)
		case *executor.And:
			walk(e.Left)
			walk(e.Right)
		case *executor.Or:
			walk(e.Left)
			walk(e.Right)
		case *executor.Not:
			walk(e.Expr)
		case *executor.IsNullExpr:
			walk(e.Expr)
		case *executor.CaseExpr:
			for _, w := range e.Whens {
				walk(w.Cond)
				walk(w.Result)
			}
			walk(e.Else)
		case *executor.Coalesce:
			for _, a := range e.Args {
				walk(a)
			}
		case *executor.Greatest:
			for _, a := range e.Args {
				walk(a)
			}
		case *executor.InList:
			walk(e.Expr)
			for _, a := range e.List {
				walk(a)
			}
		case *executor.AnyArray:
			walk(e.Left)
			walk(e.Right)
		case *executor.DistinctFrom:
			walk(e.Left)
			walk(e.Right)
		case *executor.ArrayExpr:
			for _, a := range e.Elems {
				walk(a)
			}
		default:
			movable = false
		}
	}
	walk(e)
	return lo, hi, movable
}

// remapCols returns a copy of e (which colRange found movable) with every
// column reference i replaced by the expression m(i) returns. Nodes
// without column references below them are shared, not copied.
func remapCols(e executor.Expr, m func(c *executor.ColRef) executor.Expr) executor.Expr {
	return remapRefs(e, m, func(o *executor.OuterRef) executor.Expr { return o })
}

// remapRefs is remapCols that also replaces outer references (by what mo
// returns), for expressions moved from a subquery into its parent query.
func remapRefs(e executor.Expr, m func(c *executor.ColRef) executor.Expr, mo func(o *executor.OuterRef) executor.Expr) executor.Expr {
	if e == nil {
		return nil
	}
	r := func(x executor.Expr) executor.Expr { return remapRefs(x, m, mo) }
	list := func(xs []executor.Expr) []executor.Expr {
		out := make([]executor.Expr, len(xs))
		for i, x := range xs {
			out[i] = r(x)
		}
		return out
	}
	switch e := e.(type) {
	case *executor.ColRef:
		return m(e)
	case *executor.OuterRef:
		return mo(e)
	case *executor.Call:
		c := *e
		c.Args = list(e.Args)
		return &c
	case *executor.CastExpr:
		c := *e
		c.Expr = r(e.Expr)
		return &c
	case *executor.And:
		return &executor.And{Left: r(e.Left), Right: r(e.Right)}
	case *executor.Or:
		return &executor.Or{Left: r(e.Left), Right: r(e.Right)}
	case *executor.Not:
		return &executor.Not{Expr: r(e.Expr)}
	case *executor.IsNullExpr:
		return &executor.IsNullExpr{Expr: r(e.Expr), Not: e.Not}
	case *executor.CaseExpr:
		c := *e
		c.Whens = make([]executor.CaseWhen, len(e.Whens))
		for i, w := range e.Whens {
			c.Whens[i] = executor.CaseWhen{Cond: r(w.Cond), Result: r(w.Result)}
		}
		c.Else = r(e.Else)
		return &c
	case *executor.Coalesce:
		return &executor.Coalesce{Args: list(e.Args), Typ: e.Typ}
	case *executor.Greatest:
		return &executor.Greatest{Args: list(e.Args), Typ: e.Typ, Least: e.Least}
	case *executor.InList:
		c := *e
		c.Expr, c.List = r(e.Expr), list(e.List)
		return &c
	case *executor.AnyArray:
		c := *e
		c.Left, c.Right = r(e.Left), r(e.Right)
		return &c
	case *executor.DistinctFrom:
		c := *e
		c.Left, c.Right = r(e.Left), r(e.Right)
		return &c
	case *executor.ArrayExpr:
		return &executor.ArrayExpr{Elems: list(e.Elems), Typ: e.Typ}
	}
	return e
}

// shiftCols returns e with every column index lowered by by.
func shiftCols(e executor.Expr, by int) executor.Expr {
	if by == 0 {
		return e
	}
	return remapCols(e, func(c *executor.ColRef) executor.Expr {
		return &executor.ColRef{Idx: c.Idx - by, Typ: c.Typ, Name: c.Name}
	})
}
