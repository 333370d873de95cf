package executor

import (
	"math/rand/v2"
	"testing"

	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// The Window operator over sorted random input must agree with the
// definitions of each function, computed naively per row: ranks count
// the rows ordered strictly before, the default frame ends at the last
// peer, a ROWS frame is a fixed slice of the partition.
func TestWindowMatchesDefinitions(t *testing.T) {
	lib := builtin.NewLibrary()
	sum, err := lib.ResolveAggregate("sum", []types.T{types.Int8Type}, false)
	if err != nil {
		t.Fatal(err)
	}
	cnt, err := lib.ResolveAggregate("count", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 100; trial++ {
		n := rng.IntN(40)
		var in [][]types.Datum
		for i := 0; i < n; i++ {
			in = append(in, []types.Datum{types.NewInt(rng.Int64N(3)), types.NewInt(rng.Int64N(4)), types.NewInt(int64(i))})
		}
		sorted := &Sort{Input: &Values{Rows: constRows(in)}, Keys: []SortKey{{Expr: col(0)}, {Expr: col(1)}}}
		frame := &WindowFrame{Rows: true, Start: FrameBound{Kind: BoundPreceding, Offset: constInt(1)}, End: FrameBound{Kind: BoundFollowing, Offset: constInt(1)}}
		funcs := []WindowFunc{
			{Kind: WinRowNumber, Typ: types.Int8Type},
			{Kind: WinRank, Typ: types.Int8Type},
			{Kind: WinDenseRank, Typ: types.Int8Type},
			{Kind: WinAggregate, Agg: sum, Args: []Expr{col(1)}, Typ: sum.Return},
			{Kind: WinLag, Args: []Expr{col(2), &Const{Value: types.NewInt(2), Typ: types.Int4Type}, constInt(-1)}, Typ: types.Int8Type},
		}
		w := &Window{Input: sorted, PartitionBy: []Expr{col(0)}, OrderBy: []SortKey{{Expr: col(1)}}, Funcs: funcs}
		rows, err := Collect(&Ctx{Builtin: &builtin.Ctx{}}, w)
		if err != nil {
			t.Fatal(err)
		}
		framed := &Window{Input: &Sort{Input: &Values{Rows: constRows(in)}, Keys: []SortKey{{Expr: col(0)}, {Expr: col(1)}}},
			PartitionBy: []Expr{col(0)}, OrderBy: []SortKey{{Expr: col(1)}}, Frame: frame,
			Funcs: []WindowFunc{{Kind: WinAggregate, Agg: cnt, Typ: types.Int8Type}}}
		frows, err := Collect(&Ctx{Builtin: &builtin.Ctx{}}, framed)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n || len(frows) != n {
			t.Fatalf("got %d and %d rows, want %d", len(rows), len(frows), n)
		}
		for i, r := range rows {
			var before, distinctBefore, pos, peersSum, total int64
			seen := map[int64]bool{}
			var part []int
			for j, o := range rows {
				if o[0].I != r[0].I {
					continue
				}
				part = append(part, j)
				total++
				if o[1].I < r[1].I {
					before++
					if !seen[o[1].I] {
						seen[o[1].I] = true
						distinctBefore++
					}
				}
				if o[1].I <= r[1].I {
					peersSum += o[1].I
				}
				if j < i {
					pos++
				}
			}
			lag := int64(-1)
			if pos >= 2 {
				lag = rows[part[pos-2]][2].I
			}
			fc := min(pos+1, total-1) - max(pos-1, 0) + 1
			want := []int64{pos + 1, before + 1, distinctBefore + 1, peersSum, lag}
			for k, v := range want {
				got := r[3+k]
				gv := got.I
				if got.K == types.KindDecimal {
					if gv, err = got.Dec.Int64(); err != nil {
						t.Fatal(err)
					}
				}
				if gv != v {
					t.Fatalf("trial %d row %v: func %d = %v, want %d", trial, r[:3], k, got, v)
				}
			}
			if frows[i][3].I != fc || frows[i][2].I != r[2].I {
				t.Fatalf("trial %d row %v: framed count %v, want %d", trial, r[:3], frows[i][3], fc)
			}
		}
	}
}

func constRows(in [][]types.Datum) [][]Expr {
	out := make([][]Expr, len(in))
	for i, r := range in {
		for _, v := range r {
			out[i] = append(out[i], &Const{Value: v, Typ: types.Int8Type})
		}
	}
	return out
}
