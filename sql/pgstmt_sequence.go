package sql

import (
	"strconv"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// Parsers for CREATE/ALTER/DROP SEQUENCE and for identity column clauses
// (GENERATED ... AS IDENTITY [( options )]), which share the sequence
// option list. The grammar is PostgreSQL 15's (gram.y SeqOptElem).

// createSequence parses the rest of CREATE [TEMP] SEQUENCE.
func (p *pgParser) createSequence(pos int) (tree.Statement, error) {
	cs := &tree.CreateSequence{Pos: pos, IfNotExists: p.accept("if", "not", "exists")}
	var err error
	if cs.Name, err = p.qualified(); err != nil {
		return nil, err
	}
	if err := p.seqOptions(&cs.Opts, false, false); err != nil {
		return nil, err
	}
	return cs, p.end()
}

// alterSequence parses the rest of ALTER SEQUENCE.
func (p *pgParser) alterSequence(pos int) (tree.Statement, error) {
	as := &tree.AlterSequence{Pos: pos, IfExists: p.accept("if", "exists")}
	var err error
	if as.Name, err = p.qualified(); err != nil {
		return nil, err
	}
	if p.cur().is("rename") || p.cur().is("owner") || p.cur().is("set") {
		return nil, p.unsupported("ALTER SEQUENCE " + p.cur().val)
	}
	start := p.i
	if err := p.seqOptions(&as.Opts, true, false); err != nil {
		return nil, err
	}
	if p.i == start {
		return nil, p.errHere()
	}
	return as, p.end()
}

// dropSequence parses the rest of DROP SEQUENCE.
func (p *pgParser) dropSequence(pos int) (tree.Statement, error) {
	ds := &tree.DropSequence{Pos: pos, IfExists: p.accept("if", "exists")}
	var err error
	if ds.Names, err = p.qualifiedList(); err != nil {
		return nil, err
	}
	ds.Cascade = p.dropBehavior()
	return ds, p.end()
}

// identityClause parses ALWAYS | BY DEFAULT AS IDENTITY [( options )]
// after GENERATED.
func (p *pgParser) identityClause(col *tree.ColumnDef) error {
	switch {
	case p.accept("always"):
		col.Identity = "a"
	case p.accept("by", "default"):
		col.Identity = "d"
	default:
		return p.errHere()
	}
	if err := p.expect("as"); err != nil {
		return err
	}
	if p.cur().isOp("(") {
		// GENERATED ALWAYS AS (expr) STORED
		return p.unsupported("generated columns")
	}
	if err := p.expect("identity"); err != nil {
		return err
	}
	if p.acceptOp("(") {
		if err := p.seqOptions(&col.IdentityOpts, false, true); err != nil {
			return err
		}
		return p.expectOp(")")
	}
	return nil
}

// seqOptions parses sequence options until none follows. alter allows
// RESTART; identity allows SEQUENCE NAME. A repeated option is 42601
// "conflicting or redundant options", as in PostgreSQL.
func (p *pgParser) seqOptions(o *tree.SeqOptions, alter, identity bool) error {
	seen := map[string]bool{}
	for {
		t := p.cur()
		key := t.val
		var err error
		switch {
		case p.accept("as"):
			tn, next, ok := parseTypeName(p.toks, p.i)
			if !ok {
				return p.errHere()
			}
			p.i = next
			o.As = tn.Name
		case p.accept("increment"):
			p.accept("by")
			o.Increment, err = p.seqInt()
		case p.accept("minvalue"):
			o.Min, err = p.seqInt()
		case p.accept("maxvalue"):
			o.Max, err = p.seqInt()
		case p.accept("no", "minvalue"):
			key, o.NoMin = "minvalue", true
		case p.accept("no", "maxvalue"):
			key, o.NoMax = "maxvalue", true
		case p.accept("no", "cycle"):
			key, o.Cycle = "cycle", new(bool)
		case p.accept("cycle"):
			c := true
			o.Cycle = &c
		case p.accept("start"):
			p.accept("with")
			o.Start, err = p.seqInt()
		case p.accept("cache"):
			o.Cache, err = p.seqInt()
		case alter && p.accept("restart"):
			o.Restart = true
			if p.accept("with") || p.cur().kind == tokNumber || p.cur().isOp("-") || p.cur().isOp("+") {
				o.RestartWith, err = p.seqInt()
			}
		case p.accept("owned", "by"):
			key = "owned"
			if p.accept("none") {
				o.OwnedNone = true
				break
			}
			tn, err2 := p.qualified()
			if err2 != nil {
				return err2
			}
			o.OwnedBy = []string{tn.Name}
			if tn.Schema != "" {
				o.OwnedBy = []string{tn.Schema, tn.Name}
			}
		case identity && p.accept("sequence", "name"):
			key = "sequence name"
			tn, err2 := p.qualified()
			if err2 != nil {
				return err2
			}
			o.Name = &tn
		default:
			return nil
		}
		if err != nil {
			return err
		}
		if seen[key] {
			return p.sc.errAt(pgerr.SyntaxError, t.pos, "conflicting or redundant options")
		}
		seen[key] = true
	}
}

// seqInt consumes a signed integer literal.
func (p *pgParser) seqInt() (*int64, error) {
	neg := false
	if p.acceptOp("-") {
		neg = true
	} else {
		p.acceptOp("+")
	}
	t := p.cur()
	if t.kind != tokNumber {
		return nil, p.errHere()
	}
	s := t.val
	if neg {
		s = "-" + s
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, p.sc.errAt(pgerr.SyntaxError, t.pos, "syntax error at or near \""+t.val+"\"")
	}
	p.i++
	return &v, nil
}

// alterIdentity parses the identity actions of ALTER TABLE ... ALTER
// COLUMN c: ADD GENERATED ... AS IDENTITY [( options )], DROP IDENTITY
// [IF EXISTS], and SET GENERATED ... / SET option / RESTART [WITH n].
func (p *pgParser) alterIdentity(cmd *tree.AlterCmd) error {
	switch {
	case p.accept("add", "generated"):
		cmd.Kind = "add_identity"
		return p.identityClause(&cmd.Column)
	case p.accept("drop", "identity"):
		cmd.Kind = "drop_identity"
		cmd.IfExists = p.accept("if", "exists")
		return nil
	}
	cmd.Kind = "set_identity"
	for {
		switch {
		case p.accept("set", "generated"):
			switch {
			case p.accept("always"):
				cmd.Column.Identity = "a"
			case p.accept("by", "default"):
				cmd.Column.Identity = "d"
			default:
				return p.errHere()
			}
		case p.cur().is("restart"):
			if err := p.seqOptions(&cmd.Column.IdentityOpts, true, false); err != nil {
				return err
			}
		case p.accept("set"):
			start := p.i
			if err := p.seqOptions(&cmd.Column.IdentityOpts, false, false); err != nil {
				return err
			}
			if p.i == start {
				return p.unsupported("this ALTER COLUMN action")
			}
		default:
			return nil
		}
	}
}
