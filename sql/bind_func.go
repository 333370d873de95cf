package sql

import (
	"fmt"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

type builtinFunc = builtin.Func

func (b *binder) funcCall(sc *scope, e *tree.FuncCall) (executor.Expr, error) {
	name := lower(e.Name)
	if e.Over != nil {
		return b.windowCall(sc, e)
	}
	if e.OverRefused {
		return nil, b.overRefused(sc, e, name)
	}
	if _, ok := windowOnly[name]; ok {
		return nil, pgerr.Newf(pgerr.WrongObjectType, "window function %s requires an OVER clause", name)
	}
	if b.lib.IsAggregate(name) {
		if b.inAggArgs {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested")
		}
		if sc == nil || sc.agg == nil {
			return nil, pgerr.Newf(pgerr.GroupingError, "aggregate functions are not allowed here")
		}
		return b.aggregateCall(sc, e)
	}
	switch name {
	case "coalesce", "greatest", "least":
		args, err := b.exprList(sc, e.Args)
		if err != nil {
			return nil, err
		}
		t, coerced, err := b.commonType(args, strings.ToUpper(name))
		if err != nil {
			return nil, err
		}
		if name == "coalesce" {
			return &executor.Coalesce{Args: coerced, Typ: t}, nil
		}
		return &executor.Greatest{Args: coerced, Typ: t, Least: name == "least"}, nil
	case "nullif":
		if len(e.Args) != 2 {
			break
		}
		l, r, fn, err := b.comparison(sc, "=", e.Args[0], e.Args[1])
		if err != nil {
			return nil, err
		}
		eq := &executor.Call{Fn: fn, Args: []executor.Expr{l, r}, Typ: types.BoolType, Op: "="}
		return &executor.CaseExpr{Whens: []executor.CaseWhen{{Cond: eq, Result: &executor.Const{Typ: l.Type()}}}, Else: l, Typ: l.Type()}, nil
	case "nextval", "currval", "setval", "lastval":
		return b.sequenceFunc(sc, name, e)
	}
	if x, ok, err := b.catalogFunc(sc, e); ok || err != nil {
		return x, err
	}
	args, err := b.exprList(sc, e.Args)
	if err != nil {
		return nil, err
	}
	fn, err := b.lib.ResolveFunc(name, argTypes(args))
	if err != nil {
		return nil, err
	}
	if args, err = b.callArgs(fn.Params, fn.Variadic, args); err != nil {
		return nil, err
	}
	return b.foldCall(&executor.Call{Fn: fn, Args: args, Typ: returnType(fn.Return, fn.ReturnFn, args)})
}

// overRefused is the error for f(...) OVER (...) where the front layer
// could not carry the OVER clause: PostgreSQL's 42883 for an unknown
// function, 42809 for a plain one, and 0A000 for an aggregate that vecgres
// cannot run as a window function.
func (b *binder) overRefused(sc *scope, e *tree.FuncCall, name string) error {
	pos := func(err error) error { return b.errPos(err, e.Pos) }
	if b.lib.IsAggregate(name) {
		return pos(pgerr.Newf(pgerr.FeatureNotSupported, "aggregate %s is not supported as a window function", name))
	}
	args, err := b.exprList(sc, e.Args)
	if err != nil {
		return err
	}
	if _, err := b.lib.ResolveFunc(name, argTypes(args)); err != nil {
		return pos(err)
	}
	return pos(pgerr.Newf(pgerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name))
}

func (b *binder) exprList(sc *scope, es []tree.Expr) ([]executor.Expr, error) {
	out := make([]executor.Expr, len(es))
	for i, e := range es {
		x, err := b.expr(sc, e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// aggContext is the state of binding the outputs of an aggregating query:
// expressions over the Aggregate node's output row, which is the GROUP BY
// values followed by the aggregate results.
type aggContext struct {
	from      *scope
	groupBy   []executor.Expr
	groupKeys []string
	aggs      []executor.AggSpec
	aggKeys   []string
}

func (b *binder) aggregateCall(sc *scope, e *tree.FuncCall) (executor.Expr, error) {
	ac := sc.agg
	inner := ac.from
	b.inAggArgs = true
	args, err := b.exprList(inner, e.Args)
	b.inAggArgs = false
	if err != nil {
		return nil, err
	}
	for i, a := range args {
		args[i] = b.defaultUnknown(a)
	}
	agg, err := b.lib.ResolveAggregate(lower(e.Name), argTypes(args), e.Star)
	if err != nil {
		return nil, err
	}
	if args, err = b.callArgs(agg.Params, false, args); err != nil {
		return nil, err
	}
	spec := executor.AggSpec{Agg: agg, Args: args, Distinct: e.Distinct}
	if e.Filter != nil {
		if spec.Filter, err = b.boolExpr(inner, e.Filter, "FILTER"); err != nil {
			return nil, err
		}
	}
	typ := agg.Return
	if agg.ReturnFn != nil {
		typ = agg.ReturnFn(argTypes(args))
	}
	key := fmt.Sprintf("%s|%v|%v|%s", agg.Name, e.Distinct, e.Star, exprKeys(args))
	if spec.Filter != nil {
		key += "|f" + exprKey(spec.Filter)
	}
	for i, k := range ac.aggKeys {
		if k == key {
			return &executor.ColRef{Idx: len(ac.groupBy) + i, Typ: typ, Name: lower(e.Name)}, nil
		}
	}
	ac.aggs = append(ac.aggs, spec)
	ac.aggKeys = append(ac.aggKeys, key)
	return &executor.ColRef{Idx: len(ac.groupBy) + len(ac.aggs) - 1, Typ: typ, Name: lower(e.Name)}, nil
}

// matchGroup reports whether e (not containing aggregates) equals a GROUP
// BY expression, returning a reference to that group column.
func (b *binder) matchGroup(sc *scope, e tree.Expr) (executor.Expr, bool, error) {
	ac := sc.agg
	if containsAggregate(b, e) {
		return nil, false, nil
	}
	switch e.(type) {
	case *tree.NumberLit, *tree.StringLit, *tree.NullLit, *tree.BoolLit, *tree.Param, *tree.Subquery, *tree.Exists:
		return nil, false, nil
	}
	x, err := b.expr(ac.from, e)
	if err != nil {
		if _, ok := e.(*tree.ColumnRef); ok {
			return nil, false, err
		}
		return nil, false, nil
	}
	k := exprKey(x)
	for i, gk := range ac.groupKeys {
		if gk == k {
			return &executor.ColRef{Idx: i, Typ: x.Type(), Name: colName(x)}, true, nil
		}
	}
	if ref, ok := x.(*executor.ColRef); ok && ref.Idx < len(ac.from.cols) {
		return nil, false, groupingError(&ac.from.cols[ref.Idx])
	}
	return nil, false, nil
}

func colName(e executor.Expr) string {
	if c, ok := e.(*executor.ColRef); ok {
		return c.Name
	}
	return ""
}

// containsAggregate reports whether e calls an aggregate outside subqueries.
func containsAggregate(b *binder, e tree.Expr) bool {
	found := false
	walkExpr(e, func(x tree.Expr) bool {
		if f, ok := x.(*tree.FuncCall); ok && f.Over == nil && b.lib.IsAggregate(lower(f.Name)) {
			found = true
		}
		return !found
	})
	return found
}

// walkExpr calls f on e and its sub-expressions (not entering subqueries)
// while f returns true.
func walkExpr(e tree.Expr, f func(tree.Expr) bool) {
	if e == nil || !f(e) {
		return
	}
	switch e := e.(type) {
	case *tree.BinaryOp:
		walkExpr(e.Left, f)
		walkExpr(e.Right, f)
	case *tree.UnaryOp:
		walkExpr(e.Expr, f)
	case *tree.IsNull:
		walkExpr(e.Expr, f)
	case *tree.IsBool:
		walkExpr(e.Expr, f)
	case *tree.FuncCall:
		for _, a := range e.Args {
			walkExpr(a, f)
		}
		if e.Over != nil {
			for _, p := range e.Over.PartitionBy {
				walkExpr(p, f)
			}
			for _, o := range e.Over.OrderBy {
				walkExpr(o.Expr, f)
			}
		}
	case *tree.Cast:
		walkExpr(e.Expr, f)
	case *tree.Between:
		walkExpr(e.Expr, f)
		walkExpr(e.Lo, f)
		walkExpr(e.Hi, f)
	case *tree.InList:
		walkExpr(e.Expr, f)
		for _, a := range e.List {
			walkExpr(a, f)
		}
	case *tree.Case:
		walkExpr(e.Operand, f)
		for _, w := range e.Whens {
			walkExpr(w.Cond, f)
			walkExpr(w.Result, f)
		}
		walkExpr(e.Else, f)
	case *tree.ArrayLit:
		for _, a := range e.Elems {
			walkExpr(a, f)
		}
	case *tree.Collate:
		walkExpr(e.Expr, f)
	case *tree.Quantified:
		walkExpr(e.Left, f)
		walkExpr(e.Right, f)
	case *tree.Subscript:
		walkExpr(e.Expr, f)
		walkExpr(e.Index, f)
	case *tree.InSubquery:
		walkExpr(e.Expr, f)
	}
}

// exprKey is a structural fingerprint of a bound expression: equal keys
// mean equal expressions (GROUP BY matching, aggregate de-duplication).
func exprKey(e executor.Expr) string {
	switch e := e.(type) {
	case *executor.ColRef:
		return fmt.Sprintf("c%d", e.Idx)
	case *executor.OuterRef:
		return fmt.Sprintf("o%d.%d", e.Depth, e.Idx)
	case *executor.ParamRef:
		return fmt.Sprintf("$%d", e.N)
	case *executor.Const:
		return fmt.Sprintf("k%s:%x", e.Typ, types.AppendKey(nil, e.Typ, e.Value, false))
	case *executor.Call:
		return fmt.Sprintf("f%p(%s)", e.Fn, exprKeys(e.Args))
	case *executor.CastExpr:
		return fmt.Sprintf("cast(%s,%s)", exprKey(e.Expr), e.Typ)
	case *executor.And:
		return "and(" + exprKey(e.Left) + "," + exprKey(e.Right) + ")"
	case *executor.Or:
		return "or(" + exprKey(e.Left) + "," + exprKey(e.Right) + ")"
	case *executor.Not:
		return "not(" + exprKey(e.Expr) + ")"
	}
	return fmt.Sprintf("%T%p", e, e)
}

func exprKeys(es []executor.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = exprKey(e)
	}
	return strings.Join(parts, ",")
}

// subqueryScope makes the scope an inner query sees: its own FROM
// columns, with the enclosing scope as parent.
func (b *binder) bindSubquery(sc *scope, sel *tree.Select) (planner.Node, bool, error) {
	outer := sc
	if outer != nil && outer.agg != nil {
		outer = groupedScope(outer)
	}
	marker := &scope{parent: outer, boundary: true}
	node, err := b.selectStmt(marker, sel)
	if err != nil {
		return nil, false, err
	}
	return node, marker.correlated || (outer != nil && outer.correlated), nil
}

// groupedScope is what a subquery inside an aggregating query sees of it:
// the aggregate's output row, whose first columns are the GROUP BY
// expressions. NB: the subquery runs over that row (in the select list,
// HAVING or ORDER BY), so only grouped plain columns are visible; the other
// FROM columns are left out rather than read at a wrong offset.
func groupedScope(sc *scope) *scope {
	ac := sc.agg
	cols := make([]planner.Column, len(ac.groupBy))
	for i, g := range ac.groupBy {
		cols[i] = planner.Column{Hidden: true}
		if ref, ok := g.(*executor.ColRef); ok && ref.Idx < len(ac.from.cols) {
			cols[i] = ac.from.cols[ref.Idx]
			cols[i].Hidden = false
		}
	}
	return &scope{parent: sc.parent, cols: cols}
}

func (b *binder) subqueryExpr(sc *scope, e *tree.Subquery) (executor.Expr, error) {
	node, corr, err := b.bindSubquery(sc, e.Select)
	if err != nil {
		return nil, err
	}
	cols := node.Columns()
	if len(cols) != 1 {
		return nil, pgerr.New(pgerr.SyntaxError, "subquery must return only one column")
	}
	op, err := b.buildPlan(node)
	if err != nil {
		return nil, err
	}
	mode, typ := executor.ScalarSubquery, cols[0].Type
	if e.Array {
		mode, typ = executor.ArraySubquery, types.ArrayOf(cols[0].Type)
	}
	return &executor.Subquery{Plan: op, Mode: mode, Typ: typ, Correlated: corr}, nil
}

func (b *binder) existsExpr(sc *scope, e *tree.Exists) (executor.Expr, error) {
	node, corr, err := b.bindSubquery(sc, e.Select)
	if err != nil {
		return nil, err
	}
	return b.existsFromNode(node, corr, e.Not)
}

// existsFromNode makes the per-row EXISTS expression of a bound subquery.
func (b *binder) existsFromNode(node planner.Node, corr, not bool) (executor.Expr, error) {
	op, err := b.buildPlan(node)
	if err != nil {
		return nil, err
	}
	return &executor.Subquery{Plan: op, Mode: executor.ExistsSubquery, Typ: types.BoolType, Correlated: corr, Not: not}, nil
}

func (b *binder) inSubquery(sc *scope, e *tree.InSubquery) (executor.Expr, error) {
	return b.anySubquery(sc, "=", e.Expr, e.Select, false, e.Not, executor.InSubquery)
}

func (b *binder) anySubquery(sc *scope, op string, left tree.Expr, sel *tree.Select, all, not bool, mode executor.SubqueryMode) (executor.Expr, error) {
	s, err := b.bindAnySubquery(sc, op, left, sel)
	if err != nil {
		return nil, err
	}
	return b.anyFromBound(s, all, not, mode)
}

// boundAny is "x op ANY (SELECT y ...)" bound but not yet built: Left is x
// cast to Cmp's left parameter, Node the subquery with y cast to its right
// one.
type boundAny struct {
	Left       executor.Expr
	Cmp        *builtinFunc
	Node       planner.Node
	Correlated bool
}

func (b *binder) bindAnySubquery(sc *scope, op string, left tree.Expr, sel *tree.Select) (boundAny, error) {
	x, err := b.expr(sc, left)
	if err != nil {
		return boundAny{}, err
	}
	node, corr, err := b.bindSubquery(sc, sel)
	if err != nil {
		return boundAny{}, err
	}
	cols := node.Columns()
	if len(cols) != 1 {
		return boundAny{}, pgerr.New(pgerr.SyntaxError, "subquery has too many columns")
	}
	probe := &executor.Const{Typ: cols[0].Type}
	l, _, fn, err := b.compareBound(op, x, probe)
	if err != nil {
		return boundAny{}, err
	}
	if !fn.Params[1].Equal(cols[0].Type) {
		node = castColumn(node, 0, fn.Params[1])
	}
	return boundAny{Left: l, Cmp: fn, Node: node, Correlated: corr}, nil
}

// anyFromBound makes the per-row IN/ANY/ALL expression of a bound subquery.
func (b *binder) anyFromBound(s boundAny, all, not bool, mode executor.SubqueryMode) (executor.Expr, error) {
	l, fn, node, corr := s.Left, s.Cmp, s.Node, s.Correlated
	op2, err := b.buildPlan(node)
	if err != nil {
		return nil, err
	}
	sq := &executor.Subquery{Plan: op2, Mode: mode, Typ: types.BoolType, Correlated: corr, Left: l, Cmp: fn, All: all, Not: not}
	if t, ok := planner.HashableEq(fn); ok && mode == executor.InSubquery && !corr {
		sq.Hashed, sq.HashType = true, t
	}
	return sq, nil
}

// castColumn wraps node in a projection casting column i to t.
func castColumn(node planner.Node, i int, t types.T) planner.Node {
	cols := node.Columns()
	exprs := make([]executor.Expr, len(cols))
	out := make([]planner.Column, len(cols))
	copy(out, cols)
	for j, c := range cols {
		exprs[j] = &executor.ColRef{Idx: j, Typ: c.Type, Name: c.Name}
	}
	exprs[i] = &executor.CastExpr{Expr: exprs[i], Typ: t}
	out[i].Type = t
	return &planner.Project{Input: node, Exprs: exprs, Cols: out}
}

func (b *binder) quantified(sc *scope, e *tree.Quantified) (executor.Expr, error) {
	if e.Select != nil {
		return b.anySubquery(sc, e.Op, e.Left, e.Select, e.All, false, executor.AnySubquery)
	}
	x, err := b.expr(sc, e.Left)
	if err != nil {
		return nil, err
	}
	arr, err := b.expr(sc, e.Right)
	if err != nil {
		return nil, err
	}
	if isUnknown(arr) {
		// '{1,2}' or $1: an array of the left operand's type.
		et := x.Type()
		if et.Family == types.Unknown {
			et = types.TextType
			if x, err = b.coerce(x, et); err != nil {
				return nil, err
			}
		}
		if arr, err = b.coerce(arr, types.ArrayOf(et)); err != nil {
			return nil, err
		}
	}
	elem, ok := arr.Type().ElemType()
	if !ok {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "op ANY/ALL (array) requires array on right side")
	}
	l, _, fn, err := b.compareBound(e.Op, x, &executor.Const{Typ: elem})
	if err != nil {
		return nil, err
	}
	if !fn.Params[1].Equal(elem) {
		if arr, err = b.coerce(arr, types.ArrayOf(fn.Params[1])); err != nil {
			return nil, err
		}
	}
	return &executor.AnyArray{Left: l, Right: arr, Cmp: fn, All: e.All}, nil
}

// subscriptExpr is arr[i] with PostgreSQL's 1-based indexing; out of range
// gives NULL.
type subscriptExpr struct {
	arr, idx executor.Expr
	typ      types.T
}

func (s *subscriptExpr) Type() types.T { return s.typ }

func (s *subscriptExpr) Eval(ctx *executor.Ctx, row []types.Datum) (types.Datum, error) {
	a, err := s.arr.Eval(ctx, row)
	if err != nil || a.IsNull() {
		return types.Null, err
	}
	i, err := s.idx.Eval(ctx, row)
	if err != nil || i.IsNull() {
		return types.Null, err
	}
	if i.I < 1 || i.I > int64(len(a.Arr)) {
		return types.Null, nil
	}
	return a.Arr[i.I-1], nil
}
