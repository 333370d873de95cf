package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// rewriter turns the Postgres tokens of one statement into SQL text the
// TiDB grammar accepts, keeping the Postgres meaning:
//
//   - every name is emitted ANSI-quoted (already case-folded by the lexer),
//     so MySQL keywords and case rules cannot change it;
//   - operators TiDB lacks or reads differently (<-> <=> <#> || ~ ^ ...),
//     casts, array constructs, subscripts, and most function calls become
//     calls of vecgres_* marker functions that convert_expr.go decodes;
//   - $N becomes ?, remembered by position (paramAt);
//   - clauses TiDB lacks (functions in FROM, column alias lists, NULLS
//     FIRST, DISTINCT ON, LIMIT ALL, OFFSET..ROWS, FETCH FIRST, standalone
//     VALUES) are reshaped or recorded on the side.
//
// Operator precedence follows PostgreSQL (gram.y): :: and [] bind
// tightest, then unary minus, COLLATE, AT TIME ZONE, ^, * / %, + -, then
// all other operators (pgvector's among them), then comparisons. The
// rewriter parses exactly down to the "other operator" level, so every
// operand of a marker is complete, and leaves comparisons, boolean logic,
// IN/BETWEEN/LIKE/IS and statement structure to TiDB, whose precedence
// for those agrees with PostgreSQL's.
//
// On error the rewriter records the first error and jumps to the end of
// the tokens, so every loop terminates; callers check r.err.
type rewriter struct {
	sc   *stmtCtx
	toks []token
	i    int
	err  error

	paramAt    map[int]int // statement offset of a ? → N of its $N
	funcTables map[string]*funcTableInfo
	colAliases map[string][]string // alias → column aliases of FROM x AS alias(a, b)
	defaultVal bool                // INSERT ... DEFAULT VALUES
	overriding string              // INSERT ... OVERRIDING SYSTEM|USER VALUE: "system", "user"
	tablePos   map[string][]int    // table name → offsets of its mentions, in text order
}

// noteTable remembers where a table name was written: TiDB keeps no
// offsets for table names, so the converter takes them from here.
func (r *rewriter) noteTable(name string, pos int) {
	if r.tablePos == nil {
		r.tablePos = map[string][]int{}
	}
	r.tablePos[name] = append(r.tablePos[name], pos)
}

// funcTableInfo is a function in FROM, replaced in the TiDB text by a
// placeholder table name.
type funcTableInfo struct {
	call       frag
	ordinality bool
	colAliases []string
}

func newRewriter(sc *stmtCtx, toks []token) *rewriter {
	return &rewriter{sc: sc, toks: toks, paramAt: map[int]int{}}
}

func (r *rewriter) cur() token { return r.peekAt(0) }

func (r *rewriter) peekAt(k int) token {
	if r.i+k < len(r.toks) {
		return r.toks[r.i+k]
	}
	return token{kind: tokEOF, pos: len(r.sc.sql), end: len(r.sc.sql)}
}

// fail records a syntax error at t (the first error wins) and stops the scan.
func (r *rewriter) fail(t token) {
	if r.err == nil {
		r.err = r.sc.syntaxErr(t)
	}
	r.i = len(r.toks)
}

// failCode records an error with another code at statement offset pos.
func (r *rewriter) failCode(code pgerr.Code, pos int, msg string) {
	if r.err == nil {
		r.err = r.sc.errAt(code, pos, msg)
	}
	r.i = len(r.toks)
}

// expectOp consumes the punctuation op or fails.
func (r *rewriter) expectOp(op string) bool {
	if !r.cur().isOp(op) {
		r.fail(r.cur())
		return false
	}
	r.i++
	return true
}

// kw emits the current token as a lower-case keyword and advances.
func (r *rewriter) kw(f *frag) {
	t := r.cur()
	f.space()
	f.at(t.val, t.pos)
	r.i++
}

// structural are words that are never taken as a name where an operand
// could start: PostgreSQL's reserved words plus the words TiDB needs raw.
var structural = wordSet(`all analyse analyze and any as asc asymmetric both check
collate column constraint create current_catalog current_role deferrable desc distinct do else end
except fetch for foreign from grant group having in initially intersect into lateral leading limit
offset on only or order placing primary references returning select some symmetric table then to
trailing union unique using variadic when where window with is isnull notnull join left right inner
outer full cross natural like ilike similar escape by set values default not between over rows
partition nulls ordinality recursive insert update delete`)

// primaryWords are keywords that start an operand.
var primaryWords = wordSet(`true false null case cast array exists row current_date current_time
current_timestamp localtime localtimestamp current_user session_user user current_schema`)

// sqlValueFuncs are the keywords PostgreSQL evaluates as functions without parentheses.
var sqlValueFuncs = wordSet(`current_date current_time current_timestamp localtime localtimestamp
current_user session_user user current_role current_catalog current_schema`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// operandStart reports whether the current token can begin an operand.
func (r *rewriter) operandStart() bool {
	t := r.cur()
	switch t.kind {
	case tokNumber, tokString, tokBitStr, tokParam, tokQIdent:
		return true
	case tokOp:
		return t.val == "(" || t.val == "-" || t.val == "+" || t.val == "~" || t.val == "@"
	case tokIdent:
		if primaryWords[t.val] {
			return true
		}
		if (t.val == "left" || t.val == "right") && r.peekAt(1).isOp("(") {
			return true
		}
		return !structural[t.val]
	}
	return false
}

// comparisonOps are the operators TiDB parses with PostgreSQL's meaning and precedence.
var comparisonOps = wordSet(`= < > <= >= <>`)

// arithOps are emitted as written: TiDB gives them PostgreSQL's precedence.
var arithOps = wordSet(`+ - * / %`)

// isOtherOp reports whether the current token is a binary operator of
// PostgreSQL's "any other operator" precedence level.
func (r *rewriter) isOtherOp() bool {
	t := r.cur()
	if t.is("operator") && r.peekAt(1).isOp("(") {
		return true
	}
	if t.kind != tokOp {
		return false
	}
	switch t.val {
	case "+", "-", "*", "/", "%", "^", "=", "<", ">", "<=", ">=", "<>", "(", ")", "[", "]",
		",", ".", "::", ":", ";", ":=", "=>":
		return false
	}
	return true
}

// takeOp consumes an operator, unwrapping OPERATOR(schema.op).
func (r *rewriter) takeOp() (op string, pos int) {
	t := r.cur()
	r.i++
	if t.kind == tokOp {
		return t.val, t.pos
	}
	r.i++ // (
	if r.cur().isName() && r.peekAt(1).isOp(".") {
		r.i += 2
	}
	op = r.cur().val
	if r.cur().kind != tokOp || !r.peekAt(1).isOp(")") {
		r.fail(r.cur())
		return "", t.pos
	}
	r.i += 2
	return op, t.pos
}

// call builds name(args...) as a marker call starting at statement offset pos.
func call(name string, pos int, args ...frag) frag {
	var f frag
	f.at(name, pos)
	f.raw("(")
	for i, a := range args {
		if i > 0 {
			f.raw(", ")
		}
		f.add(a)
	}
	f.raw(")")
	return f
}

// startOf is the statement offset where fragment f begins (def if unknown);
// a marker wrapping f starts there, so TiDB's offsets of enclosing nodes
// point at the start of the enclosing expression as PostgreSQL's do.
func startOf(f frag, def int) int {
	if len(f.m) > 0 && f.m[0].out == 0 {
		return f.m[0].orig
	}
	return def
}

// lit is a fragment of plain text (a marker argument).
func lit(s string) frag { return frag{b: []byte(s)} }

// other parses an operand down to PostgreSQL's "other operator" level.
func (r *rewriter) other() frag {
	left := r.arith()
	for r.err == nil && r.isOtherOp() {
		op, pos := r.takeOp()
		right := r.arith()
		left = call(mkOp, startOf(left, pos), lit(quoteString(op)), lit(itoa(pos)), left, right)
	}
	return left
}

// arith parses + - * / % chains, emitted as written.
func (r *rewriter) arith() frag {
	f := r.expo()
	for r.err == nil && r.cur().kind == tokOp && arithOps[r.cur().val] {
		t := r.cur()
		r.i++
		f.raw(" ")
		f.at(t.val, t.pos)
		f.raw(" ")
		f.add(r.expo())
	}
	return f
}

// expo parses ^ (exponentiation in PostgreSQL, XOR in MySQL).
func (r *rewriter) expo() frag {
	f := r.unary()
	for r.err == nil && r.cur().isOp("^") {
		t := r.cur()
		r.i++
		f = call(mkOp, startOf(f, t.pos), lit("'^'"), lit(itoa(t.pos)), f, r.unary())
	}
	return f
}

// unary parses prefix + - ~, then COLLATE and AT TIME ZONE postfixes.
func (r *rewriter) unary() frag {
	var f frag
	t := r.cur()
	if t.kind == tokOp && (t.val == "-" || t.val == "+" || t.val == "~") {
		r.i++
		f.at(t.val, t.pos)
		f.add(r.unary())
		return f
	}
	if t.isOp("@") {
		r.i++
		return call(mkFn, t.pos, lit("''"), lit("'abs'"), lit("''"), lit(itoa(t.pos)), r.unary())
	}
	f = r.postfix()
	for r.err == nil {
		switch {
		case r.cur().is("collate"):
			c := r.cur()
			r.i++
			var name []string
			for r.cur().isName() {
				name = append(name, r.cur().val)
				r.i++
				if !r.cur().isOp(".") {
					break
				}
				r.i++
			}
			if len(name) == 0 {
				r.fail(r.cur())
				return f
			}
			f = call(mkCollate, c.pos, lit(itoa(c.pos)), f, lit(quoteString(strings.Join(name, "."))))
		case r.cur().is("at") && r.peekAt(1).is("time") && r.peekAt(2).is("zone"):
			a := r.cur()
			r.i += 3
			zone := r.postfix()
			f = call(mkFn, a.pos, lit("''"), lit("'timezone'"), lit("''"), lit(itoa(a.pos)), zone, f)
		default:
			return f
		}
	}
	return f
}

// postfix parses a primary followed by ::type, [subscript] and .field.
func (r *rewriter) postfix() frag {
	paren := r.cur().isOp("(")
	f := r.primary()
	for r.err == nil {
		t := r.cur()
		switch {
		case t.isOp("::"):
			r.i++
			tn, next, ok := parseTypeName(r.toks, r.i)
			if !ok {
				r.fail(r.cur())
				return f
			}
			r.i = next
			f = call(mkCast, startOf(f, t.pos), f, lit(quoteString(encodeType(tn))), lit(itoa(t.pos)))
		case t.isOp("["):
			f = r.subscript(f)
		case t.isOp(".") && paren && r.peekAt(1).isName():
			r.i++
			name := r.cur()
			r.i++
			f = call(mkField, t.pos, lit(itoa(t.pos)), f, lit(quoteString(name.val)))
		default:
			return f
		}
	}
	return f
}

// subscript parses [i] or [lo:hi] after x.
func (r *rewriter) subscript(x frag) frag {
	open := r.cur()
	r.i++
	bound := func() frag {
		if r.cur().isOp(":") || r.cur().isOp("]") {
			return call(mkNone, open.pos)
		}
		return r.seq(func(t token) bool { return t.isOp(":") })
	}
	lo := bound()
	if r.cur().isOp(":") {
		r.i++
		hi := bound()
		r.expectOp("]")
		return call(mkSlice, open.pos, lit(itoa(open.pos)), x, lo, hi)
	}
	r.expectOp("]")
	return call(mkSub, open.pos, lit(itoa(open.pos)), x, lo)
}

// primary parses one primary expression.
func (r *rewriter) primary() frag {
	var f frag
	t := r.cur()
	switch t.kind {
	case tokNumber:
		r.i++
		if strings.ContainsAny(t.val, "eE") {
			return call(mkNum, t.pos, lit(quoteString(t.val)), lit(itoa(t.pos)))
		}
		f.at(t.val, t.pos)
		return f
	case tokString:
		r.i++
		f.at(quoteString(t.val), t.pos)
		return f
	case tokBitStr:
		// B'0101' and X'1F' are constants of type bit without a modifier.
		r.i++
		return call(mkCast, t.pos, lit(quoteString(t.val)), lit(quoteString(encodeType(tree.TypeName{Name: "bit"}))), lit(itoa(t.pos)))
	case tokParam:
		r.i++
		r.paramAt[t.pos] = t.num
		f.at("?", t.pos)
		return f
	case tokOp:
		if t.val == "(" {
			return r.group()
		}
		r.fail(t)
		return f
	case tokQIdent:
		return r.nameOrCall()
	case tokIdent:
		return r.keywordPrimary()
	}
	r.fail(t)
	return f
}

// group parses ( ... ): a parenthesised expression, row or subquery.
func (r *rewriter) group() frag {
	var f frag
	open := r.cur()
	r.i++
	f.at("(", open.pos)
	f.add(r.seq(nil))
	if r.expectOp(")") {
		f.raw(")")
	}
	return f
}

// keywordPrimary handles unquoted words at the start of an operand.
func (r *rewriter) keywordPrimary() frag {
	var f frag
	t := r.cur()
	next := r.peekAt(1)
	switch t.val {
	case "null":
		r.i++
		f.at(t.val, t.pos)
		return f
	case "true", "false":
		// NB: TiDB turns TRUE into the integer 1; a marker keeps it boolean.
		r.i++
		return call(mkBool, t.pos, lit(quoteString(t.val)), lit(itoa(t.pos)))
	case "case":
		return r.caseExpr()
	case "cast":
		if next.isOp("(") {
			return r.castExpr()
		}
	case "array":
		if next.isOp("[") {
			r.i++
			return r.arrayLit(t.pos)
		}
		if next.isOp("(") {
			r.i++
			return call(mkArraySub, t.pos, lit(itoa(t.pos)), r.group())
		}
	case "exists":
		if next.isOp("(") {
			r.i++
			f.at("exists ", t.pos)
			f.add(r.group())
			return f
		}
	case "row":
		if next.isOp("(") {
			// NB: TiDB's ROW(...) needs two or more values; PostgreSQL's
			// takes any number, so ROW goes through the mkRow marker.
			r.i += 2
			args := []frag{lit(itoa(t.pos))}
			for r.err == nil && !r.cur().isOp(")") {
				args = append(args, r.seq(func(t token) bool { return t.isOp(",") }))
				if r.cur().isOp(",") {
					r.i++
					continue
				}
				if !r.cur().isOp(")") {
					r.fail(r.cur())
				}
			}
			r.expectOp(")")
			return call(mkRow, t.pos, args...)
		}
	}
	if sqlValueFuncs[t.val] && !next.isOp("(") {
		r.i++
		return call(mkFn, t.pos, lit("''"), lit(quoteString(t.val)), lit("''"), lit(itoa(t.pos)))
	}
	if next.kind == tokString && (isTypeStart(t.val) || !structural[t.val]) {
		// typename 'literal'
		tn, j, ok := parseTypeName(r.toks, r.i)
		if ok && j < len(r.toks) && r.toks[j].kind == tokString {
			r.i = j
			s := r.primary()
			return call(mkCast, t.pos, s, lit(quoteString(encodeType(tn))), lit(itoa(t.pos)))
		}
	}
	if isTypeStart(t.val) && !next.isOp("(") && !next.isOp(".") {
		// Multi-word type literal: double precision '1', timestamp with time zone '...'.
		if tn, j, ok := parseTypeName(r.toks, r.i); ok && j > r.i+1 && j < len(r.toks) && r.toks[j].kind == tokString {
			r.i = j
			s := r.primary()
			return call(mkCast, t.pos, s, lit(quoteString(encodeType(tn))), lit(itoa(t.pos)))
		}
	}
	if structural[t.val] && !((t.val == "left" || t.val == "right") && next.isOp("(")) {
		r.fail(t)
		return f
	}
	return r.nameOrCall()
}

// nameOrCall parses a (qualified) name, t.*, or a function call.
func (r *rewriter) nameOrCall() frag {
	var f frag
	first := r.cur()
	names := []token{first}
	r.i++
	star := false
	for r.cur().isOp(".") {
		n := r.peekAt(1)
		if n.isOp("*") {
			r.i += 2
			star = true
			break
		}
		if !n.isName() {
			break
		}
		names = append(names, n)
		r.i += 2
	}
	if !star && r.cur().isOp("(") && len(names) <= 2 {
		schema := ""
		if len(names) == 2 {
			schema = names[0].val
		}
		return r.funcCall(schema, names[len(names)-1], false)
	}
	for i, n := range names {
		if i > 0 {
			f.raw(".")
		}
		f.at(quoteIdent(n.val), n.pos)
	}
	if star {
		f.raw(".*")
	}
	return f
}

// caseExpr parses CASE [x] WHEN .. THEN .. [ELSE ..] END.
func (r *rewriter) caseExpr() frag {
	var f frag
	t := r.cur()
	r.i++
	f.at("case", t.pos)
	stop := func(t token) bool { return t.is("when") || t.is("then") || t.is("else") || t.is("end") }
	for r.err == nil {
		f.raw(" ")
		f.add(r.seq(stop))
		c := r.cur()
		if !stop(c) {
			r.fail(c)
			return f
		}
		f.raw(" ")
		f.at(c.val, c.pos)
		r.i++
		if c.val == "end" {
			return f
		}
	}
	return f
}

// castExpr parses CAST(x AS type).
func (r *rewriter) castExpr() frag {
	t := r.cur()
	r.i += 2
	x := r.seq(func(t token) bool { return t.is("as") })
	if !r.cur().is("as") {
		r.fail(r.cur())
		return x
	}
	r.i++
	tn, next, ok := parseTypeName(r.toks, r.i)
	if !ok {
		r.fail(r.cur())
		return x
	}
	r.i = next
	r.expectOp(")")
	return call(mkCast, t.pos, x, lit(quoteString(encodeType(tn))), lit(itoa(t.pos)))
}

// arrayLit parses [a, b, ...] after ARRAY; nested brackets are sub-arrays.
func (r *rewriter) arrayLit(pos int) frag {
	r.i++ // [
	args := []frag{lit(itoa(pos))}
	for r.err == nil && !r.cur().isOp("]") {
		if r.cur().isOp("[") {
			args = append(args, r.arrayLit(r.cur().pos))
		} else {
			args = append(args, r.seq(func(t token) bool { return t.isOp(",") }))
		}
		if r.cur().isOp(",") {
			r.i++
			continue
		}
		if !r.cur().isOp("]") {
			r.fail(r.cur())
		}
	}
	r.expectOp("]")
	return call(mkArray, pos, args...)
}
