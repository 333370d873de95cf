package coarse

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/space"
)

// TestSelectAndAppendRest checks Select against a full sort (with ties)
// and that AppendRest completes it to the full order.
func TestSelectAndAppendRest(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 100 {
		d := make([]float32, 1+r.IntN(60))
		for i := range d {
			d[i] = float32(r.IntN(8))
		}
		all := make([]int32, len(d))
		for i := range all {
			all[i] = int32(i)
		}
		slices.SortFunc(all, func(a, b int32) int { return cmp.Or(cmp.Compare(d[a], d[b]), cmp.Compare(a, b)) })
		n := 1 + r.IntN(len(d))
		got := Select(d, n, make([]int32, 0, len(d)))
		if !slices.Equal(got, all[:n]) {
			t.Fatalf("trial %d: Select(n=%d) = %v, want %v", trial, n, got, all[:n])
		}
		if full := AppendRest(got, d); !slices.Equal(full, all) {
			t.Fatalf("trial %d: AppendRest = %v, want %v", trial, full, all)
		}
	}
}

// TestNearestMatchesRank checks Nearest against the minimum of Rank, and
// that inner product assigns by the normalised vector without modifying it.
func TestNearestMatchesRank(t *testing.T) {
	const dims, lists = 8, 13
	r := rand.New(rand.NewPCG(5, 6))
	cent := make([]float32, lists*dims)
	for i := range cent {
		cent[i] = float32(r.NormFloat64())
	}
	for c := range lists {
		space.Normalize(cent[c*dims : (c+1)*dims])
	}
	v, tmp, out := make([]float32, dims), make([]float32, dims), make([]float32, lists)
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1} {
		for range 50 {
			for i := range v {
				v[i] = float32(r.NormFloat64() * 3)
			}
			orig := slices.Clone(v)
			q := slices.Clone(v)
			if m == vindex.InnerProduct {
				space.Normalize(q)
			}
			Rank(m, q, cent, dims, out)
			want := 0
			for c := range out {
				if out[c] < out[want] {
					want = c
				}
			}
			if got := Nearest(m, v, tmp, cent, dims); got != want {
				t.Fatalf("%v: Nearest = %d, want %d (ranks %v)", m, got, want, out)
			}
			if !slices.Equal(v, orig) {
				t.Fatalf("%v: Nearest modified its input", m)
			}
			if Spherical(m) && out[0] != -distance.Dot(q, cent[:dims]) {
				t.Fatalf("%v: Rank is not -q·c", m)
			}
		}
	}
}

// TestNoAllocation checks the search-path contract of Rank and Select.
func TestNoAllocation(t *testing.T) {
	d := make([]float32, 100)
	for i := range d {
		d[i] = float32((i * 37) % 11)
	}
	dst := make([]int32, 0, 10)
	q, cent, out := make([]float32, 4), make([]float32, 400), make([]float32, 100)
	if a := testing.AllocsPerRun(50, func() {
		Rank(vindex.Cosine, q, cent, 4, out)
		dst = Select(d, 10, dst)
	}); a != 0 {
		t.Fatalf("%v allocations, want 0", a)
	}
}
