package executor

import (
	"github.com/vecgres/vecgres/sql/types"
)

// compilePredicate turns the common shapes of WHERE clauses over a row —
// conjunctions of "integer column op constant/parameter" (op one of = <>
// < <= > >=), "integer column IN (constants)" and "text column =
// constant" — into a Go closure that reads the row's datums directly,
// tens of times faster than walking the expression tree. ok is false for
// any other shape; callers then use EvalBool. Parameters are read when
// compiling, so compile once per execution.
func compilePredicate(ctx *Ctx, e Expr) (func(row []types.Datum) bool, bool) {
	switch e := e.(type) {
	case *And:
		l, ok1 := compilePredicate(ctx, e.Left)
		r, ok2 := compilePredicate(ctx, e.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		return func(row []types.Datum) bool { return l(row) && r(row) }, true
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
			s := v.S
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindString && d.S == s }, true
		}
		x := v.I
		switch op {
		case "=":
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && d.I == x }, true
		case "<>":
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && d.I != x }, true
		case "<":
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && d.I < x }, true
		case "<=":
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && d.I <= x }, true
		case ">":
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && d.I > x }, true
		case ">=":
			return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && d.I >= x }, true
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
		col := c.Idx
		return func(row []types.Datum) bool { d := row[col]; return d.K == types.KindInt && set[d.I] }, true
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
