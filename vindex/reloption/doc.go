// Package reloption parses the text values of index build options (the
// WITH (...) of CREATE INDEX, bench's --with) the way PostgreSQL's
// reloptions.c does, with its SQLSTATE (22023) and message wording, so
// index packages report bad options exactly as Postgres would. Used by
// vindex/annoy, vindex/ivfflat and vindex/ivfpq; vindex/hnsw keeps its own
// *ParamError type, whose out-of-range message quotes the text as given.
//
// Each function is pure and safe for concurrent use; errors are
// *pgerr.Error values.
package reloption
