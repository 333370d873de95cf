package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/tree"
)

// constraint parses the body of a CHECK or FOREIGN KEY constraint (after
// its optional CONSTRAINT name): CHECK (expr) [NO INHERIT] [NOT VALID],
// FOREIGN KEY (cols) REFERENCES ... on a table, or REFERENCES ... on a
// column.
func (p *pgParser) constraint(name string, pos int) (tree.Constraint, error) {
	c := tree.Constraint{Pos: pos, Name: name}
	var err error
	switch {
	case p.accept("check"):
		if err := p.expectOp("("); err != nil {
			return c, err
		}
		if c.Check, err = p.expr(nil); err != nil {
			return c, err
		}
		if err := p.expectOp(")"); err != nil {
			return c, err
		}
		for {
			switch {
			case p.accept("no", "inherit"):
				c.NoInherit = true
				continue
			case p.accept("not", "valid"):
				c.NotValid = true
				continue
			}
			return c, nil
		}
	case p.accept("foreign", "key"):
		if c.Columns, err = p.nameList(); err != nil {
			return c, err
		}
		if err := p.expect("references"); err != nil {
			return c, err
		}
		return c, p.references(&c)
	case p.accept("references"):
		return c, p.references(&c)
	}
	return c, p.errHere()
}

// references parses what follows REFERENCES: table [(cols)] [MATCH kind]
// [ON DELETE action] [ON UPDATE action] [[NOT] DEFERRABLE]
// [INITIALLY DEFERRED | IMMEDIATE] [NOT VALID].
func (p *pgParser) references(c *tree.Constraint) error {
	var err error
	if c.RefTable, err = p.qualified(); err != nil {
		return err
	}
	if p.cur().isOp("(") {
		if c.RefColumns, err = p.nameList(); err != nil {
			return err
		}
	}
	for {
		switch {
		case p.accept("match"):
			if c.Match = strings.ToUpper(p.acceptOneOf("simple", "full", "partial")); c.Match == "" {
				return p.errHere()
			}
		case p.accept("on", "delete"):
			if c.OnDelete, err = p.referentialAction(); err != nil {
				return err
			}
		case p.accept("on", "update"):
			if c.OnUpdate, err = p.referentialAction(); err != nil {
				return err
			}
		case p.accept("not", "deferrable"):
			c.Deferrable = false
		case p.accept("deferrable"):
			c.Deferrable = true
		case p.accept("initially", "deferred"):
			c.InitiallyDeferred = true
		case p.accept("initially", "immediate"):
			c.InitiallyDeferred = false
		case p.accept("not", "valid"):
			c.NotValid = true
		default:
			return nil
		}
	}
}

// referentialAction parses NO ACTION | RESTRICT | CASCADE | SET NULL |
// SET DEFAULT.
func (p *pgParser) referentialAction() (string, error) {
	for _, a := range []string{"no action", "restrict", "cascade", "set null", "set default"} {
		if p.accept(strings.Fields(a)...) {
			return strings.ToUpper(a), nil
		}
	}
	return "", p.errHere()
}

// isConstraintStart reports whether the current token starts a CHECK or
// FOREIGN KEY / REFERENCES constraint.
func (p *pgParser) isConstraintStart() bool {
	return p.cur().is("check") || p.cur().is("references") || (p.cur().is("foreign") && p.peek(1).is("key"))
}
