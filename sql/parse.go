package sql

import (
	"strconv"
	"strings"
	"sync"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"

	// NB: the TiDB parser needs a driver for literal values; the test
	// driver is the self-contained one (no TiDB types package).
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// Parse splits a query string into statements at top-level semicolons
// (semicolons inside strings, quoted names, comments and dollar-quoted
// bodies do not count) and parses each into a tree.Statement. It returns
// one Parsed per non-empty statement, in order; a query of only
// whitespace, comments and semicolons gives an empty slice.
//
// Errors are *pgerr.Error: 42601 syntax errors shaped like PostgreSQL's
// ("syntax error at or near \"x\"", "syntax error at end of input",
// "unterminated quoted string at or near ..."), 0A000 for recognised but
// unsupported statements and clauses, with Position set to the 1-based
// character offset in query. Parse is safe for concurrent use; it keeps no
// state between calls.
func Parse(query string) ([]Parsed, error) {
	toks, err := lex(query)
	if err != nil {
		return nil, err
	}
	var out []Parsed
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && !toks[i].isOp(";") {
			continue
		}
		if i > start {
			p, err := parseStatement(query, toks[start:i])
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		start = i + 1
	}
	return out, nil
}

// stmtCtx is one statement being parsed: its text and where it sits in
// the whole query (for error positions).
type stmtCtx struct {
	query string
	base  int
	sql   string
}

// errAt builds an error at statement offset pos.
func (sc *stmtCtx) errAt(code pgerr.Code, pos int, msg string) *pgerr.Error {
	return pgerr.New(code, msg).WithPosition(charPos(sc.query, sc.base+pos))
}

// syntaxErr builds PostgreSQL's syntax error for token t.
func (sc *stmtCtx) syntaxErr(t token) *pgerr.Error {
	if t.kind == tokEOF || t.pos >= len(sc.sql) {
		return sc.errAt(pgerr.SyntaxError, len(sc.sql), "syntax error at end of input")
	}
	return sc.errAt(pgerr.SyntaxError, t.pos, "syntax error at or near \""+sc.sql[t.pos:t.end]+"\"")
}

// parseStatement parses the tokens of one statement.
func parseStatement(query string, toks []token) (Parsed, error) {
	base := toks[0].pos
	end := toks[len(toks)-1].end
	sc := &stmtCtx{query: query, base: base, sql: query[base:end]}
	rt := make([]token, len(toks))
	maxParam := 0
	for i, t := range toks {
		t.pos -= base
		t.end -= base
		rt[i] = t
		if t.kind == tokParam && t.num > maxParam {
			maxParam = t.num
		}
	}
	stmt, err := sc.dispatch(rt)
	if err != nil {
		return Parsed{}, err
	}
	if _, ok := stmt.(*tree.Prepare); ok {
		maxParam = 0
	}
	return Parsed{Stmt: stmt, SQL: sc.sql, Offset: base, NumParams: maxParam}, nil
}

// dispatch chooses the parser for a statement by its first words.
func (sc *stmtCtx) dispatch(toks []token) (tree.Statement, error) {
	t := toks[0]
	if t.isOp("(") {
		return sc.parseQuery(toks)
	}
	if t.kind != tokIdent {
		return nil, sc.syntaxErr(t)
	}
	p := &pgParser{sc: sc, toks: toks}
	switch t.val {
	case "select", "with", "values", "table":
		return sc.parseQuery(toks)
	case "insert", "update", "delete":
		return sc.parseDML(toks)
	case "create":
		return p.create()
	case "drop":
		return p.drop()
	case "alter":
		return p.alter()
	case "truncate":
		return p.truncate()
	case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release":
		return p.transaction()
	case "set":
		return p.set()
	case "show":
		return p.show()
	case "reset":
		return p.reset()
	case "copy":
		return p.copyStmt()
	case "explain":
		return p.explain()
	case "prepare":
		return p.prepare()
	case "execute":
		return p.execute()
	case "deallocate":
		return p.deallocate()
	case "analyze", "analyse", "vacuum":
		return p.analyze()
	case "discard":
		return p.discard()
	case "comment":
		return p.comment()
	case "reindex":
		return p.reindex()
	case "grant", "revoke", "listen", "notify", "unlisten", "lock", "declare", "fetch", "move",
		"close", "checkpoint", "cluster", "load", "refresh", "security", "import", "call", "do":
		return nil, sc.errAt(pgerr.FeatureNotSupported, t.pos, strings.ToUpper(t.val)+" is not supported")
	}
	return nil, sc.syntaxErr(t)
}

// newTiDBParser returns a TiDB parser in the SQL modes the rewriter targets.
func newTiDBParser() *parser.Parser {
	p := parser.New()
	p.SetSQLMode(mysql.ModeANSIQuotes | mysql.ModePipesAsConcat | mysql.ModeNoBackslashEscapes)
	return p
}

// tidbParsers recycles TiDB parsers: making one costs about a third of
// parsing a short statement. NB: a parser is not safe for concurrent use,
// but the ASTs it returns do not alias its buffers (TiDB itself keeps ASTs
// of prepared statements while its session parser moves on), so a parser
// goes back to the pool as soon as ParseOneStmt returns.
var tidbParsers = sync.Pool{New: func() any { return newTiDBParser() }}

// tidbParse parses rewritten text with TiDB and maps a syntax error back
// to the Postgres token it came from.
func (sc *stmtCtx) tidbParse(f *frag, toks []token) (ast.StmtNode, error) {
	text := string(f.b)
	p := tidbParsers.Get().(*parser.Parser)
	node, err := p.ParseOneStmt(text, "", "")
	tidbParsers.Put(p)
	if err == nil {
		return node, nil
	}
	off := nearOffset(err.Error(), text)
	if off < 0 || off >= len(text) {
		return nil, sc.syntaxErr(token{kind: tokEOF})
	}
	orig := f.orig(off)
	for _, t := range toks {
		if t.end > orig {
			return nil, sc.syntaxErr(t)
		}
	}
	return nil, sc.syntaxErr(token{kind: tokEOF})
}

// nearOffset finds where TiDB's error `... near "rest"` points in text:
// rest is a suffix of text (truncated to 2048 bytes, followed by "(total
// length N)" in that case). It returns -1 when the message has no "near".
func nearOffset(msg, text string) int {
	k := strings.Index(msg, " near \"")
	if k < 0 {
		return -1
	}
	rest := msg[k+7:]
	if j := strings.LastIndex(rest, "(total length "); j >= 0 {
		numEnd := strings.IndexByte(rest[j:], ')')
		if numEnd > 0 {
			if n, err := strconv.Atoi(rest[j+14 : j+numEnd]); err == nil && n <= len(text) {
				return len(text) - n
			}
		}
	}
	for n := len(rest); n >= 0; n-- {
		if (n == len(rest) || rest[n] == '"') && strings.HasSuffix(text, rest[:n]) {
			return len(text) - n
		}
	}
	return -1
}

// rewriteAll rewrites toks fully and fails on leftovers such as a stray ')'.
func (r *rewriter) rewriteAll(emit func(*frag)) (frag, error) {
	var f frag
	emit(&f)
	if r.err == nil && r.i < len(r.toks) {
		r.fail(r.cur())
	}
	return f, r.err
}

// parseQuery parses a SELECT / VALUES / WITH query statement.
func (sc *stmtCtx) parseQuery(toks []token) (tree.Statement, error) {
	if len(toks) == 0 {
		return nil, sc.syntaxErr(token{kind: tokEOF})
	}
	if toks[0].is("table") {
		return nil, sc.errAt(pgerr.FeatureNotSupported, toks[0].pos, "TABLE name is not supported")
	}
	r := newRewriter(sc, toks)
	f, err := r.rewriteAll(func(f *frag) { f.add(r.seq(nil)) })
	if err != nil {
		return nil, err
	}
	node, err := sc.tidbParse(&f, toks)
	if err != nil {
		return nil, err
	}
	c := &converter{sc: sc, f: &f, r: r}
	rs, ok := node.(ast.ResultSetNode)
	if !ok {
		return nil, sc.syntaxErr(toks[0])
	}
	s, err := c.query(rs)
	if err != nil {
		return nil, err
	}
	s.Pos = toks[0].pos
	return s, nil
}

// subExpr parses a fragment produced by the same rewriter as an
// expression of its own ("select <frag>") and converts it.
func (c *converter) subExpr(g frag) (tree.Expr, error) {
	var f frag
	f.raw("select ")
	f.add(g)
	node, err := c.sc.tidbParse(&f, c.r.toks)
	if err != nil {
		return nil, err
	}
	sel, ok := node.(*ast.SelectStmt)
	if !ok || sel.Fields == nil || len(sel.Fields.Fields) != 1 || sel.Fields.Fields[0].Expr == nil {
		return nil, c.sc.syntaxErr(token{kind: tokEOF})
	}
	sub := &converter{sc: c.sc, f: &f, r: c.r}
	return sub.expr(sel.Fields.Fields[0].Expr)
}
