package space_test

import (
	"errors"
	"math"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/space"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

var metrics = []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1}

// TestRankingMatchesReference checks that Prepare, then Exact, Batch or
// Gather, then Report give the distance SQL reports (float64 reference),
// for every metric, and that the three ranking forms agree exactly.
func TestRankingMatchesReference(t *testing.T) {
	const dims, n = 19, 40 // odd dims: kernels' tail paths
	raw := vindextest.Clustered(7, n+1, dims, 3)
	for _, m := range metrics {
		s := space.Space{Metric: m}
		data := make([]float32, n*dims)
		for i := range n {
			if s.Prepare(data[i*dims:(i+1)*dims], raw[i*dims:(i+1)*dims]) {
				t.Fatalf("%v: row %d reported as a zero vector", m, i)
			}
		}
		q := make([]float32, dims)
		s.Prepare(q, raw[n*dims:])
		batch := make([]float32, n)
		s.Batch(q, data, dims, batch)
		slots := []uint32{5, 0, 39, 5, 17}
		gather := make([]float32, len(slots))
		s.Gather(q, data, dims, slots, gather)
		for i := range n {
			exact := s.Exact(q, data[i*dims:(i+1)*dims])
			if math.Abs(float64(exact-batch[i])) > 1e-4*math.Max(1, math.Abs(float64(exact))) {
				t.Errorf("%v row %d: Exact %v, Batch %v", m, i, exact, batch[i])
			}
			want := vindextest.ReportedDistance(m, raw[n*dims:], raw[i*dims:(i+1)*dims])
			got := float64(s.Report(exact))
			if math.Abs(got-want) > 1e-3*math.Max(1, math.Abs(want)) {
				t.Errorf("%v row %d: reported %v, want %v", m, i, got, want)
			}
		}
		for j, slot := range slots {
			if e := batch[slot]; math.Abs(float64(e-gather[j])) > 1e-4*math.Max(1, math.Abs(float64(e))) {
				t.Errorf("%v slot %d: Gather %v, Batch %v", m, slot, gather[j], e)
			}
		}
		rs := []vindex.Result{{ID: 1, Distance: 25}, {ID: 2, Distance: 4}}
		s.ReportAll(rs)
		if rs[0].Distance != vindex.ToReported(m, 25) || rs[1].Distance != vindex.ToReported(m, 4) {
			t.Errorf("%v: ReportAll gave %v", m, rs)
		}
	}
}

func TestPrepareCosineZeroAndNormalize(t *testing.T) {
	s := space.Space{Metric: vindex.Cosine}
	dst := make([]float32, 3)
	if !s.Prepare(dst, []float32{0, 0, 0}) {
		t.Fatal("cosine zero vector not reported")
	}
	if (space.Space{Metric: vindex.L2}).Prepare(dst, []float32{0, 0, 0}) {
		t.Fatal("L2 zero vector reported as not indexable")
	}
	v := []float32{3, 0, 4}
	if n := space.Normalize(v); n != 5 || v[0] != 0.6 || v[2] != 0.8 {
		t.Fatalf("Normalize: norm %v, v %v; want 5, [0.6 0 0.8]", n, v)
	}
	inf := []float32{float32(math.Inf(1)), 1}
	if n := space.Normalize(inf); !math.IsInf(float64(n), 1) || inf[1] != 1 {
		t.Fatalf("Normalize of an infinite vector changed it: %v (norm %v)", inf, n)
	}
}

func TestChecks(t *testing.T) {
	nan := float32(math.NaN())
	for _, tc := range []struct {
		name string
		err  error
		msg  string
	}{
		{"add ok", space.CheckAdd(2, 2, []float32{1, 2, 3, 4}), ""},
		{"add ragged", space.CheckAdd(3, 2, []float32{1, 2, 3, 4}), "expected 3 dimensions, not 2"},
		{"add no ids", space.CheckAdd(3, 0, []float32{1, 2}), "expected 3 dimensions, not 2"},
		{"add nan", space.CheckAdd(2, 1, []float32{1, nan}), "NaN or infinity not allowed in vector"},
		{"query ok", space.CheckQuery(2, []float32{1, 2}), ""},
		{"query dims", space.CheckQuery(3, []float32{1, 2}), "different vector dimensions 3 and 2"},
		{"query inf", space.CheckQuery(1, []float32{float32(math.Inf(-1))}), "NaN or infinity not allowed in vector"},
		{"finite", space.CheckFinite([]float32{0, -1}), ""},
	} {
		if tc.msg == "" {
			if tc.err != nil {
				t.Errorf("%s: unexpected error %v", tc.name, tc.err)
			}
			continue
		}
		var pe *pgerr.Error
		if !errors.As(tc.err, &pe) || pe.Code != pgerr.DataException || pe.Message != tc.msg {
			t.Errorf("%s: got %#v, want 22000 %q", tc.name, tc.err, tc.msg)
		}
	}
}
