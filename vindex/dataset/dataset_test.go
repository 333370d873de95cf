package dataset

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/vecgres/vecgres/vindex"
)

func siftsmall(t testing.TB) string {
	t.Helper()
	dir, err := SharedDir("siftsmall")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOpenSiftsmall(t *testing.T) {
	d, err := Open(siftsmall(t), "l2")
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 10000 || d.Dims != 128 || d.NQ != 100 || d.TruthK != 100 || d.TruthComputed {
		t.Fatalf("siftsmall: N=%d dims=%d NQ=%d truthK=%d computed=%v", d.N, d.Dims, d.NQ, d.TruthK, d.TruthComputed)
	}
	// The ground-truth file agrees with an exact scan of our own (recall@10 = 1
	// on every query, up to ties at the 10th place).
	truth := ExactTruth(vindex.L2, d.Dims, d.Base, d.Queries[:10*d.Dims], 10)
	for q := range 10 {
		got := make([]vindex.Result, 10)
		for i := range got {
			got[i].ID = uint64(truth[q*10+i])
		}
		if r := Recall(got, d.TruthRow(q), 10); r < 0.9 {
			t.Fatalf("query %d: exact scan vs gt_l2.ivecs recall@10 = %v", q, r)
		}
	}
}

func TestOpenComputesMissingTruth(t *testing.T) {
	d, err := Open(siftsmall(t), "ip")
	if err != nil {
		t.Fatal(err)
	}
	if !d.TruthComputed || d.TruthK != 100 || len(d.Truth) != 100*100 {
		t.Fatalf("ip truth: computed=%v k=%d len=%d", d.TruthComputed, d.TruthK, len(d.Truth))
	}
	// Nearest by inner product has the largest dot product.
	q, best := d.Query(0), d.TruthRow(0)[0]
	var bestDot float32
	for i, v := range d.Base[int(best)*d.Dims : int(best+1)*d.Dims] {
		bestDot += v * q[i]
	}
	for i := range d.N {
		var dot float32
		for j, v := range d.Base[i*d.Dims : (i+1)*d.Dims] {
			dot += v * q[j]
		}
		if dot > bestDot*(1+1e-5) {
			t.Fatalf("base %d has dot %v > truth's best %d with %v", i, dot, best, bestDot)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir(), "l2"); err == nil {
		t.Error("Open of an empty folder succeeded")
	}
	if _, err := Open(siftsmall(t), "manhattan-ish"); err == nil {
		t.Error("Open with an unknown metric succeeded")
	}
}

func record(dims int32, vals ...uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(dims))
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func TestParse(t *testing.T) {
	one, two := math.Float32bits(1), math.Float32bits(2)
	good := append(record(2, one, two), record(2, two, one)...)
	data, n, dims, err := ParseFvecs(good)
	if err != nil || n != 2 || dims != 2 || data[0] != 1 || data[1] != 2 || data[2] != 2 || data[3] != 1 {
		t.Fatalf("ParseFvecs = %v %d %d %v", data, n, dims, err)
	}
	ints, n, dims, err := ParseIvecs(append(record(1, 7), record(1, 9)...))
	if err != nil || n != 2 || dims != 1 || ints[0] != 7 || ints[1] != 9 {
		t.Fatalf("ParseIvecs = %v %d %d %v", ints, n, dims, err)
	}
	bad := map[string][]byte{
		"short header":     {1, 0},
		"zero dims":        record(0),
		"negative dims":    record(-3, one),
		"truncated":        record(2, one),
		"mixed dims":       append(record(1, one), record(1, one)[:4]...),
		"other dims later": append(record(1, one, one, one, one), record(4, one)...),
		"NaN":              record(1, math.Float32bits(float32(math.NaN()))),
	}
	for name, raw := range bad {
		if _, _, _, err := ParseFvecs(raw); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: ParseFvecs error = %v, want ErrFormat", name, err)
		}
	}
}

func TestRecall(t *testing.T) {
	truth := []int32{4, 2, 9, 7}
	got := []vindex.Result{{ID: 2}, {ID: 5}, {ID: 4}}
	if r := Recall(got, truth, 3); math.Abs(r-2.0/3) > 1e-12 {
		t.Fatalf("Recall = %v, want 2/3", r)
	}
	if r := Recall(nil, truth, 2); r != 0 {
		t.Fatalf("Recall(nil) = %v", r)
	}
}

func FuzzParseFvecs(f *testing.F) {
	f.Add(record(2, 1, 2))
	f.Add(append(record(1, 0), record(1, 5)...))
	f.Add([]byte{0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, raw []byte) {
		data, n, dims, err := ParseFvecs(raw)
		if err == nil && len(data) != n*dims {
			t.Fatalf("len(data)=%d, n=%d dims=%d", len(data), n, dims)
		}
		ParseIvecs(raw)
	})
}
