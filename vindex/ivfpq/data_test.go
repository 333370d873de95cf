package ivfpq

import (
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// dataset is an ANN benchmark folder of ../shared/data.
type dataset struct {
	dims    int
	base    []float32
	queries []float32
	gt      [][]int32 // exact top-100 ids per query
}

// dataDir finds shared/data by walking up from the package directory (the
// repo's sibling ../shared/data).
func dataDir(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared", "data")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("shared/data not found above the package directory (CI clones it next to the repo)")
		}
		dir = parent
	}
}

func loadDataset(t testing.TB, name, metric string) *dataset {
	dir := filepath.Join(dataDir(t), name)
	dims, base := readVecs[float32](t, filepath.Join(dir, "base.fvecs"))
	_, queries := readVecs[float32](t, filepath.Join(dir, "query.fvecs"))
	gdims, gflat := readVecs[int32](t, filepath.Join(dir, "gt_"+metric+".ivecs"))
	ds := &dataset{dims: dims, base: base, queries: queries}
	for off := 0; off < len(gflat); off += gdims {
		ds.gt = append(ds.gt, gflat[off:off+gdims])
	}
	return ds
}

// readVecs reads an fvecs/ivecs file: records of an int32 dimension then
// that many 4-byte values.
func readVecs[T float32 | int32](t testing.TB, path string) (int, []T) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < 4 {
		t.Fatalf("%s: empty", path)
	}
	dims := int(binary.LittleEndian.Uint32(raw))
	rec := 4 + 4*dims
	if len(raw)%rec != 0 {
		t.Fatalf("%s: size %d is not a multiple of record size %d", path, len(raw), rec)
	}
	out := make([]T, 0, len(raw)/rec*dims)
	vals := make([]T, dims)
	for off := 0; off < len(raw); off += rec {
		if err := binary.Read(bytesReader(raw[off+4:off+rec]), binary.LittleEndian, vals); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals...)
	}
	return dims, out
}

type sliceReader struct{ b []byte }

func bytesReader(b []byte) *sliceReader { return &sliceReader{b} }
func (r *sliceReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// recallAt computes recall@k of got against the first k ground-truth ids.
func recallAt(k int, got []uint64, gt []int32) float64 {
	hit := 0
	for _, id := range got {
		for _, g := range gt[:k] {
			if uint64(g) == id {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(k)
}
