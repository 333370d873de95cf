package hnsw

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// checkAugmentation verifies the layout and mips.go's invariant: Dims()
// is the user's dimension, the stride adds one coordinate for inner
// product only, normBound covers every stored vector and each stored
// slot's extra coordinate is sqrt(M²-|x|²), so all stored vectors have
// norm M.
func checkAugmentation(t *testing.T, ix *Index) {
	t.Helper()
	want := ix.dims
	if ix.metric == vindex.InnerProduct {
		want++
	}
	if ix.Dims() != ix.dims || ix.stride != want {
		t.Fatalf("%v: Dims()=%d stride=%d, want dims %d stride %d", ix.metric, ix.Dims(), ix.stride, ix.dims, want)
	}
	if ix.metric != vindex.InnerProduct {
		if ix.normBound != 0 {
			t.Fatalf("%v: norm bound %v set", ix.metric, ix.normBound)
		}
		return
	}
	m2 := ix.normBound * ix.normBound
	for s := 0; s < ix.nslots; s++ {
		if ix.flags[s]&flagFree != 0 {
			continue
		}
		x := ix.userVec(uint32(s))
		x2 := float64(distance.Dot(x, x))
		a := float64(ix.vec(uint32(s))[ix.dims])
		if x2 > m2*(1+1e-6) {
			t.Fatalf("slot %d: |x|=%v above the norm bound %v", s, math.Sqrt(x2), ix.normBound)
		}
		if a < 0 || math.Abs(a*a+x2-m2) > 1e-4*m2 {
			t.Fatalf("slot %d: |x|²=%v a=%v: |x'|²=%v, want M²=%v", s, x2, a, a*a+x2, m2)
		}
	}
}

// scaledVecs returns n random vectors whose norms spread over a factor
// of about 40 (row i scaled by scales[i%len(scales)]).
func scaledVecs(r *rand.Rand, n, dims int, scales ...float32) []float32 {
	v := randVecs(r, n, dims)
	for i := range v {
		v[i] *= scales[(i/dims)%len(scales)]
	}
	return v
}

// checkExactIP compares Search at an exhaustive ef with brute-force -q·x
// over (ids, vecs) restricted to keep: same ids in the same order, same
// distances within float rounding.
func checkExactIP(t *testing.T, ix *Index, ids []uint64, vecs []float32, q []float32, keep func(uint64) bool) {
	t.Helper()
	const k = 10
	want := exactKNN(vindex.InnerProduct, vecs, ix.dims, ids, q, k, keep)
	got, err := ix.Search(q, k, &vindex.SearchParams{EfSearch: len(ids), Filter: keep}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d", len(got), len(want))
	}
	for i := range got {
		w := float64(want[i].Distance)
		if got[i].ID != want[i].ID || math.Abs(float64(got[i].Distance)-w) > 1e-5*(1+math.Abs(w)) {
			t.Fatalf("rank %d: got %v, want %v\n got: %v\nwant: %v", i, got[i], want[i], got, want)
		}
	}
}

// TestInnerProductExact builds an inner-product index in three batches of
// increasing norms (serial, parallel, serial) and checks after each that
// the augmentation invariant holds, that stored vectors are returned
// un-augmented, and that exhaustive searches (plain, filtered, through
// the Iterator) equal brute-force -q·x.
func TestInnerProductExact(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	const dims = 10
	ix := mustNew(t, dims, vindex.InnerProduct, map[string]string{"m": "8", "ef_construction": "64", "seed": "5"})
	var ids []uint64
	var vecs []float32
	prevBound := 0.0
	for bi, b := range []struct {
		n      int
		scales []float32
	}{
		{40, []float32{0.5, 1}},
		{300, []float32{0.1, 1, 3, 6}}, // ≥ parallelMin: the parallel build
		{60, []float32{0.2, 20}},
	} {
		bv := scaledVecs(r, b.n, dims, b.scales...)
		bids := make([]uint64, b.n)
		for i := range bids {
			bids[i] = uint64(10_000 + len(ids) + i)
		}
		if err := ix.Add(bids, bv); err != nil {
			t.Fatal(err)
		}
		ids, vecs = append(ids, bids...), append(vecs, bv...)
		checkAugmentation(t, ix)
		if bi > 0 && ix.normBound <= prevBound {
			t.Fatalf("batch %d holds longer vectors; norm bound stayed %v", bi, ix.normBound)
		}
		prevBound = ix.normBound
		for i, id := range ids {
			if got := ix.userVec(ix.idSlot[id]); !slices.Equal(got, vecs[i*dims:(i+1)*dims]) {
				t.Fatalf("id %d stored as %v, added as %v", id, got, vecs[i*dims:(i+1)*dims])
			}
		}
		for qi := 0; qi < 15; qi++ {
			q := scaledVecs(r, 1, dims, []float32{0.1, 1, 50}[qi%3])
			checkExactIP(t, ix, ids, vecs, q, nil)
			checkExactIP(t, ix, ids, vecs, q, func(id uint64) bool { return id%3 == 0 })
		}
	}
	// The iterator's first batch with ef ≥ n is the whole index in order.
	q := randVecs(r, 1, dims)
	want := exactKNN(vindex.InnerProduct, vecs, dims, ids, q, len(ids), nil)
	it, err := ix.NewIterator(q, &vindex.SearchParams{EfSearch: len(ids)})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	got, err := it.Next(nil)
	if err != nil || len(got) != len(want) {
		t.Fatalf("iterator: %d results (%v), want %d", len(got), err, len(want))
	}
	for i := range got {
		w := float64(want[i].Distance)
		if got[i].ID != want[i].ID || math.Abs(float64(got[i].Distance)-w) > 1e-5*(1+math.Abs(w)) {
			t.Fatalf("iterator rank %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := ix.Search(make([]float32, dims+1), 3, nil, nil); !errors.Is(err, ErrDims) {
		t.Fatalf("query of stride length accepted: %v", err)
	}
}

// TestNormBound checks how M follows the data: set from the first batch
// with headroom, unchanged by shorter vectors, raised by a longer one
// (rewriting the older slots' coordinate), and correct from an index of
// zero vectors (M = 0).
func TestNormBound(t *testing.T) {
	ix := mustNew(t, 2, vindex.InnerProduct, nil)
	add := func(id uint64, v ...float32) {
		t.Helper()
		if err := ix.Add([]uint64{id}, v); err != nil {
			t.Fatal(err)
		}
		checkAugmentation(t, ix)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-5*want {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
	aug := func(id uint64) float64 { return float64(ix.vec(ix.idSlot[id])[2]) }
	add(1, 0, 0)
	if ix.normBound != 0 || aug(1) != 0 {
		t.Fatalf("zero vectors only: M=%v a=%v", ix.normBound, aug(1))
	}
	add(2, 3, 4) // |x| = 5
	near("M", ix.normBound, 5*normHeadroom)
	near("a(zero vector)", aug(1), 5*normHeadroom)
	near("a(longest)", aug(2), math.Sqrt(25*normHeadroom*normHeadroom-25))
	add(3, 0, 5*normHeadroom) // exactly M: no rewrite, a = 0
	near("M unchanged", ix.normBound, 5*normHeadroom)
	if a := aug(3); a > 1e-3 {
		t.Fatalf("vector of norm M: a = %v", a)
	}
	add(4, 0, -60)
	near("M raised", ix.normBound, 60*normHeadroom)
	near("a(2) rewritten", aug(2), math.Sqrt(3600*normHeadroom*normHeadroom-25))
	res, _ := ix.Search([]float32{1, 1}, 4, nil, nil)
	want := []vindex.Result{{ID: 2, Distance: -7}, {ID: 3, Distance: -5 * normHeadroom}, {ID: 1, Distance: 0}, {ID: 4, Distance: 60}}
	if len(res) != 4 {
		t.Fatalf("got %v, want %v", res, want)
	}
	for i := range res {
		if res[i].ID != want[i].ID || math.Abs(float64(res[i].Distance-want[i].Distance)) > 1e-5 {
			t.Fatalf("got %v, want %v", res, want)
		}
	}
}

// TestInnerProductDeleteRepair deletes a third of a norm-varied index,
// repairs it (lists rebuilt with the augmented metric), then refills the
// freed slots with much longer vectors.
func TestInnerProductDeleteRepair(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	const n, dims = 1500, 16
	vecs := scaledVecs(r, n, dims, 0.3, 1, 2, 4)
	ids := seqIDs(n)
	ix := mustNew(t, dims, vindex.InnerProduct, map[string]string{"seed": "2"})
	ix.RepairFraction = 0
	if err := ix.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	var del []uint64
	for i := 0; i < n; i += 3 {
		del = append(del, uint64(i))
	}
	if err := ix.Delete(del); err != nil {
		t.Fatal(err)
	}
	keep := func(id uint64) bool { return id%3 != 0 }
	// NB: the parallel build interleaves differently from run to run; over
	// 50 builds recall was 1.000 in most, down to 0.938 with tombstones
	// and 0.975 repaired in the worst (filtered walks through a third of
	// the graph deleted). Exactness is checked below at exhaustive ef.
	const efCheck = 128
	recall := func(stage string, floor float64) {
		t.Helper()
		var sum float64
		const nq = 40
		for qi := 0; qi < nq; qi++ {
			q := randVecs(r, 1, dims)
			res, _ := ix.Search(q, 10, &vindex.SearchParams{EfSearch: efCheck}, nil)
			got := make([]uint64, len(res))
			for i, x := range res {
				if !keep(x.ID) && x.ID < n {
					t.Fatalf("%s: deleted id %d returned", stage, x.ID)
				}
				got[i] = x.ID
			}
			var w []int32
			for _, x := range exactKNN(vindex.InnerProduct, vecs, dims, ids, q, 10, keep) {
				w = append(w, int32(x.ID))
			}
			sum += recallAt(got, w, 10)
		}
		t.Logf("%s: recall@10 at ef %d = %.3f", stage, efCheck, sum/nq)
		if sum/nq < floor {
			t.Fatalf("%s: recall@10 %.3f < %.2f", stage, sum/nq, floor)
		}
	}
	recall("tombstones", 0.9)
	ix.Repair()
	if err := ix.checkLinks(); err != nil {
		t.Fatal(err)
	}
	checkAugmentation(t, ix)
	recall("repaired", 0.9)
	for qi := 0; qi < 10; qi++ {
		checkExactIP(t, ix, ids, vecs, randVecs(r, 1, dims), keep)
	}
	// Refill the freed slots with vectors 10x longer than any before.
	before, bound := ix.nslots, ix.normBound
	nv := scaledVecs(r, 200, dims, 40)
	nids := make([]uint64, 200)
	for i := range nids {
		nids[i] = uint64(n + i)
	}
	if err := ix.Add(nids, nv); err != nil {
		t.Fatal(err)
	}
	if ix.nslots != before || ix.normBound <= bound {
		t.Fatalf("slots %d -> %d, norm bound %v -> %v", before, ix.nslots, bound, ix.normBound)
	}
	checkAugmentation(t, ix)
	allIDs, allVecs := append(slices.Clone(ids), nids...), append(slices.Clone(vecs), nv...)
	all := func(id uint64) bool { return id >= n || keep(id) }
	for qi := 0; qi < 10; qi++ {
		checkExactIP(t, ix, allIDs, allVecs, randVecs(r, 1, dims), all)
	}
}

// TestPersistInnerProduct: a version-2 image keeps M and the augmented
// vectors bit for bit; Load rejects a bad norm bound or a negative
// augmentation coordinate.
func TestPersistInnerProduct(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	const n, dims = 600, 12
	ix := mustNew(t, dims, vindex.InnerProduct, map[string]string{"m": "8", "ef_construction": "32"})
	ix.RepairFraction = 0
	if err := ix.Add(seqIDs(n), scaledVecs(r, n, dims, 0.5, 2, 5)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete([]uint64{4, 9}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ix.Save(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if v := binary.LittleEndian.Uint32(raw[8:]); v != 2 {
		t.Fatalf("saved format version %d, want 2", v)
	}
	ix2, err := Load(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if ix2.normBound != ix.normBound || ix2.Dims() != dims || ix2.stride != dims+1 {
		t.Fatalf("loaded M %v dims %d stride %d; saved M %v", ix2.normBound, ix2.Dims(), ix2.stride, ix.normBound)
	}
	for s := 0; s < ix.nslots; s++ {
		if !slices.Equal(ix.vec(uint32(s)), ix2.vec(uint32(s))) {
			t.Fatalf("slot %d: saved %v, loaded %v", s, ix.vec(uint32(s)), ix2.vec(uint32(s)))
		}
	}
	checkAugmentation(t, ix2)
	for qi := 0; qi < 20; qi++ {
		q := randVecs(r, 1, dims)
		a, _ := ix.Search(q, 10, nil, nil)
		b, _ := ix2.Search(q, 10, nil, nil)
		if !slices.Equal(a, b) {
			t.Fatalf("results differ after load:\n%v\n%v", a, b)
		}
	}
	// Header: 53 bytes, then the norm bound; slot 0's vector follows its
	// 10-byte id/flags/level prefix.
	const boundAt, slot0Aug = 53, 61 + 10 + dims*4
	for name, patch := range map[string]func(b []byte){
		"NaN bound":        func(b []byte) { binary.LittleEndian.PutUint64(b[boundAt:], math.Float64bits(math.NaN())) },
		"negative bound":   func(b []byte) { binary.LittleEndian.PutUint64(b[boundAt:], math.Float64bits(-1)) },
		"negative a":       func(b []byte) { binary.LittleEndian.PutUint32(b[slot0Aug:], math.Float32bits(-2)) },
		"infinite element": func(b []byte) { binary.LittleEndian.PutUint32(b[slot0Aug-4:], math.Float32bits(float32(math.Inf(1)))) },
	} {
		bad := slices.Clone(raw)
		patch(bad)
		if _, err := Load(bytes.NewReader(bad)); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("%s: Load returned %v, want ErrCorrupt", name, err)
		}
	}
}

// v1Vectors regenerates the vectors behind testdata/v1_ip.hnsw, which
// the format-1 code (commit ca2edba) wrote: ids 0..199 from
// Clustered(501, 200, 8, 4) with row i scaled by 1+i%4; ids 1, 2, 3
// deleted and repaired; ids 1000, 1001 from Clustered(502, 2, 8, 1)
// reusing two freed slots; id 5 deleted (a tombstone). Its m is 6,
// ef_construction 24, seed 7. testdata/v1_ip.results holds that code's
// Search(q, 10, nil) for the queries Clustered(503, 5, 8, 4), one line
// per query of id:distance pairs.
func v1Vectors() (ids []uint64, vecs []float32) {
	const n, dims = 200, 8
	vecs = vindextest.Clustered(501, n, dims, 4)
	for i := range vecs {
		vecs[i] *= float32(1 + (i/dims)%4)
	}
	ids = seqIDs(n)
	return append(ids, 1000, 1001), append(vecs, vindextest.Clustered(502, 2, dims, 1)...)
}

// TestLoadFormatV1InnerProduct loads a format-1 inner-product image
// (stored without augmentation), checks it is augmented on load, answers
// exactly as the code that wrote it did, keeps growing, and is saved as
// version 2.
func TestLoadFormatV1InnerProduct(t *testing.T) {
	raw, err := os.ReadFile("testdata/v1_ip.hnsw")
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(raw[8:]); v != 1 {
		t.Fatalf("testdata image has version %d, want 1", v)
	}
	ix, err := Load(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	const dims = 8
	if ix.Dims() != dims || ix.Metric() != vindex.InnerProduct || ix.M() != 6 || ix.EfConstruction() != 24 {
		t.Fatalf("options: dims %d metric %v m %d efc %d", ix.Dims(), ix.Metric(), ix.M(), ix.EfConstruction())
	}
	if st := ix.Stats(); st.Vectors != 198 || st.Deleted != 1 {
		t.Fatalf("stats %+v, want 198 live, 1 tombstone", st)
	}
	checkAugmentation(t, ix)
	ids, vecs := v1Vectors()
	live := func(id uint64) bool { return id != 1 && id != 2 && id != 3 && id != 5 }
	var maxNorm float64
	for i, id := range ids {
		x := vecs[i*dims : (i+1)*dims]
		maxNorm = math.Max(maxNorm, math.Sqrt(float64(distance.Dot(x, x))))
		if !live(id) {
			continue
		}
		if got := ix.userVec(ix.idSlot[id]); !slices.Equal(got, x) {
			t.Fatalf("id %d loaded as %v, want %v", id, got, x)
		}
	}
	if math.Abs(ix.normBound-maxNorm*normHeadroom) > 1e-4*maxNorm {
		t.Fatalf("norm bound %v, want %v·%v", ix.normBound, maxNorm, normHeadroom)
	}
	wantLines, err := os.ReadFile("testdata/v1_ip.results")
	if err != nil {
		t.Fatal(err)
	}
	queries := vindextest.Clustered(503, 5, dims, 4)
	checkRecorded := func(ix *Index) {
		t.Helper()
		for qi, line := range strings.Split(strings.TrimSpace(string(wantLines)), "\n") {
			got, _ := ix.Search(queries[qi*dims:(qi+1)*dims], 10, nil, nil)
			fields := strings.Fields(line)
			if len(got) != len(fields) {
				t.Fatalf("query %d: %d results, recorded %d", qi, len(got), len(fields))
			}
			for i, f := range fields {
				id, d, _ := strings.Cut(f, ":")
				wid, _ := strconv.ParseUint(id, 10, 64)
				wd, _ := strconv.ParseFloat(d, 32)
				if got[i].ID != wid || math.Abs(float64(got[i].Distance)-wd) > 1e-5*math.Abs(wd) {
					t.Fatalf("query %d rank %d: got %v, recorded %s\n got: %v\nwant: %s", qi, i, got[i], f, got, line)
				}
			}
		}
	}
	checkRecorded(ix)
	for qi := 0; qi < 5; qi++ {
		checkExactIP(t, ix, ids, vecs, queries[qi*dims:(qi+1)*dims], live)
	}
	// Saved again it is a version-2 image that answers the same.
	var buf bytes.Buffer
	if err := ix.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(buf.Bytes()[8:]); v != 2 {
		t.Fatalf("re-saved as version %d", v)
	}
	ix2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	checkRecorded(ix2)
	// It keeps growing: longer vectors raise M over the loaded slots.
	r := rand.New(rand.NewPCG(27, 28))
	nv := scaledVecs(r, 50, dims, 30)
	nids := make([]uint64, 50)
	for i := range nids {
		nids[i] = uint64(2000 + i)
	}
	if err := ix2.Add(nids, nv); err != nil {
		t.Fatal(err)
	}
	checkAugmentation(t, ix2)
	allIDs, allVecs := append(ids, nids...), append(vecs, nv...)
	all := func(id uint64) bool { return id >= 2000 || live(id) }
	for qi := 0; qi < 10; qi++ {
		checkExactIP(t, ix2, allIDs, allVecs, randVecs(r, 1, dims), all)
	}
}

// FuzzLoad: Load never panics (nor allocates for a corrupt slot count);
// what it accepts is searchable. Seeds: the format-1 image and version-2
// images of each metric.
func FuzzLoad(f *testing.F) {
	if raw, err := os.ReadFile("testdata/v1_ip.hnsw"); err == nil {
		f.Add(raw)
	}
	r := rand.New(rand.NewPCG(29, 30))
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1} {
		ix := mustNew(f, 4, m, map[string]string{"m": "2", "ef_construction": "4"})
		ix.RepairFraction = 0
		_ = ix.Add(seqIDs(12), randVecs(r, 12, 4))
		_ = ix.Delete([]uint64{3})
		var buf bytes.Buffer
		if err := ix.Save(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if ix.Dims() > 1<<12 {
			return // valid, but too large to search quickly here
		}
		q := make([]float32, ix.Dims())
		for i := range q {
			q[i] = float32(i%3) - 1
		}
		if _, err := ix.Search(q, 5, &vindex.SearchParams{EfSearch: 20}, nil); err != nil {
			t.Fatal(err)
		}
	})
}

// TestInnerProductRecallShapes pins inner-product recall@10 at ef_search
// 128 on three data shapes, each failed by one simpler construction (see
// the table in mips.go): building on -x·y alone (the format-1 code)
// scored 0.93 on "clustered" and 0.965 on "scaled"; building on the
// augmented metric alone 0.89 on "scaled" and 0.87–0.90 on "tiers".
// Measured with the mixed construction over 25 builds, most beside a
// CPU-heavy benchmark: clustered 0.966–0.990, scaled 0.996–1.000, tiers
// 0.990–0.996.
func TestInnerProductRecallShapes(t *testing.T) {
	const nq = 50
	clustered := func() (int, []float32, []float32) {
		return 32, vindextest.Clustered(81, 2000, 32, 20), vindextest.Clustered(82, nq, 32, 20)
	}
	scaled := func() (int, []float32, []float32) {
		dims, v, q := clustered()
		for i := range v {
			v[i] *= []float32{0.5, 1, 2}[(i/dims)%3]
		}
		return dims, v, q
	}
	tiers := func() (int, []float32, []float32) {
		return 16, scaledVecs(rand.New(rand.NewPCG(23, 24)), 1500, 16, 0.3, 1, 2, 4),
			randVecs(rand.New(rand.NewPCG(1, 1)), nq, 16)
	}
	for _, tc := range []struct {
		name  string
		data  func() (dims int, vecs, queries []float32)
		floor float64
	}{
		{"clustered", clustered, 0.95},
		{"scaled", scaled, 0.97},
		{"tiers", tiers, 0.97},
	} {
		dims, vecs, queries := tc.data()
		n := len(vecs) / dims
		ids := seqIDs(n)
		ix := mustNew(t, dims, vindex.InnerProduct, map[string]string{"m": "16", "ef_construction": "64", "seed": "1"})
		if err := ix.Add(ids, vecs); err != nil {
			t.Fatal(err)
		}
		var sum float64
		for qi := 0; qi < nq; qi++ {
			q := queries[qi*dims : (qi+1)*dims]
			res, _ := ix.Search(q, 10, &vindex.SearchParams{EfSearch: 128}, nil)
			got := make([]uint64, len(res))
			for i, x := range res {
				got[i] = x.ID
			}
			var w []int32
			for _, x := range exactKNN(vindex.InnerProduct, vecs, dims, ids, q, 10, nil) {
				w = append(w, int32(x.ID))
			}
			sum += recallAt(got, w, 10)
		}
		t.Logf("%s: recall@10 at ef 128 = %.3f (floor %.2f)", tc.name, sum/nq, tc.floor)
		if sum/nq < tc.floor {
			t.Errorf("%s: recall@10 at ef 128 = %.3f, below the floor %.2f", tc.name, sum/nq, tc.floor)
		}
	}
}
