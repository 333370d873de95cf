package sql

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// assign coerces a value for storage in column col (assignment context).
func (b *binder) assign(x executor.Expr, t *executor.Table, col int) (executor.Expr, error) {
	want := t.Types[col]
	out, err := b.coerceCtx(x, want, types.CastAssignment)
	if err != nil && pgerr.CodeOf(err) == pgerr.DatatypeMismatch {
		return nil, pgerr.Newf(pgerr.DatatypeMismatch, "column %q is of type %s but expression is of type %s",
			t.Desc.Columns[col].Name, want, x.Type()).WithHint("You will need to rewrite or cast the expression.")
	}
	return out, err
}

// columnDefault binds the default of column col (NULL when none).
func (b *binder) columnDefault(t *executor.Table, col int) (executor.Expr, error) {
	c := t.Desc.Columns[col]
	if c.Identity != "" {
		return b.identityDefault(t, col)
	}
	if c.Default == "" {
		return &executor.Const{Typ: t.Types[col]}, nil
	}
	e, err := parseExpr(c.Default)
	if err != nil {
		return nil, err
	}
	x, err := b.expr(&scope{}, e)
	if err != nil {
		return nil, err
	}
	return b.assign(x, t, col)
}

func (b *binder) insertStmt(ins *tree.Insert) (planner.Node, error) {
	t, err := b.lookupTable(ins.Table.Schema, ins.Table.Name)
	if err != nil {
		return nil, b.errPos(err, ins.Table.Pos)
	}
	n := len(t.Desc.Columns)
	// target[i] is the table column the i-th supplied value goes to.
	var target []int
	if len(ins.Columns) == 0 {
		for i := 0; i < n; i++ {
			target = append(target, i)
		}
	} else {
		seen := map[int]bool{}
		for _, name := range ins.Columns {
			idx := columnIndex(t, name)
			if idx < 0 {
				return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", name, t.Desc.Name)
			}
			if seen[idx] {
				return nil, pgerr.Newf(pgerr.DuplicateColumn, "column %q specified more than once", name)
			}
			seen[idx] = true
			target = append(target, idx)
		}
	}
	defaults := make([]executor.Expr, n)
	defaultOf := func(i int) (executor.Expr, error) {
		if defaults[i] == nil {
			d, err := b.columnDefault(t, i)
			if err != nil {
				return nil, err
			}
			defaults[i] = d
		}
		return defaults[i], nil
	}
	var input planner.Node
	switch {
	case ins.Source == nil: // DEFAULT VALUES
		row := make([]executor.Expr, n)
		for i := range row {
			if row[i], err = defaultOf(i); err != nil {
				return nil, err
			}
		}
		input = &planner.Values{Rows: [][]executor.Expr{row}}
	case ins.Source.Values != nil && ins.Source.SetOp == nil && len(ins.Source.OrderBy) == 0 && ins.Source.Limit == nil:
		rows := make([][]executor.Expr, len(ins.Source.Values))
		sc := &scope{}
		for r, vals := range ins.Source.Values {
			if len(vals) > len(target) {
				return nil, b.errPos(pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns"), exprPos(vals[len(target)]))
			}
			row := make([]executor.Expr, n)
			for j, v := range vals {
				col := target[j]
				if _, ok := v.(*tree.DefaultExpr); ok {
					if row[col], err = defaultOf(col); err != nil {
						return nil, err
					}
					continue
				}
				if useDefault, err := b.identityOverride(t, col, ins.Overriding, false); err != nil || useDefault {
					if err == nil {
						row[col], err = defaultOf(col)
					}
					if err != nil {
						return nil, err
					}
					continue
				}
				x, err := b.expr(sc, v)
				if err != nil {
					return nil, err
				}
				if row[col], err = b.assign(x, t, col); err != nil {
					return nil, b.errPos(err, exprPos(v))
				}
			}
			if len(vals) < len(target) && len(ins.Columns) > 0 {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions")
			}
			for i := range row {
				if row[i] == nil {
					if row[i], err = defaultOf(i); err != nil {
						return nil, err
					}
				}
			}
			rows[r] = row
		}
		input = &planner.Values{Rows: rows}
	default:
		src, err := b.selectStmt(nil, ins.Source)
		if err != nil {
			return nil, err
		}
		scols := src.Columns()
		if len(scols) > len(target) {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns")
		}
		exprs := make([]executor.Expr, n)
		for j, c := range scols {
			col := target[j]
			if useDefault, err := b.identityOverride(t, col, ins.Overriding, false); err != nil {
				return nil, err
			} else if useDefault {
				continue
			}
			if exprs[col], err = b.assign(&executor.ColRef{Idx: j, Typ: c.Type, Name: c.Name}, t, col); err != nil {
				return nil, err
			}
		}
		for i := range exprs {
			if exprs[i] == nil {
				if exprs[i], err = defaultOf(i); err != nil {
					return nil, err
				}
			}
		}
		input = &planner.Project{Input: src, Exprs: exprs, Cols: tableColumns(t, t.Desc.Name)}
	}
	node := &planner.Insert{Input: input, Table: t}
	tsc := &scope{cols: tableColumns(t, tableAlias(ins.Table))}
	if ins.OnConflict != nil {
		if err := b.onConflict(node, ins.OnConflict, tsc); err != nil {
			return nil, err
		}
	}
	if ins.Returning != nil {
		if node.Returning, node.Cols, err = b.targets(tsc, tsc, ins.Returning); err != nil {
			return nil, err
		}
	}
	return node, nil
}

func tableAlias(t tree.TableName) string {
	if t.Alias != "" {
		return t.Alias
	}
	return t.Name
}

func (b *binder) onConflict(node *planner.Insert, oc *tree.OnConflict, tsc *scope) error {
	t := node.Table
	for _, c := range oc.Columns {
		if columnIndex(t, c) < 0 {
			return pgerr.Newf(pgerr.UndefinedColumn, "column %q does not exist", c)
		}
	}
	if oc.DoNothing {
		node.OnConflictDoNothing = true
		return nil
	}
	if t.HiddenRowID {
		return pgerr.New(pgerr.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
	}
	both := append(append([]planner.Column(nil), tsc.cols...), tableColumns(t, "excluded")...)
	sc := &scope{cols: both}
	set := make([]executor.Expr, len(t.Types))
	for _, s := range oc.Set {
		idx := columnIndex(t, s.Column)
		if idx < 0 {
			return pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", s.Column, t.Desc.Name)
		}
		x, err := b.expr(sc, s.Expr)
		if err != nil {
			return err
		}
		if set[idx], err = b.assign(x, t, idx); err != nil {
			return err
		}
	}
	for i := range set {
		if set[i] == nil {
			set[i] = &executor.ColRef{Idx: i, Typ: t.Types[i], Name: t.Desc.Columns[i].Name}
		}
	}
	node.OnConflictUpdate = set
	if oc.Where != nil {
		w, err := b.boolExpr(sc, oc.Where, "WHERE")
		if err != nil {
			return err
		}
		node.OnConflictWhere = w
	}
	return nil
}

func columnIndex(t *executor.Table, name string) int {
	for i, c := range t.Desc.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// dmlScan binds the rows an UPDATE or DELETE addresses: the table's rows
// with their keys, filtered by WHERE. The scope sees the table columns
// (and, for UPDATE ... FROM / DELETE ... USING, the other tables' after the
// hidden key column).
func (b *binder) dmlScan(tn tree.TableName, extra []tree.TableExpr, where tree.Expr) (*executor.Table, planner.Node, *scope, error) {
	t, err := b.lookupTable(tn.Schema, tn.Name)
	if err != nil {
		return nil, nil, nil, b.errPos(err, tn.Pos)
	}
	cols := tableColumns(t, tableAlias(tn))
	cols = append(cols, planner.Column{Name: "?key?", Type: types.ByteaType, Hidden: true})
	var node planner.Node = &planner.Scan{Table: t, Alias: tableAlias(tn), Cols: cols, WithKey: true}
	sc := &scope{cols: cols}
	if len(extra) > 0 {
		other, osc, err := b.fromList(nil, extra)
		if err != nil {
			return nil, nil, nil, err
		}
		all := append(append([]planner.Column(nil), cols...), osc.cols...)
		node = &planner.Join{Kind: executor.InnerJoin, Left: node, Right: other, Cols: all}
		sc = &scope{cols: all}
	}
	if where != nil {
		if node, err = b.whereClause(sc, node, where); err != nil {
			return nil, nil, nil, err
		}
	}
	return t, node, sc, nil
}

func (b *binder) updateStmt(up *tree.Update) (planner.Node, error) {
	t, input, sc, err := b.dmlScan(up.Table, up.From, up.Where)
	if err != nil {
		return nil, err
	}
	set := make([]executor.Expr, len(t.Types))
	for _, s := range up.Set {
		idx := columnIndex(t, s.Column)
		if idx < 0 {
			return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", s.Column, t.Desc.Name)
		}
		if set[idx] != nil {
			return nil, pgerr.Newf(pgerr.SyntaxError, "multiple assignments to same column %q", s.Column)
		}
		var x executor.Expr
		if _, ok := s.Expr.(*tree.DefaultExpr); ok {
			x, err = b.columnDefault(t, idx)
		} else if _, err = b.identityOverride(t, idx, "", true); err != nil {
			return nil, err
		} else {
			x, err = b.expr(sc, s.Expr)
		}
		if err != nil {
			return nil, err
		}
		if set[idx], err = b.assign(x, t, idx); err != nil {
			return nil, b.errPos(err, exprPos(s.Expr))
		}
	}
	for i := range set {
		if set[i] == nil {
			set[i] = &executor.ColRef{Idx: i, Typ: t.Types[i], Name: t.Desc.Columns[i].Name}
		}
	}
	node := &planner.Update{Input: input, Table: t, Set: set}
	if up.Returning != nil {
		rsc := &scope{cols: tableColumns(t, tableAlias(up.Table))}
		if node.Returning, node.Cols, err = b.targets(rsc, rsc, up.Returning); err != nil {
			return nil, err
		}
	}
	return node, nil
}

func (b *binder) deleteStmt(del *tree.Delete) (planner.Node, error) {
	t, input, _, err := b.dmlScan(del.Table, del.Using, del.Where)
	if err != nil {
		return nil, err
	}
	node := &planner.Delete{Input: input, Table: t}
	if del.Returning != nil {
		rsc := &scope{cols: tableColumns(t, tableAlias(del.Table))}
		if node.Returning, node.Cols, err = b.targets(rsc, rsc, del.Returning); err != nil {
			return nil, err
		}
	}
	return node, nil
}
