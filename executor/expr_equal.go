package executor

import "github.com/vecgres/vecgres/sql/types"

// SameExpr reports whether a and b are the same bound expression: the
// same functions, operators and casts applied to the same columns and
// equal constants. The planner uses it to match an ORDER BY expression
// against an expression index's key, both bound by the same binder, so
// spelling differences the binder removes (case, spacing, redundant
// parentheses, CAST(x AS t) versus x::t) do not matter.
//
// NB: it is conservative: kinds of expression an index key cannot hold
// compare unequal, which only costs the index (the query runs exactly).
func SameExpr(a, b Expr) bool {
	switch x := a.(type) {
	case *ColRef:
		y, ok := b.(*ColRef)
		return ok && x.Idx == y.Idx && sameType(x.Typ, y.Typ)
	case *Const:
		y, ok := b.(*Const)
		if !ok || !sameType(x.Typ, y.Typ) || x.Value.IsNull() != y.Value.IsNull() {
			return false
		}
		return x.Value.IsNull() || types.Compare(x.Typ, x.Value, y.Value) == 0
	case *Call:
		y, ok := b.(*Call)
		if !ok || x.Fn != y.Fn || x.Op != y.Op || !sameType(x.Typ, y.Typ) || len(x.Args) != len(y.Args) {
			return false
		}
		for i := range x.Args {
			if !SameExpr(x.Args[i], y.Args[i]) {
				return false
			}
		}
		return true
	case *CastExpr:
		y, ok := b.(*CastExpr)
		return ok && sameType(x.Typ, y.Typ) && SameExpr(x.Expr, y.Expr)
	}
	return false
}

// sameType compares types by family, modifier and element type.
func sameType(a, b types.T) bool {
	if a.Family != b.Family || a.Typmod != b.Typmod || (a.Elem == nil) != (b.Elem == nil) {
		return false
	}
	return a.Elem == nil || sameType(*a.Elem, *b.Elem)
}
