package types

import (
	"testing"
)

// Expected strings below were printed by PostgreSQL 15 (format_type,
// SET extra_float_digits, SELECT casts) on a local server.

func TestTypeNames(t *testing.T) {
	for _, c := range []struct {
		name      string
		mods      []int
		dims      int
		str, typn string
		oid       uint32
		typmod    int32
		typlen    int16
	}{
		{"int8", nil, 0, "bigint", "int8", 20, -1, 8},
		{"bigint", nil, 0, "bigint", "int8", 20, -1, 8},
		{"integer", nil, 0, "integer", "int4", 23, -1, 4},
		{"int4", nil, 1, "integer[]", "_int4", 1007, -1, -1},
		{"real", nil, 0, "real", "float4", 700, -1, 4},
		{"double precision", nil, 0, "double precision", "float8", 701, -1, 8},
		{"numeric", []int{10, 2}, 0, "numeric(10,2)", "numeric", 1700, 655366, -1},
		{"decimal", []int{5}, 0, "numeric(5,0)", "numeric", 1700, 327684, -1},
		{"numeric", []int{5, -2}, 0, "numeric(5,-2)", "numeric", 1700, 329730, -1},
		{"varchar", []int{10}, 0, "character varying(10)", "varchar", 1043, 14, -1},
		{"character varying", nil, 0, "character varying", "varchar", 1043, -1, -1},
		{"varchar", []int{10}, 1, "character varying(10)[]", "_varchar", 1015, 14, -1},
		{"bpchar", nil, 0, "bpchar", "bpchar", 1042, -1, -1},
		{"char", []int{10}, 0, "character(10)", "bpchar", 1042, 14, -1},
		{"character", nil, 0, "character(1)", "bpchar", 1042, 5, -1},
		{"char", nil, 0, `"char"`, "char", 18, -1, 1},
		{"text", nil, 0, "text", "text", 25, -1, -1},
		{"vector", []int{3}, 0, "vector(3)", "vector", VectorOID, 3, -1},
		{"vector", nil, 1, "vector[]", "_vector", VectorArrayOID, -1, -1},
		{"timestamptz", nil, 0, "timestamp with time zone", "timestamptz", 1184, -1, 8},
		{"timestamptz", []int{3}, 0, "timestamp(3) with time zone", "timestamptz", 1184, 3, 8},
		{"timestamp", nil, 0, "timestamp without time zone", "timestamp", 1114, -1, 8},
		{"boolean", nil, 0, "boolean", "bool", 16, -1, 1},
		{"name", nil, 0, "name", "name", 19, -1, 64},
		{"int2vector", nil, 0, "int2vector", "int2vector", 22, -1, -1},
		{"regclass", nil, 0, "regclass", "regclass", 2205, -1, 4},
		{"uuid", nil, 0, "uuid", "uuid", 2950, -1, 16},
		{"interval", nil, 0, "interval", "interval", 1186, -1, 16},
		{"jsonb", nil, 0, "jsonb", "jsonb", 3802, -1, -1},
	} {
		typ, err := ParseTypeName(c.name, c.mods, c.dims)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if typ.String() != c.str || typ.TypName() != c.typn || typ.OID() != c.oid || typ.WireTypmod() != c.typmod || typ.TypLen() != c.typlen {
			t.Errorf("%s%v[%d] = %q %q %d %d %d, want %q %q %d %d %d", c.name, c.mods, c.dims,
				typ.String(), typ.TypName(), typ.OID(), typ.WireTypmod(), typ.TypLen(), c.str, c.typn, c.oid, c.typmod, c.typlen)
		}
		back, ok := FromOID(typ.OID(), typ.WireTypmod())
		if !ok || !back.Equal(typ) {
			t.Errorf("FromOID(%d, %d) = %v %v, want %v", typ.OID(), typ.WireTypmod(), back, ok, typ)
		}
	}
	for _, c := range []struct {
		name string
		mods []int
		err  string
	}{
		{"nosuchtype", nil, `42704: type "nosuchtype" does not exist`},
		{"varchar", []int{0}, "22023: length for type varchar must be at least 1"},
		{"varchar", []int{10485761}, "22023: length for type varchar cannot exceed 10485760"},
		{"char", []int{0}, "22023: length for type char must be at least 1"},
		{"numeric", []int{1001}, "22023: NUMERIC precision 1001 must be between 1 and 1000"},
		{"numeric", []int{5, 1001}, "22023: NUMERIC scale 1001 must be between -1000 and 1000"},
		{"numeric", []int{1, 2, 3}, "22023: invalid NUMERIC type modifier"},
		{"int4", []int{3}, `42601: type modifier is not allowed for type "int4"`},
		{"timestamptz", []int{-1}, "22023: TIMESTAMP(-1) WITH TIME ZONE precision must not be negative"},
	} {
		_, err := ParseTypeName(c.name, c.mods, 0)
		if got := errString(err); got != c.err {
			t.Errorf("%s%v: %q, want %q", c.name, c.mods, got, c.err)
		}
	}
	for _, oid := range []uint32{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 114, 700, 701, 1042, 1043, 1082, 1114, 1184, 1186, 1700, 2205, 2206, 2950, 3802, 4089, 2278, 2249, 705,
		1000, 1005, 1007, 1009, 1015, 1016, 1021, 1022, 1028, 1231, 1185, 1003, VectorArrayOID, VectorOID} {
		typ, ok := FromOID(oid, -1)
		if !ok || typ.OID() != oid {
			t.Errorf("FromOID(%d) = %v %v (OID %d)", oid, typ, ok, typ.OID())
		}
	}
	if _, ok := FromOID(99999, -1); ok {
		t.Errorf("FromOID(99999) resolved")
	}
}

func TestFloatOutput(t *testing.T) {
	for _, c := range []struct {
		f     float64
		bits  int
		extra int
		want  string
	}{
		{1e15, 64, 1, "1e+15"},
		{1e-5, 64, 1, "1e-05"},
		{0.1, 64, 1, "0.1"},
		{123456789012345, 64, 1, "123456789012345"},
		{1e14, 64, 1, "100000000000000"},
		{1e16, 64, 1, "1e+16"},
		{1.5e300, 64, 1, "1.5e+300"},
		{0.00012345, 64, 1, "0.00012345"},
		{1.0 / 3, 64, 1, "0.3333333333333333"},
		{float64(float32(1.0 / 3)), 32, 1, "0.33333334"},
		{float64(float32(0.1)), 32, 1, "0.1"},
		{1e6, 32, 1, "1e+06"},
		{123456, 32, 1, "123456"},
		{1234567, 32, 1, "1.234567e+06"},
		{float64(float32(3.4e38)), 32, 1, "3.4e+38"},
		{0.1, 64, 0, "0.1"},
		{1.0 / 3, 64, 0, "0.333333333333333"},
		{1e15, 64, 0, "1e+15"},
		{1.0 / 3, 64, -3, "0.333333333333"},
		{float64(float32(1.0 / 3)), 32, 0, "0.333333"},
	} {
		opts := FormatOptions{ExtraFloatDigits: c.extra, Explicit: true}
		typ := Float8Type
		if c.bits == 32 {
			typ = Float4Type
		}
		if got := FormatText(typ, NewFloat(c.f), opts); got != c.want {
			t.Errorf("%v (float%d, extra_float_digits %d) = %q, want %q", c.f, c.bits/8, c.extra, got, c.want)
		}
	}
	if got := FormatText(Float8Type, NewFloat(0.1), FormatOptions{}); got != "0.1" {
		t.Errorf("default options: %q", got)
	}
}

func TestCast(t *testing.T) {
	num := func(s string) Datum {
		d, err := ParseText(NumericType, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	i4arr := ArrayOf(Int4Type)
	for _, c := range []struct {
		d        Datum
		from, to T
		explicit bool
		want     string
	}{
		{NewFloat(1.5), Float8Type, Int4Type, false, "2"},
		{NewFloat(2.5), Float8Type, Int4Type, false, "2"},
		{num("2.5"), NumericType, Int4Type, false, "3"},
		{num("-2.5"), NumericType, Int4Type, false, "-3"},
		{NewFloat(1e-5), Float8Type, NumericType, false, "0.00001"},
		{NewFloat(1.0 / 3), Float8Type, NumericType, false, "0.333333333333333"},
		{NewFloat(float64(float32(0.1))), Float4Type, NumericType, false, "0.1"},
		{NewInt(99999), Int4Type, Int2Type, false, "ERR 22003: smallint out of range"},
		{NewInt(1 << 40), Int8Type, Int4Type, false, "ERR 22003: integer out of range"},
		{NewFloat(1e20), Float8Type, Int8Type, false, "ERR 22003: bigint out of range"},
		{NewFloat(nan()), Float8Type, Int4Type, false, "ERR 22003: integer out of range"},
		{num("NaN"), NumericType, Int4Type, false, "ERR 0A000: cannot convert NaN to integer"},
		{num("Infinity"), NumericType, Int8Type, false, "ERR 0A000: cannot convert infinity to bigint"},
		{NewFloat(1e300), Float8Type, Float4Type, false, "ERR 22003: value out of range: overflow"},
		{NewFloat(1e-300), Float8Type, Float4Type, false, "ERR 22003: value out of range: underflow"},
		{NewBool(true), BoolType, TextType, false, "true"},
		{NewString("ab  "), T{Family: Bpchar, Typmod: 8}, TextType, false, "ab"},
		{NewInt(-1), Int4Type, OidType, false, "4294967295"},
		{NewInt(4294967295), OidType, Int4Type, false, "-1"},
		{NewInt(65), Int4Type, CharType, true, "A"},
		{NewInt(40000), Int4Type, CharType, true, `ERR 22003: "char" out of range`},
		{NewString("abcd"), TextType, T{Family: Varchar, Typmod: 7}, false, "ERR 22001: value too long for type character varying(3)"},
		{NewString("abcd"), TextType, T{Family: Varchar, Typmod: 7}, true, "abc"},
		{num("6.5999999999999996"), NumericType, T{Family: Numeric, Typmod: NumericTypmod(10, 2)}, false, "6.60"},
		{NewInt(123456789), Int4Type, T{Family: Numeric, Typmod: NumericTypmod(5, 2)}, false, "ERR 22003: numeric field overflow (A field with precision 5, scale 2 must round to an absolute value less than 10^3.)"},
		{NewString("[1,2,3]"), UnknownType, VectorOf(3), false, "[1,2,3]"},
		{NewString("[1,2]"), VarcharType, VectorOf(3), true, "ERR 22000: expected 3 dimensions, not 2"},
		{NewVector([]float32{1, 2}), VectorOf(2), VectorOf(3), false, "ERR 22000: expected 3 dimensions, not 2"},
		{NewVector([]float32{1, 2.5}), VectorType, ArrayOf(Float4Type), false, "{1,2.5}"},
		{NewVector([]float32{1, 2.5}), VectorType, ArrayOf(Float8Type), false, "{1,2.5}"},
		{NewArray([]Datum{NewInt(1), NewInt(2)}), i4arr, VectorOf(2), false, "[1,2]"},
		{NewArray([]Datum{NewInt(1), Null}), i4arr, VectorType, false, "ERR 22004: array must not contain nulls"},
		{NewArray([]Datum{}), i4arr, VectorType, false, "ERR 22000: vector must have at least 1 dimension"},
		{NewArray([]Datum{NewFloat(nan())}), ArrayOf(Float8Type), VectorType, false, "ERR 22000: NaN not allowed in vector"},
		{NewArray([]Datum{num("1.5"), num("2")}), ArrayOf(NumericType), VectorType, false, "[1.5,2]"},
		{NewInt(1), Int4Type, VectorType, true, "ERR 42846: cannot cast type integer to vector"},
		{NewInt(42), Int4Type, TextType, false, "42"},
		{NewString("42"), TextType, Int8Type, true, "42"},
		{NewString("x"), TextType, Int8Type, true, `ERR 22P02: invalid input syntax for type bigint: "x"`},
		{NewArray([]Datum{NewString("9"), NewString("10")}), ArrayOf(TextType), ArrayOf(Int8Type), true, "{9,10}"},
		{NewArray([]Datum{NewInt(1), NewInt(2)}), Int2VectorType, ArrayOf(Int2Type), false, "{1,2}"},
		{NewTime(0), DateType, TimestamptzType, false, "2000-01-01 00:00:00+00"},
	} {
		got, err := Cast(c.d, c.from, c.to, c.explicit)
		s := ""
		if err != nil {
			s = "ERR " + errString(err)
		} else {
			s = FormatText(c.to, got, FormatOptions{})
		}
		if s != c.want {
			t.Errorf("Cast(%s → %s, explicit=%v) = %q, want %q", c.from, c.to, c.explicit, s, c.want)
		}
	}
}

func TestCastContext(t *testing.T) {
	v3 := VectorOf(3)
	for _, c := range []struct {
		from, to T
		want     CastContext
	}{
		{Int2Type, Int4Type, CastImplicit},
		{Int4Type, Int8Type, CastImplicit},
		{Int8Type, NumericType, CastImplicit},
		{NumericType, Float8Type, CastImplicit},
		{Int4Type, Float8Type, CastImplicit},
		{Float4Type, Float8Type, CastImplicit},
		{Float8Type, Float4Type, CastAssignment},
		{Float8Type, Int4Type, CastAssignment},
		{Int8Type, Int4Type, CastAssignment},
		{NumericType, Int8Type, CastAssignment},
		{Int4Type, BoolType, CastExplicit},
		{TextType, VarcharType, CastImplicit},
		{VarcharType, TextType, CastImplicit},
		{NameType, TextType, CastImplicit},
		{TextType, NameType, CastImplicit},
		{NameType, VarcharType, CastAssignment},
		{Int4Type, TextType, CastAssignment},
		{v3, TextType, CastAssignment},
		{TextType, Int4Type, CastExplicit},
		{TextType, VectorType, CastExplicit},
		{VarcharType, VectorType, CastExplicit},
		{UnknownType, VectorType, CastImplicit},
		{UnknownType, Int4Type, CastImplicit},
		{VectorType, v3, CastImplicit},
		{VectorType, ArrayOf(Float4Type), CastImplicit},
		{ArrayOf(Float8Type), VectorType, CastAssignment},
		{ArrayOf(Int4Type), VectorType, CastAssignment},
		{Int4Type, VectorType, CastNone},
		{Int4Type, OidType, CastImplicit},
		{OidType, Int8Type, CastAssignment},
		{Int8Type, RegclassType, CastImplicit},
		{DateType, TimestamptzType, CastImplicit},
		{TimestamptzType, DateType, CastAssignment},
		{ArrayOf(Int4Type), ArrayOf(Int8Type), CastImplicit},
		{ArrayOf(TextType), ArrayOf(Int8Type), CastExplicit},
		{ArrayOf(Int4Type), ArrayOf(TextType), CastAssignment},
		{Int2VectorType, ArrayOf(Int2Type), CastImplicit},
		{BoolType, Int8Type, CastNone},
	} {
		if got := CastContextOf(c.from, c.to); got != c.want {
			t.Errorf("CastContextOf(%s, %s) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
