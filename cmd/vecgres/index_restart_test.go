package main

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Vector indexes across restarts: whatever was committed is searchable
// through the index after a graceful restart and after kill -9, nothing
// uncommitted is, and deleted rows stay gone.

func annIDs(t *testing.T, conn *pgx.Conn, q string, k int) []int64 {
	t.Helper()
	ctx := context.Background()
	sql := fmt.Sprintf("SELECT id FROM items ORDER BY embedding <-> '%s' LIMIT %d", q, k)
	rows, err := conn.Query(ctx, "EXPLAIN "+sql)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, l)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "Index Scan using items_embedding_idx") {
		t.Fatalf("not an index scan:\n%s", strings.Join(plan, "\n"))
	}
	rows, err = conn.Query(ctx, sql)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestVectorIndexSurvivesRestartAndKill9(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := startServer(t, dir)
	conn := s.connect(t)
	for _, stmt := range []string{
		"CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(3))",
		"INSERT INTO items SELECT i, ARRAY[i, i, i]::vector FROM generate_series(1, 300) AS g(i)",
		"CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)",
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	// Committed after the index was built: must reach the index.
	if _, err := conn.Exec(ctx, "INSERT INTO items VALUES (1000, '[500.4,500.4,500.4]')"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "DELETE FROM items WHERE id = 150"); err != nil {
		t.Fatal(err)
	}
	if got := annIDs(t, conn, "[500,500,500]", 1); len(got) != 1 || got[0] != 1000 {
		t.Fatalf("before restart: nearest to [500,500,500] = %v, want [1000]", got)
	}
	if err := s.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	conn.Close(ctx)

	s = startServer(t, dir)
	conn = s.connect(t)
	if got := annIDs(t, conn, "[500,500,500]", 1); len(got) != 1 || got[0] != 1000 {
		t.Fatalf("after restart: nearest = %v, want [1000]", got)
	}
	if got := annIDs(t, conn, "[150,150,150]", 3); len(got) != 3 || got[0] == 150 || got[1] == 150 || got[2] == 150 {
		t.Fatalf("after restart: deleted row 150 came back: %v", got)
	}
	// Committed just before the kill; its change is only in the dirty
	// markers, not in the saved image.
	if _, err := conn.Exec(ctx, "INSERT INTO items VALUES (2000, '[-50,-50,-50]')"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "UPDATE items SET embedding = '[900,900,900]' WHERE id = 10"); err != nil {
		t.Fatal(err)
	}
	open := s.connect(t)
	if _, err := open.Exec(ctx, "BEGIN; INSERT INTO items VALUES (3000, '[-60,-60,-60]')"); err != nil {
		t.Fatal(err)
	}
	_ = s.stop(t, syscall.SIGKILL)

	s = startServer(t, dir)
	conn = s.connect(t)
	defer conn.Close(ctx)
	if got := annIDs(t, conn, "[-70,-70,-70]", 2); len(got) != 2 || got[0] != 2000 || got[1] != 1 {
		t.Fatalf("after kill -9: nearest to [-70,-70,-70] = %v, want [2000 1] (3000 was never committed)", got)
	}
	if got := annIDs(t, conn, "[901,901,901]", 1); len(got) != 1 || got[0] != 10 {
		t.Fatalf("after kill -9: the committed UPDATE of row 10 is not in the index: %v", got)
	}
	if got := annIDs(t, conn, "[10,10,10]", 1); len(got) != 1 || got[0] == 10 {
		t.Fatalf("after kill -9: row 10 still found at its old vector: %v", got)
	}
}
