package planner

import (
	"testing"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// Which conjuncts become hash keys, with the casts that make both sides
// encode alike. The joined row is (l0 int4, l1 vector | r0 int8, r1
// numeric, r2 vector): left width 2.
func TestHashKeyOf(t *testing.T) {
	lib := builtin.NewLibrary()
	col := func(i int, typ types.T) *executor.ColRef { return &executor.ColRef{Idx: i, Typ: typ} }
	eq := func(l, r executor.Expr) executor.Expr {
		fn, err := lib.ResolveBinary("=", l.Type(), r.Type())
		if err != nil {
			t.Fatal(err)
		}
		args := []executor.Expr{castTo(l, fn.Params[0]), castTo(r, fn.Params[1])}
		return &executor.Call{Fn: fn, Op: "=", Typ: types.BoolType, Args: args}
	}
	l0, l1 := col(0, types.Int4Type), col(1, types.VectorType)
	r0, r1, r2 := col(2, types.Int8Type), col(3, types.NumericType), col(4, types.VectorType)
	for _, tc := range []struct {
		name    string
		cond    executor.Expr
		key     bool
		keyType types.T
		left    string // FormatExpr of the left key over the left row
		right   string // and of the right key over the right row
	}{
		{name: "int4 = int8", cond: eq(l0, r0), key: true, keyType: types.Int8Type, left: "(l0)::bigint", right: "r0"},
		{name: "sides swapped", cond: eq(r0, l0), key: true, keyType: types.Int8Type, left: "(l0)::bigint", right: "r0"},
		{name: "numeric = int4", cond: eq(r1, l0), key: true, keyType: types.NumericType, left: "(l0)::numeric", right: "r1"},
		{name: "vector is not hashed", cond: eq(l1, r2)},
		{name: "one side only", cond: eq(l0, l0)},
		{name: "constant", cond: eq(l0, &executor.Const{Value: types.NewInt(1), Typ: types.Int4Type})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, ok := hashKeyOf(tc.cond, 2)
			if ok != tc.key {
				t.Fatalf("key = %v, want %v", ok, tc.key)
			}
			if !ok {
				return
			}
			lcols := []Column{{Name: "l0"}, {Name: "l1"}}
			rcols := []Column{{Name: "r0"}, {Name: "r1"}, {Name: "r2"}}
			if !k.Type.Equal(tc.keyType) || FormatExpr(k.Left, lcols) != tc.left || FormatExpr(k.Right, rcols) != tc.right {
				t.Errorf("got %s: %s = %s, want %s: %s = %s", k.Type, FormatExpr(k.Left, lcols), FormatExpr(k.Right, rcols),
					tc.keyType, tc.left, tc.right)
			}
		})
	}
}

// Which WHERE conjuncts reject the NULL-extended rows of columns 2..3.
func TestRejectsNulls(t *testing.T) {
	lib := builtin.NewLibrary()
	gt, err := lib.ResolveBinary(">", types.Int4Type, types.Int4Type)
	if err != nil {
		t.Fatal(err)
	}
	col := func(i int) executor.Expr { return &executor.ColRef{Idx: i, Typ: types.Int4Type} }
	one := &executor.Const{Value: types.NewInt(1), Typ: types.Int4Type}
	cmp := func(e executor.Expr) executor.Expr {
		return &executor.Call{Fn: gt, Op: ">", Typ: types.BoolType, Args: []executor.Expr{e, one}}
	}
	for _, tc := range []struct {
		name string
		e    executor.Expr
		want bool
	}{
		{"comparison on the nullable side", cmp(col(2)), true},
		{"comparison on the other side", cmp(col(0)), false},
		{"IS NULL keeps them", &executor.IsNullExpr{Expr: col(3)}, false},
		{"IS NOT NULL rejects", &executor.IsNullExpr{Expr: col(3), Not: true}, true},
		{"NOT of a comparison", &executor.Not{Expr: cmp(col(2))}, true},
		{"NOT of IS NULL rejects", &executor.Not{Expr: &executor.IsNullExpr{Expr: col(3)}}, true},
		{"NOT of IS NOT NULL keeps them", &executor.Not{Expr: &executor.IsNullExpr{Expr: col(3), Not: true}}, false},
		{"OR needs both", &executor.Or{Left: cmp(col(2)), Right: cmp(col(0))}, false},
		{"OR of both", &executor.Or{Left: cmp(col(2)), Right: cmp(col(3))}, true},
		{"AND needs one", &executor.And{Left: cmp(col(0)), Right: cmp(col(3))}, true},
		{"COALESCE hides NULL", cmp(&executor.Coalesce{Args: []executor.Expr{col(2), one}, Typ: types.Int4Type}), false},
	} {
		if got := rejectsNulls(tc.e, 2, 4); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
