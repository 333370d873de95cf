package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// create parses CREATE TABLE | INDEX | EXTENSION | DATABASE.
func (p *pgParser) create() (tree.Statement, error) {
	pos := p.cur().pos
	p.i++
	switch {
	case p.accept("table"):
		return p.createTable(pos)
	case p.accept("temp", "table"), p.accept("temporary", "table"), p.accept("unlogged", "table"):
		return p.createTable(pos)
	case p.cur().is("unique") || p.cur().is("index"):
		return p.createIndex(pos)
	case p.accept("sequence"), p.accept("temp", "sequence"), p.accept("temporary", "sequence"):
		return p.createSequence(pos)
	case p.accept("extension"):
		ce := &tree.CreateExtension{Pos: pos, IfNotExists: p.accept("if", "not", "exists")}
		var err error
		if ce.Name, err = p.name(); err != nil {
			return nil, err
		}
		p.accept("with")
		for {
			switch {
			case p.accept("schema"), p.accept("version"):
				if _, err := p.optionValue(); err != nil {
					return nil, err
				}
				continue
			case p.accept("cascade"):
				continue
			}
			break
		}
		return ce, p.end()
	case p.accept("database"):
		cd := &tree.CreateDatabase{Pos: pos}
		var err error
		if cd.Name, err = p.name(); err != nil {
			return nil, err
		}
		// Options (OWNER, ENCODING, TEMPLATE, ...) are accepted and ignored.
		p.accept("with")
		for p.cur().kind == tokIdent {
			p.i++
			p.acceptOp("=")
			if _, err := p.optionValue(); err != nil {
				return nil, err
			}
		}
		return cd, p.end()
	}
	if p.cur().kind == tokIdent {
		return nil, p.unsupported("CREATE " + p.cur().val)
	}
	return nil, p.errHere()
}

// createTable parses the rest of CREATE TABLE.
func (p *pgParser) createTable(pos int) (tree.Statement, error) {
	ct := &tree.CreateTable{Pos: pos, IfNotExists: p.accept("if", "not", "exists")}
	var err error
	if ct.Table, err = p.qualified(); err != nil {
		return nil, err
	}
	if p.accept("as") {
		q, err := p.sc.parseQuery(p.toks[p.i:])
		if err != nil {
			return nil, err
		}
		ct.AsSelect = q.(*tree.Select)
		return ct, nil
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	for !p.cur().isOp(")") {
		if err := p.tableElement(ct); err != nil {
			return nil, err
		}
		if !p.acceptOp(",") {
			break
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	if p.accept("with") {
		if _, err := p.options(); err != nil {
			return nil, err
		}
	}
	return ct, p.end()
}

// tableElement parses a column definition or a table constraint.
func (p *pgParser) tableElement(ct *tree.CreateTable) error {
	pos, cname := p.cur().pos, ""
	if p.accept("constraint") {
		var err error
		if cname, err = p.name(); err != nil {
			return err
		}
	}
	switch {
	case p.isConstraintStart():
		c, err := p.constraint(cname, pos)
		ct.Constraints = append(ct.Constraints, c)
		return err
	case p.accept("primary", "key"):
		cols, err := p.nameList()
		if err != nil {
			return err
		}
		if ct.PrimaryKey != nil {
			return p.sc.errAt(pgerr.InvalidTableDefinition, p.cur().pos, "multiple primary keys for table \""+ct.Table.Name+"\" are not allowed")
		}
		ct.PrimaryKey = cols
		return nil
	case p.accept("unique"):
		cols, err := p.nameList()
		if err != nil {
			return err
		}
		ct.Uniques = append(ct.Uniques, cols)
		return nil
	case p.cur().is("exclude"):
		return p.unsupported(p.cur().val + " constraints")
	case p.cur().is("like"):
		return p.unsupported("CREATE TABLE ... LIKE")
	}
	col, err := p.columnDef()
	if err != nil {
		return err
	}
	ct.Columns = append(ct.Columns, col)
	return nil
}

// columnDef parses name type [constraints].
func (p *pgParser) columnDef() (tree.ColumnDef, error) {
	col := tree.ColumnDef{Pos: p.cur().pos}
	var err error
	if col.Name, err = p.name(); err != nil {
		return col, err
	}
	tn, next, ok := parseTypeName(p.toks, p.i)
	if !ok {
		return col, p.errHere()
	}
	col.Type = tn
	p.i = next
	for {
		pos, cname := p.cur().pos, ""
		if p.accept("constraint") {
			if cname, err = p.name(); err != nil {
				return col, err
			}
		}
		switch {
		case p.isConstraintStart():
			c, err := p.constraint(cname, pos)
			if err != nil {
				return col, err
			}
			col.Constraints = append(col.Constraints, c)
		case p.accept("not", "null"):
			col.NotNull = true
		case p.accept("null"):
			col.Null = true
		case p.accept("primary", "key"):
			col.PrimaryKey = true
		case p.accept("unique"):
			col.Unique = true
		case p.accept("default"):
			if col.Default, err = p.expr(commaOr("not", "null", "primary", "unique", "constraint", "check",
				"references", "collate", "generated", "default")); err != nil {
				return col, err
			}
		case p.accept("collate"):
			if _, err := p.qualified(); err != nil {
				return col, err
			}
		case p.accept("generated"):
			if err := p.identityClause(&col); err != nil {
				return col, err
			}
		default:
			return col, nil
		}
	}
}

// createIndex parses CREATE [UNIQUE] INDEX ...
func (p *pgParser) createIndex(pos int) (tree.Statement, error) {
	ci := &tree.CreateIndex{Pos: pos, Unique: p.accept("unique")}
	if err := p.expect("index"); err != nil {
		return nil, err
	}
	ci.Concurrently = p.accept("concurrently")
	ci.IfNotExists = p.accept("if", "not", "exists")
	if !p.cur().is("on") {
		var err error
		if ci.Name, err = p.name(); err != nil {
			return nil, err
		}
	} else if ci.IfNotExists {
		return nil, p.errHere()
	}
	if err := p.expect("on"); err != nil {
		return nil, err
	}
	p.accept("only")
	var err error
	if ci.Table, err = p.qualified(); err != nil {
		return nil, err
	}
	if p.accept("using") {
		if ci.Method, err = p.name(); err != nil {
			return nil, err
		}
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	for {
		el, err := p.indexElem()
		if err != nil {
			return nil, err
		}
		ci.Elems = append(ci.Elems, el)
		if !p.acceptOp(",") {
			break
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	if p.cur().is("include") {
		return nil, p.unsupported("INCLUDE")
	}
	if p.accept("with") {
		if ci.With, err = p.options(); err != nil {
			return nil, err
		}
	}
	if p.accept("tablespace") {
		if _, err := p.name(); err != nil {
			return nil, err
		}
	}
	if p.accept("where") {
		if ci.Where, err = p.expr(nil); err != nil {
			return nil, err
		}
	}
	return ci, p.end()
}

// indexElem parses column | (expr) | func(...) [COLLATE x] [opclass] [ASC|DESC] [NULLS FIRST|LAST].
func (p *pgParser) indexElem() (tree.IndexElem, error) {
	var el tree.IndexElem
	var err error
	switch {
	case p.cur().isOp("("):
		p.i++
		if el.Expr, err = p.expr(nil); err != nil {
			return el, err
		}
		if err := p.expectOp(")"); err != nil {
			return el, err
		}
	case p.cur().isName() && p.peek(1).isOp("("):
		if el.Expr, err = p.expr(commaOr("collate", "asc", "desc", "nulls")); err != nil {
			return el, err
		}
	default:
		if el.Column, err = p.name(); err != nil {
			return el, err
		}
	}
	if p.accept("collate") {
		if _, err := p.qualified(); err != nil {
			return el, err
		}
	}
	if p.cur().isName() && !p.cur().is("asc") && !p.cur().is("desc") && !p.cur().is("nulls") {
		op, err := p.qualified()
		if err != nil {
			return el, err
		}
		el.Opclass = op.Name
	}
	if p.accept("desc") {
		el.Desc = true
	} else {
		p.accept("asc")
	}
	if p.accept("nulls") {
		if !p.accept("first") && !p.accept("last") {
			return el, p.errHere()
		}
	}
	return el, nil
}

// drop parses DROP TABLE | INDEX | EXTENSION | DATABASE.
func (p *pgParser) drop() (tree.Statement, error) {
	pos := p.cur().pos
	p.i++
	switch {
	case p.accept("table"):
		dt := &tree.DropTable{Pos: pos, IfExists: p.accept("if", "exists")}
		var err error
		if dt.Tables, err = p.qualifiedList(); err != nil {
			return nil, err
		}
		dt.Cascade = p.dropBehavior()
		return dt, p.end()
	case p.accept("sequence"):
		return p.dropSequence(pos)
	case p.accept("index"):
		di := &tree.DropIndex{Pos: pos, Concurrently: p.accept("concurrently")}
		di.IfExists = p.accept("if", "exists")
		var err error
		if di.Names, err = p.qualifiedList(); err != nil {
			return nil, err
		}
		di.Cascade = p.dropBehavior()
		return di, p.end()
	case p.accept("extension"):
		de := &tree.DropExtension{Pos: pos, IfExists: p.accept("if", "exists")}
		var err error
		if de.Name, err = p.name(); err != nil {
			return nil, err
		}
		if p.cur().isOp(",") {
			return nil, p.unsupported("dropping several extensions at once")
		}
		p.dropBehavior()
		return de, p.end()
	case p.accept("database"):
		dd := &tree.DropDatabase{Pos: pos, IfExists: p.accept("if", "exists")}
		var err error
		if dd.Name, err = p.name(); err != nil {
			return nil, err
		}
		if p.accept("with") {
			if _, err := p.options(); err != nil {
				return nil, err
			}
		}
		return dd, p.end()
	}
	if p.cur().kind == tokIdent {
		return nil, p.unsupported("DROP " + p.cur().val)
	}
	return nil, p.errHere()
}

// dropBehavior consumes CASCADE | RESTRICT and reports CASCADE.
func (p *pgParser) dropBehavior() bool {
	if p.accept("cascade") {
		return true
	}
	p.accept("restrict")
	return false
}

// truncate parses TRUNCATE [TABLE] [ONLY] a, b [RESTART|CONTINUE IDENTITY] [CASCADE|RESTRICT].
func (p *pgParser) truncate() (tree.Statement, error) {
	t := &tree.Truncate{Pos: p.cur().pos}
	p.i++
	p.accept("table")
	p.accept("only")
	var err error
	if t.Tables, err = p.qualifiedList(); err != nil {
		return nil, err
	}
	if !p.accept("restart", "identity") {
		p.accept("continue", "identity")
	}
	p.dropBehavior()
	return t, p.end()
}

// alter parses ALTER TABLE with the commands tree.AlterCmd can hold.
func (p *pgParser) alter() (tree.Statement, error) {
	pos := p.cur().pos
	p.i++
	if p.accept("sequence") {
		return p.alterSequence(pos)
	}
	if !p.accept("table") {
		if p.cur().kind == tokIdent {
			return nil, p.unsupported("ALTER " + p.cur().val)
		}
		return nil, p.errHere()
	}
	at := &tree.AlterTable{Pos: pos, IfExists: p.accept("if", "exists")}
	p.accept("only")
	var err error
	if at.Table, err = p.qualified(); err != nil {
		return nil, err
	}
	for {
		cmd, err := p.alterCmd()
		if err != nil {
			return nil, err
		}
		at.Cmds = append(at.Cmds, cmd)
		if !p.acceptOp(",") {
			break
		}
	}
	return at, p.end()
}

func (p *pgParser) alterCmd() (tree.AlterCmd, error) {
	var cmd tree.AlterCmd
	var err error
	switch {
	case p.accept("add"):
		if p.cur().is("constraint") || p.isConstraintStart() {
			pos, cname := p.cur().pos, ""
			if p.accept("constraint") {
				if cname, err = p.name(); err != nil {
					return cmd, err
				}
			}
			if !p.isConstraintStart() || p.cur().is("references") {
				return cmd, p.unsupported("ALTER TABLE ADD " + strings.ToUpper(p.cur().val) + " constraint")
			}
			c, err := p.constraint(cname, pos)
			cmd.Kind, cmd.Constraint = "add_constraint", &c
			return cmd, err
		}
		if p.cur().is("primary") || p.cur().is("unique") {
			return cmd, p.unsupported("ALTER TABLE ADD constraint")
		}
		p.accept("column")
		cmd.Kind = "add_column"
		cmd.IfExists = p.accept("if", "not", "exists")
		cmd.Column, err = p.columnDef()
		return cmd, err
	case p.accept("drop"):
		if p.accept("constraint") {
			cmd.Kind = "drop_constraint"
			cmd.IfExists = p.accept("if", "exists")
			cmd.Constraint = &tree.Constraint{Pos: p.cur().pos}
			cmd.Constraint.Name, err = p.name()
			cmd.Cascade = p.dropBehavior()
			return cmd, err
		}
		p.accept("column")
		cmd.Kind = "drop_column"
		cmd.IfExists = p.accept("if", "exists")
		cmd.Column.Name, err = p.name()
		p.dropBehavior()
		return cmd, err
	case p.accept("rename"):
		if p.accept("to") {
			cmd.Kind = "rename_table"
			cmd.NewName, err = p.name()
			return cmd, err
		}
		if p.cur().is("constraint") {
			return cmd, p.unsupported("ALTER TABLE RENAME CONSTRAINT")
		}
		p.accept("column")
		cmd.Kind = "rename_column"
		if cmd.Column.Name, err = p.name(); err != nil {
			return cmd, err
		}
		if err := p.expect("to"); err != nil {
			return cmd, err
		}
		cmd.NewName, err = p.name()
		return cmd, err
	case p.accept("alter"):
		p.accept("column")
		if cmd.Column.Name, err = p.name(); err != nil {
			return cmd, err
		}
		switch {
		case p.accept("set", "not", "null"):
			cmd.Kind = "set_not_null"
		case p.accept("drop", "not", "null"):
			cmd.Kind = "drop_not_null"
		case p.accept("set", "default"):
			cmd.Kind = "set_default"
			cmd.Default, err = p.expr(commaOr())
		case p.accept("drop", "default"):
			cmd.Kind = "drop_default"
		case p.cur().is("add") || p.cur().is("drop") && p.peek(1).is("identity") || p.cur().is("set") || p.cur().is("restart"):
			return cmd, p.alterIdentity(&cmd)
		default:
			return cmd, p.unsupported("this ALTER COLUMN action")
		}
		return cmd, err
	}
	if p.cur().kind == tokIdent {
		return cmd, p.unsupported("ALTER TABLE " + p.cur().val)
	}
	return cmd, p.errHere()
}
