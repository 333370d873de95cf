package flat_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

func randVecs(r *rand.Rand, n, dims int, lo, hi float32) []float32 {
	v := make([]float32, n*dims)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float32()
	}
	return v
}

// TestQuantizedMatchesPlain: random and clustered data, dims that are not
// multiples of 64, k from 1 to beyond n.
func TestQuantizedMatchesPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, dims := range []int{1, 3, 17, 64, 100, 130} {
		for _, n := range []int{1, 5, 700} {
			x := flat.New(dims, vindex.L2)
			vecs := randVecs(r, n, dims, -3, 5)
			if dims >= 64 {
				vecs = vindextest.Clustered(uint64(dims), n, dims, 7)
			}
			if err := x.Add(vindextest.SeqIDs(100, n), vecs); err != nil {
				t.Fatal(err)
			}
			queries := append(randVecs(r, 4, dims, -4, 6), vecs[:dims]...) // one query is a stored vector
			checkQuantMatchesPlain(t, fmt.Sprintf("dims=%d n=%d", dims, n), x, queries, []int{1, 10, n + 3})
		}
	}
}

// TestQuantizedTies: duplicate vectors (equal distances) straddling the
// k-th place are resolved by smaller id, as in the plain scan.
func TestQuantizedTies(t *testing.T) {
	const dims = 70
	r := rand.New(rand.NewPCG(23, 24))
	base := randVecs(r, 50, dims, 0, 1)
	var vecs []float32
	var ids []uint64
	for copyN := range 6 {
		vecs = append(vecs, base...)
		for i := range 50 {
			ids = append(ids, uint64(1000-copyN*50-i)) // later copies get smaller ids
		}
	}
	x := flat.New(dims, vindex.L2)
	if err := x.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	checkQuantMatchesPlain(t, "duplicates", x, append(base[:dims:dims], randVecs(r, 3, dims, 0, 1)...), []int{1, 3, 4, 6, 7, 13})
}

// TestQuantizedMaintenance: the copy tracks Add (new ids, replaced ids,
// values outside the quantization range), Delete (swap-remove, last slot,
// unknown ids) and is rebuilt when clamping or growth makes it stale.
func TestQuantizedMaintenance(t *testing.T) {
	const dims, n = 33, 2000
	r := rand.New(rand.NewPCG(25, 26))
	x := flat.New(dims, vindex.L2)
	if err := x.Add(vindextest.SeqIDs(0, n), randVecs(r, n, dims, 0, 1)); err != nil {
		t.Fatal(err)
	}
	queries := randVecs(r, 5, dims, -0.5, 1.5)
	ks := []int{1, 10, 50}
	checkQuantMatchesPlain(t, "built", x, queries, ks)
	if got := x.QuantBuiltN(); got != n {
		t.Fatalf("QuantBuiltN = %d after the first search, want %d", got, n)
	}

	// 10 new vectors out of range (0.5% of the index: kept, not rebuilt), near the queries.
	out := randVecs(r, 10, dims, -0.6, 1.6)
	copy(out, queries[:dims])
	if err := x.Add(vindextest.SeqIDs(n, 10), out); err != nil {
		t.Fatal(err)
	}
	checkQuantMatchesPlain(t, "after out-of-range adds", x, queries, ks)
	// Replacements, one of them out of range, one a copy of a query.
	repl := randVecs(r, 4, dims, 0, 1)
	repl[0] = 7
	copy(repl[dims:], queries[dims:2*dims])
	if err := x.Add([]uint64{3, 999, 1500, n + 2}, repl); err != nil {
		t.Fatal(err)
	}
	checkQuantMatchesPlain(t, "after replacements", x, queries, ks)
	// Deletes: the middle, the last slot, a replaced id, an unknown id, a whole block's worth.
	del := []uint64{0, 5, n + 9, 999, 1 << 40}
	for i := uint64(300); i < 600; i++ {
		del = append(del, i)
	}
	if err := x.Delete(del); err != nil {
		t.Fatal(err)
	}
	checkQuantMatchesPlain(t, "after deletes", x, queries, ks)
	if got := x.QuantBuiltN(); got != n {
		t.Fatalf("QuantBuiltN = %d, want the copy built from %d still maintained", got, n)
	}

	// Many clamped vectors: the copy is dropped and re-derived on the next search.
	if err := x.Add(vindextest.SeqIDs(5000, 100), randVecs(r, 100, dims, 2, 9)); err != nil {
		t.Fatal(err)
	}
	if got := x.QuantBuiltN(); got != -1 {
		t.Fatalf("QuantBuiltN = %d after 100 clamped adds, want -1 (dropped)", got)
	}
	checkQuantMatchesPlain(t, "after rebuild", x, append(queries, randVecs(r, 2, dims, 2, 9)...), ks)
	if got, want := x.QuantBuiltN(), x.Len(); got != want {
		t.Fatalf("QuantBuiltN = %d after rebuild, want %d", got, want)
	}
	// Growth to twice the built size drops it too.
	if err := x.Add(vindextest.SeqIDs(10000, x.Len()), randVecs(r, x.Len(), dims, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if got := x.QuantBuiltN(); got != -1 {
		t.Fatalf("QuantBuiltN = %d after doubling, want -1", got)
	}
	checkQuantMatchesPlain(t, "after growth", x, queries, ks)
}

// TestQuantizedAfterLoad: a loaded index rebuilds its copy and answers as
// the saved one did.
func TestQuantizedAfterLoad(t *testing.T) {
	const dims, n = 40, 1500
	r := rand.New(rand.NewPCG(27, 28))
	x := flat.New(dims, vindex.L2)
	if err := x.Add(vindextest.SeqIDs(7, n), randVecs(r, n, dims, -1, 1)); err != nil {
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
		t.Fatalf("loaded index has a copy of %d vectors before any search", got)
	}
	checkQuantMatchesPlain(t, "loaded", y, queries, []int{1, 10})
	x.SetQuantizedScan("off")
	for q := range 4 {
		want, _ := x.Search(queries[q*dims:(q+1)*dims], 10, nil, nil)
		got, _ := y.Search(queries[q*dims:(q+1)*dims], 10, nil, nil)
		sameResults(t, fmt.Sprintf("loaded vs saved, query %d", q), got, want)
	}
}

// TestQuantizedFallsBack: queries the quantized scan cannot bound (NaN,
// infinite, huge values) and filtered or non-L2 searches give the plain
// scan's answer.
func TestQuantizedFallsBack(t *testing.T) {
	const dims, n = 20, 400
	r := rand.New(rand.NewPCG(29, 30))
	vecs := randVecs(r, n, dims, 0, 1)
	x := flat.New(dims, vindex.L2)
	if err := x.Add(vindextest.SeqIDs(0, n), vecs); err != nil {
		t.Fatal(err)
	}
	bad := [][]float32{make([]float32, dims), make([]float32, dims), make([]float32, dims)}
	bad[0][3] = float32(math.NaN())
	bad[1][0] = float32(math.Inf(-1))
	bad[2][5] = 3e37
	for i, q := range bad {
		x.SetQuantizedScan("off")
		want, _ := x.Search(q, 5, nil, nil)
		x.SetQuantizedScan("force")
		before, _ := x.QuantStats()
		got, _ := x.Search(q, 5, nil, nil)
		if after, _ := x.QuantStats(); after != before {
			t.Errorf("query %d: the quantized scan answered a query it cannot bound", i)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("query %d: %v, want %v", i, got, want)
		}
	}
	before, _ := x.QuantStats()
	p := &vindex.SearchParams{Filter: func(id uint64) bool { return id%2 == 0 }}
	res, _ := x.Search(vecs[:dims], 5, p, nil)
	if after, _ := x.QuantStats(); after != before || len(res) != 5 || res[0].ID != 0 {
		t.Errorf("filtered search: %v (quantized answered: %v)", res, after != before)
	}
}

// TestQuantizedConcurrent: searches racing with the lazy build, adds and
// deletes (run with -race).
func TestQuantizedConcurrent(t *testing.T) {
	const dims, n = 24, 3000
	r := rand.New(rand.NewPCG(31, 32))
	x := flat.New(dims, vindex.L2)
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
	checkQuantMatchesPlain(t, "after concurrent updates", x, q, []int{10})
}

// TestQuantizedSiftsmall: on real data the quantized scan (in its default
// mode, as SQL uses it) returns exactly the plain scan's results.
func TestQuantizedSiftsmall(t *testing.T) {
	d := vindextest.SharedDataset(t, "siftsmall", "l2")
	x := flat.New(d.Dims, vindex.L2)
	if err := x.Add(vindextest.SeqIDs(0, d.N), d.Base); err != nil {
		t.Fatal(err)
	}
	useful := distance.U8Impl != "generic" || distance.Impl == "generic"
	var recall float64
	for q := range d.NQ {
		for _, k := range []int{10, 100} {
			x.SetQuantizedScan("off")
			want, _ := x.Search(d.Query(q), k, nil, nil)
			x.SetQuantizedScan("auto")
			before, _ := x.QuantStats()
			got, _ := x.Search(d.Query(q), k, nil, nil)
			if after, _ := x.QuantStats(); (after == before+1) != useful {
				t.Fatalf("query %d k=%d: quantized scan used = %v, want %v (kernels %s/%s)", q, k, after != before, useful, distance.U8Impl, distance.Impl)
			}
			sameResults(t, fmt.Sprintf("siftsmall query %d k=%d", q, k), got, want)
			if k == 10 {
				recall += dataset.Recall(got, d.TruthRow(q), 10)
			}
		}
	}
	if r := recall / float64(d.NQ); r < 0.999 {
		t.Errorf("recall@10 = %v against the ground truth, want 1", r)
	}
	if queries, cands := x.QuantStats(); queries > 0 {
		t.Logf("%d quantized searches, %.1f survivors of pass 1 on average (of %d)", queries, float64(cands)/float64(queries), d.N)
	}
	if msg := x.QuantCheck(); msg != "" {
		t.Fatal(msg)
	}
}

// TestConformanceQuantized runs the shared suite with the quantized scan
// forced for every L2 search.
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
