package hnsw

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// exactRank is the reported distance computed directly (the reference).
func exactDist(m vindex.Metric, a, b []float32) float32 {
	switch m {
	case vindex.L2:
		return float32(math.Sqrt(float64(distance.L2Squared(a, b))))
	case vindex.InnerProduct:
		return -distance.Dot(a, b)
	case vindex.Cosine:
		return float32(distance.CosineDistance(a, b))
	}
	return distance.L1(a, b)
}

// exactKNN returns the k nearest ids (ids[i] for row i) passing keep,
// by brute force, ties by id.
func exactKNN(m vindex.Metric, vecs []float32, dims int, ids []uint64, q []float32, k int, keep func(uint64) bool) []vindex.Result {
	var all []vindex.Result
	for i, id := range ids {
		if keep != nil && !keep(id) {
			continue
		}
		d := exactDist(m, q, vecs[i*dims:(i+1)*dims])
		if math.IsNaN(float64(d)) {
			continue
		}
		all = append(all, vindex.Result{ID: id, Distance: d})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Distance != all[j].Distance {
			return all[i].Distance < all[j].Distance
		}
		return all[i].ID < all[j].ID
	})
	return all[:min(k, len(all))]
}

func randVecs(r *rand.Rand, n, dims int) []float32 {
	v := make([]float32, n*dims)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

func mustNew(t testing.TB, dims int, m vindex.Metric, params map[string]string) *Index {
	t.Helper()
	ix, err := New(dims, m, params)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestNewParams(t *testing.T) {
	for _, tc := range []struct {
		params map[string]string
		msg    string // "" = ok
		detail string
	}{
		{nil, "", ""},
		{map[string]string{"m": "2", "ef_construction": "4"}, "", ""},
		{map[string]string{"m": "100", "ef_construction": "1000"}, "", ""},
		{map[string]string{"m": "1"}, `value 1 out of bounds for option "m"`, `Valid values are between "2" and "100".`},
		{map[string]string{"m": "101"}, `value 101 out of bounds for option "m"`, `Valid values are between "2" and "100".`},
		{map[string]string{"ef_construction": "3"}, `value 3 out of bounds for option "ef_construction"`, `Valid values are between "4" and "1000".`},
		{map[string]string{"ef_construction": "1001"}, `value 1001 out of bounds for option "ef_construction"`, `Valid values are between "4" and "1000".`},
		{map[string]string{"m": "16", "ef_construction": "31"}, "ef_construction must be greater than or equal to 2 * m", ""},
		{map[string]string{"m": "x"}, `invalid value for integer option "m": x`, ""},
		{map[string]string{"lists": "3"}, `unrecognized parameter "lists"`, ""},
	} {
		ix, err := New(4, vindex.L2, tc.params)
		if tc.msg == "" {
			if err != nil || ix == nil {
				t.Errorf("%v: unexpected error %v", tc.params, err)
			}
			continue
		}
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Errorf("%v: got %v, want ParamError %q", tc.params, err, tc.msg)
			continue
		}
		if pe.Msg != tc.msg || pe.Detail != tc.detail {
			t.Errorf("%v: got %q / %q, want %q / %q", tc.params, pe.Msg, pe.Detail, tc.msg, tc.detail)
		}
	}
	if _, err := New(0, vindex.L2, nil); err == nil {
		t.Error("dims 0 accepted")
	}
	if _, err := New(8, vindex.Hamming, nil); err == nil {
		t.Error("hamming accepted for float vectors")
	}
	ix := mustNew(t, 4, vindex.L2, nil)
	if ix.M() != DefaultM || ix.EfConstruction() != DefaultEfConstruction {
		t.Errorf("defaults m=%d ef_construction=%d", ix.M(), ix.EfConstruction())
	}
}

func TestBadInput(t *testing.T) {
	ix := mustNew(t, 3, vindex.L2, nil)
	if err := ix.Add([]uint64{1}, []float32{1, 2}); !errors.Is(err, ErrDims) {
		t.Errorf("short vector: %v", err)
	}
	if err := ix.Add([]uint64{1}, []float32{1, float32(math.NaN()), 2}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN: %v", err)
	}
	if err := ix.Add([]uint64{1}, []float32{1, float32(math.Inf(1)), 2}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("Inf: %v", err)
	}
	if _, err := ix.Search([]float32{1}, 3, nil, nil); !errors.Is(err, ErrDims) {
		t.Errorf("short query: %v", err)
	}
	if st := ix.Stats(); st.Vectors != 0 {
		t.Errorf("failed adds stored %d vectors", st.Vectors)
	}
}

func TestEmptyAndSmall(t *testing.T) {
	ix := mustNew(t, 2, vindex.L2, nil)
	res, err := ix.Search([]float32{0, 0}, 5, nil, nil)
	if err != nil || len(res) != 0 {
		t.Fatalf("empty index: %v %v", res, err)
	}
	if err := ix.Add([]uint64{7, 3, 9}, []float32{0, 1, 0, 2, 0, 3}); err != nil {
		t.Fatal(err)
	}
	res, _ = ix.Search([]float32{0, 0}, 10, nil, res) // k > n
	want := []vindex.Result{{ID: 7, Distance: 1}, {ID: 3, Distance: 2}, {ID: 9, Distance: 3}}
	if !slices.Equal(res, want) {
		t.Fatalf("got %v, want %v", res, want)
	}
	if res, _ = ix.Search([]float32{0, 0}, 0, nil, res); len(res) != 0 {
		t.Fatalf("k=0 returned %v", res)
	}
	// Duplicates: equal distances come back ordered by id.
	if err := ix.Add([]uint64{5, 1}, []float32{0, 2, 0, 2}); err != nil {
		t.Fatal(err)
	}
	res, _ = ix.Search([]float32{0, 0}, 4, nil, res)
	want = []vindex.Result{{ID: 7, Distance: 1}, {ID: 1, Distance: 2}, {ID: 3, Distance: 2}, {ID: 5, Distance: 2}}
	if !slices.Equal(res, want) {
		t.Fatalf("ties: got %v, want %v", res, want)
	}
	// Replacing an id moves it.
	if err := ix.Add([]uint64{9}, []float32{0, 0.5}); err != nil {
		t.Fatal(err)
	}
	res, _ = ix.Search([]float32{0, 0}, 1, nil, res)
	if len(res) != 1 || res[0] != (vindex.Result{ID: 9, Distance: 0.5}) {
		t.Fatalf("replaced id: got %v", res)
	}
	if st := ix.Stats(); st.Vectors != 5 || st.Deleted != 1 {
		t.Fatalf("stats after replace: %+v", st)
	}
}

// TestMetricsExact checks every metric against brute force on small
// random data where ef covers the whole graph, so results must be exact
// (ids in order, distances within float rounding).
func TestMetricsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, dims, k = 300, 12, 10
	vecs := randVecs(r, n, dims)
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(1000 + 3*i)
	}
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1} {
		ix := mustNew(t, dims, m, map[string]string{"m": "8", "ef_construction": "64", "seed": "3"})
		if err := ix.Add(ids, vecs); err != nil {
			t.Fatal(err)
		}
		var res []vindex.Result
		for qi := 0; qi < 20; qi++ {
			q := randVecs(r, 1, dims)
			want := exactKNN(m, vecs, dims, ids, q, k, nil)
			res, _ = ix.Search(q, k, &vindex.SearchParams{EfSearch: n}, res)
			if len(res) != k {
				t.Fatalf("%v: %d results", m, len(res))
			}
			for i := range res {
				if res[i].ID != want[i].ID || math.Abs(float64(res[i].Distance-want[i].Distance)) > 1e-4*(1+math.Abs(float64(want[i].Distance))) {
					t.Fatalf("%v query %d: got %v, want %v", m, qi, res, want)
				}
			}
		}
	}
}

func TestCosineZeroVectors(t *testing.T) {
	ix := mustNew(t, 2, vindex.Cosine, nil)
	if err := ix.Add([]uint64{1, 2, 3}, []float32{0, 0, 1, 0, 0, 1}); err != nil {
		t.Fatal(err)
	}
	res, _ := ix.Search([]float32{1, 1}, 5, nil, nil)
	if len(res) != 2 || res[0].ID != 2 || res[1].ID != 3 {
		t.Fatalf("zero vector must not be returned: %v", res)
	}
	if res, _ = ix.Search([]float32{0, 0}, 5, nil, res); len(res) != 0 {
		t.Fatalf("zero query ranks nothing (NaN distances): %v", res)
	}
	if err := ix.Delete([]uint64{1}); err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Vectors != 2 || st.Deleted != 0 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestDeleteAndRepair(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n, dims = 2000, 16
	vecs := randVecs(r, n, dims)
	ids := seqIDs(n)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"seed": "1"})
	ix.RepairFraction = 0 // repair explicitly below
	if err := ix.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	deleted := map[uint64]bool{}
	var del []uint64
	for i := 0; i < n; i += 3 {
		del = append(del, uint64(i))
		deleted[uint64(i)] = true
	}
	del = append(del, 1<<60) // unknown: ignored
	if err := ix.Delete(del); err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Vectors != n-len(deleted) || st.Deleted != len(deleted) {
		t.Fatalf("stats after delete: %+v", st)
	}
	keep := func(id uint64) bool { return !deleted[id] }
	check := func(stage string, minRecall float64) {
		t.Helper()
		var res []vindex.Result
		var rec float64
		const nq = 50
		for qi := 0; qi < nq; qi++ {
			q := randVecs(r, 1, dims)
			res, _ = ix.Search(q, 10, &vindex.SearchParams{EfSearch: 80}, res)
			for _, x := range res {
				if deleted[x.ID] {
					t.Fatalf("%s: deleted id %d returned", stage, x.ID)
				}
			}
			if len(res) != 10 {
				t.Fatalf("%s: %d results", stage, len(res))
			}
			want := exactKNN(vindex.L2, vecs, dims, ids, q, 10, keep)
			got := make([]uint64, len(res))
			for i := range res {
				got[i] = res[i].ID
			}
			w := make([]int32, len(want))
			for i := range want {
				w[i] = int32(want[i].ID)
			}
			rec += recallAt(got, w, 10)
		}
		if rec/nq < minRecall {
			t.Fatalf("%s: recall@10 %.3f < %.2f", stage, rec/nq, minRecall)
		}
	}
	check("tombstones", 0.9)
	ix.Repair()
	if st := ix.Stats(); st.Deleted != 0 || st.Vectors != n-len(deleted) {
		t.Fatalf("stats after repair: %+v", st)
	}
	if err := ix.checkLinks(); err != nil {
		t.Fatal(err)
	}
	check("repaired", 0.9)
	// Freed slots are reused by new vectors, which are found.
	before := ix.nslots
	nv := randVecs(r, 100, dims)
	nids := make([]uint64, 100)
	for i := range nids {
		nids[i] = uint64(n + i)
	}
	if err := ix.Add(nids, nv); err != nil {
		t.Fatal(err)
	}
	if ix.nslots != before {
		t.Fatalf("slots grew from %d to %d although %d were free", before, ix.nslots, len(deleted))
	}
	for i, id := range nids {
		res, _ := ix.Search(nv[i*dims:(i+1)*dims], 1, nil, nil)
		if len(res) != 1 || res[0].ID != id || res[0].Distance != 0 {
			t.Fatalf("re-used slot: query for %d got %v", id, res)
		}
	}
}

func TestAutoRepair(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n, dims = 500, 8
	ix := mustNew(t, dims, vindex.L2, nil)
	if err := ix.Add(seqIDs(n), randVecs(r, n, dims)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(seqIDs(40)); err != nil { // 8% < 10%: tombstones stay
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Deleted != 40 {
		t.Fatalf("want 40 tombstones, %+v", st)
	}
	if err := ix.Delete(seqIDs(60)); err != nil { // 12%: repaired
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Deleted != 0 || st.Vectors != n-60 {
		t.Fatalf("want repaired, %+v", st)
	}
	// Deleting everything leaves an empty, usable index.
	if err := ix.Delete(seqIDs(n)); err != nil {
		t.Fatal(err)
	}
	ix.Repair()
	if res, _ := ix.Search(make([]float32, dims), 3, nil, nil); len(res) != 0 {
		t.Fatalf("all deleted, got %v", res)
	}
	if err := ix.Add([]uint64{42}, make([]float32, dims)); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(make([]float32, dims), 3, nil, nil); len(res) != 1 || res[0].ID != 42 {
		t.Fatalf("after refill got %v", res)
	}
}

func TestPersistRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const n, dims = 1500, 24
	for _, m := range []vindex.Metric{vindex.L2, vindex.Cosine, vindex.InnerProduct} {
		ix := mustNew(t, dims, m, map[string]string{"m": "12", "ef_construction": "40"})
		ix.RepairFraction = 0
		vecs := randVecs(r, n, dims)
		if err := ix.Add(seqIDs(n), vecs); err != nil {
			t.Fatal(err)
		}
		if err := ix.Delete([]uint64{3, 5, 8}); err != nil { // tombstones survive
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ix.Save(&buf); err != nil {
			t.Fatal(err)
		}
		raw := buf.Bytes()
		ix2, err := Load(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if ix2.Dims() != dims || ix2.Metric() != m || ix2.M() != 12 || ix2.EfConstruction() != 40 {
			t.Fatalf("loaded options differ")
		}
		if a, b := ix.Stats(), ix2.Stats(); a.Vectors != b.Vectors || a.Deleted != b.Deleted {
			t.Fatalf("stats differ: %+v vs %+v", a, b)
		}
		for qi := 0; qi < 30; qi++ {
			q := randVecs(r, 1, dims)
			a, _ := ix.Search(q, 10, nil, nil)
			b, _ := ix2.Search(q, 10, nil, nil)
			if !slices.Equal(a, b) {
				t.Fatalf("%v: results differ after load:\n%v\n%v", m, a, b)
			}
		}
		// Every truncation is an error, never a panic.
		for _, cut := range []int{0, 5, 20, 52, len(raw) / 2, len(raw) - 1} {
			if _, err := Load(bytes.NewReader(raw[:cut])); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("truncated at %d: %v", cut, err)
			}
		}
		bad := slices.Clone(raw)
		bad[8] = 99 // version
		if _, err := Load(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "version 99") {
			t.Fatalf("bad version: %v", err)
		}
	}
}

func TestIteratorCoversAllMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const n, dims = 3000, 16
	vecs := randVecs(r, n, dims)
	ix := mustNew(t, dims, vindex.L2, nil)
	if err := ix.Add(seqIDs(n), vecs); err != nil {
		t.Fatal(err)
	}
	q := randVecs(r, 1, dims)
	// A filter the SQL layer cannot push down: applied to batches here.
	pass := func(id uint64) bool { return id%50 == 7 } // 2%
	want := exactKNN(vindex.L2, vecs, dims, seqIDs(n), q, 10, pass)
	it, err := ix.NewIterator(q, &vindex.SearchParams{EfSearch: 40})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	seen := map[uint64]bool{}
	var got []vindex.Result
	var batch []vindex.Result
	batches := 0
	for {
		batch, err = it.Next(batch)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		batches++
		for i, x := range batch {
			if seen[x.ID] {
				t.Fatalf("id %d returned twice", x.ID)
			}
			seen[x.ID] = true
			if i > 0 && batch[i-1].Distance > x.Distance {
				t.Fatalf("batch not sorted: %v", batch)
			}
			if pass(x.ID) {
				got = append(got, x)
			}
		}
		if len(got) >= 10 && batches > 3 {
			break
		}
	}
	if batches < 2 {
		t.Fatalf("expected several batches, got %d", batches)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].Distance < got[j].Distance })
	hit := 0
	for _, w := range want {
		for _, g := range got {
			if g.ID == w.ID {
				hit++
				break
			}
		}
	}
	if hit < 9 {
		t.Fatalf("iterative scan found %d of the 10 nearest matches", hit)
	}
	// Draining the iterator returns every vector exactly once.
	it2, _ := ix.NewIterator(q, &vindex.SearchParams{EfSearch: 100})
	defer it2.Close()
	total := 0
	all := map[uint64]bool{}
	for {
		batch, _ = it2.Next(batch)
		if len(batch) == 0 {
			break
		}
		for _, x := range batch {
			if all[x.ID] {
				t.Fatalf("drain: id %d twice", x.ID)
			}
			all[x.ID] = true
		}
		total += len(batch)
	}
	if total != n {
		t.Fatalf("drain returned %d of %d vectors", total, n)
	}
	// Repair between batches invalidates the iterator.
	it3, _ := ix.NewIterator(q, nil)
	defer it3.Close()
	if _, err := it3.Next(nil); err != nil {
		t.Fatal(err)
	}
	ix.RepairFraction = 0
	_ = ix.Delete([]uint64{1})
	ix.Repair()
	if _, err := it3.Next(nil); !errors.Is(err, ErrStale) {
		t.Fatalf("after repair: %v", err)
	}
}

// TestConcurrentSearchInsert runs searches while vectors are added and
// deleted (meant for -race); every search result must be a stored id.
// Later rows are longer, so for inner product Adds raise the norm bound
// and rewrite the augmentation while searches wait on mu.
func TestConcurrentSearchInsert(t *testing.T) {
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine} {
		t.Run(m.String(), func(t *testing.T) { testConcurrentSearchInsert(t, m) })
	}
}

func testConcurrentSearchInsert(t *testing.T, metric vindex.Metric) {
	r := rand.New(rand.NewPCG(13, 14))
	const n, dims = 1200, 8
	vecs := randVecs(r, n, dims)
	for i := range vecs {
		vecs[i] *= 1 + float32(i/dims)/100 // norms grow 12x over the rows
	}
	ix := mustNew(t, dims, metric, map[string]string{"m": "6", "ef_construction": "24"})
	ix.RepairFraction = 0.05
	if err := ix.Add(seqIDs(100), vecs[:100*dims]); err != nil {
		t.Fatal(err)
	}
	stop := searchers(3, 1, func(rr *rand.Rand, res []vindex.Result) ([]vindex.Result, bool) {
		q := randVecs(rr, 1, dims)
		res, err := ix.Search(q, 5, &vindex.SearchParams{Filter: func(id uint64) bool { return id%2 == 0 }}, res)
		if err != nil {
			t.Error(err)
			return res, false
		}
		for _, x := range res {
			if x.ID >= n || x.ID%2 != 0 {
				t.Errorf("bad id %d", x.ID)
				return res, false
			}
		}
		it, _ := ix.NewIterator(q, nil)
		_, err = it.Next(nil)
		if err != nil && !errors.Is(err, ErrStale) {
			t.Error(err)
		}
		it.Close()
		return res, true
	})
	for i := 100; i < n; i += 50 { // batches of 50 (serial) and one parallel batch
		end := min(i+50, n)
		if i == 600 {
			end = n
		}
		if err := ix.Add(seqIDs(end)[i:], vecs[i*dims:end*dims]); err != nil {
			t.Fatal(err)
		}
		if err := ix.Delete([]uint64{uint64(i - 50)}); err != nil {
			t.Fatal(err)
		}
		if end == n {
			break
		}
	}
	stop()
	if err := ix.checkLinks(); err != nil {
		t.Fatal(err)
	}
	checkAugmentation(t, ix)
}

func TestProgressAndStats(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	const n, dims = 1000, 8
	ix := mustNew(t, dims, vindex.L2, nil)
	var calls, last int
	ix.Progress = func(phase string, done, total int) {
		if phase != "hnsw build" || total != n || done < last {
			t.Errorf("progress %q %d/%d after %d", phase, done, total, last)
		}
		calls++
		last = done
	}
	if err := ix.Add(seqIDs(n), randVecs(r, n, dims)); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != n {
		t.Fatalf("progress: %d calls, last %d", calls, last)
	}
	st := ix.Stats()
	if st.Vectors != n || st.Bytes < int64(n*dims*4) || st.BuildTime <= 0 || st.Distances <= 0 {
		t.Fatalf("stats %+v", st)
	}
	before := ix.Stats().Distances
	_, _ = ix.Search(make([]float32, dims), 5, nil, nil)
	if ix.Stats().Distances <= before {
		t.Fatal("search did not count distances")
	}
}

// TestConcurrentInsertKeepsResults: a search running while inserts link
// new nodes must always find k results in a graph that holds more than k
// nodes. A node reachable on an upper level before its level-0 list was
// written once sent such searches into a dead end (0 results).
func TestConcurrentInsertKeepsResults(t *testing.T) {
	for _, m := range []vindex.Metric{vindex.L2, vindex.Cosine} {
		t.Run(m.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(21, 22))
			const n0, n, dims, k = 200, 6000, 8, 10
			vecs := randVecs(r, n, dims)
			// NB: m=3 gives many upper levels, so many nodes are linked on
			// several levels while searches run.
			ix := mustNew(t, dims, m, map[string]string{"m": "3", "ef_construction": "12"})
			if err := ix.Add(seqIDs(n0), vecs[:n0*dims]); err != nil {
				t.Fatal(err)
			}
			var short atomic.Int64
			stop := searchers(2, 7, func(rr *rand.Rand, res []vindex.Result) ([]vindex.Result, bool) {
				res, err := ix.Search(randVecs(rr, 1, dims), k, &vindex.SearchParams{EfSearch: 20}, res)
				if err != nil {
					t.Error(err)
					return res, false
				}
				if len(res) < k {
					short.Add(1)
				}
				return res, true
			})
			for i := n0; i < n; i += 200 {
				if err := ix.Add(seqIDs(i + 200)[i:], vecs[i*dims:(i+200)*dims]); err != nil {
					t.Fatal(err)
				}
			}
			stop()
			if s := short.Load(); s > 0 {
				t.Fatalf("%d searches returned fewer than %d results during inserts", s, k)
			}
		})
	}
}

// searchers runs search on n goroutines, each with its own random source
// (seeded by its number and seed) and result buffer, until the returned
// stop is called (stop waits for them) or search reports false.
func searchers(n int, seed uint64, search func(rr *rand.Rand, res []vindex.Result) ([]vindex.Result, bool)) (stop func()) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := range n {
		wg.Go(func() {
			rr := rand.New(rand.NewPCG(uint64(w), seed))
			var res []vindex.Result
			for ok := true; ok; {
				select {
				case <-done:
					return
				default:
				}
				res, ok = search(rr, res)
			}
		})
	}
	return func() { close(done); wg.Wait() }
}
