package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// pgParser is the recursive-descent parser for the statements the TiDB
// grammar lacks or reads differently (utility statements, DDL, COPY,
// transactions). Embedded expressions go through the rewriter and TiDB
// (see expr), so they mean the same as in queries.
//
// Methods return the first error; after an error the parser's state is
// unspecified.
type pgParser struct {
	sc   *stmtCtx
	toks []token
	i    int
}

func (p *pgParser) cur() token { return p.at(p.i) }

func (p *pgParser) at(k int) token {
	if k < len(p.toks) {
		return p.toks[k]
	}
	return token{kind: tokEOF, pos: len(p.sc.sql), end: len(p.sc.sql)}
}

func (p *pgParser) peek(k int) token { return p.at(p.i + k) }

// errHere is a syntax error at the current token.
func (p *pgParser) errHere() error { return p.sc.syntaxErr(p.cur()) }

// unsupported is a 0A000 error at the current token.
func (p *pgParser) unsupported(what string) error {
	return p.sc.errAt(pgerr.FeatureNotSupported, p.cur().pos, what+" is not supported")
}

// accept consumes the keyword sequence kws if it is next.
func (p *pgParser) accept(kws ...string) bool {
	for k, kw := range kws {
		if !p.peek(k).is(kw) {
			return false
		}
	}
	p.i += len(kws)
	return true
}

// acceptOneOf consumes the next token when it is one of the keywords kws
// and returns that keyword ("" when none is next).
func (p *pgParser) acceptOneOf(kws ...string) string {
	for _, kw := range kws {
		if p.accept(kw) {
			return kw
		}
	}
	return ""
}

// expect consumes the keyword kw or fails.
func (p *pgParser) expect(kw string) error {
	if !p.accept(kw) {
		return p.errHere()
	}
	return nil
}

func (p *pgParser) acceptOp(op string) bool {
	if p.cur().isOp(op) {
		p.i++
		return true
	}
	return false
}

func (p *pgParser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return p.errHere()
	}
	return nil
}

// end fails unless all tokens are consumed.
func (p *pgParser) end() error {
	if p.i < len(p.toks) {
		return p.errHere()
	}
	return nil
}

// name consumes an identifier.
func (p *pgParser) name() (string, error) {
	t := p.cur()
	if !t.isName() {
		return "", p.errHere()
	}
	p.i++
	return t.val, nil
}

// qualified consumes a possibly schema-qualified name (db.schema.name keeps the last two).
func (p *pgParser) qualified() (tree.TableName, error) {
	tn := tree.TableName{Pos: p.cur().pos}
	n, err := p.name()
	if err != nil {
		return tn, err
	}
	parts := []string{n}
	for p.cur().isOp(".") {
		p.i++
		n, err := p.name()
		if err != nil {
			return tn, err
		}
		parts = append(parts, n)
	}
	if len(parts) > 3 {
		return tn, p.sc.errAt(pgerr.SyntaxError, tn.Pos, "improper qualified name (too many dotted names): "+strings.Join(parts, "."))
	}
	tn.Name = parts[len(parts)-1]
	if len(parts) >= 2 {
		tn.Schema = parts[len(parts)-2]
	}
	return tn, nil
}

// qualifiedList consumes name, name, ...
func (p *pgParser) qualifiedList() ([]tree.TableName, error) {
	var out []tree.TableName
	for {
		tn, err := p.qualified()
		if err != nil {
			return nil, err
		}
		out = append(out, tn)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

// nameList consumes ( name, ... ).
func (p *pgParser) nameList() ([]string, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var out []string
	for {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		if p.acceptOp(",") {
			continue
		}
		return out, p.expectOp(")")
	}
}

// span returns the tokens from the current one up to (not including) the
// first one at nesting depth 0 for which stop is true, or up to an
// unbalanced closing bracket, and moves past them.
func (p *pgParser) span(stop func(token) bool) []token {
	start, depth := p.i, 0
	for ; p.i < len(p.toks); p.i++ {
		t := p.toks[p.i]
		if depth == 0 && stop != nil && stop(t) {
			break
		}
		if t.isOp("(") || t.isOp("[") {
			depth++
		} else if t.isOp(")") || t.isOp("]") {
			if depth == 0 {
				break
			}
			depth--
		}
	}
	return p.toks[start:p.i]
}

// expr parses an embedded expression ending where stop says (at depth 0).
func (p *pgParser) expr(stop func(token) bool) (tree.Expr, error) {
	toks := p.span(stop)
	if len(toks) == 0 {
		return nil, p.errHere()
	}
	r := newRewriter(p.sc, toks)
	f, err := r.rewriteAll(func(f *frag) { f.add(r.seq(nil)) })
	if err != nil {
		return nil, err
	}
	c := &converter{sc: p.sc, f: &f, r: r}
	return c.subExpr(f)
}

// commaOr builds a stop function for ',' and the given keywords.
func commaOr(kws ...string) func(token) bool {
	return func(t token) bool {
		if t.isOp(",") {
			return true
		}
		for _, k := range kws {
			if t.is(k) {
				return true
			}
		}
		return false
	}
}

// optionValue consumes a value as written: identifier, number (with an
// optional sign), string (unquoted), or keyword.
func (p *pgParser) optionValue() (string, error) {
	t := p.cur()
	switch {
	case t.kind == tokString, t.kind == tokIdent, t.kind == tokQIdent, t.kind == tokNumber:
		p.i++
		return t.val, nil
	case (t.isOp("-") || t.isOp("+")) && p.peek(1).kind == tokNumber:
		p.i += 2
		if t.val == "-" {
			return "-" + p.peek(-1).val, nil
		}
		return p.peek(-1).val, nil
	}
	return "", p.errHere()
}

// options parses ( name [=] value, ... ) as used by WITH (...) lists.
func (p *pgParser) options() ([]tree.Option, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var out []tree.Option
	for {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		for p.cur().isOp(".") { // toast.autovacuum_enabled
			p.i++
			m, err := p.name()
			if err != nil {
				return nil, err
			}
			n += "." + m
		}
		opt := tree.Option{Name: n}
		if p.acceptOp("=") || !p.cur().isOp(",") && !p.cur().isOp(")") {
			if opt.Value, err = p.optionValue(); err != nil {
				return nil, err
			}
		}
		out = append(out, opt)
		if p.acceptOp(",") {
			continue
		}
		return out, p.expectOp(")")
	}
}
