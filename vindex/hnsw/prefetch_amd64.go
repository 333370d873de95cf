//go:build amd64

package hnsw

// prefetchSpan hints the CPU to bring the n bytes at p into cache. It never
// faults (PREFETCH ignores bad addresses) and has no effect on results.
//
//go:noescape
func prefetchSpan(p *uint32, n uintptr)
