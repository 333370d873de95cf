package storage

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

func loadCatalog(t *testing.T, e Engine) *Catalog {
	t.Helper()
	txn := mustBegin(t, e)
	defer txn.Rollback()
	c, err := LoadCatalog(txn)
	must(t, err)
	return c
}

// inTxn runs f in a transaction and commits it.
func inTxn(t *testing.T, e Engine, f func(txn Txn) error) {
	t.Helper()
	txn := mustBegin(t, e)
	if err := f(txn); err != nil {
		txn.Rollback()
		t.Fatal(err)
	}
	must(t, txn.Commit())
}

func itemsTable(dbID uint32, name string) *TableDesc {
	return &TableDesc{
		DBID: dbID, Name: name,
		Columns: []ColumnDesc{
			{Name: "id", TypeOID: 20, Typmod: -1, NotNull: true, Default: "nextval('" + name + "_id_seq'::regclass)", Serial: name + "_id_seq"},
			{Name: "embedding", TypeOID: 16385, Typmod: 3},
		},
		PrimaryKey: []int{0},
		Indexes: []IndexDesc{
			{Name: name + "_pkey", Columns: []int{0}, Unique: true, Primary: true, Method: "btree"},
			{Name: name + "_embedding_idx", Columns: []int{1}, Method: "hnsw", Opclasses: []string{"vector_l2_ops"},
				Options: []IndexOption{{Name: "m", Value: "16"}}},
		},
	}
}

func TestBootstrap(t *testing.T) {
	dir := t.TempDir()
	e := openTestEngine(t, dir)
	must(t, Bootstrap(e))
	c := loadCatalog(t, e)
	pg, t1 := c.Database("postgres"), c.Database("template1")
	if pg == nil || t1 == nil {
		t.Fatalf("databases after bootstrap: %v", c.Databases())
	}
	if pg.ID < FirstID || t1.ID < FirstID || pg.ID == t1.ID {
		t.Fatalf("database IDs %d, %d: want distinct and >= %d", pg.ID, t1.ID, FirstID)
	}
	v := c.Version
	must(t, e.Close())
	e = openTestEngine(t, dir)
	defer e.Close()
	must(t, Bootstrap(e)) // no-op on an existing store
	c2 := loadCatalog(t, e)
	if c2.Version != v || len(c2.Databases()) != 2 {
		t.Fatalf("second bootstrap changed the catalog: version %d -> %d, %d databases", v, c2.Version, len(c2.Databases()))
	}
}

func TestCatalogRoundTrip(t *testing.T) {
	dir := t.TempDir()
	e := openTestEngine(t, dir)
	must(t, Bootstrap(e))
	db := loadCatalog(t, e).Database("postgres")
	items := itemsTable(db.ID, "items")
	inTxn(t, e, func(txn Txn) error { return CreateTable(txn, items) })
	if items.ID < FirstID || items.Schema != "public" || items.NextIndexID != 3 {
		t.Fatalf("CreateTable assigned ID %d, schema %q, NextIndexID %d", items.ID, items.Schema, items.NextIndexID)
	}
	if items.Indexes[0].ID != 1 || items.Indexes[1].ID != 2 {
		t.Fatalf("index IDs %d, %d; want 1, 2", items.Indexes[0].ID, items.Indexes[1].ID)
	}
	oids := map[uint32]bool{db.ID: true, items.ID: true}
	for _, ix := range items.Indexes {
		if ix.OID < FirstID || oids[ix.OID] {
			t.Fatalf("index %s has OID %d: not fresh", ix.Name, ix.OID)
		}
		oids[ix.OID] = true
	}
	must(t, e.Close())

	e = openTestEngine(t, dir)
	defer e.Close()
	c := loadCatalog(t, e)
	got := c.TableByName(db.ID, "public", "items")
	if !reflect.DeepEqual(got, items) {
		t.Fatalf("after reopen:\n got %+v\nwant %+v", got, items)
	}
	if c.Table(items.ID) != got {
		t.Fatal("Table(id) differs from TableByName")
	}
	if tbl, ix := c.IndexByOID(items.Indexes[1].OID); tbl != got || ix == nil || ix.Name != "items_embedding_idx" {
		t.Fatalf("IndexByOID = %v, %v", tbl, ix)
	}
	if tbl, ix := c.IndexByName(db.ID, "public", "items_pkey"); tbl != got || ix == nil || !ix.Primary {
		t.Fatalf("IndexByName = %v, %v", tbl, ix)
	}
	if ts := c.Tables(db.ID); len(ts) != 1 || ts[0] != got {
		t.Fatalf("Tables = %v", ts)
	}
	if c.TableByName(db.ID, "public", "nope") != nil || c.Database("nope") != nil {
		t.Fatal("lookup of a missing name succeeded")
	}
}

func TestCatalogErrors(t *testing.T) {
	e := newTestEngine(t)
	must(t, Bootstrap(e))
	db := loadCatalog(t, e).Database("postgres")
	inTxn(t, e, func(txn Txn) error { return CreateTable(txn, itemsTable(db.ID, "items")) })
	tests := []struct {
		name string
		f    func(txn Txn) error
		code pgerr.Code
	}{
		{"duplicate table", func(txn Txn) error { return CreateTable(txn, itemsTable(db.ID, "items")) }, pgerr.DuplicateTable},
		{"table named like an index", func(txn Txn) error {
			return CreateTable(txn, &TableDesc{DBID: db.ID, Name: "items_pkey"})
		}, pgerr.DuplicateTable},
		{"index named like a table", func(txn Txn) error {
			d := itemsTable(db.ID, "other")
			d.Indexes[1].Name = "items"
			return CreateTable(txn, d)
		}, pgerr.DuplicateTable},
		{"duplicate column", func(txn Txn) error {
			return CreateTable(txn, &TableDesc{DBID: db.ID, Name: "t", Columns: []ColumnDesc{{Name: "a"}, {Name: "a"}}})
		}, pgerr.DuplicateColumn},
		{"bad primary key ordinal", func(txn Txn) error {
			return CreateTable(txn, &TableDesc{DBID: db.ID, Name: "t", Columns: []ColumnDesc{{Name: "a"}}, PrimaryKey: []int{1}})
		}, pgerr.InvalidTableDefinition},
		{"unknown database", func(txn Txn) error { return CreateTable(txn, &TableDesc{DBID: 1, Name: "t"}) }, pgerr.InvalidCatalogName},
		{"duplicate database", func(txn Txn) error { _, err := CreateDatabase(txn, "postgres"); return err }, pgerr.DuplicateDatabase},
		{"put missing table", func(txn Txn) error { return PutTable(txn, &TableDesc{ID: 99999, DBID: db.ID, Name: "x"}) }, pgerr.UndefinedTable},
		{"drop missing table", func(txn Txn) error { return DropTable(txn, &TableDesc{ID: 99999, Name: "x"}) }, pgerr.UndefinedTable},
		{"drop missing database", func(txn Txn) error { return DropDatabase(txn, &DatabaseDesc{ID: 99999, Name: "x"}) }, pgerr.InvalidCatalogName},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			txn := mustBegin(t, e)
			defer txn.Rollback()
			err := tc.f(txn)
			if got := pgerr.CodeOf(err); got != tc.code {
				t.Fatalf("error %v has code %s, want %s", err, got, tc.code)
			}
		})
	}
}

// TestCatalogVersionAndConflicts checks that every catalog write bumps the
// version and that concurrent DDL conflicts.
func TestCatalogVersionAndConflicts(t *testing.T) {
	e := newTestEngine(t)
	must(t, Bootstrap(e))
	c0 := loadCatalog(t, e)
	db := c0.Database("postgres")
	t1, t2 := mustBegin(t, e), mustBegin(t, e)
	must(t, CreateTable(t1, itemsTable(db.ID, "a")))
	must(t, CreateTable(t2, itemsTable(db.ID, "b")))
	v1, err := CatalogVersion(t1)
	must(t, err)
	if v1 != c0.Version+1 {
		t.Fatalf("version in txn = %d, want %d", v1, c0.Version+1)
	}
	must(t, t1.Commit())
	if err := t2.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("concurrent CREATE TABLE: %v, want ErrConflict", err)
	}
	c1 := loadCatalog(t, e)
	if c1.Version != v1 || c1.TableByName(db.ID, "public", "a") == nil || c1.TableByName(db.ID, "public", "b") != nil {
		t.Fatalf("after conflict: version %d, tables %v", c1.Version, c1.Tables(db.ID))
	}
	extended := *db
	extended.Extensions = []string{"vector"}
	inTxn(t, e, func(txn Txn) error { return PutDatabase(txn, &extended) })
	c2 := loadCatalog(t, e)
	if c2.Version != v1+1 || !reflect.DeepEqual(c2.Database("postgres").Extensions, []string{"vector"}) {
		t.Fatalf("after PutDatabase: version %d, db %+v", c2.Version, c2.Database("postgres"))
	}
}

// TestPutTableIndexes adds and drops indexes and checks IDs and cleanup.
func TestPutTableIndexes(t *testing.T) {
	e := newTestEngine(t)
	must(t, Bootstrap(e))
	db := loadCatalog(t, e).Database("postgres")
	items := itemsTable(db.ID, "items")
	inTxn(t, e, func(txn Txn) error { return CreateTable(txn, items) })
	hnsw := items.Indexes[1]
	inTxn(t, e, func(txn Txn) error {
		must(t, txn.Put(IndexKey(nil, items.ID, hnsw.ID, []byte("k")), nil))
		return WriteVectorImage(txn, items.ID, hnsw.ID, []byte("image"))
	})

	d := loadCatalog(t, e).Table(items.ID).Clone()
	d.Indexes = append(d.Indexes[:1], IndexDesc{Name: "items_id_idx", Columns: []int{0}, Method: "btree"})
	inTxn(t, e, func(txn Txn) error { return PutTable(txn, d) })
	if got := d.Indexes[1]; got.ID != 3 || got.OID < FirstID || got.OID == hnsw.OID {
		t.Fatalf("new index got ID %d OID %d; want ID 3 and a fresh OID", got.ID, got.OID)
	}
	if d.NextIndexID != 4 {
		t.Fatalf("NextIndexID = %d, want 4", d.NextIndexID)
	}
	r := mustBegin(t, e)
	defer r.Rollback()
	if got := scanPrefix(t, r, IndexPrefix(items.ID, hnsw.ID)); got != 0 {
		t.Fatalf("dropped index still has %d entries", got)
	}
	if _, err := ReadVectorImage(r, items.ID, hnsw.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("dropped index image: %v, want ErrNotFound", err)
	}
	c := loadCatalog(t, e)
	if _, ix := c.IndexByName(db.ID, "public", "items_embedding_idx"); ix != nil {
		t.Fatal("dropped index still in catalog")
	}
	if _, ix := c.IndexByOID(d.Indexes[1].OID); ix == nil || ix.Name != "items_id_idx" {
		t.Fatalf("IndexByOID(new) = %v", ix)
	}
}

func scanPrefix(t *testing.T, r Reader, prefix []byte) int {
	t.Helper()
	it, err := r.NewIter(prefix, PrefixEnd(prefix))
	must(t, err)
	defer it.Close()
	n := 0
	for it.Next() {
		n++
	}
	must(t, it.Err())
	return n
}

// TestDropTable checks that DropTable removes everything of the table and
// nothing of its neighbours, and that DropDatabase drops its tables.
func TestDropTable(t *testing.T) {
	e := newTestEngine(t)
	must(t, Bootstrap(e))
	db := loadCatalog(t, e).Database("postgres")
	a, b := itemsTable(db.ID, "a"), itemsTable(db.ID, "b")
	inTxn(t, e, func(txn Txn) error { must(t, CreateTable(txn, a)); return CreateTable(txn, b) })
	fill := func(td *TableDesc) {
		inTxn(t, e, func(txn Txn) error {
			for i := 0; i < 10; i++ {
				must(t, txn.Put(TableRowKey(nil, td.ID, []byte{byte(i)}), []byte("row")))
				must(t, txn.Put(IndexKey(nil, td.ID, 1, []byte{byte(i)}), nil))
			}
			must(t, txn.Put(TableStatsKey(td.ID), []byte("stats")))
			return WriteVectorImage(txn, td.ID, 2, bytes.Repeat([]byte{1}, 100))
		})
		_, err := e.NextSequence(SequenceKey(td.Columns[0].Serial), 5)
		must(t, err)
		_, err = e.NextSequence(RowIDSequenceKey(td.ID), 5)
		must(t, err)
	}
	fill(a)
	fill(b)
	inTxn(t, e, func(txn Txn) error { return DropTable(txn, a) })

	r := mustBegin(t, e)
	for _, p := range [][]byte{TableRowPrefix(a.ID), tableScopedPrefix(prefixIndex, a.ID), tableScopedPrefix(prefixVectorBlob, a.ID)} {
		if n := scanPrefix(t, r, p); n != 0 {
			t.Fatalf("prefix %x of the dropped table holds %d keys", p, n)
		}
	}
	for _, k := range [][]byte{TableDescKey(a.ID), TableStatsKey(a.ID)} {
		if _, err := r.Get(k); !errors.Is(err, ErrNotFound) {
			t.Fatalf("key %x of the dropped table: %v", k, err)
		}
	}
	if n := scanPrefix(t, r, TableRowPrefix(b.ID)); n != 10 {
		t.Fatalf("neighbour table has %d rows, want 10", n)
	}
	if img, err := ReadVectorImage(r, b.ID, 2); err != nil || len(img) != 100 {
		t.Fatalf("neighbour image: %d bytes, %v", len(img), err)
	}
	r.Rollback()
	// The dropped table's sequences start over; the neighbour's continue.
	if v, err := e.NextSequence(SequenceKey(a.Columns[0].Serial), 1); err != nil || v != 1 {
		t.Fatalf("sequence of dropped table: %d, %v; want 1", v, err)
	}
	if v, err := e.NextSequence(SequenceKey(b.Columns[0].Serial), 1); err != nil || v != 6 {
		t.Fatalf("sequence of kept table: %d, %v; want 6", v, err)
	}

	other := &DatabaseDesc{}
	inTxn(t, e, func(txn Txn) error {
		var err error
		other, err = CreateDatabase(txn, "other")
		return err
	})
	c := itemsTable(other.ID, "c")
	inTxn(t, e, func(txn Txn) error { return CreateTable(txn, c) })
	fill(c)
	inTxn(t, e, func(txn Txn) error { return DropDatabase(txn, other) })
	cat := loadCatalog(t, e)
	if cat.Database("other") != nil || cat.Table(c.ID) != nil || cat.Table(b.ID) == nil {
		t.Fatal("DropDatabase left the database or its table, or dropped another")
	}
	r = mustBegin(t, e)
	defer r.Rollback()
	if n := scanPrefix(t, r, TableRowPrefix(c.ID)); n != 0 {
		t.Fatalf("table of dropped database has %d rows", n)
	}
}

func TestVectorImage(t *testing.T) {
	e := newTestEngine(t)
	image := make([]byte, 2*VectorBlobChunkSize+12345)
	for i := range image {
		image[i] = byte(i * 7)
	}
	for _, img := range [][]byte{image, {}, []byte("small")} {
		inTxn(t, e, func(txn Txn) error { return WriteVectorImage(txn, FirstID, 1, img) })
		r := mustBegin(t, e)
		got, err := ReadVectorImage(r, FirstID, 1)
		must(t, err)
		if !bytes.Equal(got, img) {
			t.Fatalf("read %d bytes, wrote %d", len(got), len(img))
		}
		// A smaller image replaced all chunks of a larger one.
		if n := scanPrefix(t, r, append(VectorBlobPrefix(FirstID, 1), tagBlobChunk)); n != max(1, (len(img)+VectorBlobChunkSize-1)/VectorBlobChunkSize) {
			t.Fatalf("%d chunks for %d bytes", n, len(img))
		}
		r.Rollback()
	}
	// Corruption is detected: a changed chunk.
	inTxn(t, e, func(txn Txn) error { return txn.Put(VectorBlobChunkKey(FirstID, 1, 0), []byte("smalL")) })
	r := mustBegin(t, e)
	defer r.Rollback()
	if _, err := ReadVectorImage(r, FirstID, 1); err == nil {
		t.Fatal("corrupt image read without error")
	}
	if _, err := ReadVectorImage(r, FirstID, 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing image: %v, want ErrNotFound", err)
	}
}
