package sql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/vecgres/vecgres/sql/tree"
)

// query converts a SELECT, a set operation or a rewritten VALUES list.
func (c *converter) query(n ast.ResultSetNode) (*tree.Select, error) {
	switch x := n.(type) {
	case *ast.SelectStmt:
		return c.selectStmt(x)
	case *ast.SetOprStmt:
		s, err := c.setOpList(x.SelectList)
		if err != nil {
			return nil, err
		}
		if err := c.with(s, x.With); err != nil {
			return nil, err
		}
		return s, c.orderLimit(s, x.OrderBy, x.Limit)
	case *ast.SubqueryExpr:
		return c.query(x.Query)
	}
	return nil, c.bad(n, "this query form")
}

// setOpList folds a TiDB set-operation list left to right.
func (c *converter) setOpList(l *ast.SetOprSelectList) (*tree.Select, error) {
	var acc *tree.Select
	for i, n := range l.Selects {
		var s *tree.Select
		var err error
		var after *ast.SetOprType
		switch x := n.(type) {
		case *ast.SelectStmt:
			s, err = c.selectStmt(x)
			after = x.AfterSetOperator
		case *ast.SetOprSelectList:
			s, err = c.setOpList(x)
			after = x.AfterSetOperator
		default:
			return nil, c.bad(n, "this set operation")
		}
		if err != nil {
			return nil, err
		}
		if i == 0 {
			acc = s
			continue
		}
		if after == nil {
			return nil, c.bad(n, "this set operation")
		}
		// A rewritten VALUES list folds back into one Values select.
		if acc.Values != nil && s.Values != nil && *after == ast.UnionAll && acc.SetOp == nil {
			acc.Values = append(acc.Values, s.Values...)
			continue
		}
		op := &tree.SetOp{Left: acc, Right: s}
		switch *after {
		case ast.Union:
			op.Op = "UNION"
		case ast.UnionAll:
			op.Op, op.All = "UNION", true
		case ast.Except:
			op.Op = "EXCEPT"
		case ast.ExceptAll:
			op.Op, op.All = "EXCEPT", true
		case ast.Intersect:
			op.Op = "INTERSECT"
		case ast.IntersectAll:
			op.Op, op.All = "INTERSECT", true
		}
		acc = &tree.Select{Pos: acc.Pos, SetOp: op}
	}
	if acc == nil {
		return nil, c.bad(l, "an empty set operation")
	}
	if err := c.with(acc, l.With); err != nil {
		return nil, err
	}
	return acc, c.orderLimit(acc, l.OrderBy, l.Limit)
}

func (c *converter) selectStmt(x *ast.SelectStmt) (*tree.Select, error) {
	s := &tree.Select{Pos: c.pos(x), Distinct: x.Distinct}
	if x.Kind != ast.SelectStmtKindSelect {
		return nil, c.bad(x, "this SELECT form")
	}
	if err := c.with(s, x.With); err != nil {
		return nil, err
	}
	outer, err := c.enterWindows(x.WindowSpecs)
	if err != nil {
		return nil, err
	}
	defer func() { c.windows = outer }()
	if x.Fields != nil {
		fields := x.Fields.Fields
		if len(fields) > 0 && isMarker(fields[0].Expr, mkValuesRow) {
			row, err := c.targetsOnly(fields[1:])
			if err != nil {
				return nil, err
			}
			s.Values = [][]tree.Expr{row}
			return s, c.orderLimit(s, x.OrderBy, x.Limit)
		}
		if len(fields) > 0 && isMarker(fields[0].Expr, mkDistinctOn) {
			on, err := c.exprs(fields[0].Expr.(*ast.FuncCallExpr).Args)
			if err != nil {
				return nil, err
			}
			s.DistinctOn = on
			fields = fields[1:]
		}
		t, err := c.targets(fields)
		if err != nil {
			return nil, err
		}
		s.Targets = t
	}
	if x.From != nil && x.From.TableRefs != nil {
		from, err := c.fromList(x.From.TableRefs)
		if err != nil {
			return nil, err
		}
		s.From = from
	}
	if s.Where, err = c.expr(x.Where); err != nil {
		return nil, err
	}
	if x.GroupBy != nil {
		for _, it := range x.GroupBy.Items {
			e, err := c.expr(it.Expr)
			if err != nil {
				return nil, err
			}
			s.GroupBy = append(s.GroupBy, e)
		}
	}
	if x.Having != nil {
		if s.Having, err = c.expr(x.Having.Expr); err != nil {
			return nil, err
		}
	}
	if x.LockInfo != nil && x.LockInfo.LockType != ast.SelectLockNone {
		s.ForUpdate = true
	}
	return s, c.orderLimit(s, x.OrderBy, x.Limit)
}

func isMarker(n ast.ExprNode, name string) bool {
	f, ok := n.(*ast.FuncCallExpr)
	return ok && f.FnName.L == name && f.Schema.O == ""
}

func (c *converter) with(s *tree.Select, w *ast.WithClause) error {
	if w == nil {
		return nil
	}
	for _, cte := range w.CTEs {
		q, err := c.query(cte.Query)
		if err != nil {
			return err
		}
		var cols []string
		for _, n := range cte.ColNameList {
			cols = append(cols, n.O)
		}
		s.With = append(s.With, tree.CTE{Name: cte.Name.O, Columns: cols, Select: q})
	}
	return nil
}

// targets converts a select list.
func (c *converter) targets(fields []*ast.SelectField) ([]tree.Target, error) {
	out := make([]tree.Target, 0, len(fields))
	for _, f := range fields {
		if f.WildCard != nil {
			out = append(out, tree.Target{Expr: &tree.ColumnRef{Pos: c.pos(f), Schema: f.WildCard.Schema.O, Table: f.WildCard.Table.O, Star: true}})
			continue
		}
		e, err := c.expr(f.Expr)
		if err != nil {
			return nil, err
		}
		out = append(out, tree.Target{Expr: e, Alias: f.AsName.O})
	}
	return out, nil
}

// targetsOnly converts a select list that must be plain expressions.
func (c *converter) targetsOnly(fields []*ast.SelectField) ([]tree.Expr, error) {
	out := make([]tree.Expr, 0, len(fields))
	for _, f := range fields {
		if f.WildCard != nil || f.AsName.O != "" {
			return nil, c.bad(f, "this VALUES item")
		}
		e, err := c.expr(f.Expr)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *converter) orderBy(o *ast.OrderByClause) ([]tree.OrderItem, error) {
	var out []tree.OrderItem
	for _, it := range o.Items {
		e := it.Expr
		nulls := ""
		if isMarker(e, mkNulls) {
			m := e.(*ast.FuncCallExpr)
			if len(m.Args) != 2 {
				return nil, c.bad(m, "NULLS")
			}
			e, nulls = m.Args[0], c.str(m.Args[1])
		}
		x, err := c.expr(e)
		if err != nil {
			return nil, err
		}
		out = append(out, tree.OrderItem{Expr: x, Desc: it.Desc, Nulls: nulls})
	}
	return out, nil
}

func (c *converter) orderLimit(s *tree.Select, o *ast.OrderByClause, l *ast.Limit) error {
	if o != nil {
		items, err := c.orderBy(o)
		if err != nil {
			return err
		}
		s.OrderBy = items
	}
	if l == nil {
		return nil
	}
	if l.Count != nil {
		e, err := c.expr(l.Count)
		if err != nil {
			return err
		}
		if n, ok := e.(*tree.NumberLit); !ok || n.Text != noLimit {
			s.Limit = e
		}
	}
	if l.Offset != nil {
		e, err := c.expr(l.Offset)
		if err != nil {
			return err
		}
		s.Offset = e
	}
	return nil
}

// fromList flattens TiDB's join tree: comma-separated items (cross joins
// without a condition at the top) become separate FROM items.
func (c *converter) fromList(j *ast.Join) ([]tree.TableExpr, error) {
	if j.Right == nil {
		t, err := c.tableExpr(j.Left)
		return []tree.TableExpr{t}, err
	}
	if j.Tp == ast.CrossJoin && j.On == nil && len(j.Using) == 0 && !j.NaturalJoin && !j.ExplicitParens {
		if l, ok := j.Left.(*ast.Join); ok {
			left, err := c.fromList(l)
			if err != nil {
				return nil, err
			}
			r, err := c.tableExpr(j.Right)
			return append(left, r), err
		}
	}
	t, err := c.tableExpr(j)
	return []tree.TableExpr{t}, err
}

func (c *converter) tableExpr(n ast.ResultSetNode) (tree.TableExpr, error) {
	switch x := n.(type) {
	case *ast.TableSource:
		return c.tableSource(x)
	case *ast.Join:
		if x.Right == nil {
			return c.tableExpr(x.Left)
		}
		l, err := c.tableExpr(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := c.tableExpr(x.Right)
		if err != nil {
			return nil, err
		}
		j := &tree.Join{Left: l, Right: r, Natural: x.NaturalJoin}
		switch x.Tp {
		case ast.LeftJoin:
			j.Kind = "LEFT"
		case ast.RightJoin:
			j.Kind = "RIGHT"
		default:
			j.Kind = "INNER"
			if x.On == nil && len(x.Using) == 0 && !x.NaturalJoin {
				j.Kind = "CROSS"
			}
		}
		if x.On != nil {
			on := x.On.Expr
			if fc, ok := on.(*ast.FuncCallExpr); ok && x.Tp == ast.LeftJoin {
				// The FULL JOIN markers of rewriter.joins.
				switch {
				case fc.FnName.L == mkFullJoin && len(fc.Args) == 1:
					j.Kind, on = "FULL", fc.Args[0]
				case fc.FnName.L == mkFullJoinUsing:
					j.Kind, on = "FULL", nil
					for _, a := range fc.Args {
						v, ok := a.(ast.ValueExpr)
						if !ok {
							return nil, c.bad(a, "a FULL JOIN USING column")
						}
						j.Using = append(j.Using, v.GetString())
					}
				case fc.FnName.L == mkFullJoinNatural:
					j.Kind, j.Natural, on = "FULL", true, nil
				}
			}
			if on != nil {
				if j.On, err = c.expr(on); err != nil {
					return nil, err
				}
			}
		}
		for _, u := range x.Using {
			j.Using = append(j.Using, u.Name.O)
		}
		return j, nil
	}
	return nil, c.bad(n, "this FROM item")
}

func (c *converter) tableSource(ts *ast.TableSource) (tree.TableExpr, error) {
	alias := ts.AsName.O
	switch x := ts.Source.(type) {
	case *ast.TableName:
		if ft := c.r.funcTables[x.Name.O]; ft != nil && x.Schema.O == "" {
			fc, err := c.subExpr(ft.call)
			if err != nil {
				return nil, err
			}
			call, ok := fc.(*tree.FuncCall)
			if !ok {
				return nil, c.bad(x, "this FROM function")
			}
			return &tree.FuncTable{Func: call, Alias: alias, ColumnAliases: ft.colAliases, WithOrdinality: ft.ordinality}, nil
		}
		return &tree.TableName{Pos: c.tablePos(x.Name.O), Schema: x.Schema.O, Name: x.Name.O, Alias: alias, ColumnAliases: c.r.colAliases[alias]}, nil
	case *ast.SelectStmt, *ast.SetOprStmt:
		s, err := c.query(x)
		if err != nil {
			return nil, err
		}
		return &tree.SubqueryTable{Select: s, Alias: alias, ColumnAliases: c.r.colAliases[alias]}, nil
	case *ast.Join:
		if alias != "" {
			return nil, c.bad(ts, "an alias on a parenthesised join")
		}
		return c.tableExpr(x)
	}
	return nil, c.bad(ts, "this FROM item")
}

// tablePos takes the next recorded offset of a table name (see
// rewriter.noteTable); -1 if none is left.
func (c *converter) tablePos(name string) int {
	l := c.r.tablePos[name]
	if len(l) == 0 {
		return -1
	}
	c.r.tablePos[name] = l[1:]
	return l[0]
}
