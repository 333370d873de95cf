package kmeans

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// blobs returns n rows around k well-separated centres in dims dimensions,
// and the true centre index of each row.
func blobs(n, k, dims int, seed uint64) ([]float32, []int, []float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float32, k*dims)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64() * 100)
	}
	data := make([]float32, n*dims)
	label := make([]int, n)
	for i := 0; i < n; i++ {
		c := i % k
		label[i] = c
		for j := 0; j < dims; j++ {
			data[i*dims+j] = centres[c*dims+j] + float32(rng.NormFloat64())
		}
	}
	return data, label, centres
}

func TestTrainRecoversBlobs(t *testing.T) {
	const n, k, dims = 4000, 16, 8
	data, label, _ := blobs(n, k, dims, 7)
	res, err := Train(data, dims, Config{K: k, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Rows with the same true centre must share a cluster, and different
	// centres must get different clusters.
	got := map[int]int{}
	for i := 0; i < n; i++ {
		c, _ := Nearest(res.Centroids, dims, data[i*dims:(i+1)*dims])
		if prev, ok := got[label[i]]; ok && prev != c {
			t.Fatalf("row %d of blob %d went to cluster %d, blob's earlier rows to %d", i, label[i], c, prev)
		}
		got[label[i]] = c
	}
	seen := map[int]bool{}
	for _, c := range got {
		if seen[c] {
			t.Fatalf("two blobs share cluster %d: %v", c, got)
		}
		seen[c] = true
	}
	for i := 1; i < len(res.History); i++ {
		if res.History[i] > res.History[i-1]*1.0001 {
			t.Fatalf("inertia rose from %g to %g at iteration %d", res.History[i-1], res.History[i], i)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	data, _, _ := blobs(3000, 10, 16, 3)
	a, err := Train(data, 16, Config{K: 10, Seed: 42, Iters: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(data, 16, Config{K: 10, Seed: 42, Iters: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Centroids, b.Centroids) {
		t.Fatal("same seed gave different centroids")
	}
	c, err := Train(data, 16, Config{K: 10, Seed: 43, Iters: 1, Init: Random})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Centroids, c.Centroids) {
		t.Fatal("different seed and init gave identical centroids")
	}
}

func TestSphericalCentroidsAreUnit(t *testing.T) {
	data, _, _ := blobs(2000, 8, 12, 5)
	res, err := Train(data, 12, Config{K: 8, Seed: 1, Spherical: true})
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c < 8; c++ {
		var s float64
		for _, x := range res.Centroids[c*12 : (c+1)*12] {
			s += float64(x) * float64(x)
		}
		if math.Abs(s-1) > 1e-4 {
			t.Fatalf("centroid %d has squared norm %g", c, s)
		}
	}
}

func TestMoreCentroidsThanRows(t *testing.T) {
	data := []float32{1, 0, 0, 1, 5, 5}
	res, err := Train(data, 2, Config{K: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Centroids) != 10 {
		t.Fatalf("got %d centroid values, want 10", len(res.Centroids))
	}
	for i := 0; i < 3; i++ {
		if _, d := Nearest(res.Centroids, 2, data[2*i:2*i+2]); d != 0 {
			t.Fatalf("row %d is %g from its nearest centroid, want 0", i, d)
		}
	}
}

func TestNoEmptyClusters(t *testing.T) {
	// Many duplicate rows and a few outliers: naive Lloyd leaves clusters
	// empty here.
	dims := 4
	var data []float32
	for i := 0; i < 500; i++ {
		data = append(data, 1, 1, 1, 1)
	}
	for i := 0; i < 20; i++ {
		data = append(data, float32(i*10), 0, float32(-i), 3)
	}
	res, err := Train(data, dims, Config{K: 12, Seed: 9, Init: Random})
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, 12)
	for i := 0; i < len(data)/dims; i++ {
		c, _ := Nearest(res.Centroids, dims, data[i*dims:(i+1)*dims])
		counts[c]++
	}
	empty := 0
	for _, c := range counts {
		if c == 0 {
			empty++
		}
	}
	// 21 distinct points, 12 clusters: every cluster must own a row.
	if empty > 0 {
		t.Fatalf("%d empty clusters: %v", empty, counts)
	}
}

func TestProgressAndErrors(t *testing.T) {
	data, _, _ := blobs(500, 4, 4, 1)
	var phases []string
	_, err := Train(data, 4, Config{K: 4, Iters: 3, Progress: func(p string, done, total int) {
		if done > total {
			t.Errorf("progress %s %d/%d", p, done, total)
		}
		phases = append(phases, p)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(phases) < 2 || phases[0] != "kmeans.init" || phases[1] != "kmeans.iter" {
		t.Fatalf("phases %v", phases)
	}
	if _, err := Train(nil, 4, Config{K: 2}); !errors.Is(err, ErrNoData) {
		t.Fatalf("empty data: %v", err)
	}
	if _, err := Train([]float32{1, 2, 3}, 2, Config{K: 1}); err == nil {
		t.Fatal("ragged data accepted")
	}
	if _, err := Train([]float32{1, float32(math.NaN())}, 2, Config{K: 1}); err == nil {
		t.Fatal("NaN accepted")
	}
	if _, err := Train([]float32{1, 2}, 2, Config{K: 0}); err == nil {
		t.Fatal("K=0 accepted")
	}
}

func BenchmarkTrain(b *testing.B) {
	data, _, _ := blobs(10000, 100, 128, 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(data, 128, Config{K: 100, Seed: 1, Iters: 5}); err != nil {
			b.Fatal(err)
		}
	}
}
