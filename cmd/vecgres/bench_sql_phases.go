package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// copyChunk is how many rows one COPY statement loads, so progress shows
// between statements on large datasets.
const copyChunk = 50_000

// insertBatch is the number of rows per multi-row INSERT statement.
const insertBatch = 100

// warmup is the number of queries each client runs before a measurement.
const warmup = 10

// load creates the table, loads the base vectors with binary COPY and
// measures batched INSERT on a scratch copy of the schema.
func (r *benchRun) load(ctx context.Context) error {
	conn, err := r.connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	t, ds := pgx.Identifier{r.cfg.table}.Sanitize(), r.ds
	schema := fmt.Sprintf("(id bigint PRIMARY KEY, embedding vector(%d), cat int)", ds.Dims)
	for _, s := range []string{"CREATE EXTENSION IF NOT EXISTS vector", "DROP TABLE IF EXISTS " + t, "CREATE TABLE " + t + " " + schema} {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	sd, err := conn.Prepare(ctx, "", "SELECT embedding FROM "+t+" LIMIT 0")
	if err != nil {
		return fmt.Errorf("describe %s.embedding: %w", t, err)
	}
	r.vecOID = sd.Fields[0].DataTypeOID
	registerVectorType(conn, r.vecOID)

	start := time.Now()
	for lo := 0; lo < ds.N; lo += copyChunk {
		hi := min(lo+copyChunk, ds.N)
		n, err := conn.CopyFrom(ctx, pgx.Identifier{r.cfg.table}, []string{"id", "embedding", "cat"},
			pgx.CopyFromSlice(hi-lo, func(i int) ([]any, error) { return r.row(lo + i), nil }))
		if err != nil || int(n) != hi-lo {
			return fmt.Errorf("COPY rows %d..%d: %d rows, %v", lo, hi-1, n, err)
		}
		fmt.Fprintf(r.progress, "bench-sql: COPY %d/%d rows (%s)\n", hi, ds.N, seconds(time.Since(start)))
	}
	el := time.Since(start)
	r.out.add(benchResult{Phase: "load", Note: fmt.Sprintf("binary COPY of %d rows in %s", ds.N, seconds(el)),
		LoadRowsPerSec: ptr(math.Round(float64(ds.N) / el.Seconds()))})
	if r.cfg.catIndex {
		stmt := "CREATE INDEX " + pgx.Identifier{r.cfg.table + "_cat_idx"}.Sanitize() + " ON " + t + " (cat)"
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	if _, err := conn.Exec(ctx, "ANALYZE "+t); err != nil {
		fmt.Fprintf(r.progress, "bench-sql: warning: ANALYZE %s: %v (filtered plans run without statistics)\n", t, err)
	}
	return r.measureInsert(ctx, conn, schema)
}

// row is base vector i as a table row.
func (r *benchRun) row(i int) []any {
	d := r.ds.Dims
	return []any{int64(i), pgVector(r.ds.Base[i*d : (i+1)*d]), int32(i % 100)}
}

// measureInsert loads the first --insert-rows base vectors into a scratch
// table with multi-row INSERT statements and reports the rate.
func (r *benchRun) measureInsert(ctx context.Context, conn *pgx.Conn, schema string) error {
	n := min(r.cfg.insertRows, r.ds.N)
	if n <= 0 {
		return nil
	}
	t := pgx.Identifier{r.cfg.table + "_insert"}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+t+"; CREATE TABLE "+t+" "+schema); err != nil {
		return fmt.Errorf("create %s: %w", t, err)
	}
	start := time.Now()
	args := make([]any, 0, 3*insertBatch)
	for lo := 0; lo < n; lo += insertBatch {
		hi := min(lo+insertBatch, n)
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + t + " VALUES ")
		args = args[:0]
		for i := lo; i < hi; i++ {
			if i > lo {
				sb.WriteByte(',')
			}
			p := len(args)
			fmt.Fprintf(&sb, "($%d,$%d,$%d)", p+1, p+2, p+3)
			args = append(args, r.row(i)...)
		}
		if _, err := conn.Exec(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("INSERT rows %d..%d: %w", lo, hi-1, err)
		}
	}
	el := time.Since(start)
	r.out.add(benchResult{Phase: "insert", Note: fmt.Sprintf("%d rows, %d-row INSERT statements with parameters", n, insertBatch),
		LoadRowsPerSec: ptr(math.Round(float64(n) / el.Seconds()))})
	_, err := conn.Exec(ctx, "DROP TABLE "+t)
	return err
}

// queryText is the measured statement: $1 the query vector, $2 the filter
// value when f is not nil.
func (r *benchRun) queryText(f *benchFilter) string {
	where := ""
	if f != nil {
		where = " WHERE " + f.where
	}
	return fmt.Sprintf("SELECT id FROM %s%s ORDER BY embedding %s $1 LIMIT %d",
		pgx.Identifier{r.cfg.table}.Sanitize(), where, r.op, r.cfg.k)
}

// filters returns nil (unfiltered) followed by each --filter-pct filter.
func (r *benchRun) filters() []*benchFilter {
	out := []*benchFilter{nil}
	for _, p := range r.cfg.filterPcts {
		f := benchFilterFor(p)
		out = append(out, &f)
	}
	return out
}

// exactPhase measures exact top-k (no index) for every client count and
// filter; recall must be 1 and anything else is flagged.
// roundTripPhase measures a bare "SELECT 1" round trip with one client,
// the floor under every query's latency: the network stack, the client
// library and the server's protocol handling, no search. Printing it next
// to the searches lets runs on a machine whose speed drifts (a shared VM)
// be compared, and with figures taken elsewhere.
func (r *benchRun) roundTripPhase(ctx context.Context) error {
	conn, err := r.connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var x int
	var lat []time.Duration
	var start time.Time
	for i := 0; i < warmup+1000 || time.Since(start) < r.cfg.maxTime/2; i++ {
		if i == warmup {
			start = time.Now()
		}
		t0 := time.Now()
		if err := conn.QueryRow(ctx, "SELECT 1").Scan(&x); err != nil {
			return fmt.Errorf("SELECT 1: %w", err)
		}
		if i >= warmup {
			lat = append(lat, time.Since(t0))
		}
	}
	res := latencyResult(lat, 1, time.Since(start), 1, 0, 0)
	res.Phase, res.RecallAtK, res.Note = "rtt", nil, "SELECT 1 round trip"
	r.out.add(res)
	return nil
}

func (r *benchRun) exactPhase(ctx context.Context) error {
	conns, err := r.connectN(ctx, slices.Max(r.cfg.clients))
	if err != nil {
		return err
	}
	defer closeAll(ctx, conns)
	for _, f := range r.filters() {
		plan, _, err := r.explain(ctx, conns[0], f, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(r.progress, "bench-sql: exact plan (filter %d %%): %s\n", filterPct(f), plan)
		for _, c := range r.cfg.clients {
			res, err := r.measure(ctx, conns[:c], f)
			if err != nil {
				return fmt.Errorf("exact phase: %w", err)
			}
			res.Phase, res.Plan = "exact", plan
			if *res.RecallAtK != 1 {
				res.Note = "WRONG: exact recall below 1"
				fmt.Fprintf(r.progress, "bench-sql: warning: exact scan (filter %d %%) has recall %.4f, want 1\n", res.FilterPct, *res.RecallAtK)
			}
			r.out.add(res)
		}
	}
	return nil
}

// explain runs EXPLAIN on the query (with literal values) and returns a
// one-line summary of the plan and whether it scans index idx.
func (r *benchRun) explain(ctx context.Context, conn *pgx.Conn, f *benchFilter, idx string) (string, bool, error) {
	q := strings.Replace(r.queryText(f), "$1", "'"+string(appendVectorText(nil, r.ds.Query(0)))+"'", 1)
	if f != nil {
		q = strings.Replace(q, "$2", strconv.Itoa(int(f.arg)), 1)
	}
	rows, err := conn.Query(ctx, "EXPLAIN "+q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return "", false, fmt.Errorf("EXPLAIN: %w", err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", false, fmt.Errorf("EXPLAIN: %w", err)
	}
	used := idx != "" && strings.Contains(strings.Join(lines, "\n"), "Index Scan using "+idx+" ")
	var parts []string
	for _, l := range lines {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "->"))
		if node, _, _ := strings.Cut(l, " on "); !strings.Contains(l, ":") {
			parts = append(parts, strings.TrimSpace(node))
		} else if strings.HasPrefix(l, "Filtered Search:") {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " > "), used, nil
}

// measure runs up to r.nq queries split over conns (query j on conns[j %
// len]), cycling over the query set, and scores the first pass (each query
// once) against the ground truth. Every client first runs a warm-up; the
// clock starts when all have finished it. After the first pass a client
// stops once --max-time has passed.
func (r *benchRun) measure(ctx context.Context, conns []*pgx.Conn, f *benchFilter) (benchResult, error) {
	sqlText, pct := r.queryText(f), 0
	if f != nil {
		pct = f.pct
	}
	truth, k := r.truth[pct], r.cfg.k
	type clientOut struct {
		lat    []time.Duration
		recall float64
		err    error
	}
	outs := make([]clientOut, len(conns))
	var start time.Time // set before go1 is closed
	var warm, done sync.WaitGroup
	go1 := make(chan struct{})
	for ci, conn := range conns {
		warm.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			o := &outs[ci]
			for j := range warmup {
				if _, o.err = r.runQuery(ctx, conn, sqlText, f, j%r.ds.NQ, nil); o.err != nil {
					break
				}
			}
			warm.Done()
			<-go1
			var ids []int64
			for j := ci; j < r.nq && o.err == nil; j += len(conns) {
				if j >= r.ds.NQ && time.Since(start) > r.cfg.maxTime {
					break
				}
				q, t0 := j%r.ds.NQ, time.Now()
				ids, o.err = r.runQuery(ctx, conn, sqlText, f, q, ids[:0])
				o.lat = append(o.lat, time.Since(t0))
				if j < r.ds.NQ {
					o.recall += recallOf(ids, truth, q, k)
				}
			}
		}()
	}
	warm.Wait()
	start = time.Now()
	close(go1)
	done.Wait()
	wall := time.Since(start)
	var lat []time.Duration
	var recall float64
	for _, o := range outs {
		if o.err != nil {
			return benchResult{}, fmt.Errorf("%s: %w", sqlText, o.err)
		}
		lat, recall = append(lat, o.lat...), recall+o.recall
	}
	return latencyResult(lat, recall/float64(min(r.nq, r.ds.NQ)), wall, len(conns), pct, k), nil
}

// runQuery executes the statement for query q and appends the ids to ids.
func (r *benchRun) runQuery(ctx context.Context, conn *pgx.Conn, sqlText string, f *benchFilter, q int, ids []int64) ([]int64, error) {
	args := []any{pgVector(r.ds.Query(q))}
	if f != nil {
		args = append(args, f.arg)
	}
	rows, err := conn.Query(ctx, sqlText, args...)
	if err != nil {
		return ids, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// latencyResult summarises one measurement: QPS is queries over wall time
// (all clients together), latencies are per query as the client saw them.
func latencyResult(lat []time.Duration, recall float64, wall time.Duration, clients, pct, k int) benchResult {
	slices.Sort(lat)
	ms := func(d time.Duration) *float64 { return ptr(round3(float64(d) / 1e6)) }
	n := len(lat)
	return benchResult{Clients: clients, FilterPct: pct, K: k,
		RecallAtK: ptr(round4(recall)), QPS: ptr(math.Round(float64(n) / wall.Seconds())),
		P50ms: ms(lat[n/2]), P99ms: ms(lat[min(n-1, n*99/100)])}
}
