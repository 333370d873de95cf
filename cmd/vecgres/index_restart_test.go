package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Indexes across restarts (issue 4, points 5 and 6), one case per index
// type: whatever was committed is found through the index after kill -9
// and after a clean shutdown, and nothing rolled back or uncommitted is.
//
// A vector index must come back from its saved image plus a replay of the
// changes committed after it, not from a rebuild: the server logs
// `msg="vector index ready" index=NAME ... source=image replayed=N` for
// each one it opens (source=rebuilt when it had to rebuild), and the test
// checks that line. A btree index has nothing to load: its entries are
// Pebble keys written in the row's transaction, so they are as durable as
// the rows.

// rowState is one row of the test table.
type rowState struct {
	vec       [3]int64
	cat, code int64
}

func origRow(id int64) rowState {
	return rowState{vec: [3]int64{id, (id * 37) % 101, (id * 53) % 103}, cat: id % 20, code: id * 3}
}

// updated is what the test's UPDATE makes of a row.
func updated(id int64, r rowState) rowState {
	return rowState{vec: [3]int64{id + 5000, r.vec[1], r.vec[2]}, cat: r.cat + 100, code: r.code + 1_000_000}
}

func vecText(v [3]int64) string { return fmt.Sprintf("[%d,%d,%d]", v[0], v[1], v[2]) }

func sqDist(a, b [3]int64) int64 {
	var s int64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// indexCase is one index type under test.
type indexCase struct {
	name     string
	index    string
	create   string
	rows     int64    // table size: annoy needs 1,000 vectors before its forest is built
	settings []string // make the ANN search return exact answers
	vector   bool
	unique   bool
	// key is what queries ORDER BY (<key> <-> query): the column, or an
	// expression index's key.
	key string
}

// orderKey is the ORDER BY key of c's nearest-neighbour queries.
func (c indexCase) orderKey() string {
	if c.key == "" {
		return "embedding"
	}
	return c.key
}

var indexCases = []indexCase{
	{name: "hnsw", index: "items_embedding_idx", vector: true, rows: 300,
		create:   "CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops)",
		settings: []string{"SET hnsw.ef_search = 400"}},
	{name: "ivfflat", index: "items_embedding_idx", vector: true, rows: 300,
		create:   "CREATE INDEX items_embedding_idx ON items USING ivfflat (embedding vector_l2_ops) WITH (lists = 10)",
		settings: []string{"SET ivfflat.probes = 10"}},
	{name: "ivf_pq", index: "items_embedding_idx", vector: true, rows: 300,
		create:   "CREATE INDEX items_embedding_idx ON items USING ivf_pq (embedding vector_l2_ops) WITH (lists = 10, m = 3, nbits = 4)",
		settings: []string{"SET ivf_pq.probes = 10", "SET ivf_pq.rerank = 1000"}},
	{name: "annoy", index: "items_embedding_idx", vector: true, rows: 1200,
		create:   "CREATE INDEX items_embedding_idx ON items USING annoy (embedding vector_l2_ops) WITH (n_trees = 10)",
		settings: []string{"SET annoy.search_k = 100000"}},
	// An expression index whose key has the column's values, so the same
	// exact answers apply: its key is evaluated at build, at commit and on
	// replay.
	{name: "hnsw_expression", index: "items_subvector_idx", vector: true, rows: 300,
		create:   "CREATE INDEX ON items USING hnsw ((subvector(embedding, 1, 3)::vector(3)) vector_l2_ops)",
		settings: []string{"SET hnsw.ef_search = 400"}, key: "subvector(embedding, 1, 3)::vector(3)"},
	{name: "btree", index: "items_cat_idx", rows: 300,
		create: "CREATE INDEX items_cat_idx ON items (cat)"},
	{name: "btree_unique", index: "items_code_idx", rows: 300, unique: true,
		create: "CREATE UNIQUE INDEX items_code_idx ON items (code)"},
}

// syncBuf is a goroutine-safe log sink.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// checkLoaded waits for the server's "vector index ready" line for index
// and checks that it was loaded from its image with replayed changes.
func checkLoaded(t *testing.T, log *syncBuf, index string, replayed int) {
	t.Helper()
	re := regexp.MustCompile(`msg="vector index ready" index=` + regexp.QuoteMeta(index) + ` .*source=(\w+) replayed=(\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(log.String()); m != nil {
			n, _ := strconv.Atoi(m[2])
			if m[1] != "image" || n != replayed {
				t.Fatalf("index %s came back with source=%s replayed=%d, want source=image replayed=%d", index, m[1], n, replayed)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no \"vector index ready\" line for %s in the server log:\n%s", index, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mustExecAll(t *testing.T, conn *pgx.Conn, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := conn.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func queryIDs(t *testing.T, conn *pgx.Conn, sql string) []int64 {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return ids
}

func checkExplain(t *testing.T, conn *pgx.Conn, sql, want string) {
	t.Helper()
	rows, err := conn.Query(context.Background(), "EXPLAIN "+sql)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), want) {
		t.Fatalf("EXPLAIN %s: no %q in\n%s", sql, want, strings.Join(plan, "\n"))
	}
}

// dmlInsert, dmlUpdate and dmlDelete write the test's changes and apply
// them to model when model is not nil (the transaction is to commit).
func dmlInsert(t *testing.T, conn *pgx.Conn, model map[int64]rowState, from, to int64) {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("INSERT INTO items VALUES ")
	for id := from; id <= to; id++ {
		r := origRow(id)
		if id > from {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "(%d, '%s', %d, %d)", id, vecText(r.vec), r.cat, r.code)
		if model != nil {
			model[id] = r
		}
	}
	mustExecAll(t, conn, sb.String())
}

func dmlUpdate(t *testing.T, conn *pgx.Conn, model map[int64]rowState, from, to int64) {
	t.Helper()
	mustExecAll(t, conn, fmt.Sprintf("UPDATE items SET embedding = ARRAY[(id + 5000)::int, ((id * 37) %% 101)::int, ((id * 53) %% 103)::int]::vector, "+
		"cat = cat + 100, code = code + 1000000 WHERE id BETWEEN %d AND %d", from, to))
	if model != nil {
		for id := from; id <= to; id++ {
			model[id] = updated(id, model[id])
		}
	}
}

func dmlDelete(t *testing.T, conn *pgx.Conn, model map[int64]rowState, from, to int64) {
	t.Helper()
	mustExecAll(t, conn, fmt.Sprintf("DELETE FROM items WHERE id BETWEEN %d AND %d", from, to))
	if model != nil {
		for id := from; id <= to; id++ {
			delete(model, id)
		}
	}
}

// verifyIndex checks that the index serves exactly the committed rows in
// model; probes are vectors, categories and codes of rows that must not
// be found (deleted, rolled back, uncommitted, or old values of updates).
func verifyIndex(t *testing.T, conn *pgx.Conn, c indexCase, model map[int64]rowState, probes []rowState) {
	t.Helper()
	ctx := context.Background()
	var n int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != int64(len(model)) {
		t.Fatalf("%d rows, want %d", n, len(model))
	}
	mustExecAll(t, conn, c.settings...)
	switch {
	case c.vector:
		checkExplain(t, conn, "SELECT id FROM items ORDER BY "+c.orderKey()+" <-> '[1,2,3]' LIMIT 1", "Index Scan using "+c.index)
		// Every committed row is its own nearest neighbour.
		for id, r := range model {
			got := queryIDs(t, conn, fmt.Sprintf("SELECT id FROM items ORDER BY %s <-> '%s' LIMIT 1", c.orderKey(), vecText(r.vec)))
			if len(got) != 1 || got[0] != id {
				t.Fatalf("nearest to row %d's own vector %s: %v", id, vecText(r.vec), got)
			}
		}
		// Near vectors that must be gone, the top 5 are the exact top 5.
		for _, p := range probes {
			q := p.vec
			got := queryIDs(t, conn, fmt.Sprintf("SELECT id FROM items ORDER BY %s <-> '%s' LIMIT 5", c.orderKey(), vecText(q)))
			var want []int64
			for _, r := range model {
				want = append(want, sqDist(q, r.vec))
			}
			slices.Sort(want)
			var gotD []int64
			for _, id := range got {
				r, ok := model[id]
				if !ok {
					t.Fatalf("query %s returned id %d, which is not a committed row (got %v)", vecText(q), id, got)
				}
				gotD = append(gotD, sqDist(q, r.vec))
			}
			if !slices.Equal(gotD, want[:5]) {
				t.Fatalf("query %s: ids %v at squared distances %v, exact top 5 distances %v", vecText(q), got, gotD, want[:5])
			}
		}
	case c.unique:
		checkExplain(t, conn, "SELECT id FROM items WHERE code = 3", "Index Scan using "+c.index)
		for id, r := range model {
			if got := queryIDs(t, conn, fmt.Sprintf("SELECT id FROM items WHERE code = %d", r.code)); len(got) != 1 || got[0] != id {
				t.Fatalf("code %d: ids %v, want [%d]", r.code, got, id)
			}
		}
		for _, p := range probes {
			if got := queryIDs(t, conn, fmt.Sprintf("SELECT id FROM items WHERE code = %d", p.code)); len(got) != 0 {
				t.Fatalf("code %d belongs to no committed row, found %v", p.code, got)
			}
			// No stale unique entry blocks the value.
			mustExecAll(t, conn, "BEGIN", fmt.Sprintf("INSERT INTO items VALUES (99999, '[0,0,0]', 0, %d)", p.code), "ROLLBACK")
		}
		for id, r := range model {
			_, err := conn.Exec(ctx, fmt.Sprintf("INSERT INTO items VALUES (99999, '[0,0,0]', 0, %d)", r.code))
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "23505" {
				t.Fatalf("duplicate of row %d's code %d: got %v, want 23505", id, r.code, err)
			}
			break // one is enough: the loop above found every code
		}
	default:
		checkExplain(t, conn, "SELECT id FROM items WHERE cat = 7", "Index Scan using "+c.index)
		byCat := map[int64][]int64{}
		for id, r := range model {
			byCat[r.cat] = append(byCat[r.cat], id)
		}
		for cat := range int64(200) {
			want := byCat[cat]
			slices.Sort(want)
			got := queryIDs(t, conn, fmt.Sprintf("SELECT id FROM items WHERE cat = %d ORDER BY id", cat))
			if !slices.Equal(got, want) {
				t.Fatalf("cat = %d: ids %v, want %v", cat, got, want)
			}
		}
	}
}

func TestIndexesSurviveRestartAndKill9(t *testing.T) {
	for _, c := range indexCases {
		t.Run(c.name, func(t *testing.T) { testIndexRestart(t, c) })
	}
}

func testIndexRestart(t *testing.T, c indexCase) {
	dir := t.TempDir()
	ctx := context.Background()
	log := &syncBuf{}
	s := startServerLog(t, dir, "info", log)
	conn := s.connect(t)
	n := c.rows
	model := map[int64]rowState{}
	mustExecAll(t, conn, "CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(3), cat bigint, code bigint)")
	dmlInsert(t, conn, model, 1, n)
	mustExecAll(t, conn, c.create)
	var probes []rowState
	for id := int64(10); id <= 69; id++ {
		probes = append(probes, origRow(id), updated(id, origRow(id)))
	}
	for id := n + 101; id <= n+110; id++ {
		probes = append(probes, origRow(id))
	}
	for id := n + 201; id <= n+210; id++ {
		probes = append(probes, origRow(id))
	}
	keep := func(r rowState) bool { // a probe is valid while no committed row has its values
		for _, m := range model {
			if m == r || (c.unique && m.code == r.code) {
				return false
			}
		}
		return true
	}

	// Committed: one explicit transaction and one autocommit statement.
	mustExecAll(t, conn, "BEGIN")
	dmlInsert(t, conn, model, n+1, n+20)
	dmlUpdate(t, conn, model, 10, 19)
	mustExecAll(t, conn, "COMMIT")
	dmlDelete(t, conn, model, 20, 29)
	// Rolled back.
	mustExecAll(t, conn, "BEGIN")
	dmlInsert(t, conn, nil, n+101, n+110)
	dmlUpdate(t, conn, nil, 30, 39)
	dmlDelete(t, conn, nil, 40, 49)
	mustExecAll(t, conn, "ROLLBACK")
	// Open when the process dies.
	open := s.connect(t)
	mustExecAll(t, open, "BEGIN")
	dmlInsert(t, open, nil, n+201, n+210)
	dmlUpdate(t, open, nil, 50, 59)
	dmlDelete(t, open, nil, 60, 69)
	probes = slices.DeleteFunc(probes, func(r rowState) bool { return !keep(r) })
	verifyIndex(t, conn, c, model, probes)

	_ = s.stop(t, syscall.SIGKILL)
	conn.Close(ctx)
	open.Close(ctx)

	// After kill -9: the image saved at CREATE INDEX plus the 40 committed
	// changes replayed (20 inserts, 10 updates, 10 deletes).
	log = &syncBuf{}
	s = startServerLog(t, dir, "info", log)
	if c.vector {
		checkLoaded(t, log, c.index, 40)
	}
	conn = s.connect(t)
	verifyIndex(t, conn, c, model, probes)

	// A change committed after the load, and one open at a clean shutdown.
	dmlInsert(t, conn, model, n+301, n+305)
	dmlDelete(t, conn, model, 1, 5)
	open = s.connect(t)
	mustExecAll(t, open, "BEGIN")
	dmlInsert(t, open, nil, n+401, n+405)
	dmlUpdate(t, open, nil, 70, 79)
	for id := int64(1); id <= 5; id++ {
		probes = append(probes, origRow(id))
	}
	for id := n + 401; id <= n+405; id++ {
		probes = append(probes, origRow(id))
	}
	for id := int64(70); id <= 79; id++ {
		probes = append(probes, updated(id, origRow(id)))
	}
	probes = slices.DeleteFunc(probes, func(r rowState) bool { return !keep(r) })
	if err := s.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	conn.Close(ctx)
	open.Close(ctx)

	// After the clean shutdown everything is in the image: nothing to replay.
	log = &syncBuf{}
	s = startServerLog(t, dir, "info", log)
	if c.vector {
		checkLoaded(t, log, c.index, 0)
	}
	conn = s.connect(t)
	defer conn.Close(ctx)
	verifyIndex(t, conn, c, model, probes)
}
