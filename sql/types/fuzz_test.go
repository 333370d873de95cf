package types

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

func requirePgErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *pgerr.Error
	if !errors.As(err, &pe) || pe.Code == "" {
		t.Fatalf("error %v (%T) is not a *pgerr.Error with a code", err, err)
	}
}

func FuzzParseVector(f *testing.F) {
	for _, s := range []string{"[1,2,3]", " [ 1 , 2.5 ] ", "[]", "[1,", "[nan]", "[1e39]", "[0x1f]", "[-inf]", "[1]x", "[1.5e-50]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// the decimal fast path agrees with the general element parser
		for _, lit := range strings.FieldsFunc(strings.Trim(strings.TrimSpace(s), "[]"), func(r rune) bool { return r == ',' }) {
			lit = strings.TrimSpace(lit)
			if !isPlainDecimal(lit) {
				continue
			}
			f1, ok1, of1 := parseVectorElement(lit)
			f2, ok2, of2, _ := parseFloatSyntax(lit, 32)
			if ok1 != ok2 || of1 != of2 || (ok1 && !of1 && math.Float64bits(f1) != math.Float64bits(f2)) {
				t.Fatalf("element %q: fast path (%v %v %v), general (%v %v %v)", lit, f1, ok1, of1, f2, ok2, of2)
			}
		}
		v, err := ParseVector(s)
		requirePgErr(t, err)
		if err != nil {
			return
		}
		// what we print must parse back to the same vector
		back, err := ParseVector(string(appendVectorText(nil, v)))
		if err != nil || compareVectors(v, back) != 0 || len(v) == 0 {
			t.Fatalf("%q: reprint does not round trip: %v", s, err)
		}
	})
}

var fuzzTypes = []T{BoolType, Int2Type, Int4Type, Int8Type, Float4Type, Float8Type, NumericType,
	{Family: Numeric, Typmod: NumericTypmod(6, 2)}, TextType, {Family: Varchar, Typmod: 7}, {Family: Bpchar, Typmod: 7},
	NameType, ByteaType, UuidType, DateType, TimestampType, TimestamptzType, IntervalType, JsonType, JsonbType,
	VectorType, VectorOf(3), OidType, RegclassType, Int2VectorType, CharType,
	ArrayOf(Int4Type), ArrayOf(TextType), ArrayOf(NumericType), ArrayOf(VectorType),
	BitType, BitOf(3), VarBitType, VarBitOf(5), ArrayOf(BitOf(2)), HalfVecType, HalfVecOf(3), ArrayOf(HalfVecType)}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{"1", "-1.5e3", "NaN", "t", "{1,NULL}", `{"a b"}`, "[1,2,3]", "2024-01-02 03:04:05+00", "1 day",
		`\x00ff`, `{"a":1}`, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "1 2", "infinity", "1e131072"} {
		for i := range fuzzTypes {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, ti uint8, s string) {
		typ := fuzzTypes[int(ti)%len(fuzzTypes)]
		d, err := ParseText(typ, s)
		requirePgErr(t, err)
		if err != nil {
			return
		}
		out := FormatText(typ, d, FormatOptions{})
		// every value we print reads back as an equal value
		d2, err := ParseText(typ, out)
		if err != nil {
			t.Fatalf("%s: %q printed as %q which does not parse: %v", typ, s, out, err)
		}
		if Compare(typ, d, d2) != 0 {
			t.Fatalf("%s: %q → %q → %q", typ, s, out, FormatText(typ, d2, FormatOptions{}))
		}
		k := AppendKey(nil, typ, d, false)
		if _, rest, err := DecodeKey(k, typ, false); err != nil || len(rest) != 0 {
			t.Fatalf("%s: key of %q does not decode: %v", typ, out, err)
		}
		v := AppendValue(nil, typ, d)
		if back, rest, err := DecodeValue(v, typ); err != nil || len(rest) != 0 || Compare(typ, back, d) != 0 {
			t.Fatalf("%s: value of %q does not round trip: %v", typ, out, err)
		}
		if b, err := AppendBinary(nil, typ, d); err == nil {
			if back, err := DecodeBinary(typ, b); err != nil || Compare(typ, back, d) != 0 {
				t.Fatalf("%s: binary of %q does not round trip: %v", typ, out, err)
			}
		}
	})
}

func FuzzDecodeBinary(f *testing.F) {
	for i := range fuzzTypes {
		f.Add(uint8(i), []byte{0, 1, 0, 0, 0x3f, 0x80, 0, 0})
		f.Add(uint8(i), []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7})
	}
	f.Fuzz(func(t *testing.T, ti uint8, b []byte) {
		typ := fuzzTypes[int(ti)%len(fuzzTypes)]
		d, err := DecodeBinary(typ, b)
		requirePgErr(t, err)
		if err != nil {
			return
		}
		_ = FormatText(typ, d, FormatOptions{})
		if _, _, err := DecodeKey(AppendKey(nil, typ, d, true), typ, true); err != nil {
			t.Fatalf("%s: key does not decode: %v", typ, err)
		}
	})
}

func FuzzDecodeKeyAndValue(f *testing.F) {
	f.Add(uint8(0), []byte{1, 0x80, 0, 0, 0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, ti uint8, b []byte) {
		typ := fuzzTypes[int(ti)%len(fuzzTypes)]
		_, _, err := DecodeKey(b, typ, ti&1 == 1)
		requirePgErr(t, err)
		_, _, err = DecodeValue(b, typ)
		requirePgErr(t, err)
	})
}
