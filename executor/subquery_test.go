package executor

import (
	"math/rand/v2"
	"testing"

	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// A hashed IN/NOT IN subquery returns what comparing x with every row
// does: true, false or NULL, for random small int sets with NULLs on both
// sides, empty sets included.
func TestSubqueryHashedMatchesScan(t *testing.T) {
	lib := builtin.NewLibrary()
	eq, err := lib.ResolveBinary("=", types.Int8Type, types.Int8Type)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	val := func() types.Datum {
		if rng.IntN(6) == 0 {
			return types.Null
		}
		return types.NewInt(int64(rng.IntN(8)))
	}
	for trial := 0; trial < 300; trial++ {
		var data [][]types.Datum
		for range rng.IntN(5) {
			data = append(data, []types.Datum{val()})
		}
		not := trial%2 == 1
		x := &ColRef{Idx: 0, Typ: types.Int8Type}
		scan := &Subquery{Plan: &Rows{Data: data}, Mode: InSubquery, Typ: types.BoolType, Left: x, Cmp: eq, Not: not}
		hashed := &Subquery{Plan: &Rows{Data: data}, Mode: InSubquery, Typ: types.BoolType, Left: x, Cmp: eq, Not: not,
			Hashed: true, HashType: types.Int8Type}
		ctx := &Ctx{Builtin: &builtin.Ctx{}}
		for range 6 {
			row := []types.Datum{val()}
			want, err := scan.Eval(ctx, row)
			if err != nil {
				t.Fatal(err)
			}
			got, err := hashed.Eval(ctx, row)
			if err != nil {
				t.Fatal(err)
			}
			if got.IsNull() != want.IsNull() || (!want.IsNull() && got.Bool() != want.Bool()) {
				t.Fatalf("x = %v, not = %v, rows %v: hashed %v, scan %v", row[0], not, data, got, want)
			}
		}
	}
}
