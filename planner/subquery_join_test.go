package planner

import (
	"testing"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// Which EXISTS subqueries SemiJoinExists turns into joins, and the join
// condition it makes. The outer row is (o0 int4, o1 int4); the subquery
// reads s(s0 int4, s1 int4), here a Values relation.
func TestSemiJoinExists(t *testing.T) {
	lib := builtin.NewLibrary()
	eqFn, err := lib.ResolveBinary("=", types.Int4Type, types.Int4Type)
	if err != nil {
		t.Fatal(err)
	}
	eq := func(l, r executor.Expr) executor.Expr {
		return &executor.Call{Fn: eqFn, Op: "=", Typ: types.BoolType, Args: []executor.Expr{l, r}}
	}
	i4 := types.Int4Type
	cols := func(names ...string) []Column {
		out := make([]Column, len(names))
		for i, n := range names {
			out[i] = Column{Name: n, Type: i4}
		}
		return out
	}
	rel := func(names ...string) Node { return &Values{Cols: cols(names...)} }
	s0, s1 := &executor.ColRef{Idx: 0, Typ: i4}, &executor.ColRef{Idx: 1, Typ: i4}
	outer := func(depth, idx int) executor.Expr { return &executor.OuterRef{Depth: depth, Idx: idx, Typ: i4} }
	one := &executor.Const{Value: types.NewInt(1), Typ: types.Int8Type}
	zero := &executor.Const{Value: types.NewInt(0), Typ: types.Int8Type}
	filtered := func(pred executor.Expr) Node { return &Filter{Input: rel("s0", "s1"), Pred: pred} }
	project := func(n Node) Node {
		return &Project{Input: n, Exprs: []executor.Expr{one}, Cols: []Column{{Name: "?column?", Type: types.Int8Type}}}
	}
	corrSub := &executor.Subquery{Mode: executor.ScalarSubquery, Typ: i4, Correlated: true}
	for _, tc := range []struct {
		name  string
		sub   Node
		on    string // FormatExpr of the join condition over o0, o1, s0, s1; "" for no join
		right string // the right input's node type
	}{
		{name: "equality", sub: project(filtered(eq(s0, outer(1, 1)))), on: "(s0 = o1)", right: "*planner.Values"},
		{name: "extra inner condition stays inside", sub: project(filtered(&executor.And{Left: eq(s0, outer(1, 0)), Right: eq(s1, one)})),
			on: "(s0 = o0)", right: "*planner.Filter"},
		{name: "two outer conditions", sub: filtered(&executor.And{Left: eq(s0, outer(1, 0)), Right: eq(outer(1, 1), s1)}),
			on: "((s0 = o0) AND (o1 = s1))", right: "*planner.Values"},
		{name: "limit 1 dropped", sub: &Limit{Input: project(filtered(eq(s0, outer(1, 0)))), Count: one}, on: "(s0 = o0)", right: "*planner.Values"},
		{name: "distinct and sort dropped", sub: &Distinct{Input: &Sort{Input: project(filtered(eq(s0, outer(1, 0))))}}, on: "(s0 = o0)", right: "*planner.Values"},
		{name: "limit 0", sub: &Limit{Input: project(filtered(eq(s0, outer(1, 0)))), Count: zero}},
		{name: "offset", sub: &Limit{Input: project(filtered(eq(s0, outer(1, 0)))), Count: one, Offset: one}},
		{name: "aggregate", sub: project(&Aggregate{Input: filtered(eq(s0, outer(1, 0))), Cols: cols("count")})},
		{name: "uncorrelated", sub: project(filtered(eq(s0, s1)))},
		{name: "no filter", sub: project(rel("s0", "s1"))},
		{name: "two levels up", sub: project(filtered(eq(s0, outer(2, 0))))},
		{name: "correlated nested subquery", sub: project(filtered(&executor.And{Left: eq(s0, outer(1, 0)), Right: eq(s1, corrSub)}))},
		{name: "filter over a FROM subquery", sub: project(&Filter{Input: project(filtered(eq(s0, s1))), Pred: eq(s0, outer(1, 0))}),
			on: "(s0 = o0)", right: "other"},
		{name: "outer row read in a lower filter", sub: &Filter{Input: filtered(eq(s0, outer(1, 0))), Pred: eq(s1, outer(1, 1))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, not := range []bool{false, true} {
				n, ok := SemiJoinExists(rel("o0", "o1"), tc.sub, not)
				if ok != (tc.on != "") {
					t.Fatalf("not=%v: joined = %v, want %v", not, ok, tc.on != "")
				}
				if !ok {
					continue
				}
				j := n.(*Join)
				kind := executor.SemiJoin
				if not {
					kind = executor.AntiJoin
				}
				if j.Kind != kind || len(j.Cols) != 2 {
					t.Errorf("kind %v with %d columns, want %v with 2", j.Kind, len(j.Cols), kind)
				}
				if got := FormatExpr(j.On, cols("o0", "o1", "s0", "s1")); got != tc.on {
					t.Errorf("on = %s, want %s", got, tc.on)
				}
				if got := typeName(j.Right); got != tc.right {
					t.Errorf("right input %s, want %s", got, tc.right)
				}
			}
		})
	}
}

// SemiJoinIn joins uncorrelated subqueries only, on x = the select list's
// expression.
func TestSemiJoinIn(t *testing.T) {
	lib := builtin.NewLibrary()
	i4 := types.Int4Type
	eqFn, err := lib.ResolveBinary("=", i4, i4)
	if err != nil {
		t.Fatal(err)
	}
	left := &Values{Cols: []Column{{Name: "o0", Type: i4}}}
	x := &executor.ColRef{Idx: 0, Typ: i4}
	s := &Values{Cols: []Column{{Name: "s0", Type: i4}, {Name: "s1", Type: i4}}}
	sel := func(in Node, e executor.Expr) Node {
		return &Project{Input: in, Exprs: []executor.Expr{e}, Cols: []Column{{Name: "y", Type: i4}}}
	}
	n, ok := SemiJoinIn(left, x, eqFn, sel(s, &executor.ColRef{Idx: 1, Typ: i4}))
	if !ok {
		t.Fatal("uncorrelated IN not joined")
	}
	j := n.(*Join)
	if got := FormatExpr(j.On, []Column{{Name: "o0"}, {Name: "s0"}, {Name: "s1"}}); j.Kind != executor.SemiJoin || got != "(o0 = s1)" || j.Right != Node(s) {
		t.Errorf("kind %v on %s right %T, want semi join on (o0 = s1) over s", j.Kind, got, j.Right)
	}
	corr := &Filter{Input: s, Pred: &executor.Call{Fn: eqFn, Op: "=", Typ: types.BoolType,
		Args: []executor.Expr{&executor.ColRef{Idx: 0, Typ: i4}, &executor.OuterRef{Depth: 1, Idx: 0, Typ: i4}}}}
	if _, ok := SemiJoinIn(left, x, eqFn, sel(corr, &executor.ColRef{Idx: 1, Typ: i4})); ok {
		t.Error("correlated IN joined")
	}
	if _, ok := SemiJoinIn(left, x, eqFn, sel(s, &executor.OuterRef{Depth: 1, Idx: 0, Typ: i4})); ok {
		t.Error("IN selecting an outer column joined")
	}
}

func typeName(n Node) string {
	switch n.(type) {
	case *Values:
		return "*planner.Values"
	case *Filter:
		return "*planner.Filter"
	}
	return "other"
}
