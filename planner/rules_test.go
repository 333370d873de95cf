package planner

import (
	"strings"
	"testing"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// The rules on hand-built logical plans, checked as printed EXPLAIN trees.

func testTable(t *testing.T, indexes ...storage.IndexDesc) *executor.Table {
	t.Helper()
	desc := &storage.TableDesc{ID: 16400, Name: "items", Columns: []storage.ColumnDesc{
		{Name: "id", TypeOID: types.Int8Type.OID(), Typmod: -1, NotNull: true},
		{Name: "embedding", TypeOID: types.VectorOID, Typmod: 3},
		{Name: "cat", TypeOID: types.Int4Type.OID(), Typmod: -1},
	}, PrimaryKey: []int{0}}
	desc.Indexes = append([]storage.IndexDesc{{ID: 1, OID: 16401, Name: "items_pkey", Columns: []int{0}, Unique: true, Primary: true, Method: "btree"}}, indexes...)
	tbl, err := executor.NewTable(desc)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func scanOf(tbl *executor.Table) *Scan {
	cols := make([]Column, len(tbl.Types))
	for i, c := range tbl.Desc.Columns {
		cols[i] = Column{Name: c.Name, Type: tbl.Types[i], Table: "items"}
	}
	return &Scan{Table: tbl, Alias: "items", Cols: cols}
}

// knnPlan is SELECT id FROM items [WHERE pred] ORDER BY embedding <op> q LIMIT 5.
func knnPlan(t *testing.T, tbl *executor.Table, op string, pred executor.Expr) Node {
	t.Helper()
	lib := builtin.NewLibrary()
	dist, err := lib.ResolveBinary(op, types.VectorType, types.VectorType)
	if err != nil {
		t.Fatal(err)
	}
	q, err := types.ParseText(types.VectorType, "[1,2,3]")
	if err != nil {
		t.Fatal(err)
	}
	scan := scanOf(tbl)
	var in Node = scan
	if pred != nil {
		in = &Filter{Input: scan, Pred: pred}
	}
	proj := &Project{Input: in, Exprs: []executor.Expr{
		&executor.ColRef{Idx: 0, Typ: types.Int8Type, Name: "id"},
		&executor.Call{Fn: dist, Op: op, Typ: types.Float8Type, Args: []executor.Expr{
			&executor.ColRef{Idx: 1, Typ: tbl.Types[1], Name: "embedding"},
			&executor.Const{Value: q, Typ: types.VectorType}}},
	}, Cols: []Column{{Name: "id", Type: types.Int8Type}, {Name: "?order?", Type: types.Float8Type, Hidden: true}}}
	five := &executor.Const{Value: types.NewInt(5), Typ: types.Int8Type}
	return &Limit{Input: &Sort{Input: proj, Keys: []executor.SortKey{{Expr: &executor.ColRef{Idx: 1, Typ: types.Float8Type}}}}, Count: five}
}

func catEquals(t *testing.T, v int64) executor.Expr {
	fn, err := builtin.NewLibrary().ResolveBinary("=", types.Int4Type, types.Int4Type)
	if err != nil {
		t.Fatal(err)
	}
	return &executor.Call{Fn: fn, Op: "=", Typ: types.BoolType, Args: []executor.Expr{
		&executor.ColRef{Idx: 2, Typ: types.Int4Type, Name: "cat"}, &executor.Const{Value: types.NewInt(v), Typ: types.Int4Type}}}
}

func TestRules(t *testing.T) {
	hnswL2 := storage.IndexDesc{ID: 2, OID: 16402, Name: "items_hnsw", Columns: []int{1}, Method: "hnsw", Opclasses: []string{"vector_l2_ops"}}
	cases := []struct {
		name string
		plan func(t *testing.T) Node
		want string
	}{
		{"exact knn without index", func(t *testing.T) Node { return knnPlan(t, testTable(t), "<->", nil) }, `
Limit
  ->  Exact Vector Scan on items
        Order By: (embedding <-> '[1,2,3]'::vector)`},
		{"index scan when opclass matches", func(t *testing.T) Node { return knnPlan(t, testTable(t, hnswL2), "<->", nil) }, `
Limit
  ->  Index Scan using items_hnsw on items
        Order By: (embedding <-> '[1,2,3]'::vector)`},
		{"no index scan when opclass differs", func(t *testing.T) Node { return knnPlan(t, testTable(t, hnswL2), "<=>", nil) }, `
Limit
  ->  Exact Vector Scan on items
        Order By: (embedding <=> '[1,2,3]'::vector)`},
		{"filter goes with the index scan", func(t *testing.T) Node { return knnPlan(t, testTable(t, hnswL2), "<->", catEquals(t, 7)) }, `
Limit
  ->  Index Scan using items_hnsw on items
        Order By: (embedding <-> '[1,2,3]'::vector)
        Filter: (cat = 7)
        Filtered Search: filter-aware`},
		{"pk equality is a point lookup", func(t *testing.T) Node {
			tbl := testTable(t)
			fn, _ := builtin.NewLibrary().ResolveBinary("=", types.Int8Type, types.Int8Type)
			pred := &executor.Call{Fn: fn, Op: "=", Typ: types.BoolType, Args: []executor.Expr{
				&executor.ColRef{Idx: 0, Typ: types.Int8Type, Name: "id"}, &executor.ParamRef{N: 1, Typ: types.Int8Type}}}
			return &Filter{Input: scanOf(tbl), Pred: pred}
		}, `
Index Scan using items_pkey on items
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

// TestAnnOrderedOutput checks when the re-sort above a vector scan is
// dropped: only when the distance is a hidden ORDER BY key and the scan's
// order is exact.
func TestAnnOrderedOutput(t *testing.T) {
	hnswL2 := storage.IndexDesc{ID: 2, OID: 16402, Name: "items_hnsw", Columns: []int{1}, Method: "hnsw", Opclasses: []string{"vector_l2_ops"}}
	pqL2 := storage.IndexDesc{ID: 2, OID: 16402, Name: "items_pq", Columns: []int{1}, Method: "ivf_pq", Opclasses: []string{"vector_l2_ops"}}
	// hidden wraps knnPlan in the binder's projection of the visible
	// columns (id only), which hides the distance.
	hidden := func(n Node) Node {
		return &Project{Input: n, Exprs: []executor.Expr{&executor.ColRef{Idx: 0, Typ: types.Int8Type, Name: "id"}},
			Cols: []Column{{Name: "id", Type: types.Int8Type}}}
	}
	// withCat makes knnPlan's projection also output cat (SELECT id, cat).
	withCat := func(n Node) Node {
		proj := n.(*Limit).Input.(*Sort).Input.(*Project)
		proj.Exprs = append(proj.Exprs, &executor.ColRef{Idx: 2, Typ: types.Int4Type, Name: "cat"})
		proj.Cols = append(proj.Cols, Column{Name: "cat", Type: types.Int4Type})
		return n
	}
	cases := []struct {
		name     string
		plan     Node
		resorted bool
		keyOnly  bool // the scan may return key-only rows
	}{
		{"hidden distance over hnsw", hidden(knnPlan(t, testTable(t, hnswL2), "<->", nil)), false, true},
		{"hidden distance, exact", hidden(knnPlan(t, testTable(t), "<=>", catEquals(t, 3))), false, true},
		{"another column read", hidden(withCat(knnPlan(t, testTable(t, hnswL2), "<->", nil))), false, false},
		{"distance in the output", knnPlan(t, testTable(t, hnswL2), "<->", nil), true, false},
		{"ivf_pq order is approximate", hidden(knnPlan(t, testTable(t, pqL2), "<->", nil)), true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := (&Optimizer{}).Optimize(c.plan)
			var topk, limit *Node
			var inner *Project
			var walk func(n Node)
			walk = func(n Node) {
				switch x := n.(type) {
				case *TopK:
					topk = &n
				case *Limit:
					limit = &n
				case *Project:
					if _, ok := x.Input.(*AnnScan); ok {
						inner = x
					}
				}
				for _, in := range inputs(n) {
					walk(in)
				}
			}
			walk(plan)
			if inner == nil {
				t.Fatalf("no vector scan in plan:\n%s", strings.Join(Explain(plan), "\n"))
			}
			_, distNull := inner.Exprs[1].(*executor.Const)
			if got := inner.Input.(*AnnScan).KeyOnly; got != c.keyOnly {
				t.Fatalf("KeyOnly = %v, want %v", got, c.keyOnly)
			}
			if c.resorted {
				if topk == nil || distNull {
					t.Fatalf("want the TopK and the computed distance kept: topk=%v const=%v", topk != nil, distNull)
				}
				return
			}
			if topk != nil || limit == nil || !distNull {
				t.Fatalf("want Limit over the scan and no distance computed: topk=%v limit=%v const=%v", topk != nil, limit != nil, distNull)
			}
		})
	}
}
