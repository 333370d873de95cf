// Package executor runs physical plans: pull-based operators (the Volcano
// model, operator.go) over rows of types.Datum, expressions evaluated
// against a row (expr.go), and the storage encoding of rows (table.go).
//
// Operators: table scans (scan.go), primary-key and btree index range
// scans in either direction (btree_scan.go), filter,
// project, limit, values (relational.go), sort and the bounded top-k heap
// that serves exact nearest-neighbour queries (sort.go), hash aggregation
// and DISTINCT (aggregate.go), window functions over sorted input
// (window.go), nested-loop joins and set operations
// (join.go), in-memory hash joins for equi-joins of every kind
// (hash_join.go), set-returning functions (funcscan.go), subqueries
// (subquery.go; uncorrelated IN over a hash set), INSERT/UPDATE/DELETE with constraint checks (modify.go),
// and vector index scans (ann_scan.go).
//
// Vector indexes: VectorIndexes (vector_index.go) owns the live
// vindex.Index of every vector index, builds, loads and checkpoints them;
// VectorChanges (vector_changes.go) carries one transaction's changes to
// commit. The durability protocol is documented on VectorIndexes. Bit
// columns (pgvector's bit_hamming_ops, bit_jaccard_ops) are indexed as 0/1
// float vectors; vector_bits.go says why and holds the conversions.
// Expression indexes (pgvector's binary quantization, "USING hnsw
// ((binary_quantize(embedding)::bit(3)) bit_hamming_ops)") index a bound
// key expression evaluated on the row: LiveIndex.Key and AnnScan.Key;
// vector_index_key.go holds keyValue, the one place an indexed value is
// read from a row.
//
// Invariants:
//   - A row returned by Next is valid until the next call; consumers that
//     keep it copy the slice (datums are immutable and may be shared).
//   - Every row change goes through rowWriter, which maintains btree index
//     entries and calls Ctx.Hooks, so vector indexes never miss a change.
//   - Operators check Ctx.Context for cancellation as they run and return
//     57014 when the client cancelled.
//   - Table statistics (stats.go) are a row sample; selectivity is the
//     fraction of sampled rows passing the predicate with the query's
//     actual parameters.
//
// Where to start debugging: EXPLAIN ANALYZE shows the operators and, for
// index scans, the filtered-search strategy; Collect runs any operator to
// completion in a test.
package executor
