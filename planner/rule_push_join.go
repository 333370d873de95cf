package planner

import "github.com/vecgres/vecgres/executor"

// pushPredicates moves the conjuncts of a WHERE (a Filter) and of a
// join's ON condition as far down the plan as SQL's semantics allow, so
// that single-table conditions become scan filters (and index ranges)
// and two-table conditions reach the join, where equalities become hash
// keys (rule_hash_join.go).
//
// Where a conjunct may go (PostgreSQL's rules, see its optimizer README,
// "Join tree construction" and "outer join" sections):
//
//   - WHERE over an inner join: one side's conjuncts go to that side, the
//     rest into the join condition.
//   - WHERE over LEFT join: only conjuncts on the preserved (left) side go
//     down; a conjunct on the nullable side must see the NULL-extended
//     rows, so it stays above.
//   - WHERE over FULL join: nothing goes down (both sides are nullable).
//   - WHERE over semi/anti join: the output is the left row, so every
//     conjunct goes to the left side.
//   - ON of an inner join: one side's conjuncts go to that side.
//   - ON of a LEFT join (or semi/anti): conjuncts on the nullable (right)
//     side go to it (a right row failing them matches nothing, exactly as
//     a missing row); conjuncts on the preserved side stay in the join,
//     because a failing left row is still emitted NULL-extended. A semi
//     join may also filter its left side by them.
//   - ON of a FULL join: nothing moves.
//
// First, an outer join whose NULL-extended rows a WHERE conjunct would
// reject anyway becomes an inner (or LEFT) join (reduceOuterJoin).
//
// Conjuncts that read no column, hold a subquery, or call a volatile
// function stay where they are (colRange).
//
// NB: the rewrite copies every node it changes on the way down instead of
// mutating it, because the binder shares subtrees: each reference to a
// WITH query wraps the same plan, and a filter pushed for one reference
// must not reach the others.
func pushPredicates(_ *Optimizer, n Node) Node {
	switch n := n.(type) {
	case *Filter:
		return addFilter(n.Input, conjuncts(n.Pred))
	case *Join:
		return pushIntoJoin(n, nil)
	}
	return n
}

// addFilter returns n filtered by conjs, pushing them as far down as
// they may go.
func addFilter(n Node, conjs []executor.Expr) Node {
	if len(conjs) == 0 {
		return n
	}
	switch x := n.(type) {
	case *Filter:
		return addFilter(x.Input, append(conjuncts(x.Pred), conjs...))
	case *Join:
		return pushIntoJoin(x, conjs)
	case *Project:
		if !columnsOnly(x.Exprs) {
			break
		}
		// NB: a projection of plain columns (a RIGHT join's reordering, a
		// FROM subquery's renaming) is transparent to filters: rewrite
		// them over its input.
		var down, stay []executor.Expr
		for _, c := range conjs {
			if _, _, ok := colRange(c); ok {
				down = append(down, remapCols(c, func(r *executor.ColRef) executor.Expr { return x.Exprs[r.Idx] }))
			} else {
				stay = append(stay, c)
			}
		}
		p := *x
		p.Input = addFilter(x.Input, down)
		return withFilter(&p, stay)
	}
	return withFilter(n, conjs)
}

// withFilter wraps n in a Filter of conjs (n itself for none).
func withFilter(n Node, conjs []executor.Expr) Node {
	if len(conjs) == 0 {
		return n
	}
	return &Filter{Input: n, Pred: conjoin(conjs)}
}

// columnsOnly reports whether every expression is a plain column.
func columnsOnly(es []executor.Expr) bool {
	for _, e := range es {
		if _, ok := e.(*executor.ColRef); !ok {
			return false
		}
	}
	return true
}

// side classifies a conjunct of a join whose left input has width l.
type side uint8

const (
	sidePinned side = iota // not movable, or reads no column
	sideLeft
	sideRight
	sideBoth
)

func sideOf(e executor.Expr, l int) side {
	lo, hi, ok := colRange(e)
	switch {
	case !ok || lo > hi:
		return sidePinned
	case hi < l:
		return sideLeft
	case lo >= l:
		return sideRight
	}
	return sideBoth
}

// pushIntoJoin distributes where (conjuncts of a filter above j) and j's
// own ON conjuncts, and returns a copy of j with what must stay above it.
func pushIntoJoin(orig *Join, where []executor.Expr) Node {
	j := new(Join)
	*j = *orig
	reduceOuterJoin(j, where)
	l := len(j.Left.Columns())
	var left, right, on, above []executor.Expr
	for _, c := range where {
		s := sideOf(c, l)
		switch {
		case s == sidePinned || j.Kind == executor.FullJoin:
			above = append(above, c)
		case j.Kind == executor.SemiJoin || j.Kind == executor.AntiJoin || s == sideLeft:
			left = append(left, c)
		case j.Kind != executor.InnerJoin:
			above = append(above, c)
		case s == sideRight:
			right = append(right, c)
		default:
			on = append(on, c)
		}
	}
	for _, c := range conjuncts(j.On) {
		s := sideOf(c, l)
		switch {
		case j.Kind == executor.FullJoin || s == sidePinned || s == sideBoth:
			on = append(on, c)
		case s == sideRight:
			right = append(right, c)
		case j.Kind == executor.InnerJoin || j.Kind == executor.SemiJoin:
			left = append(left, c)
		default:
			on = append(on, c)
		}
	}
	for i, c := range right {
		right[i] = shiftCols(c, l)
	}
	j.Left = addFilter(j.Left, left)
	j.Right = addFilter(j.Right, right)
	j.On = conjoin(on)
	return withFilter(j, above)
}

// reduceOuterJoin weakens j's kind when a condition above it (where)
// removes the NULL-extended rows it would add, as PostgreSQL's
// reduce_outer_joins does: a LEFT join whose right side a WHERE conjunct
// requires to be non-NULL is an inner join; a FULL join becomes an inner
// join when both sides are required, a LEFT join when the left one is.
// (A FULL join with only its right side required stays FULL: running it
// as a right join would need its inputs swapped.)
func reduceOuterJoin(j *Join, where []executor.Expr) {
	l := len(j.Left.Columns())
	w := l + len(j.Right.Columns())
	switch j.Kind {
	case executor.LeftJoin:
		if anyRejectsNulls(where, l, w) {
			j.Kind = executor.InnerJoin
		}
	case executor.FullJoin:
		left, right := anyRejectsNulls(where, 0, l), anyRejectsNulls(where, l, w)
		switch {
		case left && right:
			j.Kind = executor.InnerJoin
		case left:
			j.Kind = executor.LeftJoin
		}
	}
}

func anyRejectsNulls(conjs []executor.Expr, lo, hi int) bool {
	for _, c := range conjs {
		if _, _, ok := colRange(c); ok && rejectsNulls(c, lo, hi) {
			return true
		}
	}
	return false
}

// rejectsNulls reports whether e is NULL or false for every row whose
// columns lo..hi-1 are all NULL (whatever the other columns hold).
func rejectsNulls(e executor.Expr, lo, hi int) bool {
	switch e := e.(type) {
	case *executor.And:
		return rejectsNulls(e.Left, lo, hi) || rejectsNulls(e.Right, lo, hi)
	case *executor.Or:
		return rejectsNulls(e.Left, lo, hi) && rejectsNulls(e.Right, lo, hi)
	case *executor.IsNullExpr:
		return e.Not && nullWhenNull(e.Expr, lo, hi)
	case *executor.Not:
		if n, ok := e.Expr.(*executor.IsNullExpr); ok {
			return !n.Not && nullWhenNull(n.Expr, lo, hi)
		}
	case *executor.InList:
		return nullWhenNull(e.Expr, lo, hi)
	}
	return nullWhenNull(e, lo, hi)
}

// nullWhenNull reports whether e is NULL whenever columns lo..hi-1 are:
// such a column itself, or a strict function or cast of such an
// expression.
func nullWhenNull(e executor.Expr, lo, hi int) bool {
	switch e := e.(type) {
	case *executor.ColRef:
		return e.Idx >= lo && e.Idx < hi
	case *executor.CastExpr:
		return nullWhenNull(e.Expr, lo, hi)
	case *executor.Not:
		return nullWhenNull(e.Expr, lo, hi)
	case *executor.Call:
		if e.Fn == nil || e.Fn.NullCall {
			return false
		}
		for _, a := range e.Args {
			if nullWhenNull(a, lo, hi) {
				return true
			}
		}
	}
	return false
}
