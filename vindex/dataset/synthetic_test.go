package dataset

import (
	"slices"
	"testing"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// TestOpenNamedSynthetic checks a generated dataset's shape, that it is
// deterministic, and that its ground truth is the exact nearest order.
func TestOpenNamedSynthetic(t *testing.T) {
	d, err := OpenNamed("synthetic:3000x24", "l2")
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 3000 || d.Dims != 24 || d.NQ != 100 || d.TruthK != 100 || len(d.Base) != 3000*24 ||
		len(d.Queries) != 100*24 || len(d.Truth) != 100*100 || d.Name != "synthetic-3000x24" || d.Metric != vindex.L2 {
		t.Fatalf("got %s N=%d dims=%d NQ=%d TruthK=%d", d.Name, d.N, d.Dims, d.NQ, d.TruthK)
	}
	again, _ := OpenNamed("synthetic:3000x24", "l2")
	if !slices.Equal(d.Base, again.Base) || !slices.Equal(d.Queries, again.Queries) {
		t.Fatal("two generations differ")
	}
	if slices.Equal(d.Queries, d.Base[:len(d.Queries)]) {
		t.Fatal("queries repeat the base vectors")
	}
	for q := 0; q < d.NQ; q += 17 {
		row := d.TruthRow(q)
		dist := func(i int32) float32 { return distance.L2Squared(d.Query(q), d.Base[int(i)*24:int(i+1)*24]) }
		// Nearest first, and nothing outside the row is nearer than its last.
		for i := 1; i < len(row); i++ {
			if dist(row[i-1]) > dist(row[i]) {
				t.Fatalf("query %d: truth not in distance order at %d", q, i)
			}
		}
		last := dist(row[len(row)-1])
		for i := int32(0); i < int32(d.N); i++ {
			if dist(i) < last && !slices.Contains(row, i) {
				t.Fatalf("query %d: base %d (%g) is nearer than the truth's last (%g) but missing", q, i, dist(i), last)
			}
		}
	}
}

func TestOpenNamedSyntheticErrors(t *testing.T) {
	for _, name := range []string{"synthetic:", "synthetic:100", "synthetic:0x8", "synthetic:10x0",
		"synthetic:axb", "synthetic:10x70000", "synthetic:-1x8"} {
		if _, err := OpenNamed(name, "l2"); err == nil {
			t.Errorf("OpenNamed(%q) succeeded", name)
		}
	}
	if _, err := OpenNamed("synthetic:10x8", "hamming"); err == nil {
		t.Error("a bit metric was accepted for float vectors")
	}
}
