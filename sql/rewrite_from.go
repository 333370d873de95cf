package sql

// joinWords start a join in a FROM list.
var joinWords = wordSet(`join inner left right full cross natural`)

// fromEnd are the words that end an ON condition or a FROM item.
var fromEnd = wordSet(`where group having window order limit offset fetch for union intersect
except returning join inner left right full cross natural on using set`)

// isJoinStart reports whether the current token starts a join (and not
// a left(...) / right(...) call).
func (r *rewriter) isJoinStart() bool {
	t := r.cur()
	return t.kind == tokIdent && joinWords[t.val] && !r.peekAt(1).isOp("(")
}

// fromList emits the items of a FROM (or USING) clause with their joins.
func (r *rewriter) fromList(f *frag) {
	for r.err == nil {
		r.fromItem(f)
		r.joins(f)
		if !r.cur().isOp(",") {
			return
		}
		f.at(",", r.cur().pos)
		r.i++
	}
}

// joins emits any JOIN clauses following a FROM item.
//
// NB: TiDB's MySQL grammar has no FULL JOIN: "a FULL JOIN b" would parse as
// table a aliased "full" joined to b, silently an inner join. A FULL
// [OUTER] JOIN is emitted as a LEFT JOIN carrying a marker where its ON
// condition goes: mkFullJoin(cond), mkFullJoinUsing('col', ...) or
// mkFullJoinNatural(); the converter turns it back into a full join.
func (r *rewriter) joins(f *frag) {
	for r.err == nil && r.isJoinStart() {
		var words []token
		full, natural := false, false
		for r.err == nil && r.cur().kind == tokIdent && joinWords[r.cur().val] || r.cur().is("outer") {
			t := r.cur()
			words = append(words, t)
			full = full || t.is("full")
			natural = natural || t.is("natural")
			r.i++
			if t.is("join") {
				break
			}
		}
		fullPos := 0
		for _, t := range words {
			switch {
			case full && t.is("natural"):
			case t.is("full"):
				fullPos = t.pos
				f.space()
				f.at("left", t.pos)
			default:
				f.space()
				f.at(t.val, t.pos)
			}
		}
		r.fromItem(f)
		switch {
		case r.cur().is("on"):
			r.kw(f)
			f.space()
			cond := r.seq(func(t token) bool {
				return t.isOp(",") || (t.kind == tokIdent && fromEnd[t.val] && !r.peekAt(1).isOp("("))
			})
			if full {
				cond = call(mkFullJoin, fullPos, cond)
			}
			f.add(cond)
		case r.cur().is("using") && full:
			r.i++
			names := r.usingNames()
			f.space()
			f.at("on", fullPos)
			f.space()
			f.add(call(mkFullJoinUsing, fullPos, names...))
		case r.cur().is("using"):
			r.kw(f)
			f.space()
			f.add(r.nameList())
		case full && natural:
			f.space()
			f.at("on", fullPos)
			f.space()
			f.add(call(mkFullJoinNatural, fullPos))
		}
	}
}

// usingNames reads USING's "(a, b)" and returns the names as quoted
// string literals.
func (r *rewriter) usingNames() []frag {
	if !r.cur().isOp("(") {
		r.fail(r.cur())
		return nil
	}
	r.i++
	var out []frag
	for r.err == nil {
		t := r.cur()
		if t.kind != tokIdent && t.kind != tokQIdent {
			r.fail(t)
			return nil
		}
		out = append(out, lit(quoteString(t.val)))
		r.i++
		if r.cur().isOp(",") {
			r.i++
			continue
		}
		if !r.cur().isOp(")") {
			r.fail(r.cur())
			return nil
		}
		r.i++
		break
	}
	return out
}

// fromItem emits one FROM item: a table, a subquery, a parenthesised
// join, or a function call (replaced by a placeholder table, see
// funcTableInfo), with its alias. Column alias lists are recorded in
// r.colAliases (or the function table) because TiDB lacks them.
func (r *rewriter) fromItem(f *frag) {
	for r.cur().is("lateral") || r.cur().is("only") {
		r.i++
	}
	t := r.cur()
	var ft *funcTableInfo
	f.space()
	switch {
	case t.isOp("("):
		n := r.peekAt(1)
		if n.is("select") || n.is("with") || n.is("values") || n.isOp("(") && !r.parenJoin() {
			f.add(r.group())
		} else {
			r.i++
			f.at("(", t.pos)
			r.fromList(f)
			r.expectOp(")")
			f.raw(")")
		}
	case t.isName():
		names := []token{t}
		r.i++
		for r.cur().isOp(".") && r.peekAt(1).isName() {
			names = append(names, r.peekAt(1))
			r.i += 2
		}
		if r.cur().isOp("(") && len(names) <= 2 {
			schema := ""
			if len(names) == 2 {
				schema = names[0].val
			}
			call := r.funcCall(schema, names[len(names)-1], true)
			if r.funcTables == nil {
				r.funcTables = map[string]*funcTableInfo{}
			}
			ph := funcTablePrefx + itoa(len(r.funcTables))
			ft = &funcTableInfo{call: call}
			r.funcTables[ph] = ft
			f.at(quoteIdent(ph), t.pos)
			if r.cur().is("with") && r.peekAt(1).is("ordinality") {
				ft.ordinality = true
				r.i += 2
			}
		} else {
			r.noteTable(names[len(names)-1].val, t.pos)
			for i, n := range names {
				if i > 0 {
					f.raw(".")
				}
				f.at(quoteIdent(n.val), n.pos)
			}
		}
	default:
		r.fail(t)
		return
	}
	r.alias(f, ft)
}

// parenJoin reports whether the '(' at the current token opens a
// parenthesised join rather than a subquery: it looks for a join keyword
// at the first nesting level.
func (r *rewriter) parenJoin() bool {
	depth := 0
	for k := r.i; k < len(r.toks); k++ {
		t := r.toks[k]
		switch {
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			depth--
			if depth == 0 {
				return false
			}
		case depth == 1 && (t.is("select") || t.is("values")):
			return false
		case depth == 1 && t.is("join"):
			return true
		}
	}
	return false
}

// alias emits [AS] alias and records a column alias list.
func (r *rewriter) alias(f *frag, ft *funcTableInfo) {
	t := r.cur()
	hasAs := t.is("as")
	if hasAs {
		r.i++
		t = r.cur()
	}
	if !(t.kind == tokQIdent || (t.kind == tokIdent && (hasAs || !fromEnd[t.val] && !structural[t.val]))) {
		if hasAs {
			r.fail(t)
		}
		return
	}
	r.i++
	f.raw(" as ")
	f.at(quoteIdent(t.val), t.pos)
	if r.cur().isOp("(") {
		cols, _ := r.names()
		if ft != nil {
			ft.colAliases = cols
			return
		}
		if r.colAliases == nil {
			r.colAliases = map[string][]string{}
		}
		r.colAliases[t.val] = cols
	}
}
