package hnsw

import (
	"testing"

	"github.com/vecgres/vecgres/vindex"
)

// TestDuplicatesStayReachable stores few distinct values many times each,
// skewed (two values hold two thirds of the rows), as binary-quantized
// codes are: a search for any value must find ten of its copies. Before
// selectNeighbors capped the duplicates it links, copies filled each
// other's lists, lost their links to other values, and searches for the
// rare values found none of their copies in most builds; ten builds per
// metric catch that.
func TestDuplicatesStayReachable(t *testing.T) {
	const n, dims = 300, 3
	code := func(i int) int {
		if i%3 != 0 {
			return (i / 3) % 2
		}
		return (i * 7) % 8
	}
	vecs := make([]float32, n*dims)
	copies := make([]int, 8)
	for i := 0; i < n; i++ {
		c := code(i)
		copies[c]++
		for j := 0; j < dims; j++ {
			vecs[i*dims+j] = float32((c >> j) & 1)
		}
	}
	for _, m := range []vindex.Metric{vindex.L2, vindex.L1} {
		for build := 0; build < 10; build++ {
			ix := mustNew(t, dims, m, map[string]string{"m": "16", "ef_construction": "64"})
			if err := ix.Add(seqIDs(n), vecs); err != nil {
				t.Fatal(err)
			}
			for c := 0; c < 8; c++ {
				if copies[c] < 10 {
					t.Fatalf("code %d has %d copies; the test needs 10", c, copies[c])
				}
				q := []float32{float32(c & 1), float32((c >> 1) & 1), float32((c >> 2) & 1)}
				res, err := ix.Search(q, 10, &vindex.SearchParams{EfSearch: 40}, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res {
					if r.Distance != 0 || code(int(r.ID)) != c {
						t.Fatalf("%v build %d, value %d: got id %d at distance %v; want ten copies at 0 (%v)", m, build, c, r.ID, r.Distance, res)
					}
				}
				if len(res) != 10 {
					t.Fatalf("%v build %d, value %d: %d results", m, build, c, len(res))
				}
			}
		}
	}
}
