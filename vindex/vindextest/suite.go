package vindextest

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/flat"
)

// SuiteOptions tune RunSuite for one index type.
type SuiteOptions struct {
	// MinRecall is the recall@10 floor against flat on the clustered
	// dataset, using Params. Zero means 0.9. Lower it only with a recorded reason.
	MinRecall float64
	// Params are the search parameters for the recall check (nil: defaults).
	Params *vindex.SearchParams
	// Exhaustive are search parameters under which the index returns exact
	// results on a few hundred vectors (nil: the defaults already are).
	Exhaustive *vindex.SearchParams
	// Metrics to test (nil: L2, InnerProduct, Cosine, L1).
	Metrics []vindex.Metric
	// RecallN and RecallDims size the recall dataset (0: 2000 and 32).
	RecallN, RecallDims int
	// FilteredMinRecall, when positive, is the recall@10 floor (against
	// flat with the same filter) with filters passing 10% and 1% of the
	// ids, using Params; zero skips that check.
	FilteredMinRecall float64
	// ApproximateDistances skips the check that reported distances equal
	// exact distances (for an index that reports quantised distances).
	ApproximateDistances bool
}

func (o *SuiteOptions) fill() {
	if o.MinRecall == 0 {
		o.MinRecall = 0.9
	}
	if o.Metrics == nil {
		o.Metrics = []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1}
	}
	if o.RecallN == 0 {
		o.RecallN = 2000
	}
	if o.RecallDims == 0 {
		o.RecallDims = 32
	}
}

// suite carries one RunSuite invocation's arguments into the subtests.
type suite struct {
	newIndex func(dims int, m vindex.Metric) vindex.Index
	load     func(r io.Reader) (vindex.Index, error)
	opts     SuiteOptions
}

// RunSuite runs the conformance suite (see the package doc) against the
// index type built by newIndex and read back by load. It is safe to call
// from several top-level tests; each subtest uses fresh indexes.
func RunSuite(t *testing.T, newIndex func(dims int, m vindex.Metric) vindex.Index,
	load func(r io.Reader) (vindex.Index, error), opts SuiteOptions) {
	t.Helper()
	opts.fill()
	s := &suite{newIndex: newIndex, load: load, opts: opts}
	t.Run("Basics", s.testBasics)
	t.Run("ExactSmall", s.testExactSmall)
	t.Run("Delete", s.testDelete)
	t.Run("Filter", s.testFilter)
	t.Run("Duplicates", s.testDuplicates)
	t.Run("Replace", s.testReplace)
	t.Run("Persistence", s.testPersistence)
	t.Run("LoadCorrupt", s.testLoadCorrupt)
	t.Run("Recall", s.testRecall)
	t.Run("ConcurrentSearchDuringAdd", s.testConcurrent)
	t.Run("SearchStats", s.testSearchStats)
}

// testSearchStats checks that a search reports its own work in
// SearchParams.Stats, adding to what the struct holds, whatever other
// searches ran on the index in between.
func (s *suite) testSearchStats(t *testing.T) {
	const dims, n = 16, 1500 // NB: above annoy's build_threshold of 1000 in its suite
	vecs := Clustered(5, n, dims, 10)
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	x, _ := s.build(t, dims, s.opts.Metrics[0], ids, vecs)
	q := Clustered(6, 1, dims, 10)
	var p vindex.SearchParams
	if s.opts.Params != nil {
		p = *s.opts.Params
	}
	var st vindex.SearchStats
	p.Stats = &st
	search(t, x, q, 10, &p)
	one := st
	_, isFlat := x.(*flat.Index)
	if one.Distances <= 0 || one.Distances > int64(4*n) {
		t.Fatalf("one search reported %d distances over %d vectors", one.Distances, n)
	}
	if isFlat != (one.Visited == 0) {
		t.Fatalf("one search reported %d nodes visited (flat index: %v)", one.Visited, isFlat)
	}
	search(t, x, Clustered(7, 1, dims, 10), 10, s.opts.Params) // not counted
	search(t, x, q, 10, &p)
	if st.Distances != 2*one.Distances || st.Visited != 2*one.Visited {
		t.Fatalf("after the same search twice stats = %+v, want twice %+v", st, one)
	}
}

// build returns a fresh index of the type under test and a flat reference
// holding the same vectors.
func (s *suite) build(t *testing.T, dims int, m vindex.Metric, ids []uint64, vecs []float32) (vindex.Index, *flat.Index) {
	t.Helper()
	x := s.newIndex(dims, m)
	if x.Dims() != dims || x.Metric() != m {
		t.Fatalf("new index reports Dims()=%d Metric()=%v, want %d %v", x.Dims(), x.Metric(), dims, m)
	}
	ref := flat.New(dims, m)
	if len(ids) > 0 {
		if err := x.Train(vecs); err != nil {
			t.Fatalf("Train(%d vectors): %v", len(ids), err)
		}
		mustAdd(t, x, ids, vecs)
		mustAdd(t, ref, ids, vecs)
	}
	return x, ref
}

func mustAdd(t *testing.T, x vindex.Index, ids []uint64, vecs []float32) {
	t.Helper()
	if err := x.Add(ids, vecs); err != nil {
		t.Fatalf("Add(%d vectors): %v", len(ids), err)
	}
}

func mustDelete(t *testing.T, x vindex.Index, ids []uint64) {
	t.Helper()
	if err := x.Delete(ids); err != nil {
		t.Fatalf("Delete(%v): %v", ids, err)
	}
}

func search(t *testing.T, x vindex.Index, q []float32, k int, p *vindex.SearchParams) []vindex.Result {
	t.Helper()
	res, err := x.Search(q, k, p, nil)
	if err != nil {
		t.Fatalf("Search(k=%d): %v", k, err)
	}
	return res
}

// withFilter returns a copy of p (which may be nil) with Filter set.
func withFilter(p *vindex.SearchParams, f func(uint64) bool) *vindex.SearchParams {
	var c vindex.SearchParams
	if p != nil {
		c = *p
	}
	c.Filter = f
	return &c
}

// distTol is the tolerance for comparing float32 distances computed by
// different kernels (summation order differs).
func distTol(want float64) float64 { return 1e-4*math.Abs(want) + 1e-4 }

// checkWellFormed verifies ordering, tie-breaking, unique ids, k bound, and
// (unless distances are approximate) each distance against the exact one.
func (s *suite) checkWellFormed(t *testing.T, m vindex.Metric, q []float32, k int, res []vindex.Result, vecOf func(uint64) []float32) {
	t.Helper()
	if len(res) > k {
		t.Fatalf("got %d results for k=%d", len(res), k)
	}
	seen := map[uint64]bool{}
	for i, r := range res {
		if seen[r.ID] {
			t.Fatalf("id %d returned twice: %v", r.ID, res)
		}
		seen[r.ID] = true
		if i > 0 {
			p := res[i-1]
			if lessNaN(r.Distance, p.Distance) || (r.Distance == p.Distance && r.ID < p.ID) {
				t.Fatalf("results out of order at %d (want closest first, ties by smaller id): %v", i, res)
			}
		}
		v := vecOf(r.ID)
		if v == nil {
			t.Fatalf("returned id %d which is not in the index: %v", r.ID, res)
		}
		if s.opts.ApproximateDistances {
			continue
		}
		want := ReportedDistance(m, q, v)
		got := float64(r.Distance)
		if math.IsNaN(want) != math.IsNaN(got) || (!math.IsNaN(want) && math.Abs(got-want) > distTol(want)) {
			t.Fatalf("id %d: reported distance %v, exact %s distance is %v", r.ID, got, m, want)
		}
	}
}

// lessNaN orders float32 with NaN after every number.
func lessNaN(a, b float32) bool {
	if b != b {
		return a == a
	}
	return a < b
}

// checkSameAsFlat compares an index's results with flat's: same length, same
// distance at each rank, and every id that is strictly closer than the k-th
// distance present (ties at the boundary may pick different ids only if
// their distances agree within rounding).
func checkSameAsFlat(t *testing.T, what string, got, want []vindex.Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d results, flat gives %d\n got: %v\nwant: %v", what, len(got), len(want), got, want)
	}
	ids := map[uint64]bool{}
	for _, g := range got {
		ids[g.ID] = true
	}
	for i := range want {
		w, g := float64(want[i].Distance), float64(got[i].Distance)
		if g != w && !(math.IsNaN(g) && math.IsNaN(w)) && math.Abs(g-w) > distTol(w) {
			t.Fatalf("%s: rank %d distance %v, flat has %v\n got: %v\nwant: %v", what, i, g, w, got, want)
		}
		boundary := float64(want[len(want)-1].Distance)
		if w < boundary-distTol(boundary) && !ids[want[i].ID] {
			t.Fatalf("%s: missing id %d (distance %v)\n got: %v\nwant: %v", what, want[i].ID, w, got, want)
		}
		if got[i].ID != want[i].ID && math.Abs(g-w) <= distTol(w) && (i+1 >= len(want) || want[i+1].Distance != want[i].Distance) && g == w {
			// Same distance bit for bit but a different id: a tie broken the wrong way.
			if want[i].ID < got[i].ID && !ids[want[i].ID] {
				t.Fatalf("%s: tie at rank %d broken towards id %d, want smaller id %d\n got: %v\nwant: %v", what, i, got[i].ID, want[i].ID, got, want)
			}
		}
	}
}

// vecLookup maps ids to vectors for checkWellFormed.
func vecLookup(dims int, ids []uint64, vecs []float32) func(uint64) []float32 {
	m := make(map[uint64][]float32, len(ids))
	for i, id := range ids {
		m[id] = vecs[i*dims : (i+1)*dims]
	}
	return func(id uint64) []float32 { return m[id] }
}

func (s *suite) testBasics(t *testing.T) {
	const dims = 8
	for _, m := range s.opts.Metrics {
		x := s.newIndex(dims, m)
		if x.Dims() != dims || x.Metric() != m {
			t.Fatalf("Dims()=%d Metric()=%v, want %d %v", x.Dims(), x.Metric(), dims, m)
		}
		q := Clustered(1, 1, dims, 1)
		if res := search(t, x, q, 10, s.opts.Exhaustive); len(res) != 0 {
			t.Fatalf("%v: empty index returned %v", m, res)
		}
		if st := x.Stats(); st.Vectors != 0 {
			t.Fatalf("%v: empty index Stats().Vectors = %d", m, st.Vectors)
		}
		vecs := Clustered(2, 5, dims, 2)
		ids := []uint64{50, 40, 30, 20, 10}
		if err := x.Train(vecs); err != nil {
			t.Fatalf("Train: %v", err)
		}
		mustAdd(t, x, ids, vecs)
		if st := x.Stats(); st.Vectors != 5 {
			t.Fatalf("%v: Stats().Vectors = %d after adding 5", m, st.Vectors)
		}
		// k > n returns everything; k <= 0 returns nothing.
		res := search(t, x, q, 10, s.opts.Exhaustive)
		if len(res) != 5 {
			t.Fatalf("%v: k=10 over 5 vectors returned %d results: %v", m, len(res), res)
		}
		s.checkWellFormed(t, m, q, 10, res, vecLookup(dims, ids, vecs))
		if res := search(t, x, q, 0, s.opts.Exhaustive); len(res) != 0 {
			t.Fatalf("%v: k=0 returned %v", m, res)
		}
		// dst is reused: results are appended to dst[:0].
		dst := make([]vindex.Result, 3, 16)
		dst[0] = vindex.Result{ID: 999, Distance: -1}
		got, err := x.Search(q, 2, s.opts.Exhaustive, dst)
		if err != nil || len(got) != 2 || got[0].ID == 999 {
			t.Fatalf("%v: Search with non-empty dst = %v, %v; want 2 fresh results", m, got, err)
		}
		// Wrong lengths are errors, not panics.
		if _, err := x.Search(q[:dims-1], 3, s.opts.Exhaustive, nil); err == nil {
			t.Fatalf("%v: Search with a %d-dim query on a %d-dim index did not fail", m, dims-1, dims)
		}
		if err := x.Add([]uint64{1, 2}, vecs[:dims+1]); err == nil {
			t.Fatalf("%v: Add with %d values for 2 ids did not fail", m, dims+1)
		}
		// Delete everything: empty again.
		mustDelete(t, x, ids)
		if res := search(t, x, q, 10, s.opts.Exhaustive); len(res) != 0 {
			t.Fatalf("%v: index with every id deleted returned %v", m, res)
		}
	}
}

func (s *suite) testExactSmall(t *testing.T) {
	const dims, n = 16, 300
	vecs := Clustered(11, n, dims, 6)
	ids := SeqIDs(1000, n)
	queries := Clustered(12, 20, dims, 6)
	for _, m := range s.opts.Metrics {
		x, ref := s.build(t, dims, m, ids, vecs)
		for qi := range 20 {
			q := queries[qi*dims : (qi+1)*dims]
			for _, k := range []int{1, 10} {
				got := search(t, x, q, k, s.opts.Exhaustive)
				s.checkWellFormed(t, m, q, k, got, vecLookup(dims, ids, vecs))
				want := search(t, ref, q, k, nil)
				checkSameAsFlat(t, fmt.Sprintf("%v query %d k=%d", m, qi, k), got, want)
			}
		}
	}
}

func (s *suite) testDelete(t *testing.T) {
	const dims, n = 12, 200
	vecs := Clustered(21, n, dims, 5)
	ids := SeqIDs(1, n)
	queries := Clustered(22, 10, dims, 5)
	for _, m := range s.opts.Metrics {
		x, ref := s.build(t, dims, m, ids, vecs)
		var del []uint64
		for i := uint64(1); i <= n; i += 3 {
			del = append(del, i)
		}
		del = append(del, 1_000_000) // unknown: ignored
		mustDelete(t, x, del)
		mustDelete(t, ref, del)
		if got, want := x.Stats().Vectors, n-(len(del)-1); got != want {
			t.Fatalf("%v: Stats().Vectors = %d after deletes, want %d", m, got, want)
		}
		deleted := map[uint64]bool{}
		for _, id := range del {
			deleted[id] = true
		}
		for qi := range 10 {
			q := queries[qi*dims : (qi+1)*dims]
			got := search(t, x, q, 10, s.opts.Exhaustive)
			for _, r := range got {
				if deleted[r.ID] {
					t.Fatalf("%v: deleted id %d returned", m, r.ID)
				}
			}
			checkSameAsFlat(t, fmt.Sprintf("%v after delete, query %d", m, qi), got, search(t, ref, q, 10, nil))
		}
		// A deleted id can come back.
		q := queries[:dims]
		mustAdd(t, x, []uint64{1}, q)
		got := search(t, x, q, 1, s.opts.Exhaustive)
		if len(got) != 1 || got[0].ID != 1 {
			t.Fatalf("%v: re-added id 1 (equal to the query) not found first: %v", m, got)
		}
	}
}

func (s *suite) testFilter(t *testing.T) {
	const dims, n = 10, 300
	vecs := Clustered(31, n, dims, 4)
	ids := SeqIDs(0, n)
	queries := Clustered(32, 10, dims, 4)
	even := func(id uint64) bool { return id%2 == 0 }
	rare := func(id uint64) bool { return id%50 == 7 } // 2% selectivity
	none := func(uint64) bool { return false }
	for _, m := range s.opts.Metrics {
		x, ref := s.build(t, dims, m, ids, vecs)
		for qi := range 10 {
			q := queries[qi*dims : (qi+1)*dims]
			for name, f := range map[string]func(uint64) bool{"even": even, "rare": rare} {
				got := search(t, x, q, 10, withFilter(s.opts.Exhaustive, f))
				for _, r := range got {
					if !f(r.ID) {
						t.Fatalf("%v filter %s: returned rejected id %d", m, name, r.ID)
					}
				}
				s.checkWellFormed(t, m, q, 10, got, vecLookup(dims, ids, vecs))
				want := search(t, ref, q, 10, withFilter(nil, f))
				checkSameAsFlat(t, fmt.Sprintf("%v filter %s query %d", m, name, qi), got, want)
			}
			if got := search(t, x, q, 10, withFilter(s.opts.Exhaustive, none)); len(got) != 0 {
				t.Fatalf("%v: filter rejecting everything returned %v", m, got)
			}
		}
	}
}

func (s *suite) testDuplicates(t *testing.T) {
	const dims = 6
	for _, m := range s.opts.Metrics {
		others := Clustered(41, 100, dims, 3)
		dup := Clustered(42, 1, dims, 1)
		ids := SeqIDs(100, 100)
		vecs := append([]float32(nil), others...)
		// Ten copies of one vector under ids 19, 18, ..., 10 (added in descending order).
		for i := 19; i >= 10; i-- {
			ids = append(ids, uint64(i))
			vecs = append(vecs, dup...)
		}
		x, ref := s.build(t, dims, m, ids, vecs)
		got := search(t, x, dup, 5, s.opts.Exhaustive)
		want := search(t, ref, dup, 5, nil)
		checkSameAsFlat(t, fmt.Sprintf("%v duplicates", m), got, want)
		if m == vindex.L2 || m == vindex.L1 || m == vindex.Cosine {
			// The copies are the 5 closest (distance 0); ties go to smaller ids.
			for i, r := range got {
				if r.ID != uint64(10+i) {
					t.Fatalf("%v: duplicates returned %v, want ids 10..14 in order", m, got)
				}
			}
		}
	}
}

func (s *suite) testReplace(t *testing.T) {
	const dims = 8
	for _, m := range s.opts.Metrics {
		vecs := Clustered(51, 50, dims, 3)
		ids := SeqIDs(0, 50)
		x, ref := s.build(t, dims, m, ids, vecs)
		v2 := Clustered(52, 1, dims, 1)
		for i := range v2 {
			v2[i] += 20 // far from everything else
		}
		mustAdd(t, x, []uint64{7}, v2)
		mustAdd(t, ref, []uint64{7}, v2)
		if got := x.Stats().Vectors; got != 50 {
			t.Fatalf("%v: re-adding id 7 changed Stats().Vectors to %d, want 50", m, got)
		}
		got := search(t, x, v2, 3, s.opts.Exhaustive)
		checkSameAsFlat(t, fmt.Sprintf("%v replaced vector", m), got, search(t, ref, v2, 3, nil))
		if m != vindex.InnerProduct && (len(got) == 0 || got[0].ID != 7) {
			t.Fatalf("%v: query equal to id 7's new vector returned %v, want id 7 first", m, got)
		}
		old := vecs[7*dims : 8*dims]
		got = search(t, x, old, 50, s.opts.Exhaustive)
		checkSameAsFlat(t, fmt.Sprintf("%v old vector of replaced id", m), got, search(t, ref, old, 50, nil))
	}
}

func (s *suite) testPersistence(t *testing.T) {
	const dims, n = 16, 1500 // NB: above annoy's build_threshold of 1000 in its suite
	vecs := Clustered(61, n, dims, 8)
	ids := SeqIDs(5, n)
	queries := Clustered(62, 20, dims, 8)
	for _, m := range s.opts.Metrics {
		x, _ := s.build(t, dims, m, ids, vecs)
		mustDelete(t, x, []uint64{5, 6, 100})
		var buf bytes.Buffer
		if err := x.Save(&buf); err != nil {
			t.Fatalf("%v: Save: %v", m, err)
		}
		y, err := s.load(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%v: load of saved index: %v", m, err)
		}
		if y.Dims() != dims || y.Metric() != m || y.Stats().Vectors != x.Stats().Vectors {
			t.Fatalf("%v: loaded index has Dims %d Metric %v Vectors %d, saved had %d %v %d",
				m, y.Dims(), y.Metric(), y.Stats().Vectors, dims, m, x.Stats().Vectors)
		}
		for _, p := range []*vindex.SearchParams{s.opts.Params, s.opts.Exhaustive} {
			for qi := range 20 {
				q := queries[qi*dims : (qi+1)*dims]
				a, b := search(t, x, q, 10, p), search(t, y, q, 10, p)
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Fatalf("%v query %d: results differ after Save/Load\nbefore: %v\n after: %v", m, qi, a, b)
				}
			}
		}
		// The loaded index keeps working: add and find a new vector.
		nv := Clustered(63, 1, dims, 1)
		mustAdd(t, y, []uint64{99999}, nv)
		if got := search(t, y, nv, 1, s.opts.Exhaustive); m != vindex.InnerProduct && (len(got) != 1 || got[0].ID != 99999) {
			t.Fatalf("%v: vector added after load not found: %v", m, got)
		}
	}
}

func (s *suite) testLoadCorrupt(t *testing.T) {
	const dims = 8
	x, _ := s.build(t, dims, s.opts.Metrics[0], SeqIDs(0, 64), Clustered(71, 64, dims, 2))
	var buf bytes.Buffer
	if err := x.Save(&buf); err != nil {
		t.Fatalf("Save: %v", err)
	}
	full := buf.Bytes()
	r := rand.New(rand.NewPCG(72, 73))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	cases := map[string][]byte{
		"empty":     nil,
		"4 bytes":   full[:min(4, len(full))],
		"half":      full[:len(full)/2],
		"minus one": full[:len(full)-1],
		"garbage":   garbage,
	}
	for name, data := range cases {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("load of %s input panicked: %v", name, p)
				}
			}()
			if _, err := s.load(bytes.NewReader(data)); err == nil {
				t.Fatalf("load of %s input (%d of %d bytes) succeeded; want an error", name, len(data), len(full))
			}
		}()
	}
}

// testRecall measures recall@10 against flat for every metric on the
// clustered dataset, and for inner product also on ScaledClustered, where
// vector norms vary and inner-product order differs from position.
func (s *suite) testRecall(t *testing.T) {
	n, dims := s.opts.RecallN, s.opts.RecallDims
	for _, m := range s.opts.Metrics {
		s.checkRecall(t, m, "clustered", Clustered(81, n, dims, 20), Clustered(82, 50, dims, 20))
		if m == vindex.InnerProduct {
			s.checkRecall(t, m, "clustered with varying norms", ScaledClustered(83, n, dims, 20), ScaledClustered(84, 50, dims, 20))
		}
	}
}

// checkRecall checks recall@10 of one metric on vecs (ids 0..n-1) for the
// queries against MinRecall, and with filters against FilteredMinRecall.
func (s *suite) checkRecall(t *testing.T, m vindex.Metric, data string, vecs, queries []float32) {
	dims := s.opts.RecallDims
	n, nq := len(vecs)/dims, len(queries)/dims
	const k = 10
	ids := SeqIDs(0, n)
	x, ref := s.build(t, dims, m, ids, vecs)
	var sum float64
	for qi := range nq {
		q := queries[qi*dims : (qi+1)*dims]
		got := search(t, x, q, k, s.opts.Params)
		s.checkWellFormed(t, m, q, k, got, vecLookup(dims, ids, vecs))
		sum += RecallAtK(got, search(t, ref, q, k, nil), k)
	}
	recall := sum / float64(nq)
	t.Logf("%v, %s: recall@%d = %.4f over %d vectors of %d dims (floor %.2f)", m, data, k, recall, n, dims, s.opts.MinRecall)
	if recall < s.opts.MinRecall {
		t.Errorf("%v, %s: recall@%d = %.4f, below the floor %.2f", m, data, k, recall, s.opts.MinRecall)
	}
	if s.opts.FilteredMinRecall <= 0 {
		return
	}
	for _, pct := range []uint64{10, 1} {
		f := func(id uint64) bool { return id%100 < pct }
		var fsum float64
		for qi := range nq {
			q := queries[qi*dims : (qi+1)*dims]
			got := search(t, x, q, k, withFilter(s.opts.Params, f))
			for _, r := range got {
				if !f(r.ID) {
					t.Fatalf("%v, %s, %d%% filter: returned rejected id %d", m, data, pct, r.ID)
				}
			}
			fsum += RecallAtK(got, search(t, ref, q, k, withFilter(nil, f)), k)
		}
		fr := fsum / float64(nq)
		t.Logf("%v, %s: recall@%d with a %d%% filter = %.4f (floor %.2f)", m, data, k, pct, fr, s.opts.FilteredMinRecall)
		if fr < s.opts.FilteredMinRecall {
			t.Errorf("%v, %s: recall@%d with a %d%% filter = %.4f, below the floor %.2f", m, data, k, pct, fr, s.opts.FilteredMinRecall)
		}
	}
}

func (s *suite) testConcurrent(t *testing.T) {
	const dims, n, batch = 16, 1200, 20
	m := s.opts.Metrics[0]
	vecs := Clustered(91, n, dims, 10)
	ids := SeqIDs(0, n)
	x := s.newIndex(dims, m)
	if err := x.Train(vecs); err != nil {
		t.Fatalf("Train: %v", err)
	}
	mustAdd(t, x, ids[:batch], vecs[:batch*dims])
	lookup := vecLookup(dims, ids, vecs)
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 4)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := Clustered(uint64(92+w), 1, dims, 1)
			var dst []vindex.Result
			for {
				select {
				case <-done:
					return
				default:
				}
				var err error
				dst, err = x.Search(q, 10, s.opts.Params, dst)
				if err != nil {
					errs <- err
					return
				}
				for i, r := range dst {
					if lookup(r.ID) == nil || (i > 0 && lessNaN(r.Distance, dst[i-1].Distance)) {
						errs <- fmt.Errorf("malformed result during concurrent Add: %v", dst)
						return
					}
				}
			}
		}()
	}
	for b := batch; b < n; b += batch {
		mustAdd(t, x, ids[b:b+batch], vecs[b*dims:(b+batch)*dims])
		if b%(5*batch) == 0 {
			mustDelete(t, x, ids[b-batch:b-batch+2])
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
