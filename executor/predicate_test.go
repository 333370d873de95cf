package executor

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// A compiled predicate must agree with the expression tree on every row of
// a mirror, NULLs included (NULL never passes), also after the mirror's
// rows changed.
func TestCompiledPredicateMatchesEval(t *testing.T) {
	lib := builtin.NewLibrary()
	rng := rand.New(rand.NewPCG(7, 7))
	cmp := func(op string, col int, typ types.T, v types.Datum, colFirst bool) Expr {
		fn, err := lib.ResolveBinary(op, typ, typ)
		if err != nil {
			t.Fatal(err)
		}
		args := []Expr{&ColRef{Idx: col, Typ: typ}, &Const{Value: v, Typ: typ}}
		if !colFirst {
			args[0], args[1] = args[1], args[0]
		}
		return &Call{Fn: fn, Op: op, Typ: types.BoolType, Args: args}
	}
	ops := []string{"=", "<>", "<", "<=", ">", ">="}
	ctx := &Ctx{Builtin: &builtin.Ctx{}}
	for trial := 0; trial < 300; trial++ {
		var pred Expr = cmp(ops[rng.IntN(len(ops))], 0, types.Int4Type, types.NewInt(rng.Int64N(10)), rng.IntN(2) == 0)
		switch rng.IntN(4) {
		case 3:
			// Two integer terms then a text one: And(And(int, int), text).
			pred = &And{Left: &And{Left: pred, Right: cmp(ops[rng.IntN(len(ops))], 0, types.Int4Type, types.NewInt(rng.Int64N(10)), true)},
				Right: cmp("=", 1, types.TextType, types.NewString("a"), true)}
		case 0:
			pred = &And{Left: pred, Right: cmp("=", 1, types.TextType, types.NewString([]string{"a", "b"}[rng.IntN(2)]), true)}
		case 1:
			eq, _ := lib.ResolveBinary("=", types.Int4Type, types.Int4Type)
			pred = &InList{Eq: eq, Expr: &ColRef{Idx: 0, Typ: types.Int4Type}, List: []Expr{
				&Const{Value: types.NewInt(1), Typ: types.Int4Type}, &Const{Value: types.NewInt(rng.Int64N(10)), Typ: types.Int4Type}}}
		}
		// NB: the mirror is built, then changed by puts (new ids and
		// replacements) and deletes, so the column copies are checked
		// after maintenance, not just after their initial build.
		m := &rowMirror{pos: map[uint64]int{}}
		randRow := func() []types.Datum {
			row := []types.Datum{types.NewInt(rng.Int64N(10)), types.NewString([]string{"a", "b"}[rng.IntN(2)])}
			if rng.IntN(6) == 0 {
				row[0] = types.Null
			}
			if rng.IntN(6) == 0 {
				row[1] = types.Null
			}
			return row
		}
		for id := uint64(0); id < 40; id++ {
			m.put(id, randRow())
		}
		f, ok := compilePredicate(ctx, pred, m)
		if !ok {
			t.Fatalf("trial %d: predicate not compiled", trial)
		}
		for op := 0; op < 30; op++ {
			if rng.IntN(3) == 0 {
				m.del(uint64(rng.IntN(60)))
			} else {
				m.put(uint64(rng.IntN(60)), randRow())
			}
		}
		// NB: f was compiled before the changes: it must still agree
		// (compiledFilter keeps one closure while commits run).
		pos, ok := matchPositions(ctx, pred, m, []int32{-1})
		if !ok || pos[0] != -1 {
			t.Fatalf("trial %d: matchPositions: ok %v, dst prefix %v", trial, ok, pos[:1])
		}
		pos = pos[1:]
		for i, row := range m.rows {
			if got := m.pos[m.ids[i]]; got != i {
				t.Fatalf("trial %d: id %d at position %d, index says %d", trial, m.ids[i], i, got)
			}
			want, err := EvalBool(ctx, pred, row)
			if err != nil {
				t.Fatal(err)
			}
			if got := f(i); got != want {
				t.Fatalf("trial %d row %v: compiled %v, evaluated %v", trial, row, got, want)
			}
			if want {
				if len(pos) == 0 || pos[0] != int32(i) {
					t.Fatalf("trial %d: matchPositions missed or misordered position %d (next %v)", trial, i, pos[:min(1, len(pos))])
				}
				pos = pos[1:]
			}
		}
		if len(pos) != 0 {
			t.Fatalf("trial %d: matchPositions returned extra positions %v", trial, pos)
		}
	}
}

// intRange must say exactly which integers satisfy "x op v", at the ends
// of the int64 range too.
func TestIntRange(t *testing.T) {
	vals := []int64{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64 - 1, math.MaxInt64}
	holds := map[string]func(x, v int64) bool{
		"=": func(x, v int64) bool { return x == v }, "<>": func(x, v int64) bool { return x != v },
		"<": func(x, v int64) bool { return x < v }, "<=": func(x, v int64) bool { return x <= v },
		">": func(x, v int64) bool { return x > v }, ">=": func(x, v int64) bool { return x >= v },
	}
	for op, want := range holds {
		for _, v := range vals {
			lo, hi, negate, ok := intRange(op, v)
			for _, x := range vals {
				got := ok && (uint64(x-lo) <= uint64(hi-lo)) != negate
				if got != want(x, v) {
					t.Errorf("%d %s %d: range test says %v (lo %d hi %d negate %v ok %v)", x, op, v, got, lo, hi, negate, ok)
				}
			}
		}
	}
}
