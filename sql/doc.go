// Package sql is vecgres's SQL engine: the Postgres dialect in front of
// the TiDB parser, name binding and typing, sessions and transactions.
// pgwire drives it; it drives planner and executor.
//
// # Layers and data flow
//
//	Parse (parse.go)        text → statements (sql/tree), via our Postgres
//	                        lexer (lexer.go) and rewriter (rewrite*.go) in
//	                        front of the TiDB grammar, plus our own parsers
//	                        for statements TiDB lacks (pgstmt*.go), and
//	                        conversion of TiDB's AST (convert_*.go).
//	Session.Prepare         binds a statement: names against the catalog
//	  (session_exec.go)     (catalog_view.go, catalog_tables.go for the
//	                        system catalogs), operators and functions through
//	                        executor/builtin, untyped literals and $n
//	                        parameters coerced and typed (bind*.go; WHERE
//	                        IN/EXISTS conjuncts become semi/anti joins in
//	                        bind_where.go), then planner.Optimizer rewrites
//	                        the logical plan.
//	Session.Execute         builds executor operators and returns a Result
//	                        that streams rows; utility statements (DDL, SET,
//	                        transactions, COPY) run in session_utility.go,
//	                        ddl*.go, copy.go. Expression index keys are
//	                        stored as SQL text and bound again wherever
//	                        they are used (index_expr.go).
//
// # Invariants
//
//   - Every error that leaves this package is a *pgerr.Error with the
//     SQLSTATE PostgreSQL would send; positions are relative to the whole
//     query string the client sent.
//   - A session has at most one storage transaction. Outside BEGIN every
//     statement joins an implicit transaction that Sync (end of a simple
//     Query, or the Sync message) commits, or rolls back if a statement
//     failed. Inside BEGIN, a failed statement makes every later one fail
//     with 25P02 until ROLLBACK (TxnStatus 'E').
//   - Vector index changes reach the live indexes only after the storage
//     commit succeeded (executor.VectorChanges), so a rolled-back
//     transaction leaves no trace in any index.
//   - A prepared statement remembers the catalog generation it was bound
//     at; Execute re-binds it when DDL committed since.
//   - Descriptors from the catalog are shared and immutable: copy before
//     changing (copyTableDesc).
//
// # Where to start debugging
//
// A wrong result: EXPLAIN the query (explain.go prints the optimised
// plan), then look at the binder for typing (bind_expr.go, bind_func.go)
// or at the planner rule that fired. A wrong error code: grep the message
// in bind*.go and executor/builtin. A parse problem: sql/testdata/parse has
// golden trees; add the input there.
package sql
