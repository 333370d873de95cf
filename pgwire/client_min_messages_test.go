package pgwire

import (
	"context"
	"testing"
)

// TestClientMinMessages checks that client_min_messages filters the
// notices sent to the client as PostgreSQL does: below the level nothing
// is sent (DROP ... IF EXISTS's NOTICE, an index build's NOTICEs), at or
// above it they arrive.
func TestClientMinMessages(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn, take := noticeConn(t, ts)
	run := func(sql string) []string {
		t.Helper()
		take()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var out []string
		for _, n := range take() {
			out = append(out, n.Severity+" "+n.Message)
		}
		return out
	}
	const skip = `NOTICE table "nosuch" does not exist, skipping`
	if n := run("DROP TABLE IF EXISTS nosuch"); len(n) != 1 || n[0] != skip {
		t.Fatalf("default level: notices %q, want %q", n, skip)
	}
	run("CREATE TABLE cm (id int PRIMARY KEY, v vector(2))")
	run("INSERT INTO cm VALUES (1, '[1,2]'), (2, '[3,4]')")
	run("SET client_min_messages = warning")
	if n := run("DROP TABLE IF EXISTS nosuch"); len(n) != 0 {
		t.Fatalf("at warning: notices %q, want none", n)
	}
	if n := run("CREATE INDEX ON cm USING hnsw (v)"); len(n) != 0 {
		t.Fatalf("at warning: index build notices %q, want none", n)
	}
	run("SET client_min_messages = debug") // PostgreSQL's alias of debug2
	if n := run("DROP TABLE IF EXISTS nosuch"); len(n) != 1 || n[0] != skip {
		t.Fatalf("at debug2: notices %q, want %q", n, skip)
	}
	var level string
	if err := conn.QueryRow(ctx, "SHOW client_min_messages").Scan(&level); err != nil || level != "debug2" {
		t.Fatalf("SHOW client_min_messages = %q, %v; want debug2", level, err)
	}
}
