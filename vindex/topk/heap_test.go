package topk

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vecgres/vecgres/vindex"
)

// TestHeapMatchesSort offers random candidates (with many distance ties)
// through the Admits/Push protocol and checks Drain against a full sort.
func TestHeapMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h Heap
	for trial := range 200 {
		k := 1 + r.IntN(20)
		n := r.IntN(100)
		all := make([]vindex.Result, n)
		h.Reset(k)
		for i := range all {
			all[i] = vindex.Result{ID: uint64(r.IntN(1000)), Distance: float32(r.IntN(10))}
			if h.Admits(all[i].Distance, all[i].ID) {
				h.Push(all[i])
			}
		}
		if h.K() != k || h.Len() != min(k, n) || h.Full() != (n >= k) {
			t.Fatalf("trial %d: K=%d Len=%d Full=%v for k=%d n=%d", trial, h.K(), h.Len(), h.Full(), k, n)
		}
		slices.SortFunc(all, func(a, b vindex.Result) int {
			return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.ID, b.ID))
		})
		want := all[:min(k, n)]
		got := h.Drain([]vindex.Result{{ID: 99999}})
		if got[0].ID != 99999 || !slices.Equal(got[1:], want) {
			t.Fatalf("trial %d (k=%d n=%d): got %v, want %v", trial, k, n, got[1:], want)
		}
		if h.Len() != 0 {
			t.Fatalf("trial %d: Drain left %d results", trial, h.Len())
		}
	}
}

// TestNoAllocationOnceWarm checks the hot-path contract: a warm heap
// reused across searches allocates nothing.
func TestNoAllocationOnceWarm(t *testing.T) {
	var h Heap
	dst := make([]vindex.Result, 0, 10)
	run := func() {
		h.Reset(10)
		for i := range 100 {
			d := float32((i * 37) % 53)
			if h.Admits(d, uint64(i)) {
				h.Push(vindex.Result{ID: uint64(i), Distance: d})
			}
		}
		dst = h.Drain(dst[:0])
	}
	run()
	if a := testing.AllocsPerRun(100, run); a != 0 {
		t.Fatalf("%v allocations per warm search, want 0", a)
	}
}

func BenchmarkPushDrain(b *testing.B) {
	var h Heap
	dst := make([]vindex.Result, 0, 10)
	b.ReportAllocs()
	for b.Loop() {
		h.Reset(10)
		for i := range 1000 {
			d := float32((i * 7919) % 1009)
			if h.Admits(d, uint64(i)) {
				h.Push(vindex.Result{ID: uint64(i), Distance: d})
			}
		}
		dst = h.Drain(dst[:0])
	}
}
