package executor

import (
	"github.com/vecgres/vecgres/sql/types"
)

// compilePredicate turns the common shapes of WHERE clauses over a row —
// conjunctions of "integer column op constant/parameter" (op one of = <>
// < <= > >=), "integer column IN (constants)" and "text column =
// constant" — into a Go closure over the positions of mirror m that reads
// its column copies, tens of times faster than walking the expression
// tree over each row. ok is false for any other shape; callers then use
// EvalBool. Parameters are read when compiling, so compile once per
// execution. The caller holds m's lock exclusively while compiling (it may
// build column copies), and at least shared while calling the closure.
// NB: the closure reads the columns through their *mirrorColumn, not
// slices captured at compile time, so it stays valid across commits that
// grow or reorder the mirror between calls (candidateFilter relies on it).
func compilePredicate(ctx *Ctx, e Expr, m *rowMirror) (func(i int) bool, bool) {
	switch e := e.(type) {
	case *And:
		l, ok1 := compilePredicate(ctx, e.Left, m)
		r, ok2 := compilePredicate(ctx, e.Right, m)
		if !ok1 || !ok2 {
			return nil, false
		}
		return func(i int) bool { return l(i) && r(i) }, true
	case *Call:
		if len(e.Args) != 2 {
			return nil, false
		}
		col, v, op, ok := colAndValue(ctx, e.Args[0], e.Args[1], e.Op)
		if !ok {
			return nil, false
		}
		if v.K == types.KindString {
			if op != "=" {
				return nil, false
			}
			s, c := v.S, m.column(col)
			return func(i int) bool { return c.kinds[i] == types.KindString && c.strs[i] == s }, true
		}
		x, c := v.I, m.column(col)
		// NB: a NULL (or any non-integer) datum never passes; its ints
		// entry is 0 and must not be compared.
		switch op {
		case "=":
			return func(i int) bool { return c.ints[i] == x && c.kinds[i] == types.KindInt }, true
		case "<>":
			return func(i int) bool { return c.ints[i] != x && c.kinds[i] == types.KindInt }, true
		case "<":
			return func(i int) bool { return c.ints[i] < x && c.kinds[i] == types.KindInt }, true
		case "<=":
			return func(i int) bool { return c.ints[i] <= x && c.kinds[i] == types.KindInt }, true
		case ">":
			return func(i int) bool { return c.ints[i] > x && c.kinds[i] == types.KindInt }, true
		case ">=":
			return func(i int) bool { return c.ints[i] >= x && c.kinds[i] == types.KindInt }, true
		}
	case *InList:
		c, ok := e.Expr.(*ColRef)
		if !ok || e.Not || !isIntType(c.Typ) {
			return nil, false
		}
		set := map[int64]bool{}
		for _, it := range e.List {
			v, ok := constValue(ctx, it)
			if !ok || v.K != types.KindInt {
				return nil, false
			}
			set[v.I] = true
		}
		mc := m.column(c.Idx)
		return func(i int) bool { return mc.kinds[i] == types.KindInt && set[mc.ints[i]] }, true
	}
	return nil, false
}

// colAndValue recognises "column op value" in either order (flipping op).
func colAndValue(ctx *Ctx, a, b Expr, op string) (int, types.Datum, string, bool) {
	flip := map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
	if _, ok := flip[op]; !ok {
		return 0, types.Null, "", false
	}
	c, ok := a.(*ColRef)
	other := b
	if !ok {
		if c, ok = b.(*ColRef); !ok {
			return 0, types.Null, "", false
		}
		other, op = a, flip[op]
	}
	v, ok := constValue(ctx, other)
	if !ok {
		return 0, types.Null, "", false
	}
	switch {
	case isIntType(c.Typ) && v.K == types.KindInt:
	case (c.Typ.Family == types.Text || c.Typ.Family == types.Varchar) && v.K == types.KindString:
	default:
		return 0, types.Null, "", false
	}
	return c.Idx, v, op, true
}

// constValue evaluates a row-free constant or parameter (NULL: not ok,
// since a comparison with NULL is never true and the generic path says so).
func constValue(ctx *Ctx, e Expr) (types.Datum, bool) {
	switch e.(type) {
	case *Const, *ParamRef:
	default:
		return types.Null, false
	}
	v, err := e.Eval(ctx, nil)
	if err != nil || v.IsNull() {
		return types.Null, false
	}
	return v, true
}

func isIntType(t types.T) bool {
	return t.Family == types.Int2 || t.Family == types.Int4 || t.Family == types.Int8
}
