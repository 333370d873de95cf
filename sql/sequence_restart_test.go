package sql

import (
	"context"
	"strconv"
	"testing"

	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// seqTestSession runs SQL on a session of eng and returns the first column
// of every row as text (integers and strings only).
func seqTestSession(t *testing.T, eng *Engine) func(sql string) []string {
	t.Helper()
	ctx := context.Background()
	s, err := eng.NewSession(ctx, map[string]string{"user": "postgres", "database": "postgres"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return func(sql string) []string {
		t.Helper()
		ps, err := Parse(sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var out []string
		for _, p := range ps {
			prep, err := s.Prepare(ctx, p, nil)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			r, err := s.Execute(ctx, prep, nil)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			for {
				row, ok, err := r.Next(ctx)
				if err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
				if !ok {
					break
				}
				switch row[0].K {
				case types.KindInt:
					out = append(out, strconv.FormatInt(row[0].I, 10))
				default:
					out = append(out, row[0].S)
				}
			}
		}
		if err := s.Sync(); err != nil {
			t.Fatalf("%s: commit: %v", sql, err)
		}
		return out
	}
}

func wantRows(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s = %q, want %q", what, got, want)
		}
	}
}

// TestSequencesSurviveRestart: sequences, their options and state, serial
// and identity counters, and setval survive closing and reopening the
// engine, and continue without a gap after a clean close.
func TestSequencesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	eng, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	q := seqTestSession(t, eng)
	q("CREATE SEQUENCE s INCREMENT BY 10 START 100")
	q("CREATE SEQUENCE d AS smallint INCREMENT -1 MINVALUE 1 MAXVALUE 3 CYCLE")
	q("CREATE TABLE t (id serial PRIMARY KEY, v text)")
	q("CREATE TABLE i (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 7), v text)")
	wantRows(t, "nextval s", q("SELECT nextval('s'); SELECT nextval('s')"), "100", "110")
	wantRows(t, "nextval d", q("SELECT nextval('d'); SELECT nextval('d')"), "3", "2")
	wantRows(t, "serial", q("INSERT INTO t (v) VALUES ('a'), ('b') RETURNING id"), "1", "2")
	wantRows(t, "identity", q("INSERT INTO i (v) VALUES ('a') RETURNING id"), "7")
	q("CREATE SEQUENCE z; SELECT setval('z', 41)")
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}

	eng, err = Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	q = seqTestSession(t, eng)
	wantRows(t, "nextval s after restart", q("SELECT nextval('s')"), "120")
	wantRows(t, "nextval d after restart", q("SELECT nextval('d'); SELECT nextval('d')"), "1", "3")
	wantRows(t, "serial after restart", q("INSERT INTO t (v) VALUES ('c') RETURNING id"), "3")
	wantRows(t, "identity after restart", q("INSERT INTO i (v) VALUES ('b') RETURNING id"), "8")
	wantRows(t, "setval after restart", q("SELECT nextval('z')"), "42")
	wantRows(t, "pg_sequences", q("SELECT sequencename FROM pg_sequences ORDER BY 1"), "d", "i_id_seq", "s", "t_id_seq", "z")
	wantRows(t, "options", q("SELECT increment_by FROM pg_sequences WHERE sequencename = 's'"), "10")
}

// TestLegacySerialMigration: a store written before catalog sequences (a
// serial column with a Serial counter under SequenceKey) is migrated on
// open: the column owns a real sequence that continues the counter.
func TestLegacySerialMigration(t *testing.T) {
	dir := t.TempDir()
	st, err := storage.OpenPebble(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.Bootstrap(st); err != nil {
		t.Fatal(err)
	}
	txn, err := st.Begin()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := storage.LoadCatalog(txn)
	if err != nil {
		t.Fatal(err)
	}
	db := cat.Database("postgres")
	serial := strconv.FormatUint(uint64(db.ID), 10) + ".public.t_id_seq"
	desc := &storage.TableDesc{DBID: db.ID, Name: "t", PrimaryKey: []int{0},
		Columns: []storage.ColumnDesc{
			{Name: "id", TypeOID: types.Int4Type.OID(), Typmod: -1, NotNull: true, Default: "nextval('t_id_seq'::regclass)", Serial: serial},
			{Name: "v", TypeOID: types.TextType.OID(), Typmod: -1}},
		Indexes: []storage.IndexDesc{{Name: "t_pkey", Columns: []int{0}, Unique: true, Primary: true, Method: "btree"}}}
	if err := storage.CreateTable(txn, desc); err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if v, err := st.NextSequence(storage.SequenceKey(serial), 5); err != nil || v != 5 {
		t.Fatalf("legacy NextSequence = %d, %v", v, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	eng, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	q := seqTestSession(t, eng)
	wantRows(t, "insert after migration", q("INSERT INTO t (v) VALUES ('x') RETURNING id"), "6")
	wantRows(t, "pg_get_serial_sequence", q("SELECT pg_get_serial_sequence('t', 'id')"), "public.t_id_seq")
	wantRows(t, "currval", q("SELECT currval('t_id_seq')"), "6")
	q("DROP TABLE t")
	wantRows(t, "sequence dropped with table", q("SELECT relname FROM pg_class WHERE relkind = 'S'"))
}
