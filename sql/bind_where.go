package sql

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// whereClause binds the WHERE of a SELECT, UPDATE or DELETE over node,
// the FROM row (scope from), and returns node filtered by it.
//
// Top-level conjuncts "x IN (SELECT ...)", "EXISTS (SELECT ...)" and
// "NOT EXISTS (SELECT ...)" become semi and anti joins with the subquery
// when planner.SemiJoinIn / planner.SemiJoinExists accept their shape
// (uncorrelated IN; EXISTS correlated only through its WHERE), so the
// hash join rule can run them as one hash join instead of a subquery per
// row; the other conjuncts (and subqueries those refuse) filter the
// joined rows, as before.
//
// NB: NOT IN stays a subquery (hashed when uncorrelated), as in
// PostgreSQL: an anti join would return rows whose x is NULL, or all rows
// when the subquery yields a NULL, where NOT IN is NULL (not true). IN
// and EXISTS under OR or NOT are not conjuncts and stay subqueries too.
func (b *binder) whereClause(from *scope, node planner.Node, where tree.Expr) (planner.Node, error) {
	conjs := splitAnd(where, nil)
	candidates := 0
	for _, c := range conjs {
		if _, ok := semiJoinable(c); ok {
			candidates++
		}
	}
	if candidates == 0 {
		pred, err := b.boolExpr(from, where, "WHERE")
		if err != nil {
			return nil, err
		}
		return &planner.Filter{Input: node, Pred: pred}, nil
	}
	ctxName := "WHERE"
	if len(conjs) > 1 {
		// NB: PostgreSQL names the AND when a conjunct is not boolean.
		ctxName = "AND"
	}
	var preds []executor.Expr
	var joins []func(left planner.Node) (planner.Node, bool)
	for _, c := range conjs {
		sub, ok := semiJoinable(c)
		if !ok {
			p, err := b.boolExpr(from, c, ctxName)
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
			continue
		}
		join, fallback, err := b.subqueryConjunct(from, sub)
		if err != nil {
			return nil, err
		}
		// NB: whether a join is possible depends only on the subquery and
		// the left row's width, which the joins below do not change.
		if _, ok := join(node); ok {
			joins = append(joins, join)
			continue
		}
		p, err := fallback()
		if err != nil {
			return nil, err
		}
		preds = append(preds, p)
	}
	for _, j := range joins {
		node, _ = j(node)
	}
	if len(preds) > 0 {
		// NB: the filter goes above the joins (push_predicates moves its
		// movable conjuncts down to the scans), so that an enclosing EXISTS
		// still sees this query as a filtered relation it can join.
		node = &planner.Filter{Input: node, Pred: andAll(preds)}
	}
	return node, nil
}

// subqueryConjunct binds an IN or [NOT] EXISTS conjunct (semiJoinable's
// result) and returns how to join it to a left input (false when the
// planner refuses) and how to make it a per-row expression instead.
func (b *binder) subqueryConjunct(from *scope, sub tree.Expr) (func(planner.Node) (planner.Node, bool), func() (executor.Expr, error), error) {
	switch s := sub.(type) {
	case *tree.Exists:
		n, corr, err := b.bindSubquery(from, s.Select)
		if err != nil {
			return nil, nil, err
		}
		join := func(left planner.Node) (planner.Node, bool) { return planner.SemiJoinExists(left, n, s.Not) }
		return join, func() (executor.Expr, error) { return b.existsFromNode(n, corr, s.Not) }, nil
	case *tree.InSubquery:
		ba, err := b.bindAnySubquery(from, "=", s.Expr, s.Select)
		if err != nil {
			return nil, nil, err
		}
		// NB: ba.Correlated is also set when this query level reads an
		// enclosing one; SemiJoinIn looks for outer references itself.
		join := func(left planner.Node) (planner.Node, bool) {
			return planner.SemiJoinIn(left, ba.Left, ba.Cmp, ba.Node)
		}
		return join, func() (executor.Expr, error) { return b.anyFromBound(ba, false, false, executor.InSubquery) }, nil
	}
	return nil, nil, pgerr.Newf(pgerr.InternalError, "unexpected WHERE subquery %T", sub)
}

// splitAnd appends the top-level conjuncts of e to out.
func splitAnd(e tree.Expr, out []tree.Expr) []tree.Expr {
	if a, ok := e.(*tree.BinaryOp); ok && a.Op == "AND" {
		return splitAnd(a.Right, splitAnd(a.Left, out))
	}
	return append(out, e)
}

// semiJoinable returns the subquery form of a conjunct that may become a
// semi or anti join: [NOT] EXISTS, or IN (not NOT IN).
func semiJoinable(e tree.Expr) (tree.Expr, bool) {
	switch x := e.(type) {
	case *tree.Exists:
		return x, true
	case *tree.InSubquery:
		return x, !x.Not
	case *tree.UnaryOp:
		if ex, ok := x.Expr.(*tree.Exists); ok && x.Op == "NOT" {
			return &tree.Exists{Pos: ex.Pos, Select: ex.Select, Not: !ex.Not}, true
		}
	}
	return nil, false
}

// andAll conjoins es left to right.
func andAll(es []executor.Expr) executor.Expr {
	out := es[0]
	for _, e := range es[1:] {
		out = &executor.And{Left: out, Right: e}
	}
	return out
}
