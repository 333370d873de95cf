package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
)

// writeFvecs writes n vectors of dims float32s (flat) in fvecs format.
func writeFvecs(t *testing.T, path string, data []float32, dims int) {
	t.Helper()
	var b []byte
	for i := 0; i < len(data); i += dims {
		b = binary.LittleEndian.AppendUint32(b, uint32(dims))
		for _, f := range data[i : i+dims] {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// syntheticDataset writes a random dataset (no ground-truth file, so
// dataset.Open computes it with vindex/flat) and returns its folder.
func syntheticDataset(t *testing.T, n, nq, dims int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	vecs := func(count int) []float32 {
		v := make([]float32, count*dims)
		for i := range v {
			v[i] = rng.Float32()*2 - 1
		}
		return v
	}
	dir := t.TempDir()
	writeFvecs(t, filepath.Join(dir, "base.fvecs"), vecs(n), dims)
	writeFvecs(t, filepath.Join(dir, "query.fvecs"), vecs(nq), dims)
	return dir
}

// TestBenchSQLSpawn runs bench-sql end to end against an in-process server
// on a tiny dataset: the exact phase must have recall 1 (unfiltered and with
// the 1 % filter, whose truth bench-sql computes itself), and the hnsw phase
// must use the index and produce results for every client count and filter.
func TestBenchSQLSpawn(t *testing.T) {
	dir := syntheticDataset(t, 2000, 20, 16)
	var stderr bytes.Buffer
	cfg, err := parseBenchSQLFlags([]string{"--spawn", "--data", dir, "--index", "hnsw", "--json",
		"--with", "m=8,ef_construction=64", "--sweep", "ef_search=20,80", "--clients", "1,2",
		"--filter-pct", "1", "--queries", "40", "--insert-rows", "300"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := benchSQL(context.Background(), cfg, &stdout, &stderr); err != nil {
		t.Fatalf("bench-sql: %v\nstderr:\n%s", err, stderr.String())
	}
	var results []benchResult
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var r benchResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		results = append(results, r)
	}
	count := map[string]int{}
	for _, r := range results {
		count[r.Phase]++
		switch r.Phase {
		case "load", "insert":
			if r.LoadRowsPerSec == nil || *r.LoadRowsPerSec <= 0 {
				t.Errorf("%s: rows/s = %v", r.Phase, r.LoadRowsPerSec)
			}
		case "rtt":
			if r.RecallAtK != nil || r.QPS == nil || *r.QPS <= 0 || r.P50ms == nil || *r.P50ms <= 0 || *r.P99ms < *r.P50ms {
				t.Errorf("rtt row %+v", r)
			}
		case "exact":
			if *r.RecallAtK != 1 || *r.QPS <= 0 || r.K != 10 {
				t.Errorf("exact (filter %d %%, %d clients): recall %v qps %v k %d, want recall 1", r.FilterPct, r.Clients, *r.RecallAtK, *r.QPS, r.K)
			}
		case "index":
			if r.Index != "hnsw" || r.IndexUsed == nil || !*r.IndexUsed || *r.QPS <= 0 || *r.P99ms < *r.P50ms {
				t.Errorf("index row %+v", r)
			}
			// ef_search=80 over 2,000 vectors of 16 dims is close to exact.
			if strings.HasPrefix(r.SearchParams, "hnsw.ef_search=80") && *r.RecallAtK < 0.9 {
				t.Errorf("hnsw %s filter %d %%: recall %v < 0.9", r.SearchParams, r.FilterPct, *r.RecallAtK)
			}
		default:
			t.Errorf("unexpected phase %q", r.Phase)
		}
	}
	// exact: 2 filters × 2 client counts; hnsw: 2 filters × 2 sweep values × 2 client counts.
	if count["load"] != 1 || count["insert"] != 1 || count["rtt"] != 1 || count["exact"] != 4 || count["index"] != 8 {
		t.Errorf("result lines per phase = %v, want load 1, insert 1, rtt 1, exact 4, index 8\n%s", count, stdout.String())
	}
}

// TestFilteredTruth checks the brute-force filtered ground truth against a
// full sort, including ties (broken by the smaller id) and a filter that
// matches fewer than k rows (padded with -1).
func TestFilteredTruth(t *testing.T) {
	ds := &dataset.Dataset{Dims: 1, N: 8, NQ: 1, Metric: vindex.L2,
		Base: []float32{5, 1, 3, 1, 9, 3, 2, 7}, Queries: []float32{2}}
	cases := []struct {
		name  string
		match func(int) bool
		k     int
		want  []int32
	}{
		{"all", func(int) bool { return true }, 5, []int32{6, 1, 2, 3, 5}},
		{"even ids", func(id int) bool { return id%2 == 0 }, 3, []int32{6, 2, 0}},
		{"few match", func(id int) bool { return id >= 6 }, 4, []int32{6, 7, -1, -1}},
	}
	for _, c := range cases {
		got := filteredTruth(ds, c.match, c.k)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: filteredTruth = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRecallOf covers the -1 padding of filtered truth rows.
func TestRecallOf(t *testing.T) {
	truth := []int32{4, 2, 9, 3, 8, -1}
	if r := recallOf([]int64{2, 4, 7}, truth, 0, 3); math.Abs(r-2.0/3) > 1e-12 {
		t.Errorf("recall = %v, want 2/3", r)
	}
	if r := recallOf([]int64{8, 3}, truth, 1, 3); r != 1 {
		t.Errorf("padded row: recall = %v, want 1", r)
	}
	if r := recallOf([]int64{3}, truth, 1, 3); r != 0.5 {
		t.Errorf("padded row, one of two found: recall = %v, want 0.5", r)
	}
}

// TestBenchSQLSpawnProcess runs the built binary's bench-sql against a
// "vecgres serve" child process it starts itself: the exact phase must
// answer with recall 1, and the child must be gone afterwards (its data
// directory removed).
func TestBenchSQLSpawnProcess(t *testing.T) {
	dir := syntheticDataset(t, 500, 10, 8)
	cmd := exec.Command(vecgresBinary(t), "bench-sql", "--spawn-process", "--data", dir, "--index", "none", "--json",
		"--clients", "1", "--filter-pct", "0", "--queries", "20", "--insert-rows", "100")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bench-sql --spawn-process: %v\nstderr:\n%s", err, stderr.String())
	}
	exact := 0
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var r benchResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if r.Phase == "exact" {
			exact++
			if *r.RecallAtK != 1 || *r.QPS <= 0 {
				t.Errorf("exact: recall %v qps %v, want recall 1", *r.RecallAtK, *r.QPS)
			}
		}
	}
	if exact != 1 {
		t.Errorf("%d exact result lines, want 1\n%s", exact, stdout.String())
	}
	m := regexp.MustCompile(`started vecgres serve \(pid \d+\) on \S+ \(data (\S+)\)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no start line in stderr:\n%s", stderr.String())
	}
	if _, err := os.Stat(m[1]); !os.IsNotExist(err) {
		t.Errorf("data directory %s still exists after the run (err %v)", m[1], err)
	}
}
