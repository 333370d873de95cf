package main

import (
	"os"

	"github.com/vecgres/vecgres/vindex/bench"
	"github.com/vecgres/vecgres/vindex/indextypes"
)

// runBench implements "vecgres bench" (see bench.Usage). Flag handling and
// measuring live in vindex/bench; the index types come from
// vindex/indextypes, the same registry the SQL engine uses (flat, hnsw,
// ivf_flat, ivf_pq, annoy), with build progress printed to stderr.
func runBench(args []string) error {
	return bench.Command(args, indextypes.Registry(bench.ProgressPrinter(os.Stderr)), os.Stdout, os.Stderr)
}
