package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/tree"
)

// copyStmt parses COPY in every option syntax clients send:
//
//	COPY t [(cols)] FROM STDIN [WITH] (FORMAT csv, HEADER true, ...)
//	COPY t FROM STDIN WITH DELIMITER AS '\t' NULL AS '\N'      (psycopg2 copy_from)
//	COPY t FROM STDIN CSV HEADER                               (legacy)
//	copy "t" ( "a", "b" ) from stdin binary;                   (pgx CopyFrom)
//	COPY BINARY t FROM STDIN                                   (pre-7.3)
//	COPY (SELECT ...) TO STDOUT [options]
//
// Option keys are lower case; flags without a value get "true".
func (p *pgParser) copyStmt() (tree.Statement, error) {
	c := &tree.Copy{Pos: p.cur().pos, Options: map[string]string{}}
	p.i++
	if p.accept("binary") {
		c.Options["format"] = "binary"
	}
	if p.cur().isOp("(") {
		p.i++
		toks := p.span(nil)
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		q, err := p.sc.parseQuery(toks)
		if err != nil {
			return nil, err
		}
		c.Query = q.(*tree.Select)
	} else {
		var err error
		if c.Table, err = p.qualified(); err != nil {
			return nil, err
		}
		if p.cur().isOp("(") {
			if c.Columns, err = p.nameList(); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case p.accept("from"):
		c.From = true
		if c.Query != nil {
			return nil, p.sc.syntaxErr(p.peek(-1))
		}
		if !p.accept("stdin") {
			return nil, p.unsupported("COPY FROM a file or program (use COPY FROM STDIN)")
		}
	case p.accept("to"):
		if !p.accept("stdout") {
			return nil, p.unsupported("COPY TO a file or program (use COPY TO STDOUT)")
		}
	default:
		return nil, p.errHere()
	}
	p.accept("with")
	if p.cur().isOp("(") {
		opts, err := p.options()
		if err != nil {
			return nil, err
		}
		for _, o := range opts {
			v := o.Value
			if v == "" {
				v = "true"
			}
			c.Options[strings.ToLower(o.Name)] = v
		}
	} else if err := p.legacyCopyOptions(c.Options); err != nil {
		return nil, err
	}
	return c, p.end()
}

// legacyCopyOptions parses the pre-9.0 option syntax.
func (p *pgParser) legacyCopyOptions(opts map[string]string) error {
	for p.i < len(p.toks) {
		switch {
		case p.accept("binary"):
			opts["format"] = "binary"
		case p.accept("csv"):
			opts["format"] = "csv"
		case p.accept("header"):
			opts["header"] = "true"
		case p.accept("oids"):
			return p.unsupported("COPY OIDS")
		case p.accept("force", "quote"), p.accept("force", "not", "null"):
			// Per-column CSV forcing is accepted and ignored.
			if !p.acceptOp("*") {
				for {
					if _, err := p.name(); err != nil {
						return err
					}
					if !p.acceptOp(",") {
						break
					}
				}
			}
		case p.cur().is("delimiter"), p.cur().is("null"), p.cur().is("quote"), p.cur().is("escape"), p.cur().is("encoding"):
			k := p.cur().val
			p.i++
			p.accept("as")
			if p.cur().kind != tokString {
				return p.errHere()
			}
			opts[k] = p.cur().val
			p.i++
		default:
			return p.errHere()
		}
	}
	return nil
}
