package flat_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// sameResults fails unless got and want have the same ids in the same
// order and bitwise-equal distances.
func sameResults(t *testing.T, what string, got, want []vindex.Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d results, want %d\ngot  %v\nwant %v", what, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].ID != want[i].ID || math.Float32bits(got[i].Distance) != math.Float32bits(want[i].Distance) {
			t.Fatalf("%s: result %d is %v, want %v\ngot  %v\nwant %v", what, i, got[i], want[i], got, want)
		}
	}
}

// checkQuantMatchesPlain searches every query with the quantized scan
// forced and with it off, and requires identical results and that the
// quantized scan answered every query.
func checkQuantMatchesPlain(t *testing.T, what string, x *flat.Index, queries []float32, ks []int) {
	t.Helper()
	dims := x.Dims()
	for q := 0; q*dims < len(queries); q++ {
		qv := queries[q*dims : (q+1)*dims]
		for _, k := range ks {
			x.SetQuantizedScan("off")
			want, err := x.Search(qv, k, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			x.SetQuantizedScan("force")
			before, _ := x.QuantStats()
			got, err := x.Search(qv, k, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := x.QuantStats(); after != before+1 {
				t.Fatalf("%s query %d k=%d: the quantized scan did not answer", what, q, k)
			}
			sameResults(t, fmt.Sprintf("%s query %d k=%d", what, q, k), got, want)
		}
	}
	if msg := x.QuantCheck(); msg != "" {
		t.Fatalf("%s: quantized copy out of sync: %s", what, msg)
	}
}

// quantMetrics are the metrics with a quantized scan.
var quantMetrics = []vindex.Metric{vindex.L2, vindex.Cosine, vindex.InnerProduct}

func randVecs(r *rand.Rand, n, dims int, lo, hi float32) []float32 {
	v := make([]float32, n*dims)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float32()
	}
	return v
}

// TestQuantizedMatchesPlain: random (negative and positive values) and
// clustered data, dims that are not multiples of 64, k from 1 to beyond n,
// every metric with a quantized scan.
func TestQuantizedMatchesPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, m := range quantMetrics {
		for _, dims := range []int{1, 3, 17, 64, 100, 130} {
			for _, n := range []int{1, 5, 700} {
				x := flat.New(dims, m)
				vecs := randVecs(r, n, dims, -3, 5)
				if dims >= 64 {
					vecs = vindextest.Clustered(uint64(dims), n, dims, 7)
				}
				if err := x.Add(vindextest.SeqIDs(100, n), vecs); err != nil {
					t.Fatal(err)
				}
				queries := append(randVecs(r, 4, dims, -4, 6), vecs[:dims]...) // one query is a stored vector
				checkQuantMatchesPlain(t, fmt.Sprintf("%v dims=%d n=%d", m, dims, n), x, queries, []int{1, 10, n + 3})
			}
		}
	}
}

// TestQuantizedTies: duplicate vectors (equal distances) straddling the
// k-th place are resolved by smaller id, as in the plain scan; for Cosine
// also scaled copies (equal true distance, float32 ranks that may differ
// in the last bit).
func TestQuantizedTies(t *testing.T) {
	const dims = 70
	r := rand.New(rand.NewPCG(23, 24))
	base := randVecs(r, 50, dims, 0, 1)
	for _, m := range quantMetrics {
		var vecs []float32
		var ids []uint64
		for copyN := range 6 {
			for _, v := range base {
				if m == vindex.Cosine {
					v *= float32(1 + copyN)
				}
				vecs = append(vecs, v)
			}
			for i := range 50 {
				ids = append(ids, uint64(1000-copyN*50-i)) // later copies get smaller ids
			}
		}
		x := flat.New(dims, m)
		if err := x.Add(ids, vecs); err != nil {
			t.Fatal(err)
		}
		checkQuantMatchesPlain(t, fmt.Sprintf("%v duplicates", m), x, append(base[:dims:dims], randVecs(r, 3, dims, 0, 1)...), []int{1, 3, 4, 6, 7, 13})
	}
}

// TestQuantizedMaintenance: the copy tracks Add (new ids, replaced ids,
// values outside the quantization range), Delete (swap-remove, last slot,
// unknown ids) and is rebuilt when clamping or growth makes it stale.
func TestQuantizedMaintenance(t *testing.T) {
	const dims, n = 33, 2000
	for _, m := range quantMetrics {
		r := rand.New(rand.NewPCG(25, 26))
		x := flat.New(dims, m)
		if err := x.Add(vindextest.SeqIDs(0, n), randVecs(r, n, dims, 0, 1)); err != nil {
			t.Fatal(err)
		}
		queries := randVecs(r, 5, dims, -0.5, 1.5)
		ks := []int{1, 10, 50}
		checkQuantMatchesPlain(t, m.String()+" built", x, queries, ks)
		if got := x.QuantBuiltN(); got != n {
			t.Fatalf("%v: QuantBuiltN = %d after the first search, want %d", m, got, n)
		}

		// 10 new vectors out of range (0.5% of the index: kept, not rebuilt), near the queries.
		out := randVecs(r, 10, dims, -0.6, 1.6)
		copy(out, queries[:dims])
		if err := x.Add(vindextest.SeqIDs(n, 10), out); err != nil {
			t.Fatal(err)
		}
		checkQuantMatchesPlain(t, m.String()+" after out-of-range adds", x, queries, ks)
		// Replacements, one of them out of range, one a copy of a query.
		repl := randVecs(r, 4, dims, 0, 1)
		repl[0] = 7
		copy(repl[dims:], queries[dims:2*dims])
		if err := x.Add([]uint64{3, 999, 1500, n + 2}, repl); err != nil {
			t.Fatal(err)
		}
		checkQuantMatchesPlain(t, m.String()+" after replacements", x, queries, ks)
		// Deletes: the middle, the last slot, a replaced id, an unknown id, a whole block's worth.
		del := []uint64{0, 5, n + 9, 999, 1 << 40}
		for i := uint64(300); i < 600; i++ {
			del = append(del, i)
		}
		if err := x.Delete(del); err != nil {
			t.Fatal(err)
		}
		checkQuantMatchesPlain(t, m.String()+" after deletes", x, queries, ks)
		if got := x.QuantBuiltN(); got != n {
			t.Fatalf("%v: QuantBuiltN = %d, want the copy built from %d still maintained", m, got, n)
		}

		// Many clamped vectors: the copy is dropped and re-derived on the next search.
		// NB: for Cosine, scaling does not leave the range of unit vectors; a sign change does.
		clo, chi := float32(2), float32(9)
		if m == vindex.Cosine {
			clo, chi = -9, -2
		}
		if err := x.Add(vindextest.SeqIDs(5000, 100), randVecs(r, 100, dims, clo, chi)); err != nil {
			t.Fatal(err)
		}
		if got := x.QuantBuiltN(); got != -1 {
			t.Fatalf("%v: QuantBuiltN = %d after 100 clamped adds, want -1 (dropped)", m, got)
		}
		checkQuantMatchesPlain(t, m.String()+" after rebuild", x, append(queries, randVecs(r, 2, dims, clo, chi)...), ks)
		if got, want := x.QuantBuiltN(), x.Len(); got != want {
			t.Fatalf("%v: QuantBuiltN = %d after rebuild, want %d", m, got, want)
		}
		// Growth to twice the built size drops it too.
		if err := x.Add(vindextest.SeqIDs(10000, x.Len()), randVecs(r, x.Len(), dims, 0, 1)); err != nil {
			t.Fatal(err)
		}
		if got := x.QuantBuiltN(); got != -1 {
			t.Fatalf("%v: QuantBuiltN = %d after doubling, want -1", m, got)
		}
		checkQuantMatchesPlain(t, m.String()+" after growth", x, queries, ks)
	}
}

// TestQuantizedAfterLoad: a loaded index rebuilds its copy and answers as
// the saved one did.
func TestQuantizedAfterLoad(t *testing.T) {
	const dims, n = 40, 1500
	r := rand.New(rand.NewPCG(27, 28))
	for _, m := range quantMetrics {
		x := flat.New(dims, m)
		vecs := randVecs(r, n, dims, -1, 1)
		clear(vecs[7*dims : 8*dims]) // a zero vector (left out of the cosine prefilter)
		if err := x.Add(vindextest.SeqIDs(7, n), vecs); err != nil {
			t.Fatal(err)
		}
		queries := randVecs(r, 4, dims, -1, 1)
		x.SetQuantizedScan("force")
		x.Search(queries[:dims], 5, nil, nil) // build the copy, then change the data
		if err := x.Delete([]uint64{7, 100}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := x.Save(&buf); err != nil {
			t.Fatal(err)
		}
		y, err := flat.Load(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := y.QuantBuiltN(); got != -1 {
			t.Fatalf("%v: loaded index has a copy of %d vectors before any search", m, got)
		}
		checkQuantMatchesPlain(t, m.String()+" loaded", y, queries, []int{1, 10, n})
		x.SetQuantizedScan("off")
		for q := range 4 {
			want, _ := x.Search(queries[q*dims:(q+1)*dims], 10, nil, nil)
			got, _ := y.Search(queries[q*dims:(q+1)*dims], 10, nil, nil)
			sameResults(t, fmt.Sprintf("%v loaded vs saved, query %d", m, q), got, want)
		}
	}
}

// TestQuantizedFallsBack: queries the quantized scan cannot bound (NaN,
// infinite, huge values; for Cosine a zero, subnormal or huge query) and
// filtered or L1 searches give the plain scan's answer.
func TestQuantizedFallsBack(t *testing.T) {
	const dims, n = 20, 400
	r := rand.New(rand.NewPCG(29, 30))
	vecs := randVecs(r, n, dims, 0, 1)
	for _, m := range append(quantMetrics, vindex.L1) {
		x := flat.New(dims, m)
		if err := x.Add(vindextest.SeqIDs(0, n), vecs); err != nil {
			t.Fatal(err)
		}
		bad := [][]float32{make([]float32, dims), make([]float32, dims), make([]float32, dims)}
		bad[0][3] = float32(math.NaN())
		bad[1][0] = float32(math.Inf(-1))
		bad[2][5] = 3e37
		switch m {
		case vindex.Cosine:
			tiny, huge := make([]float32, dims), make([]float32, dims)
			tiny[1], huge[2] = 1e-31, 1e31 // squared norms 2^-206 and 2^206
			bad = append(bad, make([]float32, dims), tiny, huge)
		case vindex.L1:
			bad = append(bad, vecs[:dims]) // a plain query: no quantized scan for L1
		}
		for i, q := range bad {
			x.SetQuantizedScan("off")
			want, _ := x.Search(q, 5, nil, nil)
			x.SetQuantizedScan("force")
			before, _ := x.QuantStats()
			got, _ := x.Search(q, 5, nil, nil)
			if after, _ := x.QuantStats(); after != before {
				t.Errorf("%v query %d: the quantized scan answered a query it cannot bound", m, i)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%v query %d: %v, want %v", m, i, got, want)
			}
		}
		before, _ := x.QuantStats()
		p := &vindex.SearchParams{Filter: func(id uint64) bool { return id%2 == 0 }}
		res, _ := x.Search(vecs[:dims], 5, p, nil)
		if after, _ := x.QuantStats(); after != before || len(res) != 5 || res[0].ID != 0 {
			t.Errorf("%v filtered search: %v (quantized answered: %v)", m, res, after != before)
		}
	}
}

// TestQuantizedCosineDegenerate: cosine vectors without a usable unit
// vector (zero, subnormal or overflowing squared norm) are left out of the
// prefilter and still ranked exactly as the plain scan ranks them (zero
// vectors NaN and last, tiny and huge ones by their float32 rank), through
// replacements and swap-removes that move them between slots and blocks.
func TestQuantizedCosineDegenerate(t *testing.T) {
	const dims, n = 40, 1200
	r := rand.New(rand.NewPCG(35, 36))
	vecs := randVecs(r, n, dims, -1, 1)
	special := func(kind, i int) []float32 {
		v := vecs[i*dims : (i+1)*dims]
		switch kind % 4 {
		case 0:
			clear(v)
		case 1: // squared norm subnormal in float32 (2^-100 is the cut-off)
			for j := range v {
				v[j] *= 1e-21
			}
		case 2: // squared norm ~2^106: float32-finite, above the 2^100 cut-off
			for j := range v {
				v[j] *= 1.5e15
			}
		case 3: // only one non-zero value, just inside the range
			clear(v)
			v[i%dims] = 0x1p-49
		}
		return v
	}
	// Specials in the first block, the last slots, and scattered.
	nspecial := 0
	for i := 0; i < n; i += 97 {
		special(i, i)
		nspecial++
	}
	for _, i := range []int{1, 2, n - 2, n - 1} {
		special(i, i)
		nspecial++
	}
	x := flat.New(dims, vindex.Cosine)
	if err := x.Add(vindextest.SeqIDs(0, n), vecs); err != nil {
		t.Fatal(err)
	}
	queries := append(randVecs(r, 3, dims, -1, 1), vecs[5*dims:6*dims]...)
	ks := []int{1, 10, n - 20, n + 1} // the last two reach the NaN rows
	checkQuantMatchesPlain(t, "specials", x, queries, ks)
	out := x.QuantOut()
	if out < nspecial/2 || out > nspecial {
		t.Fatalf("%d slots left out of the prefilter, want about %d (every kind but the in-range one)", out, nspecial*3/4)
	}
	// Replace specials by plain vectors and plain vectors by zeros; delete
	// specials and the last slots (moving specials across blocks).
	repl := randVecs(r, 4, dims, -1, 1)
	clear(repl[2*dims:])
	if err := x.Add([]uint64{0, 97, 500, 501}, repl); err != nil {
		t.Fatal(err)
	}
	checkQuantMatchesPlain(t, "after replacements", x, queries, ks)
	if err := x.Delete([]uint64{1, 194, 3, n - 3, n - 1, 700}); err != nil {
		t.Fatal(err)
	}
	checkQuantMatchesPlain(t, "after deletes", x, queries, ks)
	res, _ := x.Search(queries[:dims], x.Len(), nil, nil)
	if last := res[len(res)-1]; !math.IsNaN(float64(last.Distance)) {
		t.Fatalf("last of all results is %v, want a zero vector with NaN", last)
	}
}

// TestQuantizedConcurrent: searches racing with the lazy build, adds and
// deletes (run with -race).
func TestQuantizedConcurrent(t *testing.T) {
	const dims, n = 24, 3000
	for _, m := range quantMetrics {
		r := rand.New(rand.NewPCG(31, 32))
		x := flat.New(dims, m)
		x.SetQuantizedScan("force")
		if err := x.Add(vindextest.SeqIDs(0, n), randVecs(r, n, dims, 0, 1)); err != nil {
			t.Fatal(err)
		}
		extra := randVecs(r, 200, dims, -1, 2)
		q := randVecs(r, 1, dims, 0, 1)
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var res []vindex.Result
				for range 50 {
					var err error
					if res, err = x.SearchParallel(q, 10, nil, res, 1+g%2); err != nil || len(res) != 10 {
						t.Errorf("search: %v, %v", res, err)
						return
					}
				}
			}()
		}
		for i := range 200 {
			x.Add([]uint64{uint64(n + i)}, extra[i*dims:(i+1)*dims])
			x.Delete([]uint64{uint64(i * 7)})
		}
		wg.Wait()
		checkQuantMatchesPlain(t, m.String()+" after concurrent updates", x, q, []int{10})
	}
}

// TestQuantizedSiftsmall: on real data the quantized scan (in its default
// mode, as SQL uses it) returns exactly the plain scan's results, for every
// metric with a quantized scan; recall@10 against the shipped ground truth
// (l2, cosine) must be 1.
func TestQuantizedSiftsmall(t *testing.T) {
	for _, metric := range []string{"l2", "cosine", "ip"} {
		checkQuantOnDataset(t, "siftsmall", metric, 100, []int{10, 100})
	}
}

// TestQuantizedFashionMNIST: as TestQuantizedSiftsmall on 784 dimensions
// with many zero pixels (30k vectors; 40 queries to keep it quick).
func TestQuantizedFashionMNIST(t *testing.T) {
	for _, metric := range []string{"l2", "cosine", "ip"} {
		checkQuantOnDataset(t, "fashion-mnist-784", metric, 40, []int{10})
	}
}

// checkQuantOnDataset compares the default (auto) search with the plain
// scan on the first nq queries of a shared dataset under metric.
func checkQuantOnDataset(t *testing.T, name, metric string, nq int, ks []int) {
	t.Helper()
	m, err := vindex.ParseMetric(metric)
	if err != nil {
		t.Fatal(err)
	}
	truthMetric := metric
	if m == vindex.InnerProduct {
		truthMetric = "l2" // no shipped ground truth; the plain scan is the reference
	}
	d := vindextest.SharedDataset(t, name, truthMetric)
	x := flat.New(d.Dims, m)
	if err := x.Add(vindextest.SeqIDs(0, d.N), d.Base); err != nil {
		t.Fatal(err)
	}
	useful := distance.U8Impl != "generic" || distance.Impl == "generic"
	var recall float64
	nq = min(nq, d.NQ)
	for q := range nq {
		for _, k := range ks {
			x.SetQuantizedScan("off")
			want, _ := x.Search(d.Query(q), k, nil, nil)
			x.SetQuantizedScan("auto")
			before, _ := x.QuantStats()
			got, _ := x.Search(d.Query(q), k, nil, nil)
			if after, _ := x.QuantStats(); (after == before+1) != useful {
				t.Fatalf("%s %s query %d k=%d: quantized scan used = %v, want %v (kernels %s/%s)", name, metric, q, k, after != before, useful, distance.U8Impl, distance.Impl)
			}
			sameResults(t, fmt.Sprintf("%s %s query %d k=%d", name, metric, q, k), got, want)
			if k == 10 {
				recall += dataset.Recall(got, d.TruthRow(q), 10)
			}
		}
	}
	if r := recall / float64(nq); m != vindex.InnerProduct && r < 0.999 {
		t.Errorf("%s %s: recall@10 = %v against the ground truth, want 1", name, metric, r)
	}
	if queries, cands := x.QuantStats(); queries > 0 {
		t.Logf("%s %s: %d quantized searches, %.1f survivors of pass 1 on average (of %d)", name, metric, queries, float64(cands)/float64(queries), d.N)
	}
	if msg := x.QuantCheck(); msg != "" {
		t.Fatal(msg)
	}
}

// TestConformanceQuantized runs the shared suite with the quantized scan
// forced for every L2, Cosine and InnerProduct search.
func TestConformanceQuantized(t *testing.T) {
	vindextest.RunSuite(t,
		func(dims int, m vindex.Metric) vindex.Index {
			x := flat.New(dims, m)
			x.SetQuantizedScan("force")
			return x
		},
		flat.LoadIndex,
		vindextest.SuiteOptions{MinRecall: 1})
}

// TestLoadRejectsNonFinite: Add never stores NaN or ±Inf, so a file that
// holds one is corrupt (the quantized scan's bounds rely on finite data).
func TestLoadRejectsNonFinite(t *testing.T) {
	x := flat.New(2, vindex.L2)
	if err := x.Add([]uint64{1, 2}, []float32{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	x.Save(&buf)
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		b := bytes.Clone(buf.Bytes())
		binary.LittleEndian.PutUint32(b[len(b)-4:], math.Float32bits(bad))
		if _, err := flat.Load(bytes.NewReader(b)); !errors.Is(err, flat.ErrFormat) {
			t.Errorf("Load of a file holding %v: %v, want ErrFormat", bad, err)
		}
	}
}

// TestQuantizedRoundingTies: data on the quantization grid (scale 3, offset
// 0: residual bounds ~1e-11) whose squared distances and dots are integers
// around 1.8e8, where float32 spacing is 16 but neighbouring vectors differ
// by 9: the plain scan's float32 ranks merge and swap true neighbours, so
// only the rounding allowance of the threshold (L2) and of the per-slot
// bounds (InnerProduct) keeps the slots it ranks in its top k.
func TestQuantizedRoundingTies(t *testing.T) {
	const dims, half = 600, 300
	r := rand.New(rand.NewPCG(37, 38))
	var vecs []float32
	row := func(c func(j int) int) {
		for j := range dims {
			vecs = append(vecs, float32(3*c(j)))
		}
	}
	row(func(int) int { return 0 })   // pins offset 0
	row(func(int) int { return 255 }) // pins scale 3
	for range 400 {
		ones := r.IntN(40)
		pos := r.Perm(half)[:ones]
		row(func(j int) int {
			if j < half {
				return 255
			}
			if slices.Contains(pos, j-half) {
				return 1
			}
			return 0
		})
	}
	n := len(vecs) / dims
	ids := make([]uint64, n)
	for i, p := range r.Perm(n) {
		ids[i] = uint64(p) // ids unrelated to distance order
	}
	qs := make([]float32, 2*dims) // the zero vector (L2), then 3·[255…, 1…] (InnerProduct)
	for j := range dims {
		qs[dims+j] = 3
		if j < half {
			qs[dims+j] = 765
		}
	}
	ks := []int{2, 5, 10, 20, 40, 80, 160}
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct} {
		x := flat.New(dims, m)
		if err := x.Add(ids, vecs); err != nil {
			t.Fatal(err)
		}
		checkQuantMatchesPlain(t, m.String()+" on the grid", x, qs, ks)
	}
}
