package types

import (
	"bytes"
	"math"
	"testing"
)

// TestHalfBitsRoundTrip checks every finite half converts to float32 and
// back to the same bits, and that the float32 values are increasing in the
// bit order (so HalfBitsToFloat32 decodes exponent and mantissa right).
func TestHalfBitsRoundTrip(t *testing.T) {
	prev := float32(-1)
	for h := uint16(0); h < 0x7c00; h++ {
		f := HalfBitsToFloat32(h)
		if got := Float32ToHalfBits(f); got != h {
			t.Fatalf("half %#04x = %g converts back to %#04x", h, f, got)
		}
		if neg := Float32ToHalfBits(-f); neg != h|0x8000 {
			t.Fatalf("-%g: got %#04x, want %#04x", f, neg, h|0x8000)
		}
		if !(f > prev) && h != 0 {
			t.Fatalf("half %#04x = %g not above its predecessor %g", h, f, prev)
		}
		prev = f
	}
	if f := HalfBitsToFloat32(0x7bff); f != MaxHalf {
		t.Fatalf("largest half is %g, want %d", f, MaxHalf)
	}
	if f := HalfBitsToFloat32(0x0001); f != float32(math.Ldexp(1, -24)) {
		t.Fatalf("smallest subnormal is %g", f)
	}
	if f := HalfBitsToFloat32(0x0400); f != float32(math.Ldexp(1, -14)) {
		t.Fatalf("smallest normal is %g", f)
	}
}

// TestHalfRoundNearestEven checks, for every pair of adjacent finite
// halves (subnormals included), that the float32 midpoint rounds to the
// even one and that values just off the midpoint round to the nearer.
func TestHalfRoundNearestEven(t *testing.T) {
	for h := uint16(0); h < 0x7bff; h++ {
		a, b := HalfBitsToFloat32(h), HalfBitsToFloat32(h+1)
		mid := (a + b) / 2 // exact: 12 significant bits fit in float32
		even := h
		if h&1 != 0 {
			even = h + 1
		}
		if got := Float32ToHalfBits(mid); got != even {
			t.Fatalf("midpoint %g of %#04x and %#04x rounds to %#04x, want %#04x", mid, h, h+1, got, even)
		}
		below := math.Nextafter32(mid, a)
		above := math.Nextafter32(mid, b)
		if got := Float32ToHalfBits(below); got != h {
			t.Fatalf("%g (just below midpoint) rounds to %#04x, want %#04x", below, got, h)
		}
		if got := Float32ToHalfBits(above); got != h+1 {
			t.Fatalf("%g (just above midpoint) rounds to %#04x, want %#04x", above, got, h+1)
		}
	}
}

func TestHalfSpecialValues(t *testing.T) {
	for _, tc := range []struct {
		in   float32
		want uint16
	}{
		{0, 0},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{65504, 0x7bff},
		{65519.99, 0x7bff},                      // below the midpoint to 65536
		{65520, 0x7c00},                         // the midpoint ties to even: infinity
		{1e10, 0x7c00},                          // overflow
		{-1e10, 0xfc00},                         // negative overflow
		{float32(math.Inf(1)), 0x7c00},          // infinity stays
		{float32(math.Ldexp(1, -25)), 0},        // half the smallest subnormal ties to even zero
		{float32(math.Ldexp(1.5, -25)), 1},      // above it rounds up to the smallest subnormal
		{float32(math.Ldexp(1, -26)), 0},        // underflow to zero
		{-float32(math.Ldexp(1, -30)), 0x8000},  // negative underflow keeps the sign
		{float32(math.Ldexp(1, -149)), 0},       // a float32 subnormal
		{float32(math.Ldexp(1023, -24)), 0x3ff}, // largest subnormal
		{1.1, 0x3c66},                           // 1.0996094
	} {
		if got := Float32ToHalfBits(tc.in); got != tc.want {
			t.Errorf("Float32ToHalfBits(%g) = %#04x, want %#04x", tc.in, got, tc.want)
		}
	}
	if h := Float32ToHalfBits(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("NaN converts to %#04x, not a NaN", h)
	}
	if _, err := toHalfChecked(70000); errString(err) != "22003: value out of range: overflow" {
		t.Errorf("toHalfChecked(70000): %s", errString(err))
	}
}

func TestParseHalfVec(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "[1,2,3]", want: "[1,2,3]"},
		{in: " [ 1.1 , -0.1 ] ", want: "[1.0996094,-0.099975586]"},
		{in: "[65504]", want: "[65504]"},
		{in: "[65519]", want: "[65504]"},
		{in: "[1e-8]", want: "[0]"},
		{in: "[65520]", err: `22003: "65520" is out of range for type halfvec`},
		{in: "[-70000]", err: `22003: "-70000" is out of range for type halfvec`},
		{in: "[1e39]", err: `22003: "1e39" is out of range for type halfvec`},
		{in: "[NaN]", err: "22000: NaN not allowed in halfvec"},
		{in: "[-Infinity]", err: "22000: infinite value not allowed in halfvec"},
		{in: "[]", err: "22000: halfvec must have at least 1 dimension"},
		{in: "1,2", err: `22P02: invalid input syntax for type halfvec: "1,2" (Vector contents must start with "[".)`},
		{in: "[1]x", err: `22P02: invalid input syntax for type halfvec: "[1]x" (Junk after closing right brace.)`},
		{in: "[1,]", err: `22P02: invalid input syntax for type halfvec: "[1,]"`},
	} {
		v, err := ParseHalfVec(tc.in)
		if got := errString(err); got != tc.err {
			t.Errorf("ParseHalfVec(%q) error %q, want %q", tc.in, got, tc.err)
			continue
		}
		if err == nil {
			if got := string(appendVectorText(nil, v)); got != tc.want {
				t.Errorf("ParseHalfVec(%q) = %s, want %s", tc.in, got, tc.want)
			}
		}
	}
}

func TestHalfVecBinaryAndValue(t *testing.T) {
	v := []float32{1, -2.5, 0.099975586, 65504}
	b, err := appendHalfVecBinary(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 4, 0, 0, 0x3c, 0x00, 0xc1, 0x00, 0x2e, 0x66, 0x7b, 0xff}
	if !bytes.Equal(b, want) {
		t.Fatalf("binary % x, want % x", b, want)
	}
	d, err := decodeHalfVecBinary(b, 4)
	if err != nil || compareVectors(d.Vec, v) != 0 {
		t.Fatalf("decode: %v %v", d.Vec, err)
	}
	for _, tc := range []struct {
		b   []byte
		mod int32
		err string
	}{
		{[]byte{0, 1, 0, 0, 0x7c, 0x00}, -1, "22000: infinite value not allowed in halfvec"},
		{[]byte{0, 1, 0, 0, 0x7e, 0x00}, -1, "22000: NaN not allowed in halfvec"},
		{[]byte{0, 1, 0, 1, 0x3c, 0x00}, -1, "22000: expected unused to be 0, not 1"},
		{[]byte{0, 1, 0, 0, 0x3c, 0x00}, 2, "22000: expected 2 dimensions, not 1"},
		{[]byte{0, 0, 0, 0}, -1, "22000: halfvec must have at least 1 dimension"},
	} {
		if _, err := decodeHalfVecBinary(tc.b, tc.mod); errString(err) != tc.err {
			t.Errorf("decode % x: %q, want %q", tc.b, errString(err), tc.err)
		}
	}
	if _, err := decodeHalfVecBinary([]byte{0, 2, 0, 0, 0x3c}, -1); err == nil {
		t.Error("short input decoded")
	}
	enc := AppendValue(nil, HalfVecOf(4), NewVector(v))
	if venc := AppendValue(nil, VectorOf(4), NewVector(v)); len(venc)-len(enc) != 2*len(v) {
		t.Fatalf("value encoding takes %d bytes, vector's %d: want two bytes an element less", len(enc), len(venc))
	}
	back, rest, err := decodeHalfVecValue(appendHalfVecValue(nil, v))
	if err != nil || len(rest) != 0 || compareVectors(back.Vec, v) != 0 {
		t.Fatalf("value round trip: %v %v %v", back.Vec, rest, err)
	}
}

func TestHalfVecCasts(t *testing.T) {
	vec := NewVector([]float32{1.1, 2, 70000})
	if _, err := Cast(vec, VectorType, HalfVecType, false); errString(err) != "22003: value out of range: overflow" {
		t.Errorf("vector → halfvec overflow: %s", errString(err))
	}
	d, err := Cast(NewVector([]float32{1.1, 2}), VectorType, HalfVecOf(2), false)
	if err != nil || FormatText(HalfVecType, d, FormatOptions{}) != "[1.0996094,2]" {
		t.Errorf("vector → halfvec(2): %v %v", d.Vec, err)
	}
	if _, err := Cast(d, HalfVecType, VectorOf(3), false); errString(err) != "22000: expected 3 dimensions, not 2" {
		t.Errorf("halfvec → vector(3): %s", errString(err))
	}
	arr := NewArray([]Datum{NewFloat(1.1), NewFloat(math.Inf(1))})
	if _, err := Cast(arr, ArrayOf(Float8Type), HalfVecType, false); errString(err) != "22000: infinite value not allowed in halfvec" {
		t.Errorf("float8[] with Infinity → halfvec: %s", errString(err))
	}
	arr = NewArray([]Datum{NewInt(1), NewInt(100000)})
	if _, err := Cast(arr, ArrayOf(Int4Type), HalfVecType, false); errString(err) != "22003: value out of range: overflow" {
		t.Errorf("int[] beyond half → halfvec: %s", errString(err))
	}
	arr = NewArray([]Datum{NewInt(1), Null})
	if _, err := Cast(arr, ArrayOf(Int4Type), HalfVecType, false); errString(err) != "22004: array must not contain nulls" {
		t.Errorf("int[] with NULL → halfvec: %s", errString(err))
	}
	h, err := Cast(NewArray([]Datum{NewFloat(1.1), NewFloat(3)}), ArrayOf(Float4Type), HalfVecType, false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Cast(h, HalfVecType, ArrayOf(Float4Type), false)
	if err != nil || FormatText(ArrayOf(Float4Type), r, FormatOptions{}) != "{1.0996094,3}" {
		t.Errorf("halfvec → real[]: %v %v", r, err)
	}
}

func FuzzParseHalfVec(f *testing.F) {
	for _, s := range []string{"[1,2,3]", " [ 1.1 , -0.1 ] ", "[]", "[1,", "[nan]", "[65520]", "[1e39]", "[0x1f]", "[-inf]", "[1]x", "[6e-8]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseHalfVec(s)
		requirePgErr(t, err)
		full, verr := ParseVector(s)
		if err != nil {
			// only the half range can reject what vector accepts
			if verr == nil && errString(err)[:5] != "22003" {
				t.Fatalf("%q: vector accepts, halfvec fails with %s", s, errString(err))
			}
			return
		}
		if verr != nil || len(full) != len(v) {
			t.Fatalf("%q: halfvec accepts, vector gives %v", s, verr)
		}
		for i, x := range v {
			if RoundToHalf(full[i]) != x || math.IsInf(float64(x), 0) || x != x {
				t.Fatalf("%q: element %d is %g, want %g rounded to half", s, i, x, full[i])
			}
		}
		back, err := ParseHalfVec(string(appendVectorText(nil, v)))
		if err != nil || compareVectors(v, back) != 0 {
			t.Fatalf("%q: reprint does not round trip: %v", s, err)
		}
	})
}
