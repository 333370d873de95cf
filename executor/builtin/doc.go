// Package builtin is the library of built-in SQL operators, functions
// and aggregates, and PostgreSQL's overload resolution over them.
//
// The binder (package sql) asks a Library which overload a call means:
// ResolveBinary, ResolveUnary, ResolveFunc and ResolveAggregate take the
// argument types (Unknown for untyped literals and parameters) and return
// a *Func or *Aggregate whose Params are the types the binder must cast
// each argument to. The executor then calls Func.Eval with the cast
// argument values (or, for a strict Func, NULL without calling it when an
// argument is NULL) and drives AggState for aggregates.
//
// Data flow: NewLibrary builds the tables (library.go) from one add*
// method per file: arith_int.go, arith_float.go, arith_numeric.go,
// compare.go, text.go, text_concat.go, like.go, regex.go, vector.go,
// bit.go, bit_ops.go, halfvec.go,
// math.go, misc.go, datetime.go, arrays.go, aggregates.go,
// aggregates_vector.go. resolve.go is the resolution algorithm (PostgreSQL
// docs, chapter 10 "Type Conversion"); which casts are implicit comes from
// types.CastContextOf.
//
// Invariants:
//   - No global mutable state: a Library is built by NewLibrary, read-only
//     afterwards (the regex cache has its own lock), and safe to share.
//   - Results and errors equal PostgreSQL 15's (and pgvector 0.8's for
//     vectors), SQLSTATE included; every error is a *pgerr.Error.
//   - Bodies never modify argument datums (Vec, Arr, Dec are shared).
//   - Polymorphic overloads (anyelement, anyarray, anycompatible, "any")
//     are instantiated per call: the returned Func is a copy with concrete
//     Params and Return, and a body built for those types.
//
// Debugging: a wrong overload choice is resolve.go (print the candidates
// choose() keeps after each step); a wrong value is the add* file named
// for the operator; a wrong implicit cast is sql/types' CastContextOf.
package builtin
