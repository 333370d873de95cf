package hnsw

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/distance"
)

// searchBoth runs the same search with float32 and with quantized
// traversal (switching the index between them).
func searchBoth(t *testing.T, ix *Index, q []float32, k int, p *vindex.SearchParams) (float, quant []vindex.Result) {
	t.Helper()
	ix.setQuantized(false)
	float, err := ix.Search(q, k, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.setQuantized(true)
	if ix.quant == nil {
		t.Fatal("setQuantized(true) left no quantization")
	}
	quant, err = ix.Search(q, k, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return float, quant
}

// TestQuantExhaustiveEqualsFloat: with ef at least the index size, both
// traversals reach every node, so after the exact re-rank the quantized
// path must return exactly the float path's results (ids, order and
// distance bits), which are brute force's: with and without a filter,
// after deletes, and for vectors added later far outside the quantized
// range (clamped, then re-derived).
func TestQuantExhaustiveEqualsFloat(t *testing.T) {
	const n, dims, k = 600, 24, 10
	for _, m := range []vindex.Metric{vindex.L2, vindex.Cosine} {
		t.Run(m.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(31, uint64(m)))
			ix := mustNew(t, dims, m, map[string]string{"m": "8", "ef_construction": "40"})
			ix.RepairFraction = 0
			vecs := dataset.Clustered(uint64(m), n, dims)
			ids := seqIDs(n)
			if err := ix.Add(ids, vecs); err != nil {
				t.Fatal(err)
			}
			check := func(stage string, keep func(uint64) bool) {
				t.Helper()
				p := &vindex.SearchParams{EfSearch: 2 * n, Filter: keep}
				for qi := range 20 {
					q := randVecs(r, 1, dims)
					for j := range q {
						q[j] *= 5
					}
					f, u := searchBoth(t, ix, q, k, p)
					want := exactKNN(m, vecs, dims, ids, q, k, func(id uint64) bool {
						return (keep == nil || keep(id)) && !slices.Contains(deleted, id)
					})
					if !slices.Equal(f, u) {
						t.Fatalf("%s q%d: quantized %v\nfloat %v", stage, qi, u, f)
					}
					if len(u) != len(want) {
						t.Fatalf("%s q%d: %d results, want %d", stage, qi, len(u), len(want))
					}
					for i := range want {
						if u[i].ID != want[i].ID || !near(u[i].Distance, want[i].Distance) {
							t.Fatalf("%s q%d: result %d = %v, brute force %v", stage, qi, i, u[i], want[i])
						}
					}
				}
			}
			ix.setQuantized(true)
			// Added one at a time, in range: encoded by reserve, not derived.
			more := dataset.Clustered(uint64(m), 40, dims)
			for i := range 40 {
				if err := ix.Add([]uint64{uint64(n + 100 + i)}, more[i*dims:(i+1)*dims]); err != nil {
					t.Fatal(err)
				}
				vecs, ids = append(vecs, more[i*dims:(i+1)*dims]...), append(ids, uint64(n+100+i))
			}
			checkCodes(t, ix)
			check("plain", nil)
			check("filtered", func(id uint64) bool { return id%3 == 0 })
			deleted = []uint64{1, 2, 3, 50, 51, 400}
			if err := ix.Delete(deleted); err != nil {
				t.Fatal(err)
			}
			check("deleted", nil)
			ix.Repair()
			// Far outside the range: 30 new vectors (5%) clamp and force a
			// re-derivation; they reuse the repaired slots.
			extra := randVecs(r, 30, dims)
			for i := range 30 {
				extra[i*dims] += 200 // also for cosine: unit vectors near e0
			}
			extraIDs := make([]uint64, 30)
			for i := range extraIDs {
				extraIDs[i] = uint64(n + i)
			}
			ix.setQuantized(true)
			old := ix.quant
			if err := ix.Add(extraIDs, extra); err != nil {
				t.Fatal(err)
			}
			if ix.quant == old || ix.clamped != 0 {
				t.Fatalf("clamped vectors did not re-derive the quantization (clamped %d)", ix.clamped)
			}
			vecs, ids = append(vecs, extra...), append(ids, extraIDs...)
			checkCodes(t, ix)
			check("re-derived", nil)
		})
		deleted = nil
	}
}

// checkCodes verifies that every linked slot's codes and row term encode
// its stored vector with the index's current quantization.
func checkCodes(t *testing.T, ix *Index) {
	t.Helper()
	if ix.quant == nil {
		t.Fatal("no quantization")
	}
	row := make([]uint8, ix.dims)
	for si := 0; si < ix.nslots; si++ {
		s := uint32(si)
		if ix.flags[s]&(flagFree|flagZero) != 0 {
			continue
		}
		ix.quant.encode(ix.vec(s), row)
		if !slices.Equal(row, ix.slotCodes(s)) || ix.terms[s] != distance.U8L2RowTerm(row) {
			t.Fatalf("slot %d: codes do not encode its vector", s)
		}
	}
}

// deleted lists ids TestQuantExhaustiveEqualsFloat has deleted.
var deleted []uint64

func near(a, b float32) bool {
	d := a - b
	return d <= 1e-4*max(1, a) && -d <= 1e-4*max(1, a)
}

// TestQuantRecallSiftsmall: recall floors for both traversals on
// siftsmall, and the quantized recall within 0.01 of the float one at
// every ef (measured: identical within 0.001 at ef ≥ 20; at ef 10
// 0.917-0.924 against 0.923-0.924).
func TestQuantRecallSiftsmall(t *testing.T) {
	for _, tc := range []struct {
		metric vindex.Metric
		gt     string
		ef     int
		floor  float64
	}{
		{vindex.L2, "l2", 10, 0.89},
		{vindex.L2, "l2", 20, 0.96},
		{vindex.L2, "l2", 40, 0.985},
		{vindex.Cosine, "cosine", 40, 0.98},
	} {
		ix, d := siftIndex(t, tc.metric, tc.gt)
		var rec [2]float64
		for i, on := range []bool{false, true} {
			ix.setQuantized(on)
			rec[i] = meanRecall(t, ix, d, &vindex.SearchParams{EfSearch: tc.ef}, func(i int) []int32 { return d.gt[i] })
			if rec[i] < tc.floor {
				t.Errorf("%v ef=%d quantized=%v: recall@10 %.4f below floor %.3f", tc.metric, tc.ef, on, rec[i], tc.floor)
			}
		}
		ix.setQuantized(d.dims >= quantMinDims)
		t.Logf("%v ef=%d recall@10 float %.4f quantized %.4f", tc.metric, tc.ef, rec[0], rec[1])
		if rec[1] < rec[0]-0.01 {
			t.Errorf("%v ef=%d: quantized recall %.4f more than 0.01 below float %.4f", tc.metric, tc.ef, rec[1], rec[0])
		}
	}
}

// TestQuantConcurrentClamping searches (plain, filtered and iterative)
// while Add stores batches of ever larger vectors, so the quantization is
// re-derived under the searches again and again (run with -race). Every
// result must be a stored id with its exact distance.
func TestQuantConcurrentClamping(t *testing.T) {
	const n, dims = 1500, 16
	for _, m := range []vindex.Metric{vindex.L2, vindex.Cosine} {
		t.Run(m.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(41, 42))
			vecs := randVecs(r, n, dims)
			for i := range vecs {
				vecs[i] = vecs[i]*(1+float32(i/dims)/50) + float32(i/dims)/100
			}
			ix := mustNew(t, dims, m, map[string]string{"m": "6", "ef_construction": "24"})
			ix.setQuantized(true)
			if err := ix.Add(seqIDs(100), vecs[:100*dims]); err != nil {
				t.Fatal(err)
			}
			first := ix.quant
			var searches atomic.Int64
			stop := searchers(2, 7, func(rr *rand.Rand, res []vindex.Result) ([]vindex.Result, bool) {
				qi := rr.IntN(100) // always stored before the searches
				q := vecs[qi*dims : (qi+1)*dims]
				p := &vindex.SearchParams{EfSearch: 20}
				if qi%2 == 0 {
					p.Filter = func(id uint64) bool { return id%2 == 0 }
				}
				res, err := ix.Search(q, 5, p, res)
				if err != nil {
					t.Error(err)
					return res, false
				}
				// NB: 100+ nodes, 50+ passing the filter: always 5 results
				// (reverse links are published bottom-up, see link).
				if len(res) != 5 {
					t.Errorf("%d results during inserts, want 5", len(res))
					return res, false
				}
				for _, x := range res {
					want := exactDist(m, q, vecs[int(x.ID)*dims:int(x.ID+1)*dims])
					if x.ID >= n || (p.Filter != nil && x.ID%2 != 0) || !near(x.Distance, want) {
						t.Errorf("result %v: want a stored id passing the filter at distance %v", x, want)
						return res, false
					}
				}
				searches.Add(1)
				it, _ := ix.NewIterator(q, nil)
				if _, err := it.Next(nil); err != nil {
					t.Errorf("iterator: %v", err)
				}
				it.Close()
				return res, true
			})
			for i := 100; i < n; i += 50 {
				if err := ix.Add(seqIDs(i + 50)[i:], vecs[i*dims:(i+50)*dims]); err != nil {
					t.Fatal(err)
				}
				// NB: let searches run between the batches.
				for s := searches.Load(); searches.Load() < s+3 && !t.Failed(); {
					runtime.Gosched()
				}
			}
			stop()
			if ix.quant == first {
				t.Fatal("growing vectors never re-derived the quantization")
			}
			checkCodes(t, ix)
			if err := ix.checkLinks(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestQuantPersist: codes are rebuilt on Load (not stored), so a loaded
// quantized index answers like the saved one, and the image is the same
// bytes as the float index's.
func TestQuantPersist(t *testing.T) {
	const n, dims = 800, quantMinDims // NB: Load follows the default
	r := rand.New(rand.NewPCG(51, 52))
	vecs := dataset.Clustered(5, n, dims)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"m": "8", "ef_construction": "32"})
	if err := ix.Add(seqIDs(n), vecs); err != nil {
		t.Fatal(err)
	}
	if ix.quant == nil {
		t.Fatal("not quantized by default")
	}
	var img, img2 bytes.Buffer
	if err := ix.Save(&img); err != nil {
		t.Fatal(err)
	}
	ix.setQuantized(false)
	if err := ix.Save(&img2); err != nil {
		t.Fatal(err)
	}
	ix.setQuantized(true)
	if !bytes.Equal(img.Bytes(), img2.Bytes()) {
		t.Fatal("the image depends on quantized traversal")
	}
	ix2, err := Load(&img)
	if err != nil {
		t.Fatal(err)
	}
	checkCodes(t, ix2)
	for qi := range 30 {
		q := randVecs(r, 1, dims)
		a, _ := ix.Search(q, 10, &vindex.SearchParams{EfSearch: 16}, nil)
		b, _ := ix2.Search(q, 10, &vindex.SearchParams{EfSearch: 16}, nil)
		if !slices.Equal(a, b) || len(a) != 10 {
			t.Fatalf("q%d: loaded %v\nsaved %v", qi, b, a)
		}
	}
}

// TestQuantDefault: quantized traversal is on by default for L2 and
// cosine from quantMinDims dimensions; inner product and L1 keep the
// float path, and setQuantized cannot turn it on for them.
func TestQuantDefault(t *testing.T) {
	for _, m := range []vindex.Metric{vindex.L2, vindex.Cosine, vindex.InnerProduct, vindex.L1} {
		for _, dims := range []int{quantMinDims - 1, quantMinDims} {
			ix := mustNew(t, dims, m, nil)
			if err := ix.Add([]uint64{1, 2}, randVecs(rand.New(rand.NewPCG(1, 2)), 2, dims)); err != nil {
				t.Fatal(err)
			}
			want := (m == vindex.L2 || m == vindex.Cosine) && dims >= quantMinDims
			if got := ix.quant != nil; got != want || ix.quantize != want {
				t.Errorf("%v dims %d: quantized %v, want %v", m, dims, got, want)
			}
			ix.setQuantized(true)
			if want := m == vindex.L2 || m == vindex.Cosine; (ix.quant != nil) != want {
				t.Errorf("%v: setQuantized(true) gave quantized %v", m, ix.quant != nil)
			}
		}
	}
}

// TestQuantSearchUsesCodes proves Search traverses by the codes when
// quantized: with every code row replaced by the same row, all code
// distances tie and a small-ef search no longer finds what the float path
// finds, while distances stay exact (the re-rank).
func TestQuantSearchUsesCodes(t *testing.T) {
	const n, dims = 2000, 16
	vecs := dataset.Clustered(61, n, dims)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"m": "8", "ef_construction": "32"})
	if err := ix.Add(seqIDs(n), vecs); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(62, 63))
	qs := make([][]float32, 20)
	for i := range qs {
		qs[i] = vecs[r.IntN(n)*dims:][:dims]
	}
	p := &vindex.SearchParams{EfSearch: 5}
	ix.setQuantized(true)
	clear(ix.codes)
	for s := range ix.terms {
		ix.terms[s] = 0 // U8L2RowTerm of a zero row
	}
	differ := 0
	for _, q := range qs {
		got, err := ix.Search(q, 5, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range got {
			if want := exactDist(vindex.L2, q, vecs[int(x.ID)*dims:][:dims]); !near(x.Distance, want) {
				t.Fatalf("result %v: exact distance %v", x, want)
			}
		}
		// NB: the float path without touching the (corrupted) codes.
		qz := ix.quant
		ix.quant = nil
		float, _ := ix.Search(q, 5, p, nil)
		ix.quant = qz
		if !slices.Equal(float, got) {
			differ++
		}
	}
	if differ < len(qs)/2 {
		t.Fatalf("only %d of %d searches changed with degenerate codes: Search does not traverse by them", differ, len(qs))
	}
}
