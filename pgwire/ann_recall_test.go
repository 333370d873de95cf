package pgwire

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Recall of vector index scans over the wire, against exact ground truth
// on siftsmall (../shared/data), with and without WHERE filters of
// 50 %, 10 %, 1 % and 0.1 % selectivity, at default settings. Each case
// first checks with EXPLAIN that the index scan is used, as pgvector's own
// recall tests do. Floors are issue 4's targets; lower one only with a
// recorded reason.

// loadSiftsmall creates items(id, embedding, cat) with cat = id % 1000, so
// "cat < n" passes n/1000 of the rows.
func loadSiftsmall(t *testing.T, conn *pgx.Conn, ds *dataset.Dataset) {
	t.Helper()
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(128), cat int)")
	var sb strings.Builder
	const batch = 500
	for start := 0; start < ds.N; start += batch {
		sb.Reset()
		sb.WriteString("INSERT INTO items VALUES ")
		for i := start; i < min(start+batch, ds.N); i++ {
			if i > start {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%d,'%s',%d)", i, vecText(ds.Base[i*ds.Dims:(i+1)*ds.Dims]), i%1000)
		}
		if _, err := conn.Exec(ctx, sb.String()); err != nil {
			t.Fatalf("loading rows at %d: %v", start, err)
		}
	}
}

func vecText(v []float32) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(float64(x), 'g', -1, 32)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// filteredTruth computes the exact top-k ids among rows with cat < limit.
func filteredTruth(ds *dataset.Dataset, q []float32, limit, k int, cosine bool) []int64 {
	type cand struct {
		id int
		d  float64
	}
	var cs []cand
	for i := 0; i < ds.N; i++ {
		if i%1000 >= limit {
			continue
		}
		v := ds.Base[i*ds.Dims : (i+1)*ds.Dims]
		var d float64
		if cosine {
			d = distance.CosineDistance(q, v)
		} else {
			d = float64(distance.L2Squared(q, v))
		}
		cs = append(cs, cand{i, d})
	}
	sort.Slice(cs, func(a, b int) bool {
		if cs[a].d != cs[b].d {
			return cs[a].d < cs[b].d
		}
		return cs[a].id < cs[b].id
	})
	out := make([]int64, 0, k)
	for i := 0; i < k && i < len(cs); i++ {
		out = append(out, int64(cs[i].id))
	}
	return out
}

// recallOf runs query for every dataset query (its $1) and returns the mean
// recall@10 against truth(i).
func recallOf(t *testing.T, conn *pgx.Conn, ds *dataset.Dataset, query string, truth func(i int) []int64) float64 {
	t.Helper()
	var total float64
	for i := 0; i < ds.NQ; i++ {
		want := truth(i)
		got := queryIDs(t, conn, query, vecText(ds.Query(i)))
		if len(got) != len(want) {
			t.Fatalf("query %d returned %d rows, %d matching rows exist: %s", i, len(got), len(want), query)
		}
		hit := map[int64]bool{}
		for _, id := range want {
			hit[id] = true
		}
		n := 0
		for _, id := range got {
			if hit[id] {
				n++
			}
		}
		total += float64(n) / float64(len(want))
	}
	return total / float64(ds.NQ)
}

func requireIndexScan(t *testing.T, conn *pgx.Conn, query, vec string) {
	t.Helper()
	requirePlan(t, conn, "EXPLAIN "+query, vec, "Index Scan using")
}

// requirePlan fails unless the output of explain (an EXPLAIN statement
// with one vector parameter) contains want.
func requirePlan(t *testing.T, conn *pgx.Conn, explain, vec, want string) {
	t.Helper()
	rows, err := conn.Query(context.Background(), explain, vec)
	if err != nil {
		t.Fatalf("%s: %v", explain, err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if !strings.Contains(strings.Join(plan, "\n"), want) {
		t.Fatalf("plan has no %q:\n%s", want, strings.Join(plan, "\n"))
	}
}

func TestANNRecallSiftsmall(t *testing.T) {
	dir, err := dataset.SharedDir("siftsmall")
	if err != nil {
		t.Fatal(err)
	}
	l2, err := dataset.Open(dir, "l2")
	if err != nil {
		t.Fatal(err)
	}
	cos, err := dataset.Open(dir, "cosine")
	if err != nil {
		t.Fatal(err)
	}
	ts := startTestServer(t)
	conn, err := pgx.Connect(context.Background(), ts.connString(""))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	loadSiftsmall(t, conn, l2)

	truthL2 := func(i int) []int64 {
		row := l2.TruthRow(i)[:10]
		out := make([]int64, len(row))
		for j, id := range row {
			out[j] = int64(id)
		}
		return out
	}
	cases := []struct {
		name     string
		index    string // CREATE INDEX ... (empty: keep the previous one)
		settings []string
		op       string
		filter   int // cat < filter; 1000 means no filter
		cosine   bool
		floor    float64
		ran      string // when set, the strategy EXPLAIN ANALYZE must report
	}{
		{name: "hnsw", index: "USING hnsw (embedding vector_l2_ops)", op: "<->", filter: 1000, floor: 0.95},
		{name: "hnsw/50%", op: "<->", filter: 500, floor: 0.95},
		{name: "hnsw/10%", op: "<->", filter: 100, floor: 0.95},
		{name: "hnsw/1%", op: "<->", filter: 10, floor: 0.95},
		{name: "hnsw/0.1%", op: "<->", filter: 1, floor: 0.95},
		{name: "hnsw-cosine", index: "USING hnsw (embedding vector_cosine_ops)", op: "<=>", filter: 1000, cosine: true, floor: 0.95},
		{name: "hnsw-cosine/1%", op: "<=>", filter: 10, cosine: true, floor: 0.95},
		{name: "ivfflat", index: "USING ivfflat (embedding vector_l2_ops) WITH (lists = 100)", settings: []string{"SET ivfflat.probes = 10"}, op: "<->", filter: 1000, floor: 0.95},
		{name: "ivfflat/10%", op: "<->", filter: 100, floor: 0.95},
		{name: "ivfflat/1%", op: "<->", filter: 10, floor: 0.95},
		// ivfflat.iterative_scan: probe ivfflat.probes lists, doubling
		// while fewer than k rows pass.
		{name: "ivfflat-iterative/50%", settings: []string{"SET ivfflat.iterative_scan = relaxed_order"}, op: "<->", filter: 500, floor: 0.95, ran: "iterative"},
		{name: "ivfflat-iterative/10%", op: "<->", filter: 100, floor: 0.95},
		{name: "ivfflat-iterative/1%", op: "<->", filter: 10, floor: 0.95},
		{name: "ivfflat-iterative/0.1%", op: "<->", filter: 1, floor: 0.95},
		{name: "ivf_pq", index: "USING ivf_pq (embedding vector_l2_ops) WITH (lists = 100, m = 16)", settings: []string{"SET ivf_pq.probes = 10"}, op: "<->", filter: 1000, floor: 0.9},
		{name: "annoy", index: "USING annoy (embedding vector_l2_ops) WITH (n_trees = 20)", op: "<->", filter: 1000, floor: 0.9},
		// With statistics and hnsw.iterative_scan on, filters passing at
		// least a fifth of the rows post-filter an iterative scan;
		// narrower ones keep filter-aware traversal or go exact.
		{name: "hnsw-iterative/50%", index: "USING hnsw (embedding vector_l2_ops)",
			settings: []string{"ANALYZE items", "SET hnsw.iterative_scan = relaxed_order"}, op: "<->", filter: 500, floor: 0.95, ran: "iterative"},
		{name: "hnsw-iterative/25%", settings: []string{"SET hnsw.iterative_scan = strict_order"}, op: "<->", filter: 250, floor: 0.95, ran: "iterative"},
		{name: "hnsw-iterative/10%", op: "<->", filter: 100, floor: 0.95},
		{name: "hnsw-iterative/1%", op: "<->", filter: 10, floor: 0.95},
		{name: "hnsw-iterative/0.1%", op: "<->", filter: 1, floor: 0.95},
	}
	for _, c := range cases {
		if c.index != "" {
			mustExec(t, conn, "DROP INDEX IF EXISTS items_ann")
			mustExec(t, conn, "CREATE INDEX items_ann ON items "+c.index)
		}
		for _, s := range c.settings {
			mustExec(t, conn, s)
		}
		where := ""
		if c.filter < 1000 {
			where = fmt.Sprintf(" WHERE cat < %d", c.filter)
		}
		query := "SELECT id FROM items" + where + " ORDER BY embedding " + c.op + " $1 LIMIT 10"
		requireIndexScan(t, conn, query, vecText(l2.Query(0)))
		if c.ran != "" {
			requirePlan(t, conn, "EXPLAIN ANALYZE "+query, vecText(l2.Query(0)), "Vector Search: "+c.ran+",")
		}
		truth := truthL2
		ds := l2
		if c.cosine {
			ds = cos
		}
		if c.filter < 1000 || c.cosine {
			truth = func(i int) []int64 { return filteredTruth(ds, ds.Query(i), c.filter, 10, c.cosine) }
		}
		r := recallOf(t, conn, ds, query, truth)
		t.Logf("%-16s recall@10 = %.3f", c.name, r)
		if r < c.floor {
			t.Errorf("%s: recall@10 %.3f below floor %.2f", c.name, r, c.floor)
		}
	}
}
