package executor

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// valuesOf is a Values operator over literal rows (nil is NULL).
func valuesOf(t types.T, rows ...[]any) *Values {
	v := &Values{}
	for _, r := range rows {
		var exprs []Expr
		for _, x := range r {
			var d types.Datum
			switch x := x.(type) {
			case nil:
				d = types.Null
			case int:
				d = types.NewInt(int64(x))
			case string:
				d = types.NewString(x)
			case types.Datum:
				d = x
			}
			exprs = append(exprs, &Const{Value: d, Typ: t})
		}
		v.Rows = append(v.Rows, exprs)
	}
	return v
}

// rowStrings runs op and prints its rows sorted, "NULL" for NULL.
func rowStrings(t *testing.T, op Operator) []string {
	t.Helper()
	rows, err := Collect(&Ctx{Builtin: &builtin.Ctx{}}, op)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, d := range r {
			switch {
			case d.IsNull():
				parts[j] = "NULL"
			case d.K == types.KindString:
				parts[j] = d.S
			case d.K == types.KindDecimal:
				parts[j] = d.Dec.String()
			default:
				parts[j] = fmt.Sprint(d.I)
			}
		}
		out[i] = strings.Join(parts, " ")
	}
	slices.Sort(out)
	return out
}

var kindNames = map[JoinKind]string{InnerJoin: "inner", LeftJoin: "left", FullJoin: "full", SemiJoin: "semi", AntiJoin: "anti"}

// Every join kind, hashing either side, on NULL and duplicate keys, with
// and without a residual that fails for some key matches: the rows are
// those of a nested loop evaluating keys AND residual.
func TestHashJoinMatchesNestedLoop(t *testing.T) {
	lib := builtin.NewLibrary()
	eq, err := lib.ResolveBinary("=", types.Int4Type, types.Int4Type)
	if err != nil {
		t.Fatal(err)
	}
	lt, err := lib.ResolveBinary("<", types.Int4Type, types.Int4Type)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 9))
	randRows := func(n int) [][]any {
		rows := make([][]any, n)
		for i := range rows {
			var k any = rng.IntN(6)
			if rng.IntN(5) == 0 {
				k = nil
			}
			rows[i] = []any{k, rng.IntN(10)}
		}
		return rows
	}
	col := func(i int) *ColRef { return &ColRef{Idx: i, Typ: types.Int4Type} }
	for trial := 0; trial < 40; trial++ {
		left, right := randRows(rng.IntN(12)), randRows(rng.IntN(12))
		// Row layout: left (k, v), right (k, v).
		keyCond := &Call{Fn: eq, Op: "=", Typ: types.BoolType, Args: []Expr{col(0), col(2)}}
		residual := &Call{Fn: lt, Op: "<", Typ: types.BoolType, Args: []Expr{col(1), col(3)}}
		for _, kind := range []JoinKind{InnerJoin, LeftJoin, FullJoin, SemiJoin, AntiJoin} {
			for _, withResidual := range []bool{false, true} {
				for _, buildLeft := range []bool{false, true} {
					var on Expr = keyCond
					var res Expr
					if withResidual {
						on, res = &And{Left: keyCond, Right: residual}, residual
					}
					nl := &NestedLoopJoin{Input: valuesOf(types.Int4Type, left...), Right: valuesOf(types.Int4Type, right...),
						Kind: kind, On: on, LeftWidth: 2, RightWidth: 2}
					hj := &HashJoin{Left: valuesOf(types.Int4Type, left...), Right: valuesOf(types.Int4Type, right...), Kind: kind,
						LeftKeys: []Expr{col(0)}, RightKeys: []Expr{col(0)}, KeyTypes: []types.T{types.Int4Type}, NullSafe: []bool{false},
						Residual: res, LeftWidth: 2, RightWidth: 2, BuildLeft: buildLeft}
					want, got := rowStrings(t, nl), rowStrings(t, hj)
					if !slices.Equal(want, got) {
						t.Fatalf("trial %d %s residual=%v buildLeft=%v\nleft %v\nright %v\nnested loop %q\nhash join   %q",
							trial, kindNames[kind], withResidual, buildLeft, left, right, want, got)
					}
				}
			}
		}
	}
}

func TestHashJoinKeys(t *testing.T) {
	num := func(s string) types.Datum {
		d, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		return types.Datum{K: types.KindDecimal, Dec: d}
	}
	for _, tc := range []struct {
		name        string
		typ         types.T
		left, right [][]any
		nullSafe    bool
		kind        JoinKind
		want        []string
	}{
		{name: "null keys never match", typ: types.Int8Type, kind: FullJoin,
			left: [][]any{{nil}, {1}}, right: [][]any{{nil}, {1}},
			want: []string{"1 1", "NULL NULL", "NULL NULL"}},
		{name: "null-safe keys match NULL", typ: types.Int8Type, kind: InnerJoin, nullSafe: true,
			left: [][]any{{nil}, {1}, {2}}, right: [][]any{{nil}, {1}},
			want: []string{"1 1", "NULL NULL"}},
		{name: "numeric scale does not matter", typ: types.NumericType, kind: InnerJoin,
			left: [][]any{{num("1.0")}, {num("2.5")}}, right: [][]any{{num("1.00")}, {num("2.50")}, {num("3")}},
			want: []string{"1.0 1.00", "2.5 2.50"}},
		{name: "bpchar ignores trailing spaces", typ: types.BpcharType, kind: LeftJoin,
			left: [][]any{{"ab"}, {"x"}}, right: [][]any{{"ab  "}},
			want: []string{"ab ab  ", "x NULL"}},
		{name: "duplicates multiply", typ: types.Int4Type, kind: InnerJoin,
			left: [][]any{{7}, {7}, {8}}, right: [][]any{{7}, {7}, {7}},
			want: []string{"7 7", "7 7", "7 7", "7 7", "7 7", "7 7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, buildLeft := range []bool{false, true} {
				hj := &HashJoin{Left: valuesOf(tc.typ, tc.left...), Right: valuesOf(tc.typ, tc.right...), Kind: tc.kind,
					LeftKeys: []Expr{&ColRef{Idx: 0, Typ: tc.typ}}, RightKeys: []Expr{&ColRef{Idx: 0, Typ: tc.typ}},
					KeyTypes: []types.T{tc.typ}, NullSafe: []bool{tc.nullSafe}, LeftWidth: 1, RightWidth: 1, BuildLeft: buildLeft}
				if got := rowStrings(t, hj); !slices.Equal(got, tc.want) {
					t.Errorf("buildLeft=%v: got %q, want %q", buildLeft, got, tc.want)
				}
			}
		})
	}
}

// An operator can be run again after Close (plans are re-executed, e.g.
// as the inner side of a nested loop or in a correlated subquery).
func TestHashJoinReopen(t *testing.T) {
	hj := &HashJoin{Left: valuesOf(types.Int4Type, []any{1}, []any{2}), Right: valuesOf(types.Int4Type, []any{2}, []any{3}), Kind: FullJoin,
		LeftKeys: []Expr{&ColRef{Idx: 0, Typ: types.Int4Type}}, RightKeys: []Expr{&ColRef{Idx: 0, Typ: types.Int4Type}},
		KeyTypes: []types.T{types.Int4Type}, NullSafe: []bool{false}, LeftWidth: 1, RightWidth: 1}
	want := []string{"1 NULL", "2 2", "NULL 3"}
	for i := 0; i < 2; i++ {
		if got := rowStrings(t, hj); !slices.Equal(got, want) {
			t.Fatalf("run %d: got %q, want %q", i, got, want)
		}
	}
}

// BenchmarkJoin10kx1k joins 10,000 item rows with 1,000 category rows on
// item.cat = category.id (each item has one category): the nested loop
// the planner used before hash joins, against the hash join.
func BenchmarkJoin10kx1k(b *testing.B) {
	lib := builtin.NewLibrary()
	eq, err := lib.ResolveBinary("=", types.Int4Type, types.Int4Type)
	if err != nil {
		b.Fatal(err)
	}
	items := make([][]any, 10000)
	for i := range items {
		items[i] = []any{i, i % 1000}
	}
	cats := make([][]any, 1000)
	for i := range cats {
		cats[i] = []any{i, i * 10}
	}
	run := func(b *testing.B, op Operator) {
		ctx := &Ctx{Builtin: &builtin.Ctx{}}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := op.Open(ctx); err != nil {
				b.Fatal(err)
			}
			n := 0
			for {
				row, err := op.Next(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if row == nil {
					break
				}
				n++
			}
			op.Close()
			if n != len(items) {
				b.Fatalf("%d rows, want %d", n, len(items))
			}
		}
	}
	b.Run("nested_loop", func(b *testing.B) {
		on := &Call{Fn: eq, Op: "=", Typ: types.BoolType, Args: []Expr{&ColRef{Idx: 1, Typ: types.Int4Type}, &ColRef{Idx: 2, Typ: types.Int4Type}}}
		run(b, &NestedLoopJoin{Input: valuesOf(types.Int4Type, items...), Right: valuesOf(types.Int4Type, cats...),
			On: on, LeftWidth: 2, RightWidth: 2})
	})
	b.Run("hash", func(b *testing.B) {
		run(b, &HashJoin{Left: valuesOf(types.Int4Type, items...), Right: valuesOf(types.Int4Type, cats...),
			LeftKeys: []Expr{&ColRef{Idx: 1, Typ: types.Int4Type}}, RightKeys: []Expr{&ColRef{Idx: 0, Typ: types.Int4Type}},
			KeyTypes: []types.T{types.Int4Type}, NullSafe: []bool{false}, LeftWidth: 2, RightWidth: 2})
	})
}
