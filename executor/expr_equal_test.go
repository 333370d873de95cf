package executor

import (
	"testing"

	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

func TestSameExpr(t *testing.T) {
	f := &builtin.Func{Name: "binary_quantize"}
	g := &builtin.Func{Name: "l2_normalize"}
	bit3, bit4 := types.T{Family: types.Bit, Typmod: 3}, types.T{Family: types.Bit, Typmod: 4}
	col := func(i int) Expr { return &ColRef{Idx: i, Typ: types.VectorType} }
	call := func(fn *builtin.Func, arg Expr) Expr { return &Call{Fn: fn, Args: []Expr{arg}, Typ: types.BitType} }
	cast := func(e Expr, typ types.T) Expr { return &CastExpr{Expr: e, Typ: typ, Explicit: true} }
	num := func(v int64) Expr { return &Const{Value: types.NewInt(v), Typ: types.Int8Type} }
	key := cast(call(f, col(1)), bit3)
	for _, c := range []struct {
		name string
		a, b Expr
		want bool
	}{
		{"same key", key, cast(call(f, col(1)), bit3), true},
		{"implicit vs explicit cast", key, &CastExpr{Expr: call(f, col(1)), Typ: bit3}, true},
		{"other length", key, cast(call(f, col(1)), bit4), false},
		{"other column", key, cast(call(f, col(2)), bit3), false},
		{"other function", key, cast(call(g, col(1)), bit3), false},
		{"no cast", key, call(f, col(1)), false},
		{"equal constants", &Call{Fn: f, Args: []Expr{col(1), num(2)}}, &Call{Fn: f, Args: []Expr{col(1), num(2)}}, true},
		{"other constants", &Call{Fn: f, Args: []Expr{col(1), num(2)}}, &Call{Fn: f, Args: []Expr{col(1), num(3)}}, false},
		{"NULL and a value", &Const{Value: types.Null, Typ: types.Int8Type}, num(0), false},
		{"operator spelling", &Call{Fn: f, Args: []Expr{col(1)}, Op: "<->"}, &Call{Fn: f, Args: []Expr{col(1)}}, false},
		{"unsupported kinds", &And{Left: col(1), Right: col(1)}, &And{Left: col(1), Right: col(1)}, false},
	} {
		if got := SameExpr(c.a, c.b); got != c.want {
			t.Errorf("%s: SameExpr = %v, want %v", c.name, got, c.want)
		}
		if got := SameExpr(c.b, c.a); got != c.want {
			t.Errorf("%s (swapped): SameExpr = %v, want %v", c.name, got, c.want)
		}
	}
}
