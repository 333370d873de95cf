package sql

import "github.com/vecgres/vecgres/sql/pgerr"

// frameWords are the words of a window frame clause.
var frameWords = wordSet(`rows range groups between and unbounded preceding following current row`)

// windowOnlyNames are the functions that exist only as window functions:
// without OVER they go through the function marker so the binder reports
// PostgreSQL's "requires an OVER clause".
var windowOnlyNames = wordSet(`row_number rank dense_rank percent_rank cume_dist ntile lag lead
first_value last_value nth_value`)

// windowGroup parses the parenthesised window of OVER (...). A frame
// clause (ROWS|RANGE|GROUPS ...) is passed to TiDB word by word, because
// its BETWEEN ... AND is not an expression; offsets must be unsigned
// integer literals.
func (r *rewriter) windowGroup() frag {
	var f frag
	open := r.cur()
	r.i++
	f.at("(", open.pos)
	f.add(r.seq(func(t token) bool { return t.is("rows") || t.is("range") || t.is("groups") }))
	for r.err == nil && !r.cur().isOp(")") && r.cur().kind != tokEOF {
		t := r.cur()
		if !(t.kind == tokIdent && frameWords[t.val]) && t.kind != tokNumber {
			r.failCode(pgerr.FeatureNotSupported, t.pos, "window frame offsets other than unsigned integer constants are not supported")
			return frag{}
		}
		f.raw(" ")
		f.at(t.val, t.pos)
		r.i++
	}
	if r.expectOp(")") {
		f.raw(")")
	}
	return f
}
