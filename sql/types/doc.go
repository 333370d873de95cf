// Package types holds vecgres's SQL types and values: what a type is (T),
// what a value is (Datum), their PostgreSQL OIDs, and every conversion of a
// value to and from the outside world (text and binary wire formats, casts)
// and to and from storage (order-preserving key bytes, row value bytes).
//
// It is a leaf package: it imports nothing from vecgres but sql/pgerr, so
// every layer (pgwire, sql, planner, executor, storage callers) may use it.
// NB: values cross every layer, so the type that describes them has to sit
// below all of them; that is why it is not part of package sql proper.
//
// Invariants:
//   - A Datum carries its physical Kind only; the SQL type (int2 vs int8,
//     text vs varchar(10)) lives in T, beside the datum in a column or an
//     expression. Functions here take both.
//   - The zero Datum is SQL NULL.
//   - Vectors never hold NaN or Inf, and their length fits their typmod.
//   - A halfvec value is a vector Datum (KindVector) whose elements are
//     exact IEEE half floats (halfvec.go); only I/O, casts and the value
//     encoding see halves, everything else sees float32.
//   - Bit strings (bit, bit varying; bit.go) hold ceil(n/8) packed bytes
//     whose unused low bits are zero, so equal strings have equal bytes.
//   - Errors returned are *pgerr.Error with PostgreSQL's SQLSTATE and message.
package types
