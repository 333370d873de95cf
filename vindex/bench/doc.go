// Package bench measures a vector index type on a benchmark dataset: build
// time and size, then recall@k, single-thread QPS, all-thread QPS and
// latency percentiles for each value of a swept search parameter. It is the
// library behind "vecgres bench" (cmd/vecgres/bench.go), which supplies the
// vindex.Registry of index types.
//
// Flow: Run loads the dataset (vindex/dataset.Open), builds the index
// through the registry (Train on the whole base set, then Add in chunks with
// progress), then for every sweep value runs all queries once on one
// goroutine (recall, per-query latency, qps_1) and once spread over
// Config.Threads goroutines (qps_all). Each measurement is emitted as one
// Result, which the command prints as a table row or a JSON line, and
// optionally plots (Plot).
//
// Ids given to the index are base-vector positions, so results compare
// directly with the ground truth. Timing loops reuse result slices and do
// no allocation of their own.
package bench
