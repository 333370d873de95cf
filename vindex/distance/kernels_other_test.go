//go:build !amd64

package distance

// asmLevel exists only on amd64; elsewhere the dispatch test has one level.
var asmLevel simdLevel
