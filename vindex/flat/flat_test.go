package flat_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

func TestConformance(t *testing.T) {
	vindextest.RunSuite(t,
		func(dims int, m vindex.Metric) vindex.Index { return flat.New(dims, m) },
		flat.LoadIndex,
		vindextest.SuiteOptions{MinRecall: 1})
}

func TestSearchParallelMatchesSearch(t *testing.T) {
	const dims, n = 64, 5000 // 320k values: above the parallel threshold
	vecs := vindextest.Clustered(1, n, dims, 10)
	queries := vindextest.Clustered(2, 10, dims, 10)
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1} {
		x := flat.New(dims, m)
		if err := x.Add(vindextest.SeqIDs(0, n), vecs); err != nil {
			t.Fatal(err)
		}
		for q := range 10 {
			qv := queries[q*dims : (q+1)*dims]
			p := &vindex.SearchParams{Filter: func(id uint64) bool { return id%3 != 0 }}
			a, _ := x.Search(qv, 25, p, nil)
			b, _ := x.SearchParallel(qv, 25, p, nil, 2)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("%v query %d: parallel %v\nserial %v", m, q, b, a)
			}
			x.SetSearchWorkers(3)
			c, _ := x.Search(qv, 25, p, nil)
			x.SetSearchWorkers(1)
			if fmt.Sprint(a) != fmt.Sprint(c) {
				t.Fatalf("%v query %d: Search on 3 workers %v\nserial %v", m, q, c, a)
			}
		}
	}
}

func TestZeroVectorCosineSortsLast(t *testing.T) {
	x := flat.New(2, vindex.Cosine)
	if err := x.Add([]uint64{1, 2, 3}, []float32{0, 0, 1, 0, 0, 1}); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search([]float32{1, 1}, 3, nil, nil)
	if err != nil || len(res) != 3 {
		t.Fatalf("Search = %v, %v", res, err)
	}
	if res[0].ID != 2 || res[1].ID != 3 || res[2].ID != 1 || !math.IsNaN(float64(res[2].Distance)) {
		t.Fatalf("got %v; want ids 2, 3 (tie by id) then zero vector 1 with NaN", res)
	}
}

func TestRejects(t *testing.T) {
	x := flat.New(2, vindex.L2)
	if err := x.Add([]uint64{1}, []float32{1, float32(math.NaN())}); err == nil {
		t.Error("Add with NaN succeeded")
	}
	if err := x.Add([]uint64{1}, []float32{float32(math.Inf(1)), 0}); err == nil {
		t.Error("Add with +Inf succeeded")
	}
	if _, err := flat.NewWithParams(2, vindex.L2, map[string]string{"m": "3"}); err == nil {
		t.Error("NewWithParams with an unknown parameter succeeded")
	}
	var buf bytes.Buffer
	x.Save(&buf)
	b := buf.Bytes()
	b[8] = 9 // version
	if _, err := flat.Load(bytes.NewReader(b)); !errors.Is(err, flat.ErrFormat) {
		t.Errorf("Load of version 9: %v, want ErrFormat", err)
	}
}

func TestSiftsmallRecall(t *testing.T) {
	dir, err := dataset.SharedDir("siftsmall")
	if err != nil {
		t.Fatal(err)
	}
	for _, metric := range []string{"l2", "cosine"} {
		d, err := dataset.Open(dir, metric)
		if err != nil {
			t.Fatal(err)
		}
		x := flat.New(d.Dims, d.Metric)
		if err := x.Add(vindextest.SeqIDs(0, d.N), d.Base); err != nil {
			t.Fatal(err)
		}
		var sum float64
		var res []vindex.Result
		for q := range d.NQ {
			res, _ = x.Search(d.Query(q), 10, nil, res)
			sum += dataset.Recall(res, d.TruthRow(q), 10)
		}
		// Exact search: only ties at the 10th place (broken the same way) could differ.
		if r := sum / float64(d.NQ); r < 0.999 {
			t.Errorf("%s: flat recall@10 = %v against the ground truth, want 1", metric, r)
		}
	}
}

// FuzzLoad: any bytes either load into a consistent index or give an error.
func FuzzLoad(f *testing.F) {
	x := flat.New(3, vindex.Cosine)
	x.Add([]uint64{1, 9}, []float32{1, 2, 3, 0, 0, 1})
	var buf bytes.Buffer
	x.Save(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("VGFLAT\x00\x00\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		y, err := flat.Load(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if _, err := y.Search(make([]float32, y.Dims()), 3, nil, nil); err != nil {
			t.Fatalf("loaded index fails to search: %v", err)
		}
	})
}
