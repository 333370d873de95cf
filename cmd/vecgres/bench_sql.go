package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/vecgres/vecgres/pgwire"
	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
)

const benchSQLUsage = `Usage: vecgres bench-sql --data DIR [flags]

Measure vecgres (or any PostgreSQL + pgvector server) over the wire with pgx,
as a user sees it: load an fvecs dataset with binary COPY (and time batched
multi-row INSERT on a subset), run exact top-k (no index), then build each
index and sweep its search setting with 1..N client connections, reporting
recall@k against exact ground truth next to QPS and p50/p99 latency, without
and with a category filter. --data synthetic:50000x128 generates the data
instead: 50,000 vectors around 100 Gaussian clusters, 100 queries from the
same distribution, exact ground truth computed here.

The table TABLE (default items) is dropped and recreated:
  CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(D), cat int)
with id = the base vector's 0-based index and cat = id % 100, so every cat
value selects 1 % of the rows. --filter-pct 1 runs "WHERE cat = 7" (1 %);
--filter-pct P (2..100) runs "WHERE cat < P" (P %). Ground truth for filtered
queries is an exact scan over the matching base vectors, computed here.

Progress goes to stderr; results to stdout as a table, or with --json one
object per line (keys phase, index, build_params, search_params, clients,
filter_pct, recall_at_k, k, qps, p50_ms, p99_ms, build_seconds,
load_rows_per_sec, index_used, plan, note). Phases: load, insert, rtt (a
bare SELECT 1 round trip, the floor under every query's latency, to
compare runs on a machine whose speed drifts), exact, index.

--with and --sweep name options and settings without the index prefix;
"TYPE:" in front limits one to that index type (repeat the flag), e.g.
  --index all --with hnsw:m=16,ef_construction=200 --sweep hnsw:ef_search=10,40
  --sweep ivf_pq:probes=4,16 --sweep ivf_pq:rerank=4   (fixed setting: one value)
A --sweep with several names crosses them. Index types: hnsw, ivfflat,
ivf_pq, annoy (or all); none runs the exact phase only.

Flags:
`

// benchIndexTypes lists the index access methods in the order --index all
// runs them, with the session-setting prefix of each and its default sweep.
var benchIndexTypes = []struct {
	method string
	sweep  string // default --sweep for this type
}{
	{"hnsw", "ef_search=10,20,40,80,160"},
	{"ivfflat", "probes=1,2,4,8,16"},
	{"ivf_pq", "probes=2,4,8,16,32"},
	{"annoy", "search_k=200,400,800,1600,3200"},
}

// benchSQLConfig is the parsed command line of bench-sql.
type benchSQLConfig struct {
	data, addr, table, metric string
	spawn, json, catIndex     bool
	spawnProcess              bool
	indexes                   []string
	with                      map[string]string // method → "k=v,..." (key "" = every method)
	sweeps                    map[string][]string
	clients, filterPcts       []int
	k, queries, insertRows    int
	maxTime                   time.Duration
	filterIterative           string
}

// runBenchSQL implements "vecgres bench-sql".
func runBenchSQL(args []string) error {
	cfg, err := parseBenchSQLFlags(args, os.Stderr)
	if err != nil || cfg == nil {
		return err
	}
	return benchSQL(context.Background(), cfg, os.Stdout, os.Stderr)
}

// parseBenchSQLFlags parses args; it returns (nil, nil) after --help.
func parseBenchSQLFlags(args []string, stderr io.Writer) (*benchSQLConfig, error) {
	fs := flag.NewFlagSet("bench-sql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &benchSQLConfig{with: map[string]string{}, sweeps: map[string][]string{}}
	fs.StringVar(&cfg.data, "data", "", "dataset `DIR` holding base.fvecs, query.fvecs and gt_<metric>.ivecs, or synthetic:NxD for N generated clustered vectors of D dims with exact ground truth (required)")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:5433", "`HOST:PORT` of a running server (user and database postgres); ignored with --spawn")
	fs.BoolVar(&cfg.spawn, "spawn", false, "start an in-process vecgres server on a free port with a temporary data directory")
	fs.BoolVar(&cfg.spawnProcess, "spawn-process", false, "like --spawn, but run the server as a separate `vecgres serve` process, as PostgreSQL runs (client and server then pay a real cross-process round trip)")
	fs.StringVar(&cfg.table, "table", "items", "`TABLE` to drop, create and load")
	fs.StringVar(&cfg.metric, "metric", "l2", "l2 (<->, vector_l2_ops) or cosine (<=>, vector_cosine_ops)")
	index := fs.String("index", "all", "index types to build: none, all, or a comma list of hnsw, ivfflat, ivf_pq, annoy")
	fs.Func("with", "index `OPTIONS` [TYPE:]k=v,... for CREATE INDEX ... WITH (repeatable)", func(s string) error {
		typ, opts := splitTypePrefix(s)
		cfg.with[typ] = opts
		return nil
	})
	fs.Func("sweep", "search `SETTINGS` [TYPE:]name=v1,v2,...[;name=...] (repeatable); default per type", func(s string) error {
		typ, spec := splitTypePrefix(s)
		cfg.sweeps[typ] = append(cfg.sweeps[typ], strings.Split(spec, ";")...)
		return nil
	})
	clients := fs.String("clients", "1,2", "comma list of client `COUNTS` (one connection each)")
	filters := fs.String("filter-pct", "1", "comma list of filter selectivities in `PERCENT` (1 means cat = 7; 0 or empty: no filtered runs)")
	fs.IntVar(&cfg.k, "k", 10, "LIMIT k; recall@k is measured")
	fs.IntVar(&cfg.queries, "queries", 0, "most queries per measurement, cycling over query.fvecs (0: as many as --max-time allows); recall is over the first pass")
	fs.DurationVar(&cfg.maxTime, "max-time", 2*time.Second, "a measurement stops after this `DURATION` once every query ran once")
	fs.IntVar(&cfg.insertRows, "insert-rows", 2000, "rows loaded by batched multi-row INSERT (100 rows a statement) to measure its rate")
	fs.StringVar(&cfg.filterIterative, "filter-iterative", "relaxed_order", "TYPE.iterative_scan for filtered runs: off, relaxed_order or strict_order")
	fs.BoolVar(&cfg.catIndex, "cat-index", false, "also CREATE INDEX ON TABLE (cat) (a btree), so the planner may answer filtered queries through it")
	fs.BoolVar(&cfg.json, "json", false, "print one JSON object per result line instead of a table")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), benchSQLUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see vecgres bench-sql --help)", fs.Arg(0))
	}
	if err := cfg.finish(*index, *clients, *filters); err != nil {
		return nil, err
	}
	return cfg, nil
}

// finish validates the flags and fills the derived fields.
func (cfg *benchSQLConfig) finish(index, clients, filters string) error {
	if cfg.data == "" {
		return errors.New("--data DIR is required (e.g. --data ../shared/data/siftsmall)")
	}
	if cfg.k < 1 {
		return fmt.Errorf("--k %d: want at least 1", cfg.k)
	}
	if cfg.metric != "l2" && cfg.metric != "cosine" {
		return fmt.Errorf("--metric %q: want l2 or cosine", cfg.metric)
	}
	switch index {
	case "none", "":
	case "all":
		for _, t := range benchIndexTypes {
			cfg.indexes = append(cfg.indexes, t.method)
		}
	default:
		for _, m := range strings.Split(index, ",") {
			if m == "ivf_flat" {
				m = "ivfflat"
			}
			if !slices.ContainsFunc(benchIndexTypes, func(t struct{ method, sweep string }) bool { return t.method == m }) {
				return fmt.Errorf("--index %q: unknown type %q (want none, all, hnsw, ivfflat, ivf_pq or annoy)", index, m)
			}
			cfg.indexes = append(cfg.indexes, m)
		}
	}
	if _, ok := cfg.with[""]; ok && len(cfg.indexes) > 1 {
		return errors.New("--with without a TYPE: prefix needs a single --index; write --with hnsw:m=16,... instead")
	}
	var err error
	if cfg.clients, err = parseIntList(clients, 1, 1024); err != nil {
		return fmt.Errorf("--clients: %w", err)
	}
	if len(cfg.clients) == 0 {
		return errors.New("--clients: want at least one count")
	}
	if cfg.filterPcts, err = parseIntList(filters, 0, 100); err != nil {
		return fmt.Errorf("--filter-pct: %w", err)
	}
	cfg.filterPcts = slices.DeleteFunc(cfg.filterPcts, func(p int) bool { return p == 0 })
	return nil
}

// splitTypePrefix splits "hnsw:m=16" into ("hnsw", "m=16"); without a known
// prefix the type is "".
func splitTypePrefix(s string) (typ, rest string) {
	if i := strings.IndexByte(s, ':'); i > 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

// parseIntList parses "1,2,4" with every value in [lo, hi].
func parseIntList(s string, lo, hi int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil || v < lo || v > hi {
			return nil, fmt.Errorf("%q: want integers from %d to %d", f, lo, hi)
		}
		out = append(out, v)
	}
	return out, nil
}

// benchTarget is the server under test.
type benchTarget struct {
	connString string
	close      func()
}

// openBenchTarget starts the in-process server for --spawn, or points at
// --addr.
func openBenchTarget(cfg *benchSQLConfig, progress io.Writer) (*benchTarget, error) {
	if cfg.spawnProcess {
		return spawnServerProcess(progress)
	}
	if !cfg.spawn {
		host, port, err := net.SplitHostPort(cfg.addr)
		if err != nil {
			return nil, fmt.Errorf("--addr %q: %w", cfg.addr, err)
		}
		return &benchTarget{connString: benchConnString(host, port), close: func() {}}, nil
	}
	dir, err := os.MkdirTemp("", "vecgres-bench-sql-")
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(progress, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := sql.Open(sql.Config{DataDir: dir, Logger: logger})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("open in-process engine in %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		eng.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("listen: %w", err)
	}
	srv := pgwire.New(pgwire.Config{Engine: eng, Logger: logger})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Fprintf(progress, "bench-sql: spawned vecgres on %s (data %s)\n", ln.Addr(), dir)
	return &benchTarget{
		connString: benchConnString(host, port),
		close: func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = srv.Shutdown(ctx)
			<-served
			eng.Close()
			os.RemoveAll(dir)
		},
	}, nil
}

// spawnServerProcess starts this binary's "serve" command on a free port
// with a temporary data directory and waits until it accepts connections.
func spawnServerProcess(progress io.Writer) (*benchTarget, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vecgres-bench-sql-")
	if err != nil {
		return nil, err
	}
	// NB: the port is found by binding and releasing it; another process
	// could take it in between, which the readiness wait below reports.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(exe, "serve", "--listen", addr, "--data", dir, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = progress, progress
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s serve: %w", exe, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		os.RemoveAll(dir)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("vecgres serve exited before accepting connections: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("vecgres serve did not accept connections on %s within 15 s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintf(progress, "bench-sql: started vecgres serve (pid %d) on %s (data %s)\n", cmd.Process.Pid, addr, dir)
	host, port, _ := net.SplitHostPort(addr)
	return &benchTarget{connString: benchConnString(host, port), close: stop}, nil
}

func benchConnString(host, port string) string {
	return fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", net.JoinHostPort(host, port))
}

// benchRun holds what every phase of one bench-sql run shares.
type benchRun struct {
	cfg      *benchSQLConfig
	ds       *dataset.Dataset
	target   *benchTarget
	out      *benchOutput
	progress io.Writer
	op       string // distance operator
	opclass  string
	vecOID   uint32
	nq       int // queries per measurement
	// truth maps a filter percentage (0 = none) to k ids per query.
	truth map[int][]int32
}

// benchSQL runs every phase and writes results to stdout.
func benchSQL(ctx context.Context, cfg *benchSQLConfig, stdout, stderr io.Writer) error {
	fmt.Fprintf(stderr, "bench-sql: reading %s\n", cfg.data)
	ds, err := dataset.OpenNamed(cfg.data, cfg.metric)
	if err != nil {
		return err
	}
	if cfg.k > ds.TruthK {
		return fmt.Errorf("--k %d exceeds the %d neighbours of the ground truth", cfg.k, ds.TruthK)
	}
	fmt.Fprintf(stderr, "bench-sql: %s: %d base vectors, %d queries, %d dims, metric %s\n", ds.Name, ds.N, ds.NQ, ds.Dims, ds.Metric)
	target, err := openBenchTarget(cfg, stderr)
	if err != nil {
		return err
	}
	defer target.close()
	r := &benchRun{cfg: cfg, ds: ds, target: target, progress: stderr,
		out: newBenchOutput(stdout, cfg.json), op: "<->", opclass: "vector_l2_ops", truth: map[int][]int32{}}
	if ds.Metric == vindex.Cosine {
		r.op, r.opclass = "<=>", "vector_cosine_ops"
	}
	r.nq = cfg.queries
	if r.nq <= 0 {
		// NB: time-bound by default: a fixed 1,000 queries (0.15 s) right
		// after the load measured the server's post-load compactions and
		// warm-up as much as the query, up to 1.5x apart between runs.
		r.nq = math.MaxInt32
	}
	r.truth[0] = unfilteredTruth(ds, cfg.k)
	for _, p := range cfg.filterPcts {
		r.truth[p] = filteredTruth(ds, benchFilterFor(p).match, cfg.k)
	}
	fmt.Fprintf(stderr, "bench-sql: cat = id %% 100, so each cat value selects 1 %% of rows; filters: %s\n", describeFilters(cfg.filterPcts))
	if err := r.load(ctx); err != nil {
		return err
	}
	if err := r.roundTripPhase(ctx); err != nil {
		return err
	}
	if err := r.exactPhase(ctx); err != nil {
		return err
	}
	for _, method := range cfg.indexes {
		if err := r.indexPhase(ctx, method); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
	}
	return r.out.err
}

func describeFilters(pcts []int) string {
	if len(pcts) == 0 {
		return "none"
	}
	var parts []string
	for _, p := range pcts {
		f := benchFilterFor(p)
		parts = append(parts, fmt.Sprintf("%s with $2 = %d selects %d %%", f.where, f.arg, p))
	}
	return strings.Join(parts, "; ")
}

// benchFilter is one WHERE clause of the filtered runs.
type benchFilter struct {
	pct   int
	where string // uses $2
	arg   int32
	match func(id int) bool
}

// benchFilterFor returns the filter selecting pct % of rows (cat = id % 100).
func benchFilterFor(pct int) benchFilter {
	if pct == 1 {
		return benchFilter{pct: 1, where: "cat = $2", arg: 7, match: func(id int) bool { return id%100 == 7 }}
	}
	return benchFilter{pct: pct, where: "cat < $2", arg: int32(pct), match: func(id int) bool { return id%100 < pct }}
}

// connect opens one client connection with the vector type registered.
func (r *benchRun) connect(ctx context.Context) (*pgx.Conn, error) {
	cc, err := pgx.ParseConfig(r.target.connString)
	if err != nil {
		return nil, err
	}
	cc.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if strings.HasSuffix(n.Message, ", skipping") {
			return // DROP ... IF EXISTS of a first run
		}
		fmt.Fprintf(r.progress, "bench-sql:   %s: %s\n", n.Severity, n.Message)
	}
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w (is the server running? --spawn starts one)", r.target.connString, err)
	}
	if r.vecOID != 0 {
		registerVectorType(conn, r.vecOID)
	}
	return conn, nil
}

// connectN opens n connections; on error it closes those already open.
func (r *benchRun) connectN(ctx context.Context, n int) ([]*pgx.Conn, error) {
	conns := make([]*pgx.Conn, 0, n)
	for range n {
		c, err := r.connect(ctx)
		if err != nil {
			closeAll(ctx, conns)
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}

func closeAll(ctx context.Context, conns []*pgx.Conn) {
	for _, c := range conns {
		c.Close(ctx)
	}
}

// exec runs statements on a fresh connection, in order.
func (r *benchRun) exec(ctx context.Context, stmts ...string) error {
	conn, err := r.connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// unfilteredTruth cuts the dataset's ground truth to k per query.
func unfilteredTruth(ds *dataset.Dataset, k int) []int32 {
	out := make([]int32, 0, ds.NQ*k)
	for q := range ds.NQ {
		out = append(out, ds.TruthRow(q)[:k]...)
	}
	return out
}

// recallOf scores the ids returned for query q against truth (k per
// query). A truth row padded with -1 (a filter matching fewer than k rows)
// is scored over its real entries: returning every matching row is recall 1.
func recallOf(ids []int64, truth []int32, q, k int) float64 {
	row := truth[q*k : (q+1)*k]
	if i := slices.Index(row, -1); i >= 0 {
		row = row[:i]
	}
	if len(row) == 0 {
		if len(ids) == 0 {
			return 1
		}
		return 0
	}
	got := make([]vindex.Result, len(ids))
	for i, id := range ids {
		got[i].ID = uint64(id)
	}
	return dataset.Recall(got, row, len(row))
}

// seconds formats a duration for progress lines.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s" }

// round3 rounds to 3 significant decimals for display and JSON.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// round4 rounds to 4 decimals (recall).
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// filterPct is f's selectivity, 0 for no filter.
func filterPct(f *benchFilter) int {
	if f == nil {
		return 0
	}
	return f.pct
}
