package ivfflat

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

var allMetrics = []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1}

func randVecs(n, dims int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	v := make([]float32, n*dims)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

func seqIDs(n int, base uint64) []uint64 {
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = base + uint64(i)
	}
	return ids
}

// bruteForce is the exact answer: the reported distance of every stored
// vector that passes filter, sorted by (distance, id), first k.
func bruteForce(m vindex.Metric, ids []uint64, vecs, q []float32, k int, filter func(uint64) bool) []vindex.Result {
	dims := len(q)
	f := distance.ForMetric(m)
	var all []vindex.Result
	for i, id := range ids {
		if filter != nil && !filter(id) {
			continue
		}
		d := distance.Report(m, f(q, vecs[i*dims:(i+1)*dims]))
		all = append(all, vindex.Result{ID: id, Distance: d})
	}
	sort.Slice(all, func(a, b int) bool {
		return all[a].Distance < all[b].Distance || (all[a].Distance == all[b].Distance && all[a].ID < all[b].ID)
	})
	return all[:min(k, len(all))]
}

func sameResults(t *testing.T, what string, got, want []vindex.Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d results, want %d\n got %v\nwant %v", what, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i].ID != want[i].ID || math.Abs(float64(got[i].Distance-want[i].Distance)) > 1e-4*(1+math.Abs(float64(want[i].Distance))) {
			t.Fatalf("%s: result %d = %+v, want %+v\n got %v\nwant %v", what, i, got[i], want[i], got, want)
		}
	}
}

func mustNew(t *testing.T, dims int, m vindex.Metric, params map[string]string) *Index {
	t.Helper()
	ix, err := New(dims, m, params)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestExactWhenAllListsProbed(t *testing.T) {
	const n, dims, k = 1500, 16, 10
	vecs := randVecs(n, dims, 1)
	ids := seqIDs(n, 1000)
	queries := randVecs(20, dims, 2)
	for _, m := range allMetrics {
		t.Run(m.String(), func(t *testing.T) {
			ix := mustNew(t, dims, m, map[string]string{"lists": "12"})
			if err := ix.Train(vecs); err != nil {
				t.Fatal(err)
			}
			if err := ix.Add(ids, vecs); err != nil {
				t.Fatal(err)
			}
			if got := ix.Stats().Vectors; got != n {
				t.Fatalf("Stats().Vectors = %d, want %d", got, n)
			}
			for q := 0; q < 20; q++ {
				qv := queries[q*dims : (q+1)*dims]
				got, err := ix.Search(qv, k, &vindex.SearchParams{Probes: 12}, nil)
				if err != nil {
					t.Fatal(err)
				}
				sameResults(t, "all probes", got, bruteForce(m, ids, vecs, qv, k, nil))
			}
		})
	}
}

func TestFilterAndWidening(t *testing.T) {
	const n, dims, k = 2000, 8, 10
	vecs := randVecs(n, dims, 3)
	ids := seqIDs(n, 0)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"lists": "40"})
	if err := ix.Train(vecs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	q := randVecs(1, dims, 4)
	rare := func(id uint64) bool { return id%97 == 0 } // 21 of 2000 pass
	// One probe holds ~50 vectors, of which ~0.5 pass: widening must go on
	// until k pass.
	got, err := ix.Search(q, k, &vindex.SearchParams{Probes: 1, Filter: rare}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != k {
		t.Fatalf("widening returned %d results, want %d", len(got), k)
	}
	for _, r := range got {
		if !rare(r.ID) {
			t.Fatalf("id %d does not pass the filter", r.ID)
		}
	}
	// Probing every list with the filter is exact.
	all, err := ix.Search(q, k, &vindex.SearchParams{Probes: 40, Filter: rare}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameResults(t, "filtered, all lists", all, bruteForce(vindex.L2, ids, vecs, q, k, rare))
	// A filter nothing passes returns nothing, after looking everywhere.
	none, err := ix.Search(q, k, &vindex.SearchParams{Filter: func(uint64) bool { return false }}, nil)
	if err != nil || len(none) != 0 {
		t.Fatalf("reject-all filter: %v, %v", none, err)
	}
	// A candidate budget stops the widening.
	before := ix.Stats().Distances
	limited, err := ix.Search(q, k, &vindex.SearchParams{Probes: 1, Filter: rare, MaxCandidates: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	spent := ix.Stats().Distances - before
	if len(limited) >= k || spent > 40+100+200 {
		t.Fatalf("MaxCandidates=100: %d results after %d distances; want < k and a bounded scan", len(limited), spent)
	}
}

func TestPendingThenAutoTrain(t *testing.T) {
	const dims, lists = 6, 4
	n := AutoTrainPerList * lists
	vecs := randVecs(n, dims, 5)
	ids := seqIDs(n, 0)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"lists": "4"})
	half := n / 2
	if err := ix.Add(ids[:half], vecs[:half*dims]); err != nil {
		t.Fatal(err)
	}
	if ix.Trained() {
		t.Fatal("trained before enough vectors")
	}
	q := randVecs(1, dims, 6)
	got, err := ix.Search(q, 5, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameResults(t, "pending scan", got, bruteForce(vindex.L2, ids[:half], vecs[:half*dims], q, 5, nil))
	if err := ix.Add(ids[half:], vecs[half*dims:]); err != nil {
		t.Fatal(err)
	}
	if !ix.Trained() {
		t.Fatal("not trained after AutoTrainPerList*lists vectors")
	}
	sizes := ix.ListSizes()
	total := 0
	for _, s := range sizes {
		total += s
	}
	if total != n {
		t.Fatalf("lists hold %d vectors, want %d (%v)", total, n, sizes)
	}
	got, err = ix.Search(q, 5, &vindex.SearchParams{Probes: lists}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameResults(t, "after auto-train", got, bruteForce(vindex.L2, ids, vecs, q, 5, nil))
}

func TestDeleteAndReplace(t *testing.T) {
	const n, dims = 500, 4
	vecs := randVecs(n, dims, 7)
	ids := seqIDs(n, 0)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"lists": "5"})
	if err := ix.Train(vecs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	q := vecs[10*dims : 11*dims]
	if err := ix.Delete([]uint64{10, 11, 12, 99999}); err != nil {
		t.Fatal(err)
	}
	got, _ := ix.Search(q, n, &vindex.SearchParams{Probes: 5}, nil)
	if len(got) != n-3 {
		t.Fatalf("after deleting 3 of %d: %d results", n, len(got))
	}
	for _, r := range got {
		if r.ID == 10 || r.ID == 11 || r.ID == 12 {
			t.Fatalf("deleted id %d returned", r.ID)
		}
	}
	// Replace id 20 with a vector far from everything; searching for it finds id 20 at distance 0.
	far := []float32{100, 100, 100, 100}
	if err := ix.Add([]uint64{20}, far); err != nil {
		t.Fatal(err)
	}
	got, _ = ix.Search(far, 1, &vindex.SearchParams{Probes: 5}, nil)
	if len(got) != 1 || got[0].ID != 20 || got[0].Distance != 0 {
		t.Fatalf("replaced vector: %v", got)
	}
	if ix.Stats().Vectors != n-3 {
		t.Fatalf("Vectors = %d, want %d", ix.Stats().Vectors, n-3)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	const n, dims = 800, 8
	for _, m := range allMetrics {
		t.Run(m.String(), func(t *testing.T) {
			vecs := randVecs(n, dims, 8)
			ix := mustNew(t, dims, m, map[string]string{"lists": "10", "seed": "7"})
			if err := ix.Train(vecs); err != nil {
				t.Fatal(err)
			}
			if err := ix.Add(seqIDs(n, 5), vecs); err != nil {
				t.Fatal(err)
			}
			ix.Delete([]uint64{5, 6})
			var buf bytes.Buffer
			if err := ix.Save(&buf); err != nil {
				t.Fatal(err)
			}
			raw := buf.Bytes()
			ld, err := Load(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if ld.Dims() != dims || ld.Metric() != m || ld.Lists() != 10 || ld.Stats().Vectors != n-2 {
				t.Fatalf("loaded header: dims %d metric %v lists %d vectors %d", ld.Dims(), ld.Metric(), ld.Lists(), ld.Stats().Vectors)
			}
			qs := randVecs(10, dims, 9)
			for q := 0; q < 10; q++ {
				p := &vindex.SearchParams{Probes: 3}
				a, _ := ix.Search(qs[q*dims:(q+1)*dims], 7, p, nil)
				b, _ := ld.Search(qs[q*dims:(q+1)*dims], 7, p, nil)
				if !slices.Equal(a, b) {
					t.Fatalf("query %d: before save %v, after load %v", q, a, b)
				}
			}
			// Corrupt inputs fail with XX001, never panic.
			for _, bad := range [][]byte{nil, raw[:7], raw[:40], raw[:len(raw)-1], append([]byte("NOTMAGIC"), raw[8:]...)} {
				if _, err := Load(bytes.NewReader(bad)); pgerr.CodeOf(err) != pgerr.DataCorrupted || !errors.Is(err, ErrFormat) {
					t.Fatalf("Load of %d corrupt bytes: %v", len(bad), err)
				}
			}
			ver := slices.Clone(raw)
			ver[8] = 99
			if _, err := Load(bytes.NewReader(ver)); err == nil {
				t.Fatal("unknown format version accepted")
			}
		})
	}
}

func TestOptionsAndInputErrors(t *testing.T) {
	for _, tc := range []struct {
		params map[string]string
		msg    string
	}{
		{map[string]string{"lists": "0"}, `value 0 out of bounds for option "lists"`},
		{map[string]string{"lists": "32769"}, `value 32769 out of bounds for option "lists"`},
		{map[string]string{"lists": "ten"}, `invalid value for integer option "lists": ten`},
		{map[string]string{"m": "16"}, `unrecognized parameter "m"`},
	} {
		_, err := New(4, vindex.L2, tc.params)
		pe := pgerr.From(err)
		if pe == nil || pe.Code != pgerr.InvalidParameterValue || pe.Message != tc.msg {
			t.Fatalf("New(%v) = %v, want 22023 %q", tc.params, err, tc.msg)
		}
	}
	_, err := New(4, vindex.L2, map[string]string{"lists": "0"})
	if d := pgerr.From(err).Detail; d != `Valid values are between "1" and "32768".` {
		t.Fatalf("detail %q", d)
	}
	if _, err := New(4, vindex.Hamming, nil); pgerr.CodeOf(err) != pgerr.FeatureNotSupported {
		t.Fatalf("hamming: %v", err)
	}
	ix := mustNew(t, 3, vindex.L2, nil)
	if err := ix.Add([]uint64{1}, []float32{1, 2}); pgerr.CodeOf(err) != pgerr.DataException {
		t.Fatalf("short vector: %v", err)
	}
	if err := ix.Add([]uint64{1}, []float32{1, float32(math.NaN()), 2}); pgerr.CodeOf(err) != pgerr.DataException {
		t.Fatalf("NaN vector: %v", err)
	}
	if _, err := ix.Search([]float32{1, 2}, 3, nil, nil); pgerr.CodeOf(err) != pgerr.DataException {
		t.Fatalf("short query: %v", err)
	}
	if err := ix.Train(nil); err == nil {
		t.Fatal("empty training sample accepted")
	}
	if ix.Stats().Vectors != 0 {
		t.Fatal("failed Add stored vectors")
	}
}

func TestEdgeCases(t *testing.T) {
	ix := mustNew(t, 2, vindex.Cosine, map[string]string{"lists": "2"})
	got, err := ix.Search([]float32{1, 0}, 5, nil, nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty index: %v %v", got, err)
	}
	// Duplicates, a zero vector (not indexable for cosine), k > n.
	vecs := []float32{1, 0, 1, 0, 0, 1, 0, 0, -1, 0}
	if err := ix.Add([]uint64{1, 2, 3, 4, 5}, vecs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Train(vecs); err != nil {
		t.Fatal(err)
	}
	got, err = ix.Search([]float32{2, 0}, 10, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []vindex.Result{{ID: 1, Distance: 0}, {ID: 2, Distance: 0}, {ID: 3, Distance: 1}, {ID: 5, Distance: 2}}
	sameResults(t, "cosine with duplicates and a zero vector", got, want)
	got, _ = ix.Search([]float32{0, 0}, 2, nil, nil)
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 2 || !math.IsNaN(float64(got[0].Distance)) {
		t.Fatalf("zero query: %v", got)
	}
	if got, _ := ix.Search([]float32{1, 0}, 0, nil, nil); len(got) != 0 {
		t.Fatalf("k=0: %v", got)
	}
}

func TestConcurrentSearchAndAdd(t *testing.T) {
	const dims = 8
	vecs := randVecs(3000, dims, 11)
	ix := mustNew(t, dims, vindex.L2, map[string]string{"lists": "10"})
	if err := ix.Train(vecs[:1000*dims]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(seqIDs(1000, 0), vecs[:1000*dims]); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		for i := 1000; i < 3000; i += 100 {
			if err := ix.Add(seqIDs(100, uint64(i)), vecs[i*dims:(i+100)*dims]); err != nil {
				t.Error(err)
			}
			ix.Delete([]uint64{uint64(i - 500)})
		}
	}()
	for g := 0; g < 2; g++ {
		go func() {
			defer wg.Done()
			var res []vindex.Result
			for i := 0; i < 300; i++ {
				var err error
				res, err = ix.Search(vecs[(i%3000)*dims:(i%3000+1)*dims], 5, &vindex.SearchParams{Probes: 2}, res)
				if err != nil || len(res) != 5 {
					t.Errorf("search %d: %d results, %v", i, len(res), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := ix.Stats().Vectors; got != 3000-20 {
		t.Fatalf("Vectors = %d, want %d", got, 2980)
	}
}
