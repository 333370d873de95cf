//go:build !amd64

package hnsw

// prefetchSpan is a no-op where we have no prefetch instruction wired up.
func prefetchSpan(*uint32, uintptr) {}
