package sql

import (
	"sort"
	"strconv"
	"strings"
)

// frag is a piece of rewritten (TiDB-dialect) SQL text together with the
// marks that map offsets in it back to the statement text. Fragments are
// values: building one never changes another, so the rewriter can build an
// operand first and wrap it in a marker call afterwards.
type frag struct {
	b []byte
	m []posMark
}

// posMark says that rewritten text from offset out on came from the
// statement text at byte offset orig.
type posMark struct{ out, orig int }

// raw appends text without a position mark (it inherits the previous one).
func (f *frag) raw(s string) { f.b = append(f.b, s...) }

// at appends text that starts at statement offset orig.
func (f *frag) at(s string, orig int) {
	f.m = append(f.m, posMark{out: len(f.b), orig: orig})
	f.b = append(f.b, s...)
}

// space appends a separating blank unless the text is empty or already ends in one.
func (f *frag) space() {
	if n := len(f.b); n > 0 && f.b[n-1] != ' ' && f.b[n-1] != '(' {
		f.b = append(f.b, ' ')
	}
}

// add appends another fragment, shifting its marks.
func (f *frag) add(g frag) {
	base := len(f.b)
	for _, m := range g.m {
		f.m = append(f.m, posMark{out: base + m.out, orig: m.orig})
	}
	f.b = append(f.b, g.b...)
}

// cut removes and returns the tail of f from output offset from on.
func (f *frag) cut(from int) frag {
	var g frag
	g.b = append(g.b, f.b[from:]...)
	k := sort.Search(len(f.m), func(i int) bool { return f.m[i].out >= from })
	for _, m := range f.m[k:] {
		g.m = append(g.m, posMark{out: m.out - from, orig: m.orig})
	}
	f.b = f.b[:from]
	f.m = f.m[:k]
	return g
}

// orig maps an offset in the rewritten text back to the statement text;
// -1 when nothing maps there.
func (f *frag) orig(out int) int {
	k := sort.Search(len(f.m), func(i int) bool { return f.m[i].out > out })
	if k == 0 {
		return -1
	}
	return f.m[k-1].orig
}

// quoteIdent renders a name as an ANSI-quoted identifier, so TiDB takes it
// as a name whatever MySQL keyword it may spell.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteString renders a string literal for TiDB with NO_BACKSLASH_ESCAPES.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Marker functions: calls with these names in rewritten text stand for
// Postgres constructs TiDB lacks; convert_expr.go decodes them. The
// rewriter refuses user function names with the vecgres_ prefix so that a
// query cannot forge one.
const (
	markerPrefix      = "vecgres_"
	mkOp              = "vecgres_op"               // (op, pos, left, right): binary operator
	mkCast            = "vecgres_cast"             // (expr, 'type', pos)
	mkFn              = "vecgres_fn"               // ('schema', 'name', 'flags', pos, args...)
	mkStar            = "vecgres_star"             // () as the argument of f(*)
	mkOrderArg        = "vecgres_orderby"          // (expr, 'asc'|'desc', 'first'|'last'|'') inside mkFn
	mkFilterArg       = "vecgres_filter"           // (cond) inside mkFn
	mkArray           = "vecgres_array"            // (pos, elems...): ARRAY[...]
	mkArraySub        = "vecgres_arraysub"         // (pos, (subquery)): ARRAY(SELECT ...)
	mkSub             = "vecgres_sub"              // (pos, x, i): x[i]
	mkSlice           = "vecgres_slice"            // (pos, x, lo, hi): x[lo:hi]; bounds may be mkNone
	mkNone            = "vecgres_none"             // (): an omitted slice bound
	mkRow             = "vecgres_row"              // (pos, values...): ROW(...)
	mkFullJoin        = "vecgres_fulljoin"         // (cond): the ON condition of a FULL JOIN emitted as LEFT JOIN
	mkFullJoinUsing   = "vecgres_fulljoin_using"   // ('col', ...): FULL JOIN ... USING (col, ...)
	mkFullJoinNatural = "vecgres_fulljoin_natural" // (): NATURAL FULL JOIN
	mkField           = "vecgres_field"            // (pos, x, 'field'): (x).field
	mkCollate         = "vecgres_collate"          // (pos, x, 'collation')
	mkQuant           = "vecgres_quant"            // ('op', 'any'|'all', pos, left, right)
	mkDistinct        = "vecgres_isdistinct"
	mkNum             = "vecgres_num"         // ('1e10', pos): numeric literal TiDB would turn into a float
	mkBool            = "vecgres_bool"        // ('true'|'false', pos)
	mkNulls           = "vecgres_nulls"       // (expr, 'first'|'last'): ORDER BY item with NULLS
	mkDistinctOn      = "vecgres_distinct_on" // (exprs...): first select field for DISTINCT ON
	mkValuesRow       = "vecgres_values"      // (): first select field of a rewritten VALUES row
	funcTablePrefx    = "vecgres_ft_"         // placeholder table name for a function in FROM
	noLimit           = "18446744073709551615"
)

// itoa is strconv.Itoa, short for the many marker arguments.
func itoa(i int) string { return strconv.Itoa(i) }
