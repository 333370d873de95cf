package bench_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/bench"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/flat"
)

func registry() *vindex.Registry {
	reg := vindex.NewRegistry()
	reg.Register("flat", flat.NewWithParams, flat.LoadIndex)
	return reg
}

func siftsmall(t *testing.T) string {
	t.Helper()
	dir, err := dataset.SharedDir("siftsmall")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCommandJSON runs the command on siftsmall with flat: one JSON line
// with every documented key, recall 1 (exact search), sane numbers.
func TestCommandJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	plot := filepath.Join(t.TempDir(), "recall.png")
	err := bench.Command([]string{"--data", siftsmall(t), "--index", "flat", "--json",
		"--min-time", "1ms", "--threads", "2", "--plot", plot}, registry(), &out, &errOut)
	if err != nil {
		t.Fatalf("Command: %v\nstderr: %s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line for flat, got %d:\n%s", len(lines), out.String())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"index", "build_params", "search_params", "recall_at_k", "k", "qps_1", "qps_all",
		"p50_ms", "p99_ms", "build_seconds", "index_bytes", "raw_bytes"} {
		if _, ok := m[key]; !ok {
			t.Errorf("JSON line lacks %q: %s", key, lines[0])
		}
	}
	if m["index"] != "flat" || m["recall_at_k"] != 1.0 || m["k"] != 10.0 || m["raw_bytes"] != float64(10000*128*4) {
		t.Errorf("unexpected values: %s", lines[0])
	}
	if m["qps_1"].(float64) <= 0 || m["qps_all"].(float64) <= 0 || m["index_bytes"].(float64) < float64(10000*128*4) {
		t.Errorf("non-positive speed or too small index_bytes: %s", lines[0])
	}
	if !strings.Contains(errOut.String(), "building flat: 10000/10000") {
		t.Errorf("no build progress on stderr:\n%s", errOut.String())
	}
	if st, err := os.Stat(plot); err != nil || st.Size() < 1000 {
		t.Errorf("plot not written: %v", err)
	}
}

// TestRunSweepTable sweeps a parameter flat ignores: one table row per value.
func TestRunSweepTable(t *testing.T) {
	var out bytes.Buffer
	err := bench.Command([]string{"--data", siftsmall(t), "--index", "flat", "--metric", "cosine",
		"--k", "5", "--sweep", "ef_search=10,20", "--min-time", "1ms"}, registry(), &out, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&out)
	var rows []string
	for sc.Scan() {
		rows = append(rows, sc.Text())
	}
	if len(rows) != 3 || rows[0] != bench.TableHeader || !strings.Contains(rows[1], "ef_search=10") ||
		!strings.Contains(rows[2], "ef_search=20") || !strings.Contains(rows[1], " 1.0000 ") {
		t.Fatalf("table:\n%s", out.String())
	}
}

func TestCommandErrors(t *testing.T) {
	dir := siftsmall(t)
	cases := map[string][]string{
		"no data":        {"--index", "flat"},
		"unknown index":  {"--data", dir, "--index", "lsh"},
		"bad with":       {"--data", dir, "--index", "flat", "--with", "m"},
		"flat param":     {"--data", dir, "--index", "flat", "--with", "m=16"},
		"bad sweep":      {"--data", dir, "--index", "flat", "--sweep", "ef_search=ten"},
		"unknown sweep":  {"--data", dir, "--index", "flat", "--sweep", "warp=1"},
		"missing folder": {"--data", filepath.Join(dir, "nope"), "--index", "flat"},
		"k too large":    {"--data", dir, "--index", "flat", "--k", "101"},
	}
	for name, args := range cases {
		args = append(args, "--min-time", "1ms")
		if err := bench.Command(args, registry(), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRunEmitsPerSweepValue(t *testing.T) {
	var got []bench.Result
	cfg := bench.Config{Data: siftsmall(t), Index: "flat", SweepName: "probes", SweepValues: []int{1, 2, 3},
		Search: map[string]int{"rerank": 4}, MinTime: time.Millisecond, Threads: 1}
	if err := bench.Run(registry(), cfg, func(r bench.Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].SearchParams["probes"] != 3 || got[2].SearchParams["rerank"] != 4 || got[0].SearchParams["probes"] != 1 {
		t.Fatalf("results: %+v", got)
	}
}
