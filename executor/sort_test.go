package executor

import (
	"math/rand/v2"
	"testing"

	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

func intRows(vals ...int64) [][]types.Datum {
	rows := make([][]types.Datum, len(vals))
	for i, v := range vals {
		rows[i] = []types.Datum{types.NewInt(v), types.NewInt(int64(i))}
	}
	return rows
}

func col(i int) Expr { return &ColRef{Idx: i, Typ: types.Int8Type} }

func constInt(v int64) Expr { return &Const{Value: types.NewInt(v), Typ: types.Int8Type} }

// TopK must return exactly what a full sort followed by LIMIT/OFFSET
// returns, ties in input order, for random inputs with many duplicates.
func TestTopKMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := rng.IntN(60)
		vals := make([]int64, n)
		for i := range vals {
			vals[i] = rng.Int64N(10)
			if rng.IntN(8) == 0 {
				vals[i] = -1 // becomes NULL below
			}
		}
		data := intRows(vals...)
		for _, r := range data {
			if r[0].I == -1 {
				r[0] = types.Null
			}
		}
		k, off := int64(rng.IntN(12)), int64(rng.IntN(4))
		desc := rng.IntN(2) == 0
		keys := []SortKey{{Expr: col(0), Desc: desc, NullsFirst: desc}}
		got, err := Collect(&Ctx{}, &TopK{Input: &Rows{Data: data}, Keys: keys, Count: constInt(k), Offset: constInt(off)})
		if err != nil {
			t.Fatal(err)
		}
		want, err := Collect(&Ctx{}, &Limit{Input: &Sort{Input: &Rows{Data: data}, Keys: keys}, Count: constInt(k), Offset: constInt(off)})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d rows, want %d", trial, len(got), len(want))
		}
		for i := range got {
			if got[i][1].I != want[i][1].I {
				t.Fatalf("trial %d row %d: got input row %d, want %d", trial, i, got[i][1].I, want[i][1].I)
			}
		}
	}
}

// Sort is stable and puts NULLs last ascending, first descending, as
// PostgreSQL's defaults.
func TestSortNullsAndStability(t *testing.T) {
	data := intRows(3, 1, 2, 1, 3)
	data[2][0] = types.Null
	got, err := Collect(&Ctx{}, &Sort{Input: &Rows{Data: data}, Keys: []SortKey{{Expr: col(0)}}})
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, r := range got {
		order = append(order, r[1].I)
	}
	want := []int64{1, 3, 0, 4, 2}
	if !equalInts(order, want) {
		t.Fatalf("ASC order by input row: got %v, want %v", order, want)
	}
	got, _ = Collect(&Ctx{}, &Sort{Input: &Rows{Data: data}, Keys: []SortKey{{Expr: col(0), Desc: true, NullsFirst: true}}})
	order = order[:0]
	for _, r := range got {
		order = append(order, r[1].I)
	}
	if want := []int64{2, 0, 4, 1, 3}; !equalInts(order, want) {
		t.Fatalf("DESC order by input row: got %v, want %v", order, want)
	}
}

func TestLimitNegative(t *testing.T) {
	_, err := Collect(&Ctx{}, &Limit{Input: &Rows{Data: intRows(1)}, Count: constInt(-1)})
	if err == nil || err.Error() != "LIMIT must not be negative" {
		t.Fatalf("got %v", err)
	}
}

func TestNestedLoopLeftAndAnti(t *testing.T) {
	left := intRows(1, 2, 3)
	right := intRows(2, 3, 3)
	fn, err := builtin.NewLibrary().ResolveBinary("=", types.Int8Type, types.Int8Type)
	if err != nil {
		t.Fatal(err)
	}
	on := &Call{Fn: fn, Args: []Expr{col(0), col(2)}, Typ: types.BoolType}
	got, err := Collect(&Ctx{}, &NestedLoopJoin{Input: &Rows{Data: left}, Right: &Rows{Data: right}, Kind: LeftJoin, On: on, LeftWidth: 2, RightWidth: 2})
	if err != nil {
		t.Fatal(err)
	}
	// 1 has no match (NULLs), 2 matches once, 3 matches twice.
	var summary []int64
	for _, r := range got {
		v := int64(-1)
		if !r[2].IsNull() {
			v = r[2].I
		}
		summary = append(summary, r[0].I, v)
	}
	if want := []int64{1, -1, 2, 2, 3, 3, 3, 3}; !equalInts(summary, want) {
		t.Fatalf("left join: got %v, want %v", summary, want)
	}
	got, _ = Collect(&Ctx{}, &NestedLoopJoin{Input: &Rows{Data: left}, Right: &Rows{Data: right}, Kind: AntiJoin, On: on, LeftWidth: 2, RightWidth: 2})
	if len(got) != 1 || got[0][0].I != 1 {
		t.Fatalf("anti join: got %v", got)
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
