// Package planner turns the binder's logical plan into an executable one.
//
// The binder (package sql) builds a tree of logical nodes (logical.go)
// whose expressions are already bound executor.Expr values. Optimize
// applies an ordered list of rewrite rules (rules.go is the only place
// their order is decided; one rule per rule_*.go file), and Build
// (build.go) turns the result into executor operators. Explain
// (explain.go) prints the optimised tree in PostgreSQL's EXPLAIN text
// format.
//
// Before the rules, the binder asks SemiJoinIn and SemiJoinExists
// (subquery_join.go) to turn WHERE conjuncts "x IN (SELECT ...)" and
// "[NOT] EXISTS (SELECT ...)" into semi/anti Joins, as PostgreSQL pulls
// up sublinks; they refuse (and the subquery stays an expression) when
// the subquery reads the outer row anywhere but an EXISTS's WHERE.
//
// Rules, in order:
//   - push_predicates: WHERE and ON conjuncts move below joins as far as
//     PostgreSQL's outer-join semantics allow (rule_push_join.go lists
//     the cases), also through plain column projections; an outer join
//     whose NULL-extended rows a WHERE conjunct rejects becomes an inner
//     (or LEFT) join first, as PostgreSQL's reduce_outer_joins does.
//   - push_filter_into_scan: a Filter over a Scan becomes the scan's filter.
//   - hash_join: equalities between a join's two sides become hash keys
//     (executor.HashJoin), the rest of ON the residual; the smaller input
//     by table statistics is hashed, else the right one. Joins without
//     such an equality stay nested loops.
//   - index_range: bounds the filter puts on the leading column(s) of the
//     primary key or a btree index (=, IN, <, <=, >, >=, BETWEEN against
//     constants or parameters) restrict the scan to key ranges
//     (index_bounds.go); the whole filter stays as a residual check.
//   - index_order: ORDER BY the columns of such an index with LIMIT reads
//     the index in order, backward for DESC, and drops the Sort.
//   - sort_limit_to_topk: ORDER BY ... LIMIT k runs as a bounded heap
//     (exact k-nearest-neighbour search is this rule).
//   - ann_topk: ORDER BY vector_col <op> query LIMIT k over a table with a
//     vector index whose operator class matches <op> becomes an index scan;
//     the scan's filter goes with it and the executor chooses, from the
//     table statistics, between filter-aware traversal, probe widening and
//     exact search over the matching rows. ORDER BY <expr> <op> query
//     uses an expression index whose bound key (Optimizer.IndexKey) is
//     the same expression (executor.SameExpr); without one it stays an
//     exact top-k.
//
// Invariants: a rule returns its input unchanged when a precondition
// fails, so every rule is optional for correctness; plans reference
// columns by position in their input row; Build returns fresh operators
// (they hold per-run state) so a plan can be executed many times.
package planner
