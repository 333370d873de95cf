package hnsw

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// dataset is an ANN benchmark set from ../shared/data (fvecs/ivecs).
type dataset struct {
	dims    int
	base    []float32 // n × dims
	queries []float32 // nq × dims
	gt      [][]int32 // per query, exact neighbours (0-based base rows)
}

func (d *dataset) n() int  { return len(d.base) / d.dims }
func (d *dataset) nq() int { return len(d.queries) / d.dims }
func (d *dataset) query(i int) []float32 {
	return d.queries[i*d.dims : (i+1)*d.dims]
}

// dataDir finds ../shared/data relative to the repository root (the
// directory holding go.mod), walking up from the package directory.
func dataDir(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

var dataCache sync.Map // name+gt → *dataset

// loadDataset reads base, queries and the named ground truth of a data
// set (e.g. "siftsmall", "gt_l2.ivecs"). Missing data fails the test: the
// data is part of the repository's checkout layout.
func loadDataset(t testing.TB, name, gt string) *dataset {
	key := name + "/" + gt
	if d, ok := dataCache.Load(key); ok {
		return d.(*dataset)
	}
	dir := filepath.Join(dataDir(t), name)
	base, dims := readVecs(t, filepath.Join(dir, "base.fvecs"))
	q, qd := readVecs(t, filepath.Join(dir, "query.fvecs"))
	if qd != dims {
		t.Fatalf("%s: query dims %d, base dims %d", name, qd, dims)
	}
	g, gd := readVecs(t, filepath.Join(dir, gt))
	d := &dataset{dims: dims, base: base, queries: q}
	for i := 0; i < len(g)/gd; i++ {
		row := make([]int32, gd)
		for j := range row {
			row[j] = int32(math.Float32bits(g[i*gd+j]))
		}
		d.gt = append(d.gt, row)
	}
	dataCache.Store(key, d)
	return d
}

// readVecs reads an fvecs or ivecs file (int32 dimension, then that many
// 4-byte values per record); ivecs values come back as their bit patterns.
func readVecs(t testing.TB, path string) ([]float32, int) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading dataset (expected at ../shared/data next to the repo): %v", err)
	}
	if len(raw) < 4 {
		t.Fatalf("%s: empty", path)
	}
	dims := int(binary.LittleEndian.Uint32(raw))
	rec := 4 + 4*dims
	if dims <= 0 || len(raw)%rec != 0 {
		t.Fatalf("%s: bad record layout (dims %d, %d bytes)", path, dims, len(raw))
	}
	out := make([]float32, 0, len(raw)/rec*dims)
	for off := 0; off < len(raw); off += rec {
		if int(binary.LittleEndian.Uint32(raw[off:])) != dims {
			t.Fatalf("%s: record at %d has another dimension", path, off)
		}
		for j := 0; j < dims; j++ {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(raw[off+4+4*j:])))
		}
	}
	return out, dims
}

// seqIDs returns ids 0..n-1 (ids equal base rows, so results compare
// with ground truth directly).
func seqIDs(n int) []uint64 {
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i)
	}
	return ids
}

// recallAt returns |got ∩ want[:k]| / k averaged by the caller.
func recallAt(got []uint64, want []int32, k int) float64 {
	hit := 0
	for _, g := range got {
		for _, w := range want[:k] {
			if int32(g) == w {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(k)
}
