package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/tree"
)

// analyze parses ANALYZE [VERBOSE] [t [(cols)]] and VACUUM [FULL] [FREEZE]
// [VERBOSE] [ANALYZE] [t] / VACUUM (options) [t].
func (p *pgParser) analyze() (tree.Statement, error) {
	t := p.cur()
	p.i++
	vacuum := t.is("vacuum")
	doAnalyze := !vacuum
	if p.cur().isOp("(") {
		opts, err := p.options()
		if err != nil {
			return nil, err
		}
		for _, o := range opts {
			if (o.Name == "analyze" || o.Name == "analyse") && (o.Value == "" || isTrue(o.Value)) {
				doAnalyze = true
			}
		}
	} else {
		for {
			switch {
			case vacuum && (p.accept("full") || p.accept("freeze")):
				continue
			case p.accept("verbose"):
				continue
			case vacuum && (p.accept("analyze") || p.accept("analyse")):
				doAnalyze = true
				continue
			}
			break
		}
	}
	var table *tree.TableName
	if p.i < len(p.toks) {
		tn, err := p.qualified()
		if err != nil {
			return nil, err
		}
		table = &tn
		if p.cur().isOp("(") {
			if _, err := p.nameList(); err != nil {
				return nil, err
			}
		}
		if p.cur().isOp(",") {
			return nil, p.unsupported("several tables in one statement")
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if vacuum {
		return &tree.Vacuum{Pos: t.pos, Table: table, Analyze: doAnalyze}, nil
	}
	return &tree.Analyze{Pos: t.pos, Table: table}, nil
}

// comment parses COMMENT ON TABLE|COLUMN|INDEX name IS 'text' | NULL.
func (p *pgParser) comment() (tree.Statement, error) {
	c := &tree.Comment{Pos: p.cur().pos}
	p.i++
	if err := p.expect("on"); err != nil {
		return nil, err
	}
	if c.Kind = p.acceptOneOf("table", "column", "index"); c.Kind == "" {
		if p.cur().kind == tokIdent {
			return nil, p.unsupported("COMMENT ON " + p.cur().val)
		}
		return nil, p.errHere()
	}
	for {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		c.Object = append(c.Object, n)
		if !p.acceptOp(".") {
			break
		}
	}
	if err := p.expect("is"); err != nil {
		return nil, err
	}
	switch {
	case p.accept("null"):
	case p.cur().kind == tokString:
		s := p.cur().val
		c.Text = &s
		p.i++
	default:
		return nil, p.errHere()
	}
	return c, p.end()
}

// reindex parses REINDEX [(VERBOSE)] INDEX|TABLE|SCHEMA|DATABASE|SYSTEM
// [CONCURRENTLY] name.
func (p *pgParser) reindex() (tree.Statement, error) {
	r := &tree.Reindex{Pos: p.cur().pos}
	p.i++
	if p.cur().isOp("(") {
		if _, err := p.options(); err != nil {
			return nil, err
		}
	}
	if r.Kind = strings.ToUpper(p.acceptOneOf("index", "table", "schema", "database", "system")); r.Kind == "" {
		return nil, p.errHere()
	}
	r.Concurrently = p.accept("concurrently")
	var err error
	if r.Name, err = p.qualified(); err != nil {
		return nil, err
	}
	return r, p.end()
}
