package vindex_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/flat"
)

func TestRegistry(t *testing.T) {
	reg := vindex.NewRegistry()
	reg.Register("flat", flat.NewWithParams, flat.LoadIndex)
	reg.Register("broken",
		func(int, vindex.Metric, map[string]string) (vindex.Index, error) { return nil, errors.New("bad m") },
		func(io.Reader) (vindex.Index, error) { return nil, errors.New("bad file") })
	if got := strings.Join(reg.Names(), ","); got != "broken,flat" {
		t.Fatalf("Names = %s", got)
	}
	x, err := reg.New("FLAT", 3, vindex.Cosine, nil)
	if err != nil || x.Dims() != 3 || x.Metric() != vindex.Cosine {
		t.Fatalf("New(flat) = %v, %v", x, err)
	}
	if _, err := reg.New("hnsw", 3, vindex.L2, nil); err == nil || !strings.Contains(err.Error(), "known: broken, flat") {
		t.Fatalf("New(unknown) error = %v", err)
	}
	if _, err := reg.New("broken", 3, vindex.L2, nil); err == nil || err.Error() != "broken: bad m" {
		t.Fatalf("constructor error = %v", err)
	}
	if _, err := reg.New("flat", 0, vindex.L2, nil); err == nil {
		t.Fatal("New with 0 dims succeeded")
	}
	var sb strings.Builder
	x.Save(&sb)
	y, err := reg.Load("flat", strings.NewReader(sb.String()))
	if err != nil || y.Dims() != 3 {
		t.Fatalf("Load = %v, %v", y, err)
	}
	if _, err := reg.Load("broken", strings.NewReader("")); err == nil {
		t.Fatal("Load(broken) succeeded")
	}
}

func TestParseParamsAndMetric(t *testing.T) {
	p, err := vindex.ParseParams(" M=16, ef_construction = 200 ,")
	if err != nil || len(p) != 2 || p["m"] != "16" || p["ef_construction"] != "200" {
		t.Fatalf("ParseParams = %v, %v", p, err)
	}
	for _, bad := range []string{"m", "=3", "m=1,x"} {
		if _, err := vindex.ParseParams(bad); err == nil {
			t.Errorf("ParseParams(%q) succeeded", bad)
		}
	}
	for _, m := range []vindex.Metric{vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1, vindex.Hamming, vindex.Jaccard} {
		got, err := vindex.ParseMetric(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMetric(%q) = %v, %v", m.String(), got, err)
		}
	}
	if m, _ := vindex.ParseMetric("vector_cosine_ops"); m != vindex.Cosine {
		t.Error("vector_cosine_ops is not Cosine")
	}
	if _, err := vindex.ParseMetric("chebyshev"); err == nil {
		t.Error("ParseMetric(chebyshev) succeeded")
	}
	if vindex.ToReported(vindex.L2, 25) != 5 || vindex.ToReported(vindex.InnerProduct, -3) != -3 {
		t.Error("ToReported")
	}
}
