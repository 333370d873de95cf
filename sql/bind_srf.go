package sql

import (
	"github.com/vecgres/vecgres/sql/tree"
)

// Set-returning functions in the select list (SQLAlchemy's primary-key
// reflection: SELECT unnest(ix.indkey) attnum, generate_subscripts(ix.indkey,
// 1) ord FROM pg_index ix ...) have no operator of their own. The binder
// expands them into a join with a row-number series instead:
//
//	SELECT a, unnest(x) u FROM f WHERE w
//	=>
//	SELECT a, (x)[i] AS u
//	FROM f, generate_series(1, (SELECT coalesce(max(n), 0) FROM f WHERE w)) AS s(i)
//	WHERE w AND i <= n
//
// where n is the number of rows the SRFs produce for one input row (the
// longest of them; shorter ones yield NULL past their end, as PostgreSQL 10+
// runs several select-list SRFs in lockstep). Rows come out per input row in
// SRF order because the series is the inner side of the join.
//
// NB: supported are unnest(array), generate_subscripts(array, dim),
// integer generate_series(start, stop[, step]) and
// information_schema._pg_expandarray(array) (a composite (x, n) per element,
// see bind_record.go), each as a whole select item (optionally under casts
// and field accesses), in a query without aggregation or SELECT *.
// Subscripts are vecgres's: 1-based, int2vector included.

const (
	srfAlias  = "__srf_rows"
	srfColumn = "__srf_i"
)

// srfCall returns the set-returning function call e is, under any casts
// and field accesses ((information_schema._pg_expandarray(k)).n), if any.
func srfCall(e tree.Expr) *tree.FuncCall {
	for {
		switch x := e.(type) {
		case *tree.Cast:
			e = x.Expr
			continue
		case *tree.FieldAccess:
			e = x.Expr
			continue
		}
		break
	}
	f, ok := e.(*tree.FuncCall)
	if !ok || f.Over != nil || f.Star || f.Distinct {
		return nil
	}
	schema := lower(f.Schema)
	if lower(f.Name) == "_pg_expandarray" {
		// NB: as in PostgreSQL, it lives in information_schema, which is
		// not on the search path: the bare name is an unknown function.
		if schema == "information_schema" && len(f.Args) == 1 {
			return f
		}
		return nil
	}
	if schema != "" && schema != "pg_catalog" {
		return nil
	}
	switch lower(f.Name) {
	case "unnest":
		if len(f.Args) == 1 {
			return f
		}
	case "generate_subscripts":
		if len(f.Args) == 2 {
			return f
		}
	case "generate_series":
		if len(f.Args) == 2 || len(f.Args) == 3 {
			return f
		}
	}
	return nil
}

// replaceSRF returns e with the set-returning call at its core (under the
// casts and field accesses srfCall looked through) replaced by v.
func replaceSRF(e, v tree.Expr) tree.Expr {
	switch x := e.(type) {
	case *tree.Cast:
		c := *x
		c.Expr = replaceSRF(x.Expr, v)
		return &c
	case *tree.FieldAccess:
		f := *x
		f.Expr = replaceSRF(x.Expr, v)
		return &f
	}
	return v
}

// hasSelectListSRF reports whether sel has a select item expandSelectListSRFs handles.
func hasSelectListSRF(sel *tree.Select) bool {
	for _, t := range sel.Targets {
		if srfCall(t.Expr) != nil {
			return true
		}
	}
	return false
}

// expandSelectListSRFs returns sel rewritten as described above; sel itself
// is not modified. It returns nil when the query has a SELECT * item.
func expandSelectListSRFs(sel *tree.Select) *tree.Select {
	for _, t := range sel.Targets {
		if cr, ok := t.Expr.(*tree.ColumnRef); ok && cr.Star {
			return nil
		}
	}
	pos := sel.Pos
	num := func(s string) tree.Expr { return &tree.NumberLit{Pos: pos, Text: s} }
	call := func(name string, args ...tree.Expr) tree.Expr {
		return &tree.FuncCall{Pos: pos, Name: name, Args: args}
	}
	bin := func(op string, l, r tree.Expr) tree.Expr { return &tree.BinaryOp{Pos: pos, Op: op, Left: l, Right: r} }
	idx := &tree.ColumnRef{Pos: pos, Table: srfAlias, Column: srfColumn}
	upTo := func(n tree.Expr, v tree.Expr) tree.Expr {
		return &tree.Case{Pos: pos, Whens: []tree.When{{Cond: bin("<=", idx, n), Result: v}}}
	}

	out := *sel
	out.Targets = make([]tree.Target, len(sel.Targets))
	var counts []tree.Expr
	for i, t := range sel.Targets {
		out.Targets[i] = t
		f := srfCall(t.Expr)
		if f == nil {
			continue
		}
		if t.Alias == "" {
			out.Targets[i].Alias = targetName(t)
		}
		var n, v tree.Expr
		switch lower(f.Name) {
		case "unnest":
			n = call("coalesce", call("cardinality", f.Args[0]), num("0"))
			v = &tree.Subscript{Pos: pos, Expr: f.Args[0], Index: idx}
		case "_pg_expandarray":
			n = call("coalesce", call("cardinality", f.Args[0]), num("0"))
			v = upTo(n, &tree.Row{Pos: pos, Names: []string{"x", "n"},
				Elems: []tree.Expr{&tree.Subscript{Pos: pos, Expr: f.Args[0], Index: idx}, idx}})
		case "generate_subscripts":
			n = call("coalesce", call("array_length", f.Args[0], f.Args[1]), num("0"))
			v = upTo(n, bin("-", bin("+", call("array_lower", f.Args[0], f.Args[1]), idx), num("1")))
		case "generate_series":
			start, stop := f.Args[0], f.Args[1]
			var step tree.Expr = num("1")
			if len(f.Args) == 3 {
				step = f.Args[2]
			}
			empty := bin("OR", bin("AND", bin(">", step, num("0")), bin("<", stop, start)),
				bin("AND", bin("<", step, num("0")), bin(">", stop, start)))
			n = &tree.Case{Pos: pos, Whens: []tree.When{{Cond: empty, Result: num("0")}},
				Else: bin("+", bin("/", bin("-", stop, start), step), num("1"))}
			v = upTo(n, bin("+", start, bin("*", bin("-", idx, num("1")), step)))
		}
		out.Targets[i].Expr = replaceSRF(t.Expr, v)
		counts = append(counts, n)
	}
	n := counts[0]
	if len(counts) > 1 {
		n = call("greatest", counts...)
	}
	total := &tree.Select{Pos: pos, From: sel.From, Where: sel.Where,
		Targets: []tree.Target{{Expr: call("coalesce", call("max", n), num("0"))}}}
	series := &tree.FuncTable{
		Func:          &tree.FuncCall{Pos: pos, Name: "generate_series", Args: []tree.Expr{num("1"), &tree.Subquery{Pos: pos, Select: total}}},
		Alias:         srfAlias,
		ColumnAliases: []string{srfColumn},
	}
	out.From = append(append([]tree.TableExpr(nil), sel.From...), series)
	cond := bin("<=", idx, n)
	if sel.Where != nil {
		cond = bin("AND", sel.Where, cond)
	}
	out.Where = cond
	return &out
}

// targetsAggregate reports whether a select item or ORDER BY item of sel
// holds an aggregate call.
func targetsAggregate(b *binder, sel *tree.Select) bool {
	for _, t := range sel.Targets {
		if containsAggregate(b, t.Expr) {
			return true
		}
	}
	for _, o := range sel.OrderBy {
		if containsAggregate(b, o.Expr) {
			return true
		}
	}
	return false
}
