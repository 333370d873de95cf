package sql

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// fromList binds the FROM items, cross-joining them left to right.
func (b *binder) fromList(parent *scope, items []tree.TableExpr) (planner.Node, *scope, error) {
	var node planner.Node
	sc := &scope{parent: parent}
	for _, it := range items {
		n, cols, err := b.tableExpr(parent, it)
		if err != nil {
			return nil, nil, err
		}
		if node == nil {
			node, sc.cols = n, cols
			continue
		}
		if err := checkDuplicateTables(sc.cols, cols); err != nil {
			return nil, nil, err
		}
		all := append(append([]planner.Column(nil), sc.cols...), cols...)
		node = &planner.Join{Kind: executor.InnerJoin, Left: node, Right: n, Cols: all}
		sc.cols = all
	}
	return node, sc, nil
}

func (b *binder) tableExpr(parent *scope, it tree.TableExpr) (planner.Node, []planner.Column, error) {
	switch t := it.(type) {
	case *tree.TableName:
		return b.tableName(parent, t)
	case *tree.Join:
		return b.join(parent, t)
	case *tree.SubqueryTable:
		if t.Alias == "" {
			// NB: PostgreSQL 15 requires the alias (16 made it optional).
			return nil, nil, pgerr.New(pgerr.SyntaxError, "subquery in FROM must have an alias")
		}
		n, err := b.selectStmt(parent, t.Select)
		if err != nil {
			return nil, nil, err
		}
		n = renameColumns(n, t.ColumnAliases, t.Alias)
		return n, n.Columns(), nil
	case *tree.FuncTable:
		return b.funcTable(parent, t)
	}
	return nil, nil, pgerr.Newf(pgerr.FeatureNotSupported, "FROM item %T is not supported", it)
}

func (b *binder) tableName(parent *scope, t *tree.TableName) (planner.Node, []planner.Column, error) {
	alias := t.Alias
	if alias == "" {
		alias = t.Name
	}
	if t.Schema == "" {
		for s := parent; s != nil; s = s.parent {
			if c := s.ctes[t.Name]; c != nil {
				n := renameColumns(c.node, t.ColumnAliases, alias)
				return n, n.Columns(), nil
			}
		}
	}
	if n, ok, err := b.virtualTable(t.Schema, t.Name); err != nil {
		return nil, nil, b.errPos(err, t.Pos)
	} else if ok {
		n = renameColumns(n, t.ColumnAliases, alias)
		return n, n.Columns(), nil
	}
	tbl, err := b.lookupTable(t.Schema, t.Name)
	if err != nil {
		return nil, nil, b.errPos(err, t.Pos)
	}
	cols := tableColumns(tbl, alias)
	for i := range cols {
		if i < len(t.ColumnAliases) {
			cols[i].Name = t.ColumnAliases[i]
		}
	}
	return &planner.Scan{Table: tbl, Alias: alias, Cols: cols}, cols, nil
}

func (b *binder) join(parent *scope, j *tree.Join) (planner.Node, []planner.Column, error) {
	l, lc, err := b.tableExpr(parent, j.Left)
	if err != nil {
		return nil, nil, err
	}
	r, rc, err := b.tableExpr(parent, j.Right)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDuplicateTables(lc, rc); err != nil {
		return nil, nil, err
	}
	kind := j.Kind
	swapped := false
	if kind == "RIGHT" {
		l, r, lc, rc = r, l, rc, lc
		swapped = true
		kind = "LEFT"
	}
	all := append(append([]planner.Column(nil), lc...), rc...)
	sc := &scope{parent: parent, cols: all}
	var on executor.Expr
	var merged [][2]int // USING column pairs (left, right index in all)
	using := j.Using
	if j.Natural {
		for _, c := range lc {
			for _, d := range rc {
				if c.Name == d.Name && !c.Hidden && !d.Hidden {
					using = append(using, c.Name)
				}
			}
		}
	}
	if len(using) > 0 {
		for _, name := range using {
			li, ri := -1, -1
			for i, c := range lc {
				if c.Name == name {
					li = i
				}
			}
			for i, c := range rc {
				if c.Name == name {
					ri = len(lc) + i
				}
			}
			if li < 0 || ri < 0 {
				return nil, nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q specified in USING clause does not exist in %s table", name, map[bool]string{true: "left", false: "right"}[li < 0])
			}
			eq, err := b.applyBinary("=", &executor.ColRef{Idx: li, Typ: all[li].Type}, &executor.ColRef{Idx: ri, Typ: all[ri].Type})
			if err != nil {
				return nil, nil, err
			}
			on = andExpr(on, eq)
			// NB: the merged column is visible once, from the left side
			// (the right side's for a RIGHT join), as SELECT * shows it.
			// A FULL join's merged column is built below.
			if swapped {
				all[li].Hidden = true
			} else {
				all[ri].Hidden = true
			}
			merged = append(merged, [2]int{li, ri})
		}
	} else if j.On != nil {
		if err := b.noWindows(j.On, "JOIN conditions"); err != nil {
			return nil, nil, err
		}
		if on, err = b.boolExpr(sc, j.On, "JOIN/ON"); err != nil {
			return nil, nil, err
		}
	}
	k := executor.InnerJoin
	switch kind {
	case "LEFT":
		k = executor.LeftJoin
	case "FULL":
		k = executor.FullJoin
	}
	var node planner.Node = &planner.Join{Kind: k, Left: l, Right: r, On: on, Cols: all}
	if k == executor.FullJoin && len(merged) > 0 {
		return b.fullJoinUsing(node, all, merged)
	}
	if swapped {
		// Restore the user's column order: right table columns came first.
		n := len(lc)
		exprs := make([]executor.Expr, 0, len(all))
		cols := make([]planner.Column, 0, len(all))
		for i := n; i < len(all); i++ {
			exprs = append(exprs, &executor.ColRef{Idx: i, Typ: all[i].Type, Name: all[i].Name})
			cols = append(cols, all[i])
		}
		for i := 0; i < n; i++ {
			exprs = append(exprs, &executor.ColRef{Idx: i, Typ: all[i].Type, Name: all[i].Name})
			cols = append(cols, all[i])
		}
		node = &planner.Project{Input: node, Exprs: exprs, Cols: cols}
		all = cols
	}
	return node, all, nil
}

// fullJoinUsing projects a FULL JOIN ... USING (or NATURAL FULL JOIN) as
// PostgreSQL shows it: each merged column is COALESCE(left, right) (a row
// from either side has its key), listed first and unqualified; the
// original columns stay reachable by table name but not in SELECT *.
func (b *binder) fullJoinUsing(node planner.Node, all []planner.Column, merged [][2]int) (planner.Node, []planner.Column, error) {
	var exprs []executor.Expr
	var cols []planner.Column
	for _, m := range merged {
		l, r := all[m[0]], all[m[1]]
		if !l.Type.Equal(r.Type) {
			return nil, nil, pgerr.Newf(pgerr.FeatureNotSupported, "FULL JOIN USING (%s) over columns of types %s and %s is not supported", l.Name, l.Type.TypName(), r.Type.TypName())
		}
		exprs = append(exprs, &executor.Coalesce{Args: []executor.Expr{
			&executor.ColRef{Idx: m[0], Typ: l.Type}, &executor.ColRef{Idx: m[1], Typ: r.Type}}, Typ: l.Type})
		cols = append(cols, planner.Column{Name: l.Name, Type: l.Type})
	}
	for i, c := range all {
		for _, m := range merged {
			if i == m[0] || i == m[1] {
				c.Hidden = true
			}
		}
		exprs = append(exprs, &executor.ColRef{Idx: i, Typ: c.Type, Name: c.Name})
		cols = append(cols, c)
	}
	return &planner.Project{Input: node, Exprs: exprs, Cols: cols}, cols, nil
}

// checkDuplicateTables rejects a range-table alias used on both sides of a
// join or FROM list (42712), as PostgreSQL does for FROM a, a.
func checkDuplicateTables(left, right []planner.Column) error {
	seen := map[string]bool{}
	for _, c := range left {
		if c.Table != "" {
			seen[c.Table] = true
		}
	}
	for _, c := range right {
		if c.Table != "" && seen[c.Table] {
			return pgerr.Newf(pgerr.Code("42712"), // NB: duplicate_alias; sql/pgerr has no name for it yet
				"table name %q specified more than once", c.Table)
		}
	}
	return nil
}

func andExpr(a, b executor.Expr) executor.Expr {
	if a == nil {
		return b
	}
	return &executor.And{Left: a, Right: b}
}

// funcTable binds a set-returning function in FROM.
func (b *binder) funcTable(parent *scope, t *tree.FuncTable) (planner.Node, []planner.Column, error) {
	sc := &scope{parent: parent}
	name := lower(t.Func.Name)
	alias := t.Alias
	if alias == "" {
		alias = name
	}
	colName := func(i int, def string) string {
		if i < len(t.ColumnAliases) {
			return t.ColumnAliases[i]
		}
		return def
	}
	switch name {
	case "generate_series":
		if len(t.Func.Args) < 2 || len(t.Func.Args) > 3 {
			break
		}
		args, err := b.exprList(sc, t.Func.Args)
		if err != nil {
			return nil, nil, err
		}
		typ := types.Int4Type
		for _, a := range args {
			if a.Type().Family == types.Int8 {
				typ = types.Int8Type
			}
		}
		for i := range args {
			if args[i], err = b.coerce(args[i], typ); err != nil {
				return nil, nil, err
			}
		}
		s := &planner.Series{Start: args[0], Stop: args[1]}
		if len(args) == 3 {
			s.Step = args[2]
		}
		def := name
		if t.Alias != "" && len(t.ColumnAliases) == 0 {
			def = t.Alias
		}
		s.Cols = []planner.Column{{Name: colName(0, def), Type: typ, Table: alias}}
		return s, s.Cols, nil
	case "unnest":
		args, err := b.exprList(sc, t.Func.Args)
		if err != nil {
			return nil, nil, err
		}
		u := &planner.Unnest{}
		for i, a := range args {
			if isUnknown(a) {
				return nil, nil, pgerr.New(pgerr.IndeterminateDatatype, "could not determine polymorphic type because input has type unknown")
			}
			et, ok := a.Type().ElemType()
			if !ok {
				return nil, nil, pgerr.Newf(pgerr.UndefinedFunction, "function unnest(%s) does not exist", a.Type())
			}
			def := name
			if t.Alias != "" && len(t.ColumnAliases) == 0 && len(args) == 1 {
				def = t.Alias
			}
			u.Arrays = append(u.Arrays, a)
			u.Cols = append(u.Cols, planner.Column{Name: colName(i, def), Type: et, Table: alias})
		}
		return u, u.Cols, nil
	case "_pg_expandarray":
		if lower(t.Func.Schema) != "information_schema" || len(t.Func.Args) != 1 {
			break
		}
		// NB: bound as (SELECT (f).x AS x, (f).n AS n) through the
		// select-list expansion (bind_srf.go), so both forms share one
		// definition of the function.
		field := func(f string) tree.Target {
			return tree.Target{Expr: &tree.FieldAccess{Pos: t.Func.Pos, Expr: t.Func, Field: f}, Alias: f}
		}
		n, err := b.selectStmt(parent, &tree.Select{Pos: t.Func.Pos, Targets: []tree.Target{field("x"), field("n")}})
		if err != nil {
			return nil, nil, err
		}
		n = renameColumns(n, t.ColumnAliases, alias)
		return n, n.Columns(), nil
	}
	return nil, nil, pgerr.Newf(pgerr.FeatureNotSupported, "function %s in FROM is not supported", name)
}
