package sql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/vecgres/vecgres/sql/tree"
)

// topIndex returns the index of the first top-level (not parenthesised)
// token for which match is true, or len(toks).
func topIndex(toks []token, from int, match func(i int) bool) int {
	depth := 0
	for i := from; i < len(toks); i++ {
		switch {
		case toks[i].isOp("(") || toks[i].isOp("["):
			depth++
		case toks[i].isOp(")") || toks[i].isOp("]"):
			depth--
		case depth == 0 && match(i):
			return i
		}
	}
	return len(toks)
}

// parseDML parses INSERT, UPDATE and DELETE. RETURNING and ON CONFLICT
// are cut off the token stream and parsed separately; UPDATE ... FROM and
// DELETE ... USING are reshaped into TiDB's multi-table forms, whose first
// table is the target.
func (sc *stmtCtx) parseDML(toks []token) (tree.Statement, error) {
	retAt := topIndex(toks, 0, func(i int) bool { return toks[i].is("returning") })
	main, retToks := toks[:retAt], toks[retAt:]
	var conflictToks []token
	kind := toks[0].val
	if kind == "insert" {
		at := topIndex(main, 0, func(i int) bool { return main[i].is("on") && i+1 < len(main) && main[i+1].is("conflict") })
		main, conflictToks = main[:at], main[at:]
	}
	r := newRewriter(sc, main)
	var alias string
	f, err := r.rewriteAll(func(f *frag) {
		switch kind {
		case "insert":
			alias = r.insertHead(f)
		case "update":
			r.updateStmt(f)
		default:
			r.deleteStmt(f)
		}
	})
	if err != nil {
		return nil, err
	}
	node, err := sc.tidbParse(&f, main)
	if err != nil {
		return nil, err
	}
	c := &converter{sc: sc, f: &f, r: r}
	var returning []tree.Target
	if len(retToks) > 0 {
		if returning, err = sc.targetList(retToks[1:], retToks[0]); err != nil {
			return nil, err
		}
	}
	switch x := node.(type) {
	case *ast.InsertStmt:
		ins, err := c.insert(x, alias)
		if err != nil {
			return nil, err
		}
		ins.Returning = returning
		if len(conflictToks) > 0 {
			p := &pgParser{sc: sc, toks: conflictToks, i: 2}
			if ins.OnConflict, err = p.onConflict(); err != nil {
				return nil, err
			}
		}
		return ins, nil
	case *ast.UpdateStmt:
		upd, err := c.update(x)
		if err != nil {
			return nil, err
		}
		upd.Returning = returning
		return upd, nil
	case *ast.DeleteStmt:
		del, err := c.delete(x)
		if err != nil {
			return nil, err
		}
		del.Returning = returning
		return del, nil
	}
	return nil, sc.syntaxErr(toks[0])
}

// targetList parses a RETURNING list (after the keyword at kw).
func (sc *stmtCtx) targetList(toks []token, kw token) ([]tree.Target, error) {
	if len(toks) == 0 {
		return nil, sc.syntaxErr(token{kind: tokEOF})
	}
	r := newRewriter(sc, toks)
	f, err := r.rewriteAll(func(f *frag) {
		f.at("select ", kw.pos)
		f.add(r.seq(nil))
	})
	if err != nil {
		return nil, err
	}
	node, err := sc.tidbParse(&f, toks)
	if err != nil {
		return nil, err
	}
	sel, ok := node.(*ast.SelectStmt)
	if !ok || sel.From != nil || sel.Where != nil || sel.OrderBy != nil || sel.Limit != nil {
		return nil, sc.syntaxErr(toks[0])
	}
	c := &converter{sc: sc, f: &f, r: r}
	return c.targets(sel.Fields.Fields)
}

// insertHead emits INSERT INTO name [(cols)] and the source; it returns
// the target alias (INSERT INTO t AS x), which TiDB does not accept.
func (r *rewriter) insertHead(f *frag) string {
	r.kw(f)
	if !r.cur().is("into") {
		r.fail(r.cur())
		return ""
	}
	r.kw(f)
	r.tableName(f)
	alias := ""
	if r.cur().is("as") {
		r.i++
		if !r.cur().isName() {
			r.fail(r.cur())
			return ""
		}
		alias = r.cur().val
		r.i++
	}
	if r.cur().isOp("(") && r.peekAt(1).isName() && !r.peekAt(1).is("select") && !r.peekAt(1).is("values") && !r.peekAt(1).is("with") {
		f.space()
		f.add(r.nameList())
	}
	if r.cur().is("overriding") {
		if !(r.peekAt(1).is("system") || r.peekAt(1).is("user")) || !r.peekAt(2).is("value") {
			r.fail(r.peekAt(1))
			return ""
		}
		r.overriding = r.peekAt(1).val
		r.i += 3
	}
	switch {
	case r.cur().is("default") && r.peekAt(1).is("values"):
		f.space()
		f.at("values ()", r.cur().pos)
		r.i += 2
		r.defaultVal = true
	case r.cur().is("values"):
		r.kw(f)
		for r.err == nil {
			if !r.cur().isOp("(") {
				r.fail(r.cur())
				return alias
			}
			f.space()
			f.add(r.group())
			if !r.cur().isOp(",") {
				break
			}
			f.raw(",")
			r.i++
		}
	default:
		f.space()
		f.add(r.seq(nil))
	}
	return alias
}

// tableName emits a possibly qualified table name.
func (r *rewriter) tableName(f *frag) {
	if r.cur().is("only") {
		r.i++
	}
	f.space()
	if t := r.cur(); t.isName() {
		k := r.i
		for k+2 < len(r.toks) && r.toks[k+1].isOp(".") && r.toks[k+2].isName() {
			k += 2
		}
		r.noteTable(r.toks[k].val, t.pos)
	}
	for {
		t := r.cur()
		if !t.isName() {
			r.fail(t)
			return
		}
		f.at(quoteIdent(t.val), t.pos)
		r.i++
		if !r.cur().isOp(".") {
			return
		}
		f.raw(".")
		r.i++
	}
}

// updateStmt emits UPDATE t [alias] [, from items] SET ... [WHERE ...]:
// PostgreSQL's UPDATE ... SET ... FROM items is moved before SET, as
// TiDB's multi-table UPDATE expects.
func (r *rewriter) updateStmt(f *frag) {
	r.kw(f)
	r.tableName(f)
	r.alias(f, nil)
	setAt := r.i
	fromAt := topIndex(r.toks, setAt, func(i int) bool { return r.toks[i].is("from") })
	if fromAt < len(r.toks) {
		whereAt := topIndex(r.toks, fromAt, func(i int) bool { return r.toks[i].is("where") })
		r.i = fromAt + 1
		f.raw(",")
		r.fromList(f)
		if r.i != whereAt {
			r.fail(r.cur())
			return
		}
		sub := &rewriter{sc: r.sc, toks: r.toks[:fromAt], i: setAt, paramAt: r.paramAt, funcTables: r.funcTables, colAliases: r.colAliases}
		f.add(sub.seq(nil))
		if sub.err != nil {
			r.err = sub.err
			return
		}
		r.i = whereAt
	}
	f.add(r.seq(nil))
}

// deleteStmt emits DELETE FROM t [alias] [USING ...] [WHERE ...]; with
// USING it becomes TiDB's "DELETE FROM alias USING t alias, items".
func (r *rewriter) deleteStmt(f *frag) {
	r.kw(f)
	if !r.cur().is("from") {
		r.fail(r.cur())
		return
	}
	r.kw(f)
	var target frag
	r.tableName(&target)
	r.alias(&target, nil)
	if !r.cur().is("using") {
		f.add(target)
		f.add(r.seq(nil))
		return
	}
	u := r.cur()
	r.i++
	// The deleted table is named by its alias if it has one.
	name := target
	if k := indexAs(target.b); k >= 0 {
		name = frag{b: target.b[k+4:]}
	}
	f.space()
	f.add(name)
	f.raw(" ")
	f.at("using ", u.pos)
	f.add(target)
	f.raw(",")
	r.fromList(f)
	f.add(r.seq(nil))
}

func indexAs(b []byte) int {
	for i := 0; i+4 <= len(b); i++ {
		if string(b[i:i+4]) == " as " {
			return i
		}
	}
	return -1
}

func (c *converter) insert(x *ast.InsertStmt, alias string) (*tree.Insert, error) {
	ins := &tree.Insert{Pos: 0, Overriding: c.r.overriding}
	tn, err := c.targetTable(x.Table)
	if err != nil {
		return nil, err
	}
	tn.Alias = alias
	ins.Table = *tn
	for _, col := range x.Columns {
		ins.Columns = append(ins.Columns, col.Name.O)
	}
	switch {
	case c.r.defaultVal:
	case x.Select != nil:
		if ins.Source, err = c.query(x.Select); err != nil {
			return nil, err
		}
	default:
		src := &tree.Select{Pos: -1}
		for _, row := range x.Lists {
			es, err := c.exprs(row)
			if err != nil {
				return nil, err
			}
			src.Values = append(src.Values, es)
		}
		ins.Source = src
	}
	return ins, nil
}

// targetTable extracts the single table of an INSERT/UPDATE/DELETE.
func (c *converter) targetTable(refs *ast.TableRefsClause) (*tree.TableName, error) {
	if refs == nil || refs.TableRefs == nil {
		return nil, c.sc.syntaxErr(token{kind: tokEOF})
	}
	items, err := c.fromList(refs.TableRefs)
	if err != nil {
		return nil, err
	}
	tn, ok := items[0].(*tree.TableName)
	if !ok || len(items) != 1 {
		return nil, c.bad(refs, "this target table")
	}
	return tn, nil
}

func (c *converter) update(x *ast.UpdateStmt) (*tree.Update, error) {
	items, err := c.fromList(x.TableRefs.TableRefs)
	if err != nil {
		return nil, err
	}
	tn, ok := items[0].(*tree.TableName)
	if !ok {
		return nil, c.bad(x, "this UPDATE target")
	}
	upd := &tree.Update{Pos: 0, Table: *tn, From: items[1:]}
	for _, a := range x.List {
		if a.Column.Table.O != "" {
			return nil, c.bad(a, "a qualified column in SET")
		}
		e, err := c.expr(a.Expr)
		if err != nil {
			return nil, err
		}
		upd.Set = append(upd.Set, tree.SetClause{Column: a.Column.Name.O, Expr: e})
	}
	if upd.Where, err = c.expr(x.Where); err != nil {
		return nil, err
	}
	if x.Order != nil || x.Limit != nil {
		return nil, c.bad(x, "UPDATE with ORDER BY or LIMIT")
	}
	return upd, nil
}

func (c *converter) delete(x *ast.DeleteStmt) (*tree.Delete, error) {
	items, err := c.fromList(x.TableRefs.TableRefs)
	if err != nil {
		return nil, err
	}
	tn, ok := items[0].(*tree.TableName)
	if !ok {
		return nil, c.bad(x, "this DELETE target")
	}
	del := &tree.Delete{Pos: 0, Table: *tn, Using: items[1:]}
	if del.Where, err = c.expr(x.Where); err != nil {
		return nil, err
	}
	if x.Order != nil || x.Limit != nil {
		return nil, c.bad(x, "DELETE with ORDER BY or LIMIT")
	}
	return del, nil
}
