package pgwire

import (
	"context"
	"fmt"
	"slices"
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

// progressRow is one row of pg_stat_progress_create_index.
type progressRow struct {
	pid                int32
	relid, indexRelid  uint32
	command, phase, db string
	done, total        int64
}

// watchBuild runs stmt on builder and polls pg_stat_progress_create_index
// from watcher until it finishes, returning every row seen.
func watchBuild(t *testing.T, builder, watcher *pgx.Conn, stmt string) []progressRow {
	t.Helper()
	ctx := context.Background()
	done := make(chan error, 1)
	go func() {
		_, err := builder.Exec(ctx, stmt)
		done <- err
	}()
	var seen []progressRow
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
			finished = true
		default:
		}
		r, err := watcher.Query(ctx, "SELECT pid, relid, index_relid, command, phase, datname, tuples_done, tuples_total FROM pg_stat_progress_create_index")
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var o progressRow
			if err := r.Scan(&o.pid, &o.relid, &o.indexRelid, &o.command, &o.phase, &o.db, &o.done, &o.total); err != nil {
				t.Fatal(err)
			}
			seen = append(seen, o)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var left int
	if err := watcher.QueryRow(ctx, "SELECT count(*) FROM pg_stat_progress_create_index").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%s: %d progress rows remain after the build finished", stmt, left)
	}
	return seen
}

// TestIndexBuildProgressView watches pg_stat_progress_create_index from a
// second connection while builds over 20,000 rows run: the pid is the
// builder's backend PID (pg_backend_pid(), BackendKeyData), the command
// names the statement, index_relid is 0 only for a plain CREATE INDEX, and
// the phases are PostgreSQL's ("initializing", then "building index:
// <sub-phase>" with pgvector's sub-phase names).
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
	var builderPID int32
	if err := builder.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&builderPID); err != nil {
		t.Fatal(err)
	}
	if uint32(builderPID) != builder.PgConn().PID() {
		t.Fatalf("pg_backend_pid() = %d, BackendKeyData said %d", builderPID, builder.PgConn().PID())
	}

	ivfPhases := []string{"initializing", "building index: performing k-means", "building index: assigning tuples"}
	for _, tc := range []struct {
		stmt, command string
		index         string // "" when index_relid must be 0
		phases        []string
		mustSee       string // a phase that must be observed
	}{
		{"CREATE INDEX p_hnsw ON p USING hnsw (e) WITH (m = 16, ef_construction = 64)", "CREATE INDEX", "",
			[]string{"initializing", "building index: loading tuples"}, "building index: loading tuples"},
		{"CREATE INDEX CONCURRENTLY p_ivf ON p USING ivfflat (e) WITH (lists = 200)", "CREATE INDEX CONCURRENTLY", "p_ivf",
			ivfPhases, "building index: performing k-means"},
		{"REINDEX INDEX p_ivf", "REINDEX", "p_ivf", ivfPhases, "building index: performing k-means"},
		{"REINDEX INDEX CONCURRENTLY p_ivf", "REINDEX CONCURRENTLY", "p_ivf", ivfPhases, "building index: performing k-means"},
	} {
		seen := watchBuild(t, builder, watcher, tc.stmt)
		if len(seen) == 0 {
			t.Errorf("%s: pg_stat_progress_create_index never showed the running build", tc.stmt)
			continue
		}
		var indexOID uint32
		if tc.index != "" {
			if err := watcher.QueryRow(ctx, "SELECT oid FROM pg_class WHERE relname = $1", tc.index).Scan(&indexOID); err != nil {
				t.Fatal(err)
			}
		}
		sawTotal, sawMust := false, tc.mustSee == ""
		for _, o := range seen {
			if o.pid != builderPID || o.relid != tableOID || o.indexRelid != indexOID || o.command != tc.command || o.db != "postgres" {
				t.Fatalf("%s: progress row %+v, want pid %d relid %d index_relid %d command %q datname postgres",
					tc.stmt, o, builderPID, tableOID, indexOID, tc.command)
			}
			if o.done < 0 || o.total > 0 && o.done > o.total {
				t.Errorf("%s: phase %q: tuples_done %d of %d", tc.stmt, o.phase, o.done, o.total)
			}
			sawTotal = sawTotal || o.total == rows
			sawMust = sawMust || o.phase == tc.mustSee
			if !slices.Contains(tc.phases, o.phase) {
				t.Errorf("%s: phase %q, want one of %q", tc.stmt, o.phase, tc.phases)
			}
		}
		var phases []string
		for _, o := range seen {
			if !slices.Contains(phases, o.phase) {
				phases = append(phases, o.phase)
			}
		}
		t.Logf("%s: %d progress rows, phases %q", tc.stmt, len(seen), phases)
		if tc.mustSee != "" && !sawMust {
			t.Errorf("%s: never saw phase %q; rows seen: %v", tc.stmt, tc.mustSee, seen[:min(len(seen), 5)])
		}
		if tc.mustSee != "" && !sawTotal {
			t.Errorf("%s: no progress row had tuples_total = %d; first rows seen: %v", tc.stmt, rows, seen[:min(len(seen), 5)])
		}
	}
}

// TestBackendPID checks pg_backend_pid() against the process ID each
// connection got in BackendKeyData, and that connections differ.
func TestBackendPID(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	a, _ := noticeConn(t, ts)
	b, _ := noticeConn(t, ts)
	var pids []int32
	for _, c := range []*pgx.Conn{a, b} {
		var pid int32
		var typ string
		if err := c.QueryRow(ctx, "SELECT pg_backend_pid(), pg_typeof(pg_backend_pid())::text").Scan(&pid, &typ); err != nil {
			t.Fatal(err)
		}
		if uint32(pid) != c.PgConn().PID() || pid <= 0 || typ != "integer" {
			t.Fatalf("pg_backend_pid() = %d (%s), BackendKeyData said %d", pid, typ, c.PgConn().PID())
		}
		pids = append(pids, pid)
	}
	if pids[0] == pids[1] {
		t.Fatalf("two connections share backend pid %d", pids[0])
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
