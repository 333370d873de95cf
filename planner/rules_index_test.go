package planner

import (
	"strings"
	"testing"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// The index_range and index_order rules on hand-built plans over items(id
// bigint PRIMARY KEY, embedding vector(3), cat int), with parameters as the
// extended protocol binds them, checked as printed EXPLAIN trees.

// cmp builds "l op r" with the operator resolved for the operand types.
func cmp(t *testing.T, op string, l, r executor.Expr) executor.Expr {
	t.Helper()
	fn, err := builtin.NewLibrary().ResolveBinary(op, l.Type(), r.Type())
	if err != nil {
		t.Fatal(err)
	}
	return &executor.Call{Fn: fn, Op: op, Typ: types.BoolType, Args: []executor.Expr{l, r}}
}

func and(es ...executor.Expr) executor.Expr { return conjoin(es) }

var (
	idCol  = &executor.ColRef{Idx: 0, Typ: types.Int8Type, Name: "id"}
	catCol = &executor.ColRef{Idx: 2, Typ: types.Int4Type, Name: "cat"}
)

func param(n int, t types.T) executor.Expr { return &executor.ParamRef{N: n, Typ: t} }

func int8Const(v int64) executor.Expr {
	return &executor.Const{Value: types.NewInt(v), Typ: types.Int8Type}
}

// orderedPlan is SELECT id, cat FROM items [WHERE pred] ORDER BY keys LIMIT 10.
func orderedPlan(tbl *executor.Table, pred executor.Expr, keys ...executor.SortKey) Node {
	var in Node = scanOf(tbl)
	if pred != nil {
		in = &Filter{Input: in, Pred: pred}
	}
	proj := &Project{Input: in, Exprs: []executor.Expr{idCol, catCol},
		Cols: []Column{{Name: "id", Type: types.Int8Type}, {Name: "cat", Type: types.Int4Type}}}
	for i := range keys {
		// NB: sort keys address the projection's output.
		if c := keys[i].Expr.(*executor.ColRef); c == catCol {
			keys[i].Expr = &executor.ColRef{Idx: 1, Typ: types.Int4Type, Name: "cat"}
		}
	}
	return &Limit{Input: &Sort{Input: proj, Keys: keys}, Count: int8Const(10)}
}

func TestIndexRules(t *testing.T) {
	catIdx := storage.IndexDesc{ID: 3, OID: 16403, Name: "items_cat", Columns: []int{2}, Method: "btree"}
	hnswL2 := storage.IndexDesc{ID: 2, OID: 16402, Name: "items_hnsw", Columns: []int{1}, Method: "hnsw", Opclasses: []string{"vector_l2_ops"}}
	filtered := func(tbl *executor.Table, pred executor.Expr) Node { return &Filter{Input: scanOf(tbl), Pred: pred} }
	cases := []struct {
		name string
		plan func(t *testing.T) Node
		want string
	}{
		{"pk range between parameters", func(t *testing.T) Node {
			return filtered(testTable(t), and(cmp(t, ">", idCol, param(1, types.Int8Type)), cmp(t, "<=", idCol, param(2, types.Int8Type))))
		}, `
Index Scan using items_pkey on items
  Index Cond: ((id > $1) AND (id <= $2))`},
		{"constant on the left is commuted", func(t *testing.T) Node {
			return filtered(testTable(t), and(cmp(t, ">", int8Const(5), idCol), cmp(t, "=", catCol, param(1, types.Int4Type))))
		}, `
Index Scan using items_pkey on items
  Index Cond: (id < 5)
  Filter: (cat = $1)`},
		{"pk IN parameters", func(t *testing.T) Node {
			return filtered(testTable(t), &executor.InList{Expr: idCol, List: []executor.Expr{param(1, types.Int8Type), param(2, types.Int8Type)}})
		}, `
Index Scan using items_pkey on items
  Index Cond: (id = ANY (ARRAY[$1, $2]))`},
		{"numeric bound is no key range", func(t *testing.T) Node {
			return filtered(testTable(t), cmp(t, "<", &executor.CastExpr{Expr: idCol, Typ: types.NumericType}, param(1, types.NumericType)))
		}, `
Seq Scan on items
  Filter: ((id)::numeric < $1)`},
		{"widened int4 column bounds its index", func(t *testing.T) Node {
			return filtered(testTable(t, catIdx), cmp(t, "<", &executor.CastExpr{Expr: catCol, Typ: types.Int8Type}, int8Const(3000000000)))
		}, `
Index Scan using items_cat on items
  Index Cond: (cat < '3000000000'::bigint)`},
		{"secondary equality beats a pk range", func(t *testing.T) Node {
			return filtered(testTable(t, catIdx), and(cmp(t, "<", idCol, param(1, types.Int8Type)), cmp(t, "=", catCol, param(2, types.Int4Type))))
		}, `
Index Scan using items_cat on items
  Index Cond: (cat = $2)
  Filter: (id < $1)`},
		{"pk point beats secondary equality", func(t *testing.T) Node {
			return filtered(testTable(t, catIdx), and(cmp(t, "=", catCol, param(2, types.Int4Type)), cmp(t, "=", idCol, param(1, types.Int8Type))))
		}, `
Index Scan using items_pkey on items
  Index Cond: (id = $1)
  Filter: (cat = $2)`},
		{"keyset pagination reads the pk in order", func(t *testing.T) Node {
			return orderedPlan(testTable(t), cmp(t, ">", idCol, param(1, types.Int8Type)), executor.SortKey{Expr: idCol})
		}, `
Limit
  ->  Index Scan using items_pkey on items
        Index Cond: (id > $1)`},
		{"desc reads backward", func(t *testing.T) Node {
			return orderedPlan(testTable(t), cmp(t, "<", idCol, param(1, types.Int8Type)), executor.SortKey{Expr: idCol, Desc: true, NullsFirst: true})
		}, `
Limit
  ->  Index Scan Backward using items_pkey on items
        Index Cond: (id < $1)`},
		{"ordered pk scan with a filter it does not bound", func(t *testing.T) Node {
			return orderedPlan(testTable(t, catIdx), cmp(t, "=", catCol, param(1, types.Int4Type)), executor.SortKey{Expr: idCol, Desc: true, NullsFirst: true})
		}, `
Limit
  ->  Index Scan Backward using items_pkey on items
        Filter: (cat = $1)`},
		{"desc nulls last keeps the sort", func(t *testing.T) Node {
			return orderedPlan(testTable(t), nil, executor.SortKey{Expr: idCol, Desc: true})
		}, `
Limit
  ->  Top-K Sort
        Sort Key: id DESC NULLS LAST
        ->  Seq Scan on items`},
		{"secondary index order", func(t *testing.T) Node {
			return orderedPlan(testTable(t, catIdx), nil, executor.SortKey{Expr: catCol})
		}, `
Limit
  ->  Index Scan using items_cat on items`},
		{"pk point lookups are sorted, not read in index order", func(t *testing.T) Node {
			return orderedPlan(testTable(t, catIdx), &executor.InList{Expr: idCol, List: []executor.Expr{int8Const(7), int8Const(3)}},
				executor.SortKey{Expr: catCol})
		}, `
Limit
  ->  Top-K Sort
        Sort Key: cat
        ->  Index Scan using items_pkey on items
              Index Cond: (id = ANY ('{7,3}'::bigint[]))`},
		{"unindexed order keeps the sort", func(t *testing.T) Node {
			return orderedPlan(testTable(t), nil, executor.SortKey{Expr: catCol})
		}, `
Limit
  ->  Top-K Sort
        Sort Key: cat
        ->  Seq Scan on items`},
		{"ann over a pk range keeps the vector index", func(t *testing.T) Node {
			return knnPlan(t, testTable(t, hnswL2), "<->", cmp(t, "<", idCol, param(1, types.Int8Type)))
		}, `
Limit
  ->  Index Scan using items_hnsw on items
        Order By: (embedding <-> '[1,2,3]'::vector)
        Filter: (id < $1)
        Filtered Search: filter-aware`},
		{"ann over a pk point sorts the row", func(t *testing.T) Node {
			return knnPlan(t, testTable(t, hnswL2), "<->", cmp(t, "=", idCol, param(1, types.Int8Type)))
		}, `
Limit
  ->  Top-K Sort
        Sort Key: (embedding <-> '[1,2,3]'::vector)
        ->  Index Scan using items_pkey on items
              Index Cond: (id = $1)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(Explain((&Optimizer{}).Optimize(c.plan(t))), "\n")
			if want := strings.TrimPrefix(c.want, "\n"); got != want {
				t.Fatalf("plan:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestIndexRangeKeepsFilter checks that the index rules never drop the
// filter: the executor re-checks every conjunct over the rows it reads.
func TestIndexRangeKeepsFilter(t *testing.T) {
	pred := and(cmp(t, ">", idCol, param(1, types.Int8Type)), cmp(t, "=", catCol, param(2, types.Int4Type)))
	plan := (&Optimizer{}).Optimize(&Filter{Input: scanOf(testTable(t)), Pred: pred})
	s, ok := plan.(*Scan)
	if !ok || s.Index == nil {
		t.Fatalf("want an index scan, got %T", plan)
	}
	if len(conjuncts(s.Filter)) != 2 {
		t.Fatalf("scan filter has %d conjuncts, want both", len(conjuncts(s.Filter)))
	}
	if b := s.Index.Bounds; len(b.Lo) != 1 || b.Lo[0].Incl || len(b.Hi) != 0 || b.Prefix != nil || b.Eq != nil {
		t.Fatalf("bounds %+v, want one exclusive lower bound", b)
	}
}
