package pgwire

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestCopyConstraints checks that COPY FROM enforces CHECK constraints per
// row and foreign keys once at its end (so a child row may precede its
// parent in the data), and that a failing COPY leaves no rows.
func TestCopyConstraints(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn := ts.connect(t)
	pc := conn.PgConn()
	if _, err := pc.Exec(ctx, `CREATE TABLE tree (id int PRIMARY KEY CHECK (id > 0), parent int REFERENCES tree)`).ReadAll(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		data, code, msg string
	}{
		{"2\t1\n1\t\\N\n", "", ""},
		{"5\t4\n", "23503", `insert or update on table "tree" violates foreign key constraint "tree_parent_fkey"`},
		{"3\t1\n0\t1\n", "23514", `new row for relation "tree" violates check constraint "tree_id_check"`},
	}
	for _, c := range cases {
		_, err := pc.CopyFrom(ctx, strings.NewReader(c.data), "COPY tree FROM STDIN")
		var pe *pgconn.PgError
		switch {
		case c.code == "" && err != nil:
			t.Errorf("COPY %q: %v", c.data, err)
		case c.code != "" && (!errors.As(err, &pe) || pe.Code != c.code || pe.Message != c.msg):
			t.Errorf("COPY %q: got %v, want %s %s", c.data, err, c.code, c.msg)
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM tree").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows after the COPYs: %d, %v; want 2", n, err)
	}
}
