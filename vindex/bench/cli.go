package bench

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/vecgres/vecgres/vindex"
)

// Usage is the help text of "vecgres bench", before the flag list.
const Usage = `Usage: vecgres bench --data DIR --index TYPE [flags]

Builds a vector index on an fvecs dataset folder (base.fvecs, query.fvecs,
gt_<metric>.ivecs, as in ../shared/data), sweeps one search parameter and
prints recall@k, queries per second on 1 and on --threads goroutines, latency
percentiles, build time and memory.

Example:
  vecgres bench --data ../shared/data/siftsmall --index hnsw \
      --with m=16,ef_construction=200 --sweep ef_search=10,20,40,80

Flags:
`

// Command runs "vecgres bench" with its arguments (flags only, see Usage):
// results go to stdout (a table, or JSON lines with --json), progress and
// help to stderr. reg supplies the index types; progress, if the caller
// wired it into reg's constructors, also goes to stderr. It returns nil
// after --help, and an error for bad flags or a failed run.
func Command(args []string, reg *vindex.Registry, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), Usage)
		fs.PrintDefaults()
	}
	var (
		data     = fs.String("data", "", "dataset folder (required)")
		index    = fs.String("index", "", "index type: flat, hnsw, ivf_flat, ivf_pq, annoy (required)")
		metric   = fs.String("metric", "l2", "distance: l2, cosine, ip, l1 (ground truth is computed if the folder has none)")
		k        = fs.Int("k", 10, "neighbours per query")
		with     = fs.String("with", "", "build parameters, e.g. m=16,ef_construction=200 or lists=100")
		search   = fs.String("search", "", "fixed search parameters, e.g. rerank=8")
		sweep    = fs.String("sweep", "", "swept search parameter, e.g. ef_search=10,20,40,80 (default per index type)")
		threads  = fs.Int("threads", 0, "goroutines for the qps_all measurement (default: all cores)")
		minTime  = fs.Duration("min-time", time.Second, "minimum single-thread measuring time per sweep value")
		jsonOut  = fs.Bool("json", false, "print one JSON object per line instead of a table")
		plotPath = fs.String("plot", "", "also draw recall against QPS into this file (.png, .svg or .pdf)")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *data == "" || *index == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("--data and --index are required, and no positional arguments are accepted")
	}
	cfg := Config{
		Data: *data, Index: strings.ToLower(*index), Metric: *metric, K: *k,
		Threads: *threads, MinTime: *minTime, Log: stderr,
	}
	var err error
	if cfg.Build, err = vindex.ParseParams(*with); err != nil {
		return fmt.Errorf("--with: %w", err)
	}
	if cfg.Search, err = ParseSearchParams(*search); err != nil {
		return fmt.Errorf("--search: %w", err)
	}
	if *sweep != "" {
		if cfg.SweepName, cfg.SweepValues, err = ParseSweep(*sweep); err != nil {
			return fmt.Errorf("--sweep: %w", err)
		}
	}
	if !reg.Has(cfg.Index) {
		return fmt.Errorf("unknown index type %q (known: %s)", *index, strings.Join(reg.Names(), ", "))
	}

	var results []Result
	err = Run(reg, cfg, func(r Result) {
		switch {
		case *jsonOut:
			WriteJSON(stdout, r)
		case len(results) == 0:
			fmt.Fprintln(stdout, TableHeader)
			fallthrough
		default:
			WriteRow(stdout, r)
		}
		results = append(results, r)
	})
	if err != nil {
		return err
	}
	if *plotPath != "" {
		if err := Plot(*plotPath, results); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", *plotPath)
	}
	return nil
}

// ProgressPrinter returns a vindex.Progress that writes a line to w at most
// every 500ms per phase and at each phase's end. Safe for concurrent use.
func ProgressPrinter(w io.Writer) vindex.Progress {
	var mu sync.Mutex
	last := map[string]time.Time{}
	return func(phase string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if done < total && now.Sub(last[phase]) < 500*time.Millisecond {
			return
		}
		last[phase] = now
		pct := 100.0
		if total > 0 {
			pct = 100 * float64(done) / float64(total)
		}
		fmt.Fprintf(w, "  %s: %d/%d (%.0f%%)\n", phase, done, total, pct)
	}
}
