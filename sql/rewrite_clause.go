package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// nativeFuncs are the aggregate and window functions emitted as TiDB calls
// (TiDB only allows OVER after names it knows). Every other function goes
// through the vecgres_fn marker, so MySQL's special function grammar
// (LEFT, CHAR ... USING, POSITION ... IN, TRIM, DATE, ...) never applies.
var nativeFuncs = wordSet(`count sum avg min max row_number rank dense_rank percent_rank cume_dist
ntile lag lead first_value last_value nth_value bit_and bit_or bit_xor stddev stddev_pop
stddev_samp variance var_pop var_samp`)

// nativeDistinct are the native functions TiDB accepts DISTINCT in.
var nativeDistinct = wordSet(`count sum avg min max`)

// funcCall parses name( args ) [FILTER (WHERE ..)] [OVER ...]; the
// current token is '('. Special SQL syntax (TRIM, EXTRACT, POSITION,
// SUBSTRING) is turned into PostgreSQL's underlying functions.
func (r *rewriter) funcCall(schema string, name token, forceMarker bool) frag {
	fn := name.val
	if strings.HasPrefix(fn, markerPrefix) || strings.HasPrefix(schema, markerPrefix) {
		r.failCode(pgerr.UndefinedFunction, name.pos, "function "+fn+" does not exist")
		return frag{}
	}
	r.i++ // (
	if schema == "" && name.kind == tokIdent {
		switch fn {
		case "trim", "extract", "position", "substring", "overlay":
			return r.specialFunc(name)
		}
	}
	var args []frag
	distinct := false
	ordered := false
	if r.cur().isOp("*") && r.peekAt(1).isOp(")") {
		args = append(args, call(mkStar, r.cur().pos))
		r.i++
	} else {
		if r.cur().is("distinct") {
			distinct = true
			r.i++
		} else if r.cur().is("all") {
			r.i++
		}
		for r.err == nil && !r.cur().isOp(")") {
			if r.cur().is("order") && r.peekAt(1).is("by") {
				r.i += 2
				args = append(args, r.orderItems(true)...)
				ordered = true
				break
			}
			args = append(args, r.seq(func(t token) bool {
				return t.isOp(",") || (t.is("order") && r.peekAt(1).is("by"))
			}))
			if r.cur().is("order") && r.peekAt(1).is("by") {
				continue
			}
			if !r.cur().isOp(",") {
				break
			}
			r.i++
		}
	}
	if !r.expectOp(")") {
		return frag{}
	}
	if r.cur().is("within") && r.peekAt(1).is("group") {
		r.failCode(pgerr.FeatureNotSupported, r.cur().pos, "WITHIN GROUP is not supported")
		return frag{}
	}
	filtered := false
	if r.cur().is("filter") && r.peekAt(1).isOp("(") {
		r.i += 2
		if !r.cur().is("where") {
			r.fail(r.cur())
			return frag{}
		}
		w := r.cur()
		r.i++
		args = append(args, call(mkFilterArg, w.pos, r.seq(nil)))
		r.expectOp(")")
		filtered = true
	}
	var over frag
	hasOver := false
	if r.cur().is("over") {
		hasOver = true
		o := r.cur()
		r.i++
		over.raw(" ")
		over.at("over ", o.pos)
		if r.cur().isOp("(") {
			over.add(r.windowGroup())
		} else if r.cur().isName() {
			over.at(quoteIdent(r.cur().val), r.cur().pos)
			r.i++
		} else {
			r.fail(r.cur())
		}
	}
	native := !forceMarker && schema == "" && nativeFuncs[fn] && !ordered && !filtered &&
		(!distinct || nativeDistinct[fn]) && (hasOver || !windowOnlyNames[fn])
	if native {
		var f frag
		f.at(fn, name.pos)
		f.raw("(")
		if distinct {
			f.raw("distinct ")
		}
		for i, a := range args {
			if i > 0 {
				f.raw(", ")
			}
			f.add(a)
		}
		f.raw(")")
		f.add(over)
		return f
	}
	flags := ""
	if distinct {
		flags = "d"
	}
	if hasOver {
		// NB: the binder knows whether fn exists and what it is, so it
		// gives the error (42883, 42809 or 0A000); the OVER clause is dropped.
		flags += "w"
	}
	all := append([]frag{lit(quoteString(schema)), lit(quoteString(fn)), lit(quoteString(flags)), lit(itoa(name.pos))}, args...)
	return call(mkFn, name.pos, all...)
}

// specialFunc parses the SQL-standard argument syntax of TRIM, EXTRACT,
// POSITION, SUBSTRING and OVERLAY, producing PostgreSQL's equivalents:
// btrim/ltrim/rtrim(str, chars), extract('field', x), strpos(str, sub),
// substring(str, from, for), overlay(str, new, from, for).
func (r *rewriter) specialFunc(name token) frag {
	stopKw := func(kws ...string) func(token) bool {
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
	fn := name.val
	var args []frag
	switch fn {
	case "trim":
		fn = "btrim"
		switch {
		case r.cur().is("both"):
			r.i++
		case r.cur().is("leading"):
			fn = "ltrim"
			r.i++
		case r.cur().is("trailing"):
			fn = "rtrim"
			r.i++
		}
		var chars frag
		hasChars := false
		if !r.cur().is("from") {
			chars = r.seq(stopKw("from"))
			hasChars = true
		}
		if r.cur().is("from") {
			r.i++
			args = append(args, r.seq(stopKw()))
			if hasChars {
				args = append(args, chars)
			}
		} else {
			args = append(args, chars)
			for r.cur().isOp(",") {
				r.i++
				args = append(args, r.seq(stopKw()))
			}
		}
	case "extract":
		f := r.cur()
		if !f.isName() && f.kind != tokString {
			r.fail(f)
			return frag{}
		}
		r.i++
		if !r.cur().is("from") {
			r.fail(r.cur())
			return frag{}
		}
		r.i++
		args = append(args, lit(quoteString(strings.ToLower(f.val))), r.seq(stopKw()))
	case "position":
		sub := r.seq(stopKw("in"))
		if !r.cur().is("in") {
			r.fail(r.cur())
			return frag{}
		}
		r.i++
		fn = "strpos"
		args = append(args, r.seq(stopKw()), sub)
	default: // substring, overlay
		args = append(args, r.seq(stopKw("from", "for", "placing")))
		var from, forr frag
		hasFrom, hasFor := false, false
		for r.err == nil && !r.cur().isOp(")") {
			t := r.cur()
			r.i++
			v := r.seq(stopKw("from", "for", "placing"))
			switch {
			case t.isOp(","):
				args = append(args, v)
			case t.is("placing"):
				args = append(args, v)
			case t.is("from"):
				from, hasFrom = v, true
			case t.is("for"):
				forr, hasFor = v, true
			default:
				r.fail(t)
			}
		}
		if hasFrom || hasFor {
			if !hasFrom {
				from = lit("1")
			}
			args = append(args, from)
			if hasFor {
				args = append(args, forr)
			}
		}
	}
	r.expectOp(")")
	all := append([]frag{lit("''"), lit(quoteString(fn)), lit("''"), lit(itoa(name.pos))}, args...)
	return call(mkFn, name.pos, all...)
}

// clauseEnd are the words that end an expression inside a query level.
var clauseEnd = wordSet(`from where group having window order limit offset fetch for union
intersect except returning into join inner cross full natural on using asc desc nulls rows
range groups then when else end as`)

// seq emits the tokens of one nesting level until stop says so, a closing
// bracket, or the end. It handles operands (via other), clause keywords
// and the constructs that need reshaping.
func (r *rewriter) seq(stop func(token) bool) frag {
	var f frag
	for r.err == nil {
		t := r.cur()
		if t.kind == tokEOF || t.isOp(")") || t.isOp("]") || (stop != nil && stop(t)) {
			return f
		}
		if r.operandStart() {
			start := len(f.b)
			f.space()
			f.add(r.other())
			r.operandTail(&f, start)
			continue
		}
		if t.kind == tokIdent {
			r.keywordClause(&f)
			continue
		}
		// Punctuation and comparison operators pass through.
		if t.isOp(";") || t.isOp("::") || t.isOp("[") {
			r.fail(t)
			return f
		}
		r.i++
		if t.isOp(",") {
			f.at(",", t.pos)
			continue
		}
		f.space()
		f.at(t.val, t.pos)
	}
	return f
}

// operandTail handles what may follow a complete operand and must wrap it:
// IS [NOT] DISTINCT FROM and op ANY/SOME/ALL (array).
func (r *rewriter) operandTail(f *frag, start int) {
	for r.err == nil {
		t := r.cur()
		if t.is("is") {
			k := 1
			not := r.peekAt(1).is("not")
			if not {
				k = 2
			}
			if !r.peekAt(k).is("distinct") || !r.peekAt(k+1).is("from") {
				return
			}
			r.i += k + 2
			left := f.cut(start)
			right := r.other()
			n := "0"
			if not {
				n = "1"
			}
			f.add(call(mkDistinct, startOf(left, t.pos), lit(n), lit(itoa(t.pos)), left, right))
			continue
		}
		if t.kind == tokOp && comparisonOps[t.val] {
			q := r.peekAt(1)
			if (q.is("any") || q.is("some") || q.is("all")) && r.peekAt(2).isOp("(") {
				inner := r.peekAt(3)
				if inner.is("select") || inner.is("with") || inner.is("values") {
					return
				}
				r.i += 2
				left := f.cut(start)
				right := r.group()
				kind := "any"
				if q.is("all") {
					kind = "all"
				}
				f.space()
				f.add(call(mkQuant, startOf(left, t.pos), lit(quoteString(t.val)), lit(quoteString(kind)), lit(itoa(t.pos)), left, right))
				continue
			}
		}
		return
	}
}

// keywordClause handles a structural word met in seq.
func (r *rewriter) keywordClause(f *frag) {
	t := r.cur()
	next := r.peekAt(1)
	switch {
	case t.is("select"):
		r.kw(f)
		if r.cur().is("all") {
			r.i++
		}
		if r.cur().is("distinct") {
			r.kw(f)
			if r.cur().is("on") && r.peekAt(1).isOp("(") {
				on := r.cur()
				r.i++
				g := r.group()
				f.space()
				f.add(call(mkDistinctOn, on.pos, frag{b: g.b[1 : len(g.b)-1], m: shiftMarks(g.m, -1)}))
				if r.cur().isOp(")") || r.cur().kind == tokEOF || clauseEnd[r.cur().val] {
					return
				}
				f.raw(",")
			}
		}
	case t.is("from"):
		r.kw(f)
		r.fromList(f)
	case t.is("order") && next.is("by"), t.is("group") && next.is("by"), t.is("partition") && next.is("by"):
		r.kw(f)
		r.kw(f)
		if t.val == "order" {
			for i, it := range r.orderItems(false) {
				if i > 0 {
					f.raw(",")
				}
				f.space()
				f.add(it)
			}
		}
	case t.is("limit"), t.is("offset"), t.is("fetch"):
		r.limitClause(f)
	case t.is("for") && (next.is("update") || next.is("share") || next.is("no") || next.is("key")):
		f.space()
		f.at("for update", t.pos)
		r.i++
		for r.cur().kind == tokIdent && !clauseEnd[r.cur().val] || r.cur().isOp(",") {
			r.i++
		}
	case t.is("values"):
		r.valuesQuery(f)
	case t.is("with"):
		r.withClause(f)
	case t.is("as"):
		r.kw(f)
		if r.cur().isName() {
			f.space()
			f.at(quoteIdent(r.cur().val), r.cur().pos)
			r.i++
		}
	case t.is("isnull"), t.is("notnull"):
		r.i++
		f.space()
		if t.val == "isnull" {
			f.at("is null", t.pos)
		} else {
			f.at("is not null", t.pos)
		}
	case t.is("similar"):
		r.failCode(pgerr.FeatureNotSupported, t.pos, "SIMILAR TO is not supported")
	case t.is("lateral"), t.is("only"):
		r.i++
	default:
		r.kw(f)
	}
}

func shiftMarks(m []posMark, d int) []posMark {
	out := make([]posMark, 0, len(m))
	for _, x := range m {
		if x.out+d >= 0 {
			out = append(out, posMark{out: x.out + d, orig: x.orig})
		}
	}
	return out
}

// orderItems parses ORDER BY items (after ORDER BY). Inside an aggregate
// call (inAgg) each item becomes a vecgres_orderby marker argument;
// otherwise NULLS FIRST/LAST wraps the expression in vecgres_nulls.
func (r *rewriter) orderItems(inAgg bool) []frag {
	var items []frag
	for r.err == nil {
		start := r.cur()
		e := r.seq(func(t token) bool {
			return t.isOp(",") || t.is("asc") || t.is("desc") || t.is("nulls") || t.is("using") ||
				(!inAgg && clauseEnd[t.val] && t.kind == tokIdent)
		})
		if len(e.b) == 0 {
			r.fail(start)
			return items
		}
		dir := ""
		switch {
		case r.cur().is("asc"), r.cur().is("desc"):
			dir = r.cur().val
			r.i++
		case r.cur().is("using"):
			r.i++
			op := r.cur()
			switch {
			case op.isOp("<"):
				dir = "asc"
			case op.isOp(">"):
				dir = "desc"
			default:
				r.failCode(pgerr.FeatureNotSupported, op.pos, "ORDER BY USING "+op.val+" is not supported")
				return items
			}
			r.i++
		}
		nulls := ""
		if r.cur().is("nulls") && (r.peekAt(1).is("first") || r.peekAt(1).is("last")) {
			nulls = r.peekAt(1).val
			r.i += 2
		}
		var it frag
		switch {
		case inAgg:
			d := dir
			if d == "" {
				d = "asc"
			}
			it = call(mkOrderArg, start.pos, e, lit(quoteString(d)), lit(quoteString(nulls)))
		case nulls != "":
			it = call(mkNulls, start.pos, e, lit(quoteString(nulls)))
		default:
			it = e
		}
		if !inAgg && dir != "" {
			it.raw(" " + dir)
		}
		items = append(items, it)
		if !r.cur().isOp(",") {
			return items
		}
		r.i++
	}
	return items
}

// limitClause gathers LIMIT / OFFSET [ROWS] / FETCH FIRST n ROWS ONLY in
// any order and emits TiDB's "limit n offset m". LIMIT ALL and LIMIT NULL
// mean no limit; OFFSET alone gets the maximal TiDB limit, which
// convert_select.go turns back into "no limit".
func (r *rewriter) limitClause(f *frag) {
	var lim, off frag
	hasLim, hasOff := false, false
	start := r.cur().pos
	for r.err == nil {
		t := r.cur()
		switch {
		case t.is("limit"):
			r.i++
			if r.cur().is("all") || r.cur().is("null") {
				r.i++
				continue
			}
			lim, hasLim = r.limitValue("LIMIT"), true
		case t.is("offset"):
			r.i++
			off, hasOff = r.limitValue("OFFSET"), true
			if r.cur().is("row") || r.cur().is("rows") {
				r.i++
			}
		case t.is("fetch"):
			r.i++
			if !r.cur().is("first") && !r.cur().is("next") {
				r.fail(r.cur())
				return
			}
			r.i++
			if r.cur().is("row") || r.cur().is("rows") {
				lim, hasLim = lit("1"), true
			} else {
				lim, hasLim = r.limitValue("LIMIT"), true
			}
			if !r.cur().is("row") && !r.cur().is("rows") {
				r.fail(r.cur())
				return
			}
			r.i++
			if r.cur().is("with") && r.peekAt(1).is("ties") {
				r.failCode(pgerr.FeatureNotSupported, r.cur().pos, "FETCH ... WITH TIES is not supported")
				return
			}
			if !r.cur().is("only") {
				r.fail(r.cur())
				return
			}
			r.i++
		default:
			if hasLim || hasOff {
				f.space()
				f.at("limit ", start)
				if hasLim {
					f.add(lim)
				} else {
					f.raw(noLimit)
				}
				if hasOff {
					f.raw(" offset ")
					f.add(off)
				}
			}
			return
		}
	}
}

// limitValue parses a LIMIT/OFFSET count: an integer or a parameter, as
// TiDB only accepts those there. A negative constant gets PostgreSQL's
// error (which PostgreSQL raises at execution, with the same SQLSTATE).
func (r *rewriter) limitValue(clause string) frag {
	var f frag
	t := r.cur()
	paren := t.isOp("(") && r.peekAt(2).isOp(")")
	if paren {
		r.i++
		t = r.cur()
	}
	switch {
	case t.isOp("-") && r.peekAt(1).kind == tokNumber:
		code := pgerr.InvalidRowCountInLimitClause
		if clause == "OFFSET" {
			code = pgerr.InvalidRowCountInResultOffsetClause
		}
		r.failCode(code, t.pos, clause+" must not be negative")
		return f
	case t.kind == tokNumber && !strings.ContainsAny(t.val, ".eE"):
		f.at(t.val, t.pos)
	case t.kind == tokParam:
		r.paramAt[t.pos] = t.num
		f.at("?", t.pos)
	case t.kind == tokEOF:
		r.fail(t)
		return f
	default:
		r.failCode(pgerr.FeatureNotSupported, t.pos, "LIMIT and OFFSET accept only integer constants and parameters")
		return f
	}
	r.i++
	if paren {
		r.i++
	}
	return f
}

// valuesQuery rewrites a standalone VALUES (..), (..) into
// "select vecgres_values(), .. union all select vecgres_values(), ..".
func (r *rewriter) valuesQuery(f *frag) {
	t := r.cur()
	r.i++
	for row := 0; r.err == nil; row++ {
		if !r.cur().isOp("(") {
			r.fail(r.cur())
			return
		}
		p := r.cur()
		r.i++
		f.space()
		if row > 0 {
			f.raw("union all ")
		}
		f.at("select ", p.pos)
		f.add(call(mkValuesRow, t.pos))
		inner := r.seq(nil)
		if len(inner.b) > 0 {
			f.raw(", ")
			f.add(inner)
		}
		r.expectOp(")")
		if !r.cur().isOp(",") {
			return
		}
		r.i++
	}
}

// withClause emits WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query), ...
func (r *rewriter) withClause(f *frag) {
	r.kw(f)
	if r.cur().is("recursive") {
		r.kw(f)
	}
	for r.err == nil {
		n := r.cur()
		if !n.isName() {
			r.fail(n)
			return
		}
		f.space()
		f.at(quoteIdent(n.val), n.pos)
		r.i++
		if r.cur().isOp("(") {
			f.add(r.nameList())
		}
		if !r.cur().is("as") {
			r.fail(r.cur())
			return
		}
		r.kw(f)
		if r.cur().is("not") && r.peekAt(1).is("materialized") {
			r.i += 2
		} else if r.cur().is("materialized") {
			r.i++
		}
		if !r.cur().isOp("(") {
			r.fail(r.cur())
			return
		}
		f.space()
		f.add(r.group())
		if !r.cur().isOp(",") {
			return
		}
		f.raw(",")
		r.i++
	}
}

// nameList emits ( name, ... ) with quoted names.
func (r *rewriter) nameList() frag {
	var f frag
	names, pos := r.names()
	f.raw("(")
	for i, n := range names {
		if i > 0 {
			f.raw(", ")
		}
		f.at(quoteIdent(n), pos[i])
	}
	f.raw(")")
	return f
}

// names parses ( name, ... ) and returns the names and their offsets.
func (r *rewriter) names() ([]string, []int) {
	var names []string
	var pos []int
	if !r.expectOp("(") {
		return nil, nil
	}
	for r.err == nil {
		n := r.cur()
		if !n.isName() {
			r.fail(n)
			return nil, nil
		}
		names = append(names, n.val)
		pos = append(pos, n.pos)
		r.i++
		if r.cur().isOp(",") {
			r.i++
			continue
		}
		r.expectOp(")")
		break
	}
	return names, pos
}
