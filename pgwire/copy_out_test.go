package pgwire

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestCopyTo checks COPY ... TO STDOUT through pgconn's CopyTo: the text
// and csv output byte for byte (the expected text is what PostgreSQL 15
// printed for the same table and statements, escapes and quoting
// included), a query form inside a transaction, the errors of unknown
// names, and a binary COPY TO whose output COPY FROM loads back into an
// equal table.
func TestCopyTo(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn := ts.connect(t)
	if _, err := conn.Exec(ctx, `CREATE TABLE ct (id int PRIMARY KEY, name text, score float8, ok bool, note text, e vector(2));
		INSERT INTO ct VALUES (1, 'plain', 1.5, true, NULL, '[1,2]'), (2, E'tab\there', -0.25, false, 'x,y', NULL),
		(3, E'line\nbreak\\back', 1e20, NULL, 'say "hi"', '[0.5,-3]'), (4, '', 0.1, true, '\.', '[0,0]')`); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ sql, want, tag string }{
		{"COPY ct (id, name, score, ok, note) TO STDOUT",
			"1\tplain\t1.5\tt\t\\N\n2\ttab\\there\t-0.25\tf\tx,y\n3\tline\\nbreak\\\\back\t1e+20\t\\N\tsay \"hi\"\n4\t\t0.1\tt\t\\\\.\n", "COPY 4"},
		{"COPY ct (id, note) TO STDOUT WITH (FORMAT csv, HEADER true)",
			"id,note\n1,\n2,\"x,y\"\n3,\"say \"\"hi\"\"\"\n4,\\.\n", "COPY 4"},
		{"COPY (SELECT id, name FROM ct WHERE id > 2 ORDER BY id) TO STDOUT CSV",
			"3,\"line\nbreak\\back\"\n4,\"\"\n", "COPY 2"},
		{"COPY (SELECT note FROM ct ORDER BY id) TO STDOUT CSV", "\n\"x,y\"\n\"say \"\"hi\"\"\"\n\"\\.\"\n", "COPY 4"},
		{"COPY ct (id, e) TO STDOUT WITH (DELIMITER '|', NULL 'nil')", "1|[1,2]\n2|nil\n3|[0.5,-3]\n4|[0,0]\n", "COPY 4"},
	}
	for _, c := range cases {
		var out bytes.Buffer
		tag, err := conn.PgConn().CopyTo(ctx, &out, c.sql)
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if out.String() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.sql, out.String(), c.want)
		}
		if tag.String() != c.tag {
			t.Errorf("%s: tag %q, want %q", c.sql, tag, c.tag)
		}
	}
	for _, c := range []struct{ sql, code string }{
		{"COPY ct (nope) TO STDOUT", "42703"},
		{"COPY nope TO STDOUT", "42P01"},
		{"COPY ct TO STDOUT WITH (FORMAT xml)", "22023"},
	} {
		_, err := conn.PgConn().CopyTo(ctx, &bytes.Buffer{}, c.sql)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != c.code {
			t.Errorf("%s: got %v, want SQLSTATE %s", c.sql, err, c.code)
		}
	}
	// Binary out, binary in: the copy equals the original.
	var bin bytes.Buffer
	tag, err := conn.PgConn().CopyTo(ctx, &bin, "COPY ct TO STDOUT (FORMAT binary)")
	if err != nil || tag.String() != "COPY 4" || !bytes.HasPrefix(bin.Bytes(), []byte("PGCOPY\n\xff\r\n\x00")) {
		t.Fatalf("binary COPY TO: tag %q err %v, %d bytes", tag, err, bin.Len())
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE ct2 (id int PRIMARY KEY, name text, score float8, ok bool, note text, e vector(2))"); err != nil {
		t.Fatal(err)
	}
	if tag, err := conn.PgConn().CopyFrom(ctx, &bin, "COPY ct2 FROM STDIN (FORMAT binary)"); err != nil || tag.String() != "COPY 4" {
		t.Fatalf("binary COPY FROM of the output: %q %v", tag, err)
	}
	var diff int
	const cols = "id, name, score, ok, note, e::text"
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM (SELECT `+cols+` FROM ct EXCEPT SELECT `+cols+` FROM ct2) x)
		+ (SELECT count(*) FROM (SELECT `+cols+` FROM ct2 EXCEPT SELECT `+cols+` FROM ct) y)`).Scan(&diff); err != nil || diff != 0 {
		t.Fatalf("copy differs from the original in %d rows (%v)", diff, err)
	}
	// The connection is usable and in no transaction afterwards.
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("after COPY: %d %v", one, err)
	}
}
