package sql

import (
	"reflect"
	"strconv"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// selectStmt binds a query. parent is the enclosing query's scope for
// correlated subqueries (a marker scope whose correlated flag records outer
// references), or nil at top level.
func (b *binder) selectStmt(parent *scope, sel *tree.Select) (planner.Node, error) {
	if len(sel.With) > 0 {
		parent = &scope{parent: parent, cols: nil, ctes: map[string]*cteDef{}}
		for _, c := range sel.With {
			n, err := b.selectStmt(parent, c.Select)
			if err != nil {
				return nil, err
			}
			if len(c.Columns) > 0 {
				n = renameColumns(n, c.Columns, c.Name)
			}
			parent.ctes[c.Name] = &cteDef{node: n}
		}
	}
	if sel.SetOp != nil {
		return b.setOp(parent, sel)
	}
	if sel.Values != nil {
		node, err := b.valuesRows(parent, sel.Values)
		if err != nil {
			return nil, err
		}
		return b.orderLimit(parent, node, sel)
	}
	if hasSelectListSRF(sel) && len(sel.GroupBy) == 0 && sel.Having == nil && !targetsAggregate(b, sel) {
		if x := expandSelectListSRFs(sel); x != nil {
			sel = x
		}
	}
	var node planner.Node
	var from *scope
	var err error
	if len(sel.From) == 0 {
		node = &planner.Values{Rows: [][]executor.Expr{{}}}
		from = &scope{parent: parent}
	} else if node, from, err = b.fromList(parent, sel.From); err != nil {
		return nil, err
	}
	if err := b.noWindowsIn(sel); err != nil {
		return nil, err
	}
	if sel.Where != nil {
		if containsAggregate(b, sel.Where) {
			return nil, b.errPos(pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in WHERE"), exprPos(sel.Where))
		}
		if node, err = b.whereClause(from, node, sel.Where); err != nil {
			return nil, err
		}
	}

	aggregating := len(sel.GroupBy) > 0 || sel.Having != nil
	for _, t := range sel.Targets {
		aggregating = aggregating || containsAggregate(b, t.Expr)
	}
	for _, o := range sel.OrderBy {
		aggregating = aggregating || containsAggregate(b, o.Expr)
	}
	out := from
	var ac *aggContext
	if aggregating {
		ac = &aggContext{from: from}
		for _, g := range sel.GroupBy {
			ge, err := b.groupItem(from, sel, g)
			if err != nil {
				return nil, err
			}
			ac.groupBy = append(ac.groupBy, ge)
			ac.groupKeys = append(ac.groupKeys, exprKey(ge))
		}
		out = &scope{parent: parent, agg: ac, cols: from.cols}
	}
	wc := &winContext{}
	out.win = wc

	exprs, cols, err := b.targets(out, from, sel.Targets)
	if err != nil {
		return nil, err
	}
	var having executor.Expr
	if sel.Having != nil {
		if having, err = b.boolExpr(out, sel.Having, "HAVING"); err != nil {
			return nil, err
		}
	}
	visible := len(exprs)
	keys, exprs, err := b.orderKeys(out, sel, exprs, cols)
	if err != nil {
		return nil, err
	}
	out.win = nil
	if sel.Distinct && len(sel.DistinctOn) == 0 && len(exprs) > visible {
		return nil, pgerr.New(pgerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
	}
	var distinctOn []executor.Expr
	for _, d := range sel.DistinctOn {
		x, err := b.outputRef(out, d, exprs[:visible], cols)
		if err != nil {
			return nil, err
		}
		distinctOn = append(distinctOn, x)
	}
	if aggregating {
		acols := make([]planner.Column, 0, len(ac.groupBy)+len(ac.aggs))
		for _, g := range ac.groupBy {
			acols = append(acols, planner.Column{Name: colName(g), Type: g.Type()})
		}
		for _, a := range ac.aggs {
			t := a.Agg.Return
			if a.Agg.ReturnFn != nil {
				t = a.Agg.ReturnFn(argTypes(a.Args))
			}
			acols = append(acols, planner.Column{Name: a.Agg.Name, Type: t})
		}
		node = &planner.Aggregate{Input: node, GroupBy: ac.groupBy, Aggs: ac.aggs, Cols: acols}
		if having != nil {
			node = &planner.Filter{Input: node, Pred: having}
		}
	}
	if len(wc.calls) > 0 {
		node = b.planWindows(node, wc)
	}
	pcols := append([]planner.Column(nil), cols...)
	for i := visible; i < len(exprs); i++ {
		pcols = append(pcols, planner.Column{Name: "?order?", Type: exprs[i].Type(), Hidden: true})
	}
	node = &planner.Project{Input: node, Exprs: exprs, Cols: pcols}
	if sel.Distinct {
		if distinctOn != nil {
			if len(keys) > 0 {
				node = &planner.Sort{Input: node, Keys: keys}
			}
			node = &planner.Distinct{Input: node, On: distinctOn}
			keys = nil
		} else {
			node = &planner.Distinct{Input: node}
		}
	}
	if len(keys) > 0 {
		node = &planner.Sort{Input: node, Keys: keys}
	}
	if node, err = b.limit(parent, node, sel); err != nil {
		return nil, err
	}
	if len(exprs) > visible {
		node = projectPrefix(node, visible)
	}
	return node, nil
}

// projectPrefix keeps the first n columns of node.
func projectPrefix(node planner.Node, n int) planner.Node {
	cols := node.Columns()[:n]
	exprs := make([]executor.Expr, n)
	for i, c := range cols {
		exprs[i] = &executor.ColRef{Idx: i, Typ: c.Type, Name: c.Name}
	}
	return &planner.Project{Input: node, Exprs: exprs, Cols: cols}
}

// groupItem binds a GROUP BY item: an output column position, an output
// column name, or an expression over the FROM columns.
func (b *binder) groupItem(from *scope, sel *tree.Select, g tree.Expr) (executor.Expr, error) {
	if n, ok := g.(*tree.NumberLit); ok {
		pos, err := strconv.Atoi(n.Text)
		if err != nil || pos < 1 || pos > len(sel.Targets) {
			return nil, b.errPos(pgerr.Newf(pgerr.InvalidColumnReference, "GROUP BY position %s is not in select list", n.Text), n.Pos)
		}
		return b.expr(from, sel.Targets[pos-1].Expr)
	}
	if cr, ok := g.(*tree.ColumnRef); ok && cr.Table == "" {
		if idx, col, _ := from.resolveColumn("", cr.Column); col == nil || idx < 0 {
			for _, t := range sel.Targets {
				if t.Alias == cr.Column {
					return b.expr(from, t.Expr)
				}
			}
		}
	}
	return b.expr(from, g)
}

// targets binds the select list, expanding stars.
func (b *binder) targets(out, from *scope, ts []tree.Target) ([]executor.Expr, []planner.Column, error) {
	var exprs []executor.Expr
	var cols []planner.Column
	for _, t := range ts {
		if cr, ok := t.Expr.(*tree.ColumnRef); ok && cr.Star {
			if out.agg != nil && len(from.cols) > 0 {
				// SELECT * with GROUP BY: each column must be grouped.
				for _, c := range from.cols {
					if c.Hidden || (cr.Table != "" && c.Table != cr.Table) {
						continue
					}
					x, err := b.expr(out, &tree.ColumnRef{Table: c.Table, Column: c.Name, Pos: cr.Pos})
					if err != nil {
						return nil, nil, err
					}
					exprs = append(exprs, x)
					cols = append(cols, c)
				}
				continue
			}
			n := 0
			for i, c := range from.cols {
				if c.Hidden || (cr.Table != "" && c.Table != cr.Table) {
					continue
				}
				n++
				exprs = append(exprs, &executor.ColRef{Idx: i, Typ: c.Type, Name: c.Name})
				cols = append(cols, c)
			}
			if cr.Table != "" && n == 0 && !from.hasTable(cr.Table) {
				return nil, nil, b.errPos(pgerr.Newf(pgerr.UndefinedTable, "missing FROM-clause entry for table %q", cr.Table), cr.Pos)
			}
			if cr.Table == "" && len(from.cols) == 0 {
				return nil, nil, b.errPos(pgerr.New(pgerr.SyntaxError, "SELECT * with no tables specified is not valid"), cr.Pos)
			}
			continue
		}
		x, err := b.expr(out, t.Expr)
		if err != nil {
			return nil, nil, err
		}
		x = b.defaultUnknown(x)
		col := planner.Column{Name: targetName(t), Type: x.Type()}
		if c, ok := x.(*executor.ColRef); ok && out.agg == nil && c.Idx >= 0 && c.Idx < len(from.cols) {
			src := from.cols[c.Idx]
			col.TableOID, col.ColNum = src.TableOID, src.ColNum
		}
		exprs = append(exprs, x)
		cols = append(cols, col)
	}
	return exprs, cols, nil
}

// targetName is the output column name PostgreSQL gives a select item.
func targetName(t tree.Target) string {
	if t.Alias != "" {
		return t.Alias
	}
	return exprName(t.Expr)
}

func exprName(e tree.Expr) string {
	switch e := e.(type) {
	case *tree.ColumnRef:
		return e.Column
	case *tree.FuncCall:
		return lower(e.Name)
	case *tree.Cast:
		if n := exprName(e.Expr); n != "?column?" {
			return n
		}
		if _, lit := e.Expr.(*tree.StringLit); lit && e.Type.Name == "bit" && len(e.Type.Mods) == 0 {
			// NB: a B'...' or X'...' constant (the front layer spells it
			// as a cast to bit without a modifier) is unnamed, as in
			// PostgreSQL.
			return "?column?"
		}
		return e.Type.Name
	case *tree.Case:
		return "case"
	case *tree.Subquery:
		if e.Array {
			return "array"
		}
		if len(e.Select.Targets) == 1 {
			return exprName(e.Select.Targets[0].Expr)
		}
	case *tree.Exists:
		return "exists"
	case *tree.ArrayLit:
		return "array"
	case *tree.Collate:
		return exprName(e.Expr)
	case *tree.Row:
		return "row"
	case *tree.FieldAccess:
		return lower(e.Field)
	case *tree.Subscript:
		return exprName(e.Expr)
	}
	return "?column?"
}

// orderKeys binds ORDER BY items. An item naming an output column (by
// name or position) sorts by it; any other expression is appended to
// exprs as a hidden column. Keys refer to positions in the projected row.
func (b *binder) orderKeys(out *scope, sel *tree.Select, exprs []executor.Expr, cols []planner.Column) ([]executor.SortKey, []executor.Expr, error) {
	var keys []executor.SortKey
	for _, o := range sel.OrderBy {
		idx := -1
		switch x := o.Expr.(type) {
		case *tree.NumberLit:
			pos, err := strconv.Atoi(x.Text)
			if err != nil || pos < 1 || pos > len(cols) {
				return nil, nil, b.errPos(pgerr.Newf(pgerr.InvalidColumnReference, "ORDER BY position %s is not in select list", x.Text), x.Pos)
			}
			idx = pos - 1
		case *tree.ColumnRef:
			if x.Table == "" && !x.Star {
				for i, c := range cols {
					if c.Name == x.Column {
						idx = i
						break
					}
				}
			}
		}
		if idx < 0 {
			e, err := b.expr(out, o.Expr)
			if err != nil {
				return nil, nil, err
			}
			e = b.defaultUnknown(e)
			if idx = sameExprIndex(e, exprs); idx < 0 {
				exprs = append(exprs, e)
				idx = len(exprs) - 1
			}
		}
		k := executor.SortKey{Expr: &executor.ColRef{Idx: idx, Typ: exprs[idx].Type()}, Desc: o.Desc, NullsFirst: o.Desc}
		switch o.Nulls {
		case "first":
			k.NullsFirst = true
		case "last":
			k.NullsFirst = false
		}
		keys = append(keys, k)
	}
	return keys, exprs, nil
}

// outputRef binds a DISTINCT ON item against the projected row.
func (b *binder) outputRef(out *scope, e tree.Expr, exprs []executor.Expr, cols []planner.Column) (executor.Expr, error) {
	if cr, ok := e.(*tree.ColumnRef); ok && cr.Table == "" {
		for i, c := range cols {
			if c.Name == cr.Column {
				return &executor.ColRef{Idx: i, Typ: c.Type}, nil
			}
		}
	}
	x, err := b.expr(out, e)
	if err != nil {
		return nil, err
	}
	if i := sameExprIndex(x, exprs); i >= 0 {
		return &executor.ColRef{Idx: i, Typ: exprs[i].Type()}, nil
	}
	return nil, pgerr.New(pgerr.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
}

// sameExprIndex returns the position in exprs of an expression equal to e
// (by exprKey), or -1.
// NB: keys are built only for candidates of e's own Go type: an ORDER BY
// distance to a vector constant (a kilobyte-long key) against a select
// list of plain columns then costs nothing.
func sameExprIndex(e executor.Expr, exprs []executor.Expr) int {
	k := ""
	for i, x := range exprs {
		if reflect.TypeOf(x) != reflect.TypeOf(e) {
			continue
		}
		if k == "" {
			k = exprKey(e)
		}
		if exprKey(x) == k {
			return i
		}
	}
	return -1
}

// limit applies LIMIT/OFFSET (bigint, parameters allowed).
func (b *binder) limit(parent *scope, node planner.Node, sel *tree.Select) (planner.Node, error) {
	if sel.Limit == nil && sel.Offset == nil {
		return node, nil
	}
	l := &planner.Limit{Input: node}
	empty := &scope{parent: parent}
	var err error
	if sel.Limit != nil {
		x, err := b.expr(empty, sel.Limit)
		if err != nil {
			return nil, err
		}
		if l.Count, err = b.coerce(x, types.Int8Type); err != nil {
			return nil, err
		}
	}
	if sel.Offset != nil {
		x, err := b.expr(empty, sel.Offset)
		if err != nil {
			return nil, err
		}
		if l.Offset, err = b.coerce(x, types.Int8Type); err != nil {
			return nil, err
		}
	}
	return l, err
}

// orderLimit applies ORDER BY and LIMIT to a VALUES or set-operation
// result, whose columns are addressed by name or position.
func (b *binder) orderLimit(parent *scope, node planner.Node, sel *tree.Select) (planner.Node, error) {
	if len(sel.OrderBy) > 0 {
		cols := node.Columns()
		sc := &scope{parent: parent, cols: cols}
		exprs := make([]executor.Expr, len(cols))
		for i, c := range cols {
			exprs[i] = &executor.ColRef{Idx: i, Typ: c.Type, Name: c.Name}
		}
		keys, all, err := b.orderKeys(sc, sel, exprs, cols)
		if err != nil {
			return nil, err
		}
		if len(all) > len(exprs) {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ORDER BY on a UNION/VALUES result must name a result column")
		}
		node = &planner.Sort{Input: node, Keys: keys}
	}
	return b.limit(parent, node, sel)
}

// valuesRows binds a VALUES list, unifying each column's type.
func (b *binder) valuesRows(parent *scope, rows [][]tree.Expr) (planner.Node, error) {
	sc := &scope{parent: parent}
	bound := make([][]executor.Expr, len(rows))
	for i, r := range rows {
		if len(r) != len(rows[0]) {
			return nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length")
		}
		row, err := b.exprList(sc, r)
		if err != nil {
			return nil, err
		}
		bound[i] = row
	}
	n := len(rows[0])
	cols := make([]planner.Column, n)
	for j := 0; j < n; j++ {
		col := make([]executor.Expr, len(bound))
		for i := range bound {
			col[i] = bound[i][j]
		}
		t, coerced, err := b.commonType(col, "VALUES")
		if err != nil {
			return nil, err
		}
		for i := range bound {
			bound[i][j] = coerced[i]
		}
		cols[j] = planner.Column{Name: "column" + strconv.Itoa(j+1), Type: t}
	}
	return &planner.Values{Rows: bound, Cols: cols}, nil
}

// setOp binds UNION/INTERSECT/EXCEPT.
func (b *binder) setOp(parent *scope, sel *tree.Select) (planner.Node, error) {
	op := sel.SetOp
	l, err := b.selectStmt(parent, op.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.selectStmt(parent, op.Right)
	if err != nil {
		return nil, err
	}
	lc, rc := l.Columns(), r.Columns()
	if len(lc) != len(rc) {
		return nil, pgerr.Newf(pgerr.SyntaxError, "each %s query must have the same number of columns", op.Op)
	}
	cols := make([]planner.Column, len(lc))
	for i := range lc {
		t, _, err := b.commonType([]executor.Expr{&executor.Const{Typ: lc[i].Type}, &executor.Const{Typ: rc[i].Type}}, op.Op)
		if err != nil {
			return nil, err
		}
		cols[i] = planner.Column{Name: lc[i].Name, Type: t}
		if !lc[i].Type.Equal(t) {
			l = castColumn(l, i, t)
		}
		if !rc[i].Type.Equal(t) {
			r = castColumn(r, i, t)
		}
	}
	var node planner.Node
	switch op.Op {
	case "UNION":
		node = &planner.Append{Inputs: []planner.Node{l, r}, Cols: cols}
		if !op.All {
			node = &planner.Distinct{Input: node}
		}
	default:
		kind := executor.SemiJoin
		if op.Op == "EXCEPT" {
			kind = executor.AntiJoin
		}
		var on executor.Expr
		for i, c := range cols {
			eq := &executor.DistinctFrom{Left: &executor.ColRef{Idx: i, Typ: c.Type}, Right: &executor.ColRef{Idx: len(cols) + i, Typ: c.Type}, Not: true}
			fn, err := b.lib.ResolveBinary("=", c.Type, c.Type)
			if err != nil {
				return nil, err
			}
			eq.Eq = fn
			if on == nil {
				on = eq
			} else {
				on = &executor.And{Left: on, Right: eq}
			}
		}
		node = &planner.Join{Kind: kind, Left: l, Right: r, On: on, Cols: cols}
		if !op.All {
			node = &planner.Distinct{Input: node}
		}
	}
	return b.orderLimit(parent, node, sel)
}

// renameColumns gives node's columns new names (and a table alias).
func renameColumns(node planner.Node, names []string, alias string) planner.Node {
	cols := append([]planner.Column(nil), node.Columns()...)
	for i := range cols {
		if i < len(names) {
			cols[i].Name = names[i]
		}
		cols[i].Table = alias
	}
	exprs := make([]executor.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &executor.ColRef{Idx: i, Typ: c.Type, Name: c.Name}
	}
	return &planner.Project{Input: node, Exprs: exprs, Cols: cols}
}
