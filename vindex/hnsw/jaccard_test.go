package hnsw

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// randBits returns n vectors of dims 0/1 floats, each bit set with
// probability p (bit strings as SQL indexes them).
func randBits(r *rand.Rand, n, dims int, p float64) []float32 {
	v := make([]float32, n*dims)
	for i := range v {
		if r.Float64() < p {
			v[i] = 1
		}
	}
	return v
}

// TestJaccardIndex checks an hnsw index over 0/1 vectors with the Jaccard
// metric: reported distances equal distance.JaccardBinary, results are
// sorted, and recall@10 against brute force is high. Recall counts a
// result as correct when its distance is within the exact 10th distance,
// since bit distances tie often. A saved and loaded copy answers the same.
func TestJaccardIndex(t *testing.T) {
	const n, dims, k, queries = 2000, 96, 10, 40
	r := rand.New(rand.NewPCG(7, 11))
	vecs := randBits(r, n, dims, 0.3)
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	ix, err := New(dims, vindex.Jaccard, map[string]string{"m": "16", "ef_construction": "64"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ix.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	hits, total := 0, 0
	for qi := 0; qi < queries; qi++ {
		q := randBits(r, 1, dims, 0.3)
		exact := make([]float32, n)
		for i := range exact {
			exact[i] = distance.JaccardBinary(q, vecs[i*dims:(i+1)*dims])
		}
		sorted := append([]float32(nil), exact...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		kth := sorted[k-1]
		res, err := ix.Search(q, k, &vindex.SearchParams{EfSearch: 100}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != k {
			t.Fatalf("query %d: %d results, want %d", qi, len(res), k)
		}
		for i, x := range res {
			if want := exact[x.ID-1]; x.Distance != want {
				t.Fatalf("query %d: id %d distance %g, JaccardBinary gives %g", qi, x.ID, x.Distance, want)
			}
			if i > 0 && res[i-1].Distance > x.Distance {
				t.Fatalf("query %d: results not sorted: %v", qi, res)
			}
			if x.Distance <= kth {
				hits++
			}
			total++
		}
		again, err := loaded.Search(q, k, &vindex.SearchParams{EfSearch: 100}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range res {
			if again[i] != res[i] {
				t.Fatalf("query %d: loaded index answers %v, saved one %v", qi, again, res)
			}
		}
	}
	if recall := float64(hits) / float64(total); recall < 0.95 {
		t.Errorf("recall@%d = %.3f, want >= 0.95", k, recall)
	}
}
