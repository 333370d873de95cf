package types

import (
	"strconv"
	"strings"
	"testing"
)

// TestParseVector follows pgvector's vector_in check by check (messages
// from pgvector's src/vector.c).
func TestParseVector(t *testing.T) {
	for _, c := range []struct {
		in, out, err string
	}{
		{in: "[1,2,3]", out: "[1,2,3]"},
		{in: " [ 1 , 2.5 ,-3e-05 ] ", out: "[1,2.5,-3e-05]"},
		{in: "[0.1,1e-50,1.5e+20]", out: "[0.1,0,1.5e+20]"},
		{in: "[1e38]", out: "[1e+38]"},
		{in: "1,2", err: `22P02: invalid input syntax for type vector: "1,2" (Vector contents must start with "[".)`},
		{in: "", err: `22P02: invalid input syntax for type vector: "" (Vector contents must start with "[".)`},
		{in: "[]", err: "22000: vector must have at least 1 dimension"},
		{in: "[ ]", err: "22000: vector must have at least 1 dimension"},
		{in: "[1,2", err: `22P02: invalid input syntax for type vector: "[1,2"`},
		{in: "[1,]", err: `22P02: invalid input syntax for type vector: "[1,]"`},
		{in: "[1,a]", err: `22P02: invalid input syntax for type vector: "[1,a]"`},
		{in: "[1 2]", err: `22P02: invalid input syntax for type vector: "[1 2]"`},
		{in: "[1,2]x", err: `22P02: invalid input syntax for type vector: "[1,2]x" (Junk after closing right brace.)`},
		{in: "[NaN]", err: "22000: NaN not allowed in vector"},
		{in: "[1,inf]", err: "22000: infinite value not allowed in vector"},
		{in: "[-Infinity]", err: "22000: infinite value not allowed in vector"},
		{in: "[1e39]", err: `22003: "1e39" is out of range for type vector`},
	} {
		v, err := ParseVector(c.in)
		if c.err != "" {
			if got := errString(err); got != c.err {
				t.Errorf("ParseVector(%q) error = %q, want %q", c.in, got, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseVector(%q): %v", c.in, err)
			continue
		}
		if got := string(appendVectorText(nil, v)); got != c.out {
			t.Errorf("ParseVector(%q) prints %q, want %q", c.in, got, c.out)
		}
	}
}

func TestVectorDimsLimit(t *testing.T) {
	ok := "[" + strings.Repeat("1,", MaxVectorDims-1) + "1]"
	if v, err := ParseVector(ok); err != nil || len(v) != MaxVectorDims {
		t.Fatalf("%d dims: %v", MaxVectorDims, err)
	}
	tooMany := "[" + strings.Repeat("1,", MaxVectorDims) + "1]"
	if got := errString(func() error { _, err := ParseVector(tooMany); return err }()); got != "54000: vector cannot have more than 65536 dimensions" {
		t.Fatalf("got %q", got)
	}
	if _, err := ParseText(VectorOf(3), "[1,2]"); errString(err) != "22000: expected 3 dimensions, not 2" {
		t.Fatalf("typmod check: %v", err)
	}
	for _, c := range []struct {
		mods []int
		err  string
	}{
		{[]int{0}, "22023: dimensions for type vector must be at least 1"},
		{[]int{70000}, "22023: dimensions for type vector cannot exceed 65536"},
		{[]int{1, 2}, "22023: invalid type modifier"},
	} {
		_, err := ParseTypeName("vector", c.mods, 0)
		if got := errString(err); got != c.err {
			t.Errorf("vector%v: %q, want %q", c.mods, got, c.err)
		}
	}
}

func TestCompareVectors(t *testing.T) {
	vs := []string{"[1,2]", "[1,2,0]", "[1,3]", "[2]", "[-1,5]"}
	want := []string{"[-1,5]", "[1,2]", "[1,2,0]", "[1,3]", "[2]"}
	ds := make([]Datum, len(vs))
	for i, s := range vs {
		v, err := ParseVector(s)
		if err != nil {
			t.Fatal(err)
		}
		ds[i] = NewVector(v)
	}
	sortDatums(VectorType, ds)
	for i, d := range ds {
		if got := FormatText(VectorType, d, FormatOptions{}); got != want[i] {
			t.Errorf("position %d: %s, want %s", i, got, want[i])
		}
	}
}

func BenchmarkParseVector128(b *testing.B) {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < 128; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.FormatFloat(float64(i)*0.731-40.25, 'g', -1, 32))
	}
	sb.WriteByte(']')
	s := sb.String()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseVector(s); err != nil {
			b.Fatal(err)
		}
	}
}

// A vector of MaxVectorDims (2^16) dimensions is valid, but pgvector's
// binary format carries at most 65,535: encoding it fails with 54000 and
// says to use text; 65,535 dimensions round-trip.
func TestVectorBinaryDimsLimit(t *testing.T) {
	big := NewVector(make([]float32, MaxVectorDims))
	_, err := AppendBinary(nil, VectorType, big)
	if got := errString(err); !strings.HasPrefix(got, "54000: vector of 65536 dimensions cannot be sent in binary format") {
		t.Fatalf("binary encoding of 65536 dims: %q", got)
	}
	v := make([]float32, MaxBinaryVectorDims)
	v[MaxBinaryVectorDims-1] = 2.5
	b, err := AppendBinary(nil, VectorType, NewVector(v))
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeVectorBinary(b, -1)
	if err != nil || len(d.Vec) != MaxBinaryVectorDims || d.Vec[MaxBinaryVectorDims-1] != 2.5 {
		t.Fatalf("round trip of 65535 dims: %d dims, %v", len(d.Vec), err)
	}
}
