package sql

import (
	"github.com/vecgres/vecgres/sql/tree"
)

// onConflict parses the part of ON CONFLICT after the two keywords:
// [(cols) [WHERE pred]] | [ON CONSTRAINT name] DO NOTHING | DO UPDATE SET
// col = expr, ... [WHERE cond].
func (p *pgParser) onConflict() (*tree.OnConflict, error) {
	oc := &tree.OnConflict{}
	var err error
	switch {
	case p.cur().isOp("("):
		if oc.Columns, err = p.nameList(); err != nil {
			return nil, err
		}
		if p.cur().is("where") {
			return nil, p.unsupported("ON CONFLICT (...) WHERE")
		}
	case p.cur().is("on"):
		return nil, p.unsupported("ON CONFLICT ON CONSTRAINT")
	}
	if err := p.expect("do"); err != nil {
		return nil, err
	}
	if p.accept("nothing") {
		oc.DoNothing = true
		return oc, p.end()
	}
	if !p.accept("update", "set") {
		return nil, p.errHere()
	}
	if oc.Columns == nil {
		return nil, p.sc.errAt("42601", p.toks[0].pos, "ON CONFLICT DO UPDATE requires inference specification or constraint name")
	}
	for {
		if p.cur().isOp("(") {
			return nil, p.unsupported("multi-column assignment in ON CONFLICT DO UPDATE")
		}
		col, err := p.name()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		e, err := p.expr(commaOr("where"))
		if err != nil {
			return nil, err
		}
		oc.Set = append(oc.Set, tree.SetClause{Column: col, Expr: e})
		if !p.acceptOp(",") {
			break
		}
	}
	if p.accept("where") {
		if oc.Where, err = p.expr(nil); err != nil {
			return nil, err
		}
	}
	return oc, p.end()
}
