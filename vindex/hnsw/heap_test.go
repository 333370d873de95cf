package hnsw

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMaxHeapReplaceTop checks replaceTop against push-then-pop on random
// distances (with ties), and that draining yields ascending order.
func TestMaxHeapReplaceTop(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		ef := 1 + r.IntN(40)
		var a, b maxHeap
		for i := 0; i < 300; i++ {
			c := cand{d: float32(r.IntN(50)), slot: uint32(i)}
			switch {
			case len(a) < ef:
				a.push(c)
				b.push(c)
			case c.d < a[0].d:
				a.replaceTop(c)
				b.push(c)
				b.pop()
			}
		}
		da, db := a.drainSorted(nil), b.drainSorted(nil)
		if len(da) != len(db) {
			t.Fatalf("ef=%d: %d vs %d kept", ef, len(da), len(db))
		}
		for i := range da {
			if da[i].d != db[i].d {
				t.Fatalf("ef=%d: distances differ at %d: %v vs %v", ef, i, da, db)
			}
		}
		if !slices.IsSortedFunc(da, func(x, y cand) int { return int(x.d - y.d) }) {
			t.Fatalf("drain not ascending: %v", da)
		}
	}
}
