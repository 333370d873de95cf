package bench

import (
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
)

// Config describes one benchmark run.
type Config struct {
	Data        string            // dataset folder (base.fvecs, query.fvecs, gt_<metric>.ivecs)
	Index       string            // registry name: flat, hnsw, ivf_flat, ivf_pq, annoy
	Metric      string            // l2 (default), cosine, ip, l1
	K           int               // neighbours per query (default 10)
	Build       map[string]string // build parameters passed to the constructor
	Search      map[string]int    // fixed search parameters (e.g. rerank)
	SweepName   string            // swept search parameter ("" : DefaultSweep)
	SweepValues []int
	Threads     int           // goroutines for qps_all (default GOMAXPROCS)
	MinTime     time.Duration // minimum time per single-thread measurement (default 1s)
	Log         io.Writer     // progress and phase messages (nil: discarded)
}

// Result is one measured point; its JSON form is what "vecgres bench
// --json" prints, one object per line.
type Result struct {
	Index        string            `json:"index"`
	Dataset      string            `json:"dataset"`
	Metric       string            `json:"metric"`
	BuildParams  map[string]string `json:"build_params"`
	SearchParams map[string]int    `json:"search_params"`
	RecallAtK    float64           `json:"recall_at_k"`
	K            int               `json:"k"`
	QPS1         float64           `json:"qps_1"`
	QPSAll       float64           `json:"qps_all"`
	Threads      int               `json:"threads"`
	P50ms        float64           `json:"p50_ms"`
	P99ms        float64           `json:"p99_ms"`
	BuildSeconds float64           `json:"build_seconds"`
	IndexBytes   int64             `json:"index_bytes"`
	RawBytes     int64             `json:"raw_bytes"`
}

func (c *Config) fill() {
	if c.Metric == "" {
		c.Metric = "l2"
	}
	if c.K <= 0 {
		c.K = 10
	}
	if c.Threads <= 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	if c.MinTime <= 0 {
		c.MinTime = time.Second
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.SweepName == "" {
		c.SweepName, c.SweepValues = DefaultSweep(c.Index)
	}
}

// Run loads the dataset, builds the index through reg and measures every
// sweep value, calling emit with each Result as soon as it is measured.
// It returns the first error (dataset, unknown index type, bad parameters,
// a failing Add or Search), wrapped with what was being done.
func Run(reg *vindex.Registry, cfg Config, emit func(Result)) error {
	cfg.fill()
	start := time.Now()
	fmt.Fprintf(cfg.Log, "loading %s (metric %s)...\n", cfg.Data, cfg.Metric)
	ds, err := dataset.Open(cfg.Data, cfg.Metric)
	if err != nil {
		return err
	}
	if cfg.K > ds.TruthK {
		return fmt.Errorf("k=%d exceeds the %d neighbours in the ground truth", cfg.K, ds.TruthK)
	}
	fmt.Fprintf(cfg.Log, "loaded %d base vectors × %d dims, %d queries in %.1fs\n", ds.N, ds.Dims, ds.NQ, time.Since(start).Seconds())

	idx, buildTime, err := build(reg, cfg, ds)
	if err != nil {
		return err
	}
	base := Result{
		Index:        cfg.Index,
		Dataset:      ds.Name,
		Metric:       ds.Metric.String(),
		BuildParams:  cfg.Build,
		K:            cfg.K,
		Threads:      cfg.Threads,
		BuildSeconds: buildTime.Seconds(),
		IndexBytes:   idx.Stats().Bytes,
		RawBytes:     int64(ds.N) * int64(ds.Dims) * 4,
	}
	if base.BuildParams == nil {
		base.BuildParams = map[string]string{}
	}
	values := cfg.SweepValues
	if cfg.SweepName == "" {
		values = []int{0}
	}
	for _, v := range values {
		sp := maps.Clone(cfg.Search)
		if sp == nil {
			sp = map[string]int{}
		}
		if cfg.SweepName != "" {
			sp[cfg.SweepName] = v
		}
		fmt.Fprintf(cfg.Log, "searching %s...\n", formatParams(sp))
		r, err := measure(idx, ds, cfg, toSearchParams(sp))
		if err != nil {
			return fmt.Errorf("search with %v: %w", sp, err)
		}
		r.Index, r.Dataset, r.Metric, r.BuildParams, r.K = base.Index, base.Dataset, base.Metric, base.BuildParams, base.K
		r.Threads, r.BuildSeconds, r.IndexBytes, r.RawBytes = base.Threads, base.BuildSeconds, base.IndexBytes, base.RawBytes
		r.SearchParams = sp
		emit(r)
	}
	return nil
}

// build constructs the index, trains it on the base set and adds the base
// vectors in ten chunks, reporting progress; the returned duration covers
// Train and Add.
func build(reg *vindex.Registry, cfg Config, ds *dataset.Dataset) (vindex.Index, time.Duration, error) {
	idx, err := reg.New(cfg.Index, ds.Dims, ds.Metric, cfg.Build)
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	fmt.Fprintf(cfg.Log, "training %s...\n", cfg.Index)
	if err := idx.Train(ds.Base); err != nil {
		return nil, 0, fmt.Errorf("train %s: %w", cfg.Index, err)
	}
	ids := make([]uint64, ds.N)
	for i := range ids {
		ids[i] = uint64(i)
	}
	chunk := max(1000, (ds.N+9)/10)
	for lo := 0; lo < ds.N; lo += chunk {
		hi := min(lo+chunk, ds.N)
		if err := idx.Add(ids[lo:hi], ds.Base[lo*ds.Dims:hi*ds.Dims]); err != nil {
			return nil, 0, fmt.Errorf("add vectors %d..%d: %w", lo, hi-1, err)
		}
		fmt.Fprintf(cfg.Log, "building %s: %d/%d vectors (%.0f%%) %.1fs\n", cfg.Index, hi, ds.N, 100*float64(hi)/float64(ds.N), time.Since(start).Seconds())
	}
	return idx, time.Since(start), nil
}

// measure runs every query once on this goroutine (recall and latencies),
// repeats that pass until cfg.MinTime has elapsed (qps_1), then runs the
// queries spread over cfg.Threads goroutines for the same number of passes
// (qps_all).
func measure(idx vindex.Index, ds *dataset.Dataset, cfg Config, p *vindex.SearchParams) (Result, error) {
	var r Result
	lat := make([]time.Duration, 0, ds.NQ)
	res := make([]vindex.Result, 0, cfg.K)
	var recall float64
	var err error
	passStart := time.Now()
	for q := range ds.NQ {
		t0 := time.Now()
		res, err = idx.Search(ds.Query(q), cfg.K, p, res)
		lat = append(lat, time.Since(t0))
		if err != nil {
			return r, err
		}
		recall += dataset.Recall(res, ds.TruthRow(q), cfg.K)
	}
	passes, elapsed := 1, time.Since(passStart)
	for elapsed < cfg.MinTime {
		for q := range ds.NQ {
			res, _ = idx.Search(ds.Query(q), cfg.K, p, res)
		}
		passes++
		elapsed = time.Since(passStart)
	}
	r.RecallAtK = recall / float64(ds.NQ)
	r.QPS1 = float64(passes*ds.NQ) / elapsed.Seconds()
	slices.Sort(lat)
	r.P50ms = float64(lat[len(lat)/2]) / 1e6
	r.P99ms = float64(lat[min(len(lat)-1, len(lat)*99/100)]) / 1e6

	total := passes * ds.NQ
	var wg sync.WaitGroup
	allStart := time.Now()
	for w := range cfg.Threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]vindex.Result, 0, cfg.K)
			for i := w; i < total; i += cfg.Threads {
				out, _ = idx.Search(ds.Query(i%ds.NQ), cfg.K, p, out)
			}
		}()
	}
	wg.Wait()
	r.QPSAll = float64(total) / time.Since(allStart).Seconds()
	return r, nil
}
