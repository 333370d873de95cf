package annoy

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func randVecs(n, dims int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 3))
	v := make([]float32, n*dims)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

func mustNew(t *testing.T, dims int, params map[string]string) *Index {
	t.Helper()
	ix, err := New(dims, vindex.L2, params)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// Inserts after a build are visible at once (buffer), and the forest is
// rebuilt when the buffer passes max(build_threshold, built/10).
func TestBufferThenRebuild(t *testing.T) {
	const dims = 8
	vecs := randVecs(1300, dims, 1)
	ix := mustNew(t, dims, map[string]string{"n_trees": "5", "build_threshold": "500"})
	if err := ix.Add(vindextest.SeqIDs(0, 1000), vecs[:1000*dims]); err != nil {
		t.Fatal(err)
	}
	if fi := ix.Forest(); fi.Built != 1000 || fi.Builds != 1 || fi.Buffered != 0 {
		t.Fatalf("after bulk add: %+v", fi)
	}
	// 100 more: below max(500, 100): buffered, and each is found exactly.
	if err := ix.Add(vindextest.SeqIDs(1000, 100), vecs[1000*dims:1100*dims]); err != nil {
		t.Fatal(err)
	}
	if fi := ix.Forest(); fi.Buffered != 100 || fi.Builds != 1 {
		t.Fatalf("after 100 inserts: %+v", fi)
	}
	for i := 1000; i < 1100; i += 7 {
		res, err := ix.Search(vecs[i*dims:(i+1)*dims], 1, &vindex.SearchParams{SearchK: 10}, nil)
		if err != nil || len(res) != 1 || res[0].ID != uint64(i) || res[0].Distance != 0 {
			t.Fatalf("buffered vector %d: %v %v", i, res, err)
		}
	}
	if err := ix.Add(vindextest.SeqIDs(1100, 200), vecs[1100*dims:]); err != nil {
		t.Fatal(err)
	}
	// 300 buffered < 500: still buffered; a threshold of 500 is reached at 1500.
	if fi := ix.Forest(); fi.Buffered != 300 {
		t.Fatalf("after 300 inserts: %+v", fi)
	}
	more := randVecs(200, dims, 2)
	if err := ix.Add(vindextest.SeqIDs(5000, 200), more); err != nil {
		t.Fatal(err)
	}
	if fi := ix.Forest(); fi.Buffered != 0 || fi.Built != 1500 || fi.Builds != 2 {
		t.Fatalf("after passing the threshold: %+v", fi)
	}
	if got := ix.Stats().Vectors; got != 1500 {
		t.Fatalf("Vectors = %d", got)
	}
}

// Deletes leave tombstones; past a quarter of the slots the forest is
// rebuilt without them. Deleted ids never come back.
func TestTombstonesAndCompaction(t *testing.T) {
	const dims, n = 8, 2000
	vecs := randVecs(n, dims, 4)
	ix := mustNew(t, dims, map[string]string{"n_trees": "4", "build_threshold": "100"})
	if err := ix.Add(vindextest.SeqIDs(0, n), vecs); err != nil {
		t.Fatal(err)
	}
	var del []uint64
	for i := 0; i < 400; i++ {
		del = append(del, uint64(i*2))
	}
	ix.Delete(del)
	if st := ix.Stats(); st.Deleted != 400 || st.Vectors != n-400 {
		t.Fatalf("after deleting 400: %+v", st)
	}
	res, _ := ix.Search(vecs[:dims], 5, &vindex.SearchParams{SearchK: 1 << 20}, nil)
	for _, r := range res {
		if r.ID%2 == 0 && r.ID < 800 {
			t.Fatalf("deleted id %d returned", r.ID)
		}
	}
	builds := ix.Forest().Builds
	del = del[:0]
	for i := 0; i < 200; i++ {
		del = append(del, uint64(1+i*2))
	}
	ix.Delete(del) // 600 dead of 2000 > 1/4: rebuild
	fi := ix.Forest()
	if st := ix.Stats(); st.Deleted != 0 || fi.Builds != builds+1 || fi.Built != n-600 {
		t.Fatalf("after compaction: stats %+v forest %+v", st, fi)
	}
	res, _ = ix.Search(vecs[801*dims:802*dims], 1, &vindex.SearchParams{SearchK: 1 << 20}, nil)
	if len(res) != 1 || res[0].ID != 801 || res[0].Distance != 0 {
		t.Fatalf("live id 801 not found after compaction: %v", res)
	}
}

// A selective filter keeps collecting past search_k until k pass.
func TestFilterWidening(t *testing.T) {
	const dims, n = 8, 3000
	vecs := randVecs(n, dims, 5)
	ix := mustNew(t, dims, map[string]string{"n_trees": "5", "build_threshold": "100"})
	if err := ix.Add(vindextest.SeqIDs(0, n), vecs); err != nil {
		t.Fatal(err)
	}
	rare := func(id uint64) bool { return id%101 == 0 }
	res, err := ix.Search(randVecs(1, dims, 6), 10, &vindex.SearchParams{SearchK: 50, Filter: rare}, nil)
	if err != nil || len(res) != 10 {
		t.Fatalf("widening: %d results, %v", len(res), err)
	}
	for _, r := range res {
		if !rare(r.ID) {
			t.Fatalf("id %d fails the filter", r.ID)
		}
	}
	res, _ = ix.Search(randVecs(1, dims, 6), 10, &vindex.SearchParams{SearchK: 50, Filter: rare, MaxCandidates: 60}, nil)
	if len(res) >= 10 {
		t.Fatalf("MaxCandidates=60 still returned %d results", len(res))
	}
}

func TestOptionsAndLoadErrors(t *testing.T) {
	for params, msg := range map[string]string{
		"n_trees=0":   `value 0 out of bounds for option "n_trees"`,
		"leaf_size=x": `invalid value for integer option "leaf_size": x`,
		"lists=3":     `unrecognized parameter "lists"`,
	} {
		p, _ := vindex.ParseParams(params)
		_, err := New(4, vindex.L2, p)
		if pe := pgerr.From(err); pe == nil || pe.Code != pgerr.InvalidParameterValue || pe.Message != msg {
			t.Fatalf("%s: %v, want %q", params, err, msg)
		}
	}
	ix := mustNew(t, 4, map[string]string{"build_threshold": "10"})
	ix.Add(vindextest.SeqIDs(0, 50), randVecs(50, 4, 7))
	var buf bytes.Buffer
	if err := ix.Save(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// Corrupt a child reference deep in the file: Load must refuse it.
	bad := bytes.Clone(raw)
	for i := len(bad) - 4*len(ix.f.roots) - 4*len(ix.f.leafItems) - 4*len(ix.f.leafStart) - 8; i < len(bad)-4*len(ix.f.roots)-4*len(ix.f.leafItems)-4*len(ix.f.leafStart); i++ {
		bad[i] = 0x7f
	}
	if _, err := Load(bytes.NewReader(bad)); pgerr.CodeOf(err) != pgerr.DataCorrupted {
		t.Fatalf("corrupt child reference: %v", err)
	}
	if _, err := Load(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
}
