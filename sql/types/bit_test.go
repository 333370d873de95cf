package types

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// checkBitInvariant fails when d is not a well-formed bit string: S holds
// ceil(I/8) bytes and the unused low bits of the last byte are zero.
func checkBitInvariant(t *testing.T, what string, d Datum) {
	t.Helper()
	n := d.BitLen()
	if d.K != KindBit || n < 0 || len(d.S) != (n+7)/8 {
		t.Fatalf("%s: malformed bit datum %+v", what, d)
	}
	if n&7 != 0 && d.S[len(d.S)-1]&byte(0xff>>(n&7)) != 0 {
		t.Fatalf("%s: padding bits set in %x (%d bits)", what, d.S, n)
	}
}

// FuzzParseBit checks bit_in's parser on arbitrary input: errors are
// *pgerr.Error, values are well formed, print and read back equal, keep
// their order in key bytes, and survive the length coercions.
func FuzzParseBit(f *testing.F) {
	for _, s := range []string{"", "0", "1", "0101", "b101", "B", "x", "X1f", "xFFF", "01a", "x1g", "é1", " 01", "11111111100000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseBit(s)
		requirePgErr(t, err)
		if err != nil {
			return
		}
		checkBitInvariant(t, s, d)
		out := string(appendBitText(nil, d))
		back, err := ParseBit(out)
		if err != nil || compareBits(d, back) != 0 || back.S != d.S || back.I != d.I {
			t.Fatalf("%q printed as %q reads back as %+v (%v)", s, out, back, err)
		}
		for _, n := range []int{1, 3, 8, 9, 64} {
			for _, to := range []T{BitOf(n), VarBitOf(n)} {
				c, err := applyBitTypmod(d, to, true)
				if err != nil {
					t.Fatalf("explicit cast of %q to %s: %v", out, to, err)
				}
				checkBitInvariant(t, out+"::"+to.String(), c)
				if got := string(appendBitText(nil, c)); !(len(got) <= n && (got == out[:min(len(out), len(got))] || to.Family == Bit)) {
					t.Fatalf("%q::%s = %q", out, to, got)
				}
			}
		}
		empty := NewBit(0, nil)
		if (compareBits(d, empty) < 0) != (bytes.Compare(AppendKey(nil, BitType, d, false), AppendKey(nil, BitType, empty, false)) < 0) {
			t.Fatalf("%q: key order disagrees with Compare against the empty string", out)
		}
	})
}

func mustBit(t *testing.T, s string) Datum {
	t.Helper()
	d, err := ParseBit(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBitCasts covers bit(n) and bit varying(n) length coercion in every
// context, with PostgreSQL 15's results and errors.
func TestBitCasts(t *testing.T) {
	for _, c := range []struct {
		from     string
		to       T
		explicit bool
		want     string // value, or "ERR: code: message"
	}{
		{"0101", BitOf(3), true, "010"},
		{"01", BitOf(3), true, "010"},
		{"0101", BitOf(3), false, "ERR 22026: bit string length 4 does not match type bit(3)"},
		{"01", BitOf(3), false, "ERR 22026: bit string length 2 does not match type bit(3)"},
		{"010", BitOf(3), false, "010"},
		{"0101", VarBitOf(3), true, "010"},
		{"0101", VarBitOf(3), false, "ERR 22001: bit string too long for type bit varying(3)"},
		{"01", VarBitOf(3), false, "01"},
		{"111111111", BitOf(12), true, "111111111000"},
		{"111111111", BitOf(7), true, "1111111"},
		{"1", BitType, false, "1"},
	} {
		d, err := Cast(mustBit(t, c.from), BitType, c.to, c.explicit)
		got := ""
		if err != nil {
			got = "ERR " + errString(err)
		} else {
			checkBitInvariant(t, c.from, d)
			got = FormatText(c.to, d, FormatOptions{})
		}
		if got != c.want {
			t.Errorf("B'%s' → %s (explicit %v) = %q, want %q", c.from, c.to, c.explicit, got, c.want)
		}
	}
	// An untyped literal is read without the modifier and then coerced:
	// '0101'::bit(3) truncates, assignment fails.
	if d, err := Cast(NewString("0101"), UnknownType, BitOf(3), true); err != nil || FormatText(BitOf(3), d, FormatOptions{}) != "010" {
		t.Errorf("'0101'::bit(3) = %v, %v", d, err)
	}
	if _, err := Cast(NewString("0101"), UnknownType, BitOf(3), false); errString(err) != "22026: bit string length 4 does not match type bit(3)" {
		t.Errorf("assignment of '0101' to bit(3): %v", err)
	}
	if CastContextOf(BitType, VarBitType) != CastImplicit || CastContextOf(VarBitType, BitOf(3)) != CastImplicit {
		t.Error("bit and varbit must cast implicitly both ways")
	}
}

// TestBitParseErrors pins bit_in's messages and SQLSTATEs.
func TestBitParseErrors(t *testing.T) {
	for s, want := range map[string]string{
		"01a":  `22P02: "a" is not a valid binary digit`,
		"x1g":  `22P02: "g" is not a valid hexadecimal digit`,
		"é1":   `22P02: "é" is not a valid binary digit`,
		" 01":  `22P02: " " is not a valid binary digit`,
		"b012": `22P02: "2" is not a valid binary digit`,
	} {
		if _, err := ParseBit(s); errString(err) != want {
			t.Errorf("ParseBit(%q) error = %q, want %q", s, errString(err), want)
		}
	}
	if _, err := ParseText(BitOf(3), "0101"); errString(err) != "22026: bit string length 4 does not match type bit(3)" {
		t.Errorf("bit(3) input of 0101: %v", err)
	}
	if _, err := ParseText(VarBitOf(3), "0101"); errString(err) != "22001: bit string too long for type bit varying(3)" {
		t.Errorf("varbit(3) input of 0101: %v", err)
	}
	for _, c := range []struct {
		name string
		mods []int
		want string
	}{
		{"bit", []int{0}, "22023: length for type bit must be at least 1"},
		{"varbit", []int{0}, "22023: length for type varbit must be at least 1"},
		{"bit", []int{MaxBitLen + 1}, "22023: length for type bit cannot exceed 83886080"},
	} {
		if _, err := ParseTypeName(c.name, c.mods, 0); errString(err) != c.want {
			t.Errorf("%s%v: %v, want %s", c.name, c.mods, err, c.want)
		}
	}
	if typ, err := ParseTypeName("bit varying", []int{5}, 0); err != nil || typ.String() != "bit varying(5)" || typ.OID() != 1562 {
		t.Errorf("bit varying(5) = %v (oid %d), %v", typ, typ.OID(), err)
	}
	if typ, err := ParseTypeName("bit", []int{3}, 0); err != nil || typ.String() != "bit(3)" || typ.OID() != 1560 {
		t.Errorf("bit(3) = %v (oid %d), %v", typ, typ.OID(), err)
	}
}

// TestBitBinary checks bit_send's format (int32 bit count, packed bytes)
// and bit_recv's checks.
func TestBitBinary(t *testing.T) {
	d := mustBit(t, "10101")
	b, err := AppendBinary(nil, BitOf(5), d)
	if err != nil || hex.EncodeToString(b) != "00000005a8" {
		t.Fatalf("binary of B'10101' = %x, %v; want 00000005a8", b, err)
	}
	back, err := DecodeBinary(VarBitType, b)
	if err != nil || !sameBits(back, d) {
		t.Fatalf("decode %x = %+v, %v", b, back, err)
	}
	// padding bits a client left set are cleared, as VARBIT_PAD does
	if back, err := DecodeBinary(BitType, []byte{0, 0, 0, 5, 0xaf}); err != nil || !sameBits(back, d) {
		t.Errorf("decode with set padding = %+v, %v", back, err)
	}
	for _, c := range []struct {
		typ  T
		b    string
		want string
	}{
		{BitType, "000005", "22P03: incorrect binary data format"},
		{BitType, "00000005a8ff", "22P03: incorrect binary data format"},
		{BitType, "ffffffff", "22P03: invalid length in external bit string"},
		{BitOf(4), "00000005a8", "22026: bit string length 5 does not match type bit(4)"},
		{VarBitOf(4), "00000005a8", "22001: bit string too long for type bit varying(4)"},
	} {
		raw, _ := hex.DecodeString(c.b)
		if _, err := DecodeBinary(c.typ, raw); errString(err) != c.want {
			t.Errorf("%s from %s: %q, want %q", c.typ, c.b, errString(err), c.want)
		}
	}
}

// TestBitOrderAndEncodings checks bit_cmp's order, that key bytes sort the
// same way, and that the value encoding round trips.
func TestBitOrderAndEncodings(t *testing.T) {
	sorted := []string{"", "0", "00", "000000000", "01", "010", "0100000000", "011", "1", "10", "1000000", "10000000", "100000000", "11"}
	for i := range sorted {
		for j := range sorted {
			a, b := mustBit(t, sorted[i]), mustBit(t, sorted[j])
			want := cmpInt(int64(i), int64(j))
			if got := Compare(VarBitType, a, b); got != want {
				t.Errorf("Compare(%q, %q) = %d, want %d", sorted[i], sorted[j], got, want)
			}
			for _, desc := range []bool{false, true} {
				kc := bytes.Compare(AppendKey(nil, VarBitType, a, desc), AppendKey(nil, VarBitType, b, desc))
				if desc {
					kc = -kc
				}
				if kc != want {
					t.Errorf("key order of %q vs %q (desc %v) = %d, want %d", sorted[i], sorted[j], desc, kc, want)
				}
			}
		}
		d := mustBit(t, sorted[i])
		k, rest, err := DecodeKey(AppendKey(nil, VarBitType, d, false), VarBitType, false)
		if err != nil || len(rest) != 0 || !sameBits(k, d) {
			t.Errorf("key of %q decodes to %+v, %v", sorted[i], k, err)
		}
		v, rest, err := DecodeValue(AppendValue(nil, VarBitType, d), VarBitType)
		if err != nil || len(rest) != 0 || !sameBits(v, d) {
			t.Errorf("value of %q decodes to %+v, %v", sorted[i], v, err)
		}
	}
}

// TestBinaryQuantize checks binary_quantize and BitsToFloats.
func TestBinaryQuantize(t *testing.T) {
	d := BinaryQuantize([]float32{1, -2, 0, 3.5, 0.1, 0, 0, 0, -1, 7})
	checkBitInvariant(t, "binary_quantize", d)
	if got := FormatText(BitType, d, FormatOptions{}); got != "1001100001" {
		t.Errorf("binary_quantize = %s, want 1001100001", got)
	}
	f := BitsToFloats(d, make([]float32, d.BitLen()))
	want := []float32{1, 0, 0, 1, 1, 0, 0, 0, 0, 1}
	for i := range want {
		if f[i] != want[i] {
			t.Fatalf("BitsToFloats = %v, want %v", f, want)
		}
	}
}

// sameBits reports whether two bit datums are identical.
func sameBits(a, b Datum) bool { return a.K == b.K && a.I == b.I && a.S == b.S }

// TestBitIntCasts checks bitfromint4/8 (low bits, sign fill) and
// bittoint4/8 (unsigned reading, full width may be negative).
func TestBitIntCasts(t *testing.T) {
	for _, c := range []struct {
		i    int64
		from T
		to   T
		want string
	}{
		{5, Int4Type, BitOf(8), "00000101"},
		{300, Int4Type, BitOf(4), "1100"},
		{5, Int4Type, BitType, "1"},
		{-1, Int4Type, BitOf(36), "111111111111111111111111111111111111"},
		{-5, Int8Type, BitOf(66), "111111111111111111111111111111111111111111111111111111111111111011"},
		{1 << 40, Int8Type, BitOf(42), "010000000000000000000000000000000000000000"},
	} {
		d, err := Cast(NewInt(c.i), c.from, c.to, true)
		if err != nil || FormatText(c.to, d, FormatOptions{}) != c.want {
			t.Errorf("%d::%s::%s = %q, %v; want %s", c.i, c.from, c.to, FormatText(c.to, d, FormatOptions{}), err, c.want)
			continue
		}
		checkBitInvariant(t, c.want, d)
	}
	if d, err := Cast(mustBit(t, "11111111111111111111111111111111"), BitType, Int4Type, true); err != nil || d.I != -1 {
		t.Errorf("32 ones::int4 = %v, %v", d, err)
	}
	if _, err := Cast(mustBit(t, "111111111111111111111111111111111"), BitType, Int4Type, true); errString(err) != "22003: integer out of range" {
		t.Errorf("33 bits::int4: %v", err)
	}
	if CastContextOf(Int4Type, BitType) != CastExplicit || CastContextOf(Int2Type, BitType) != CastNone || CastContextOf(VarBitType, Int4Type) != CastNone {
		t.Error("pg_cast has only explicit int4/int8 <-> bit casts")
	}
}
