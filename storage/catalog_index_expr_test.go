package storage

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestIndexExprPersists checks that an expression index's key expression
// survives a reopen, and that a descriptor written before expression
// indexes existed (no "expr" field) decodes as a column index.
func TestIndexExprPersists(t *testing.T) {
	dir := t.TempDir()
	e := openTestEngine(t, dir)
	must(t, Bootstrap(e))
	db := loadCatalog(t, e).Database("postgres")
	items := itemsTable(db.ID, "items")
	items.Indexes = append(items.Indexes, IndexDesc{Name: "items_binary_quantize_idx", Columns: []int{1}, Method: "hnsw",
		Opclasses: []string{"bit_hamming_ops"}, Expr: "binary_quantize(embedding)::bit(3)"})
	inTxn(t, e, func(txn Txn) error { return CreateTable(txn, items) })
	must(t, e.Close())

	e = openTestEngine(t, dir)
	defer e.Close()
	got := loadCatalog(t, e).TableByName(db.ID, "public", "items")
	if !reflect.DeepEqual(got, items) {
		t.Fatalf("after reopen:\n got %+v\nwant %+v", got, items)
	}
	if x := got.Indexes[2].Expr; x != "binary_quantize(embedding)::bit(3)" {
		t.Fatalf("Expr after reopen = %q", x)
	}
	if c := got.Clone(); c.Indexes[2].Expr != got.Indexes[2].Expr {
		t.Fatalf("Clone lost Expr: %q", c.Indexes[2].Expr)
	}

	var old IndexDesc
	must(t, json.Unmarshal([]byte(`{"id":2,"oid":16500,"name":"items_embedding_idx","columns":[1],"method":"hnsw","opclasses":["vector_l2_ops"]}`), &old))
	if old.Expr != "" || !reflect.DeepEqual(old.Columns, []int{1}) {
		t.Fatalf("old descriptor decoded as %+v", old)
	}
	b, err := json.Marshal(IndexDesc{Name: "i", Columns: []int{0}, Method: "btree"})
	must(t, err)
	if string(b) != `{"id":0,"oid":0,"name":"i","columns":[0],"method":"btree"}` {
		t.Fatalf("a column index encodes as %s: it must not gain an expr field", b)
	}
}
