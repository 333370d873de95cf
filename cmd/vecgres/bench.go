package main

import (
	"io"
	"os"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/annoy"
	"github.com/vecgres/vecgres/vindex/bench"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/hnsw"
	"github.com/vecgres/vecgres/vindex/ivfflat"
	"github.com/vecgres/vecgres/vindex/ivfpq"
)

// runBench implements "vecgres bench" (see bench.Usage): the flag handling
// and measuring live in vindex/bench; this file decides which index types
// the binary offers.
func runBench(args []string) error {
	return bench.Command(args, benchRegistry(bench.ProgressPrinter(os.Stderr)), os.Stdout, os.Stderr)
}

// benchRegistry registers every index type this binary links. Constructors
// wire the build-progress callback into the types that report progress.
func benchRegistry(progress vindex.Progress) *vindex.Registry {
	reg := vindex.NewRegistry()
	reg.Register("flat", flat.NewWithParams, flat.LoadIndex)
	reg.Register("hnsw",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := hnsw.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			x.Progress = progress
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) { return hnsw.Load(r) })
	reg.Register("ivf_flat",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := ivfflat.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			x.SetProgress(progress)
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) { return ivfflat.Load(r) })
	reg.Register("ivf_pq",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := ivfpq.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			x.SetProgress(progress)
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) { return ivfpq.Load(r) })
	reg.Register("annoy",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			return annoy.New(dims, m, params)
		},
		func(r io.Reader) (vindex.Index, error) { return annoy.Load(r) })
	return reg
}
