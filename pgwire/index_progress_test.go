package pgwire

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Index build progress (issue 4, point 5): a NOTICE per build phase, the
// pgvector NOTICE for an IVF index trained on too little data, and the
// pg_stat_progress_create_index view seen from another connection while a
// build runs.

// noticeConn connects with a handler that records every NOTICE.
func noticeConn(t *testing.T, ts *testServer) (*pgx.Conn, func() []*pgconn.Notice) {
	t.Helper()
	cfg, err := pgx.ParseConfig(ts.connString(""))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []*pgconn.Notice
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		got = append(got, n)
		mu.Unlock()
	}
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	take := func() []*pgconn.Notice {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
	return conn, take
}

func TestIndexBuildNotices(t *testing.T) {
	ts := startTestServer(t)
	conn, take := noticeConn(t, ts)
	mustExec(t, conn, "CREATE TABLE n (id int PRIMARY KEY, e vector(2))")
	mustExec(t, conn, "INSERT INTO n SELECT i, ARRAY[i, -i]::vector FROM generate_series(1, 10) g(i)")
	take()

	mustExec(t, conn, "CREATE INDEX n_hnsw ON n USING hnsw (e)")
	var msgs []string
	for _, n := range take() {
		if n.Severity != "NOTICE" || n.Code != "00000" {
			t.Errorf("build notice %q has severity %s, code %s", n.Message, n.Severity, n.Code)
		}
		msgs = append(msgs, n.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`index "n_hnsw": loading tuples done`, `index "n_hnsw": `, "(10 vectors in "} {
		if !strings.Contains(all, want) {
			t.Errorf("hnsw build notices lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "little data") {
		t.Errorf("hnsw build warned about little data:\n%s", all)
	}

	// Regression test for #4: pgvector warns when an ivfflat index is
	// built with fewer rows than lists (default 100); vecgres did not.
	mustExec(t, conn, "CREATE INDEX n_ivf ON n USING ivfflat (e)")
	var little *pgconn.Notice
	for _, n := range take() {
		if n.Message == "ivfflat index created with little data" {
			little = n
		}
	}
	if little == nil {
		t.Fatal("no \"ivfflat index created with little data\" NOTICE for 10 rows and 100 lists")
	}
	if little.Code != "00000" || little.Detail != "This will cause low recall." || little.Hint != "Drop the index until the table has more data." {
		t.Errorf("little-data notice: code %s detail %q hint %q", little.Code, little.Detail, little.Hint)
	}
	mustExec(t, conn, "REINDEX INDEX n_ivf")
	if !hasNotice(take(), "ivfflat index created with little data") {
		t.Error("REINDEX of the small ivfflat index did not warn")
	}
	mustExec(t, conn, "CREATE INDEX n_ivf10 ON n USING ivfflat (e) WITH (lists = 10)")
	if hasNotice(take(), "ivfflat index created with little data") {
		t.Error("10 rows for 10 lists is enough data, but the build warned")
	}
}

func hasNotice(ns []*pgconn.Notice, msg string) bool {
	for _, n := range ns {
		if n.Message == msg {
			return true
		}
	}
	return false
}

// TestIndexBuildProgressView watches pg_stat_progress_create_index from a
// second connection while an HNSW build over 20,000 rows runs.
func TestIndexBuildProgressView(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	builder, _ := noticeConn(t, ts)
	watcher, _ := noticeConn(t, ts)
	const rows, dims = 20000, 32
	mustExec(t, builder, fmt.Sprintf("CREATE TABLE p (id int PRIMARY KEY, e vector(%d))", dims))
	for start := 0; start < rows; start += 1000 {
		var sb strings.Builder
		sb.WriteString("INSERT INTO p VALUES ")
		for i := start; i < start+1000; i++ {
			if i > start {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%d,'[", i)
			for j := 0; j < dims; j++ {
				if j > 0 {
					sb.WriteByte(',')
				}
				fmt.Fprintf(&sb, "%d", (i*7919+j*104729)%1000)
			}
			sb.WriteString("]')")
		}
		mustExec(t, builder, sb.String())
	}
	var tableOID uint32
	if err := watcher.QueryRow(ctx, "SELECT oid FROM pg_class WHERE relname = 'p'").Scan(&tableOID); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		_, err := builder.Exec(ctx, "CREATE INDEX p_hnsw ON p USING hnsw (e) WITH (m = 16, ef_construction = 64)")
		done <- err
	}()
	type obs struct {
		phase       string
		done, total int64
	}
	var seen []obs
	finished := false
	for !finished {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("CREATE INDEX: %v", err)
			}
			finished = true
		default:
		}
		r, err := watcher.Query(ctx, "SELECT relid, command, phase, datname, tuples_done, tuples_total FROM pg_stat_progress_create_index")
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var relid uint32
			var command, phase, datname string
			var o obs
			if err := r.Scan(&relid, &command, &phase, &datname, &o.done, &o.total); err != nil {
				t.Fatal(err)
			}
			if relid != tableOID || command != "CREATE INDEX" || datname != "postgres" {
				t.Fatalf("progress row: relid %d command %q datname %q, want %d, CREATE INDEX, postgres", relid, command, datname, tableOID)
			}
			o.phase = phase
			seen = append(seen, o)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) == 0 {
		t.Fatal("pg_stat_progress_create_index never showed the running build")
	}
	sawTotal := false
	for _, o := range seen {
		if o.done < 0 || o.total > 0 && o.done > o.total {
			t.Errorf("phase %q: tuples_done %d of %d", o.phase, o.done, o.total)
		}
		sawTotal = sawTotal || o.total == rows
		switch o.phase {
		case "initializing", "loading tuples", "training", "building index":
		default:
			t.Errorf("unknown phase %q", o.phase)
		}
	}
	if !sawTotal {
		t.Errorf("no progress row had tuples_total = %d; first rows seen: %v", rows, seen[:min(len(seen), 5)])
	}
	var left int
	if err := watcher.QueryRow(ctx, "SELECT count(*) FROM pg_stat_progress_create_index").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d progress rows remain after the build finished", left)
	}
}

// Regression test for #4: rows of system views were computed when a
// statement was prepared, so a cached prepared statement (pgx caches them
// by default) kept returning them: pg_settings after SET, and the progress
// view above.
func TestPreparedSystemViewIsFresh(t *testing.T) {
	ts := startTestServer(t)
	conn, _ := noticeConn(t, ts)
	ctx := context.Background()
	const q = "SELECT setting FROM pg_settings WHERE name = 'hnsw.ef_search'"
	for _, want := range []string{"40", "77", "40"} {
		if want != "40" {
			mustExec(t, conn, "SET hnsw.ef_search = "+want)
		} else {
			mustExec(t, conn, "RESET hnsw.ef_search")
		}
		var got string
		if err := conn.QueryRow(ctx, q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("pg_settings says hnsw.ef_search = %s, want %s", got, want)
		}
	}
}
