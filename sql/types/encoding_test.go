package types

import (
	"bytes"
	"encoding/hex"
	"math"
	"math/rand"
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// samples returns values of several types, parsed from text, for round
// trip tests.
func samples(t testing.TB) map[string][]string {
	return map[string][]string{
		"bool":               {"t", "f"},
		"int2":               {"0", "-32768", "32767"},
		"int4":               {"0", "-2147483648", "2147483647", "42"},
		"int8":               {"-9223372036854775808", "9223372036854775807", "1"},
		"float4":             {"0", "-0", "0.1", "3.4e+38", "NaN", "Infinity", "-Infinity", "1e-40"},
		"float8":             {"0", "-1.5", "1e-300", "NaN", "Infinity", "123456789012345"},
		"numeric":            {"0", "0.00", "7.70", "-12345678901234567890.123456789", "0.00000000000000000001", "100000000000000000000", "NaN", "Infinity", "-Infinity", "10000", "0.0001", "-0.5"},
		"numeric(10,2)":      {"6.60", "-99999999.99"},
		"text":               {"", "hello", "a\x01b", "ünïcödé"},
		"varchar(5)":         {"abc"},
		"bytea":              {`\x`, `\x00ff10`},
		"uuid":               {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		"timestamptz":        {"2024-01-02 03:04:05.123456+00", "infinity", "-infinity", "1970-01-01 00:00:00+00"},
		"timestamp":          {"2024-01-02 03:04:05"},
		"date":               {"2024-02-29", "1999-12-31", "infinity"},
		"interval":           {"1 year 2 mons 3 days 04:05:06.5", "-1 days +01:00:00", "00:00:00"},
		"jsonb":              {`{"a": 1}`},
		"json":               {`{"a":1}`},
		"vector":             {"[1,2.5,-3e-05]", "[0]"},
		"vector(3)":          {"[1,2,3]"},
		"int4[]":             {"{}", "{1,NULL,3}"},
		"text[]":             {`{a,"b c",NULL,""}`},
		"int8[]":             {"{9,10}"},
		"numeric[]":          {"{1.50,NaN}"},
		"float8[]":           {"{1.5,NaN}"},
		"vector[]":           {`{"[1,2]","[3,4]"}`},
		"int2vector":         {"1 2", ""},
		"oid":                {"4294967295", "0"},
		"name":               {"pg_class"},
		"bpchar":             {"ab  "},
		"char(4)":            {"ab  "},
		"timestamptz(3)":     {"2024-01-02 03:04:05.123+00"},
		"varchar(5)[]":       {"{ab,cd}"},
		"regclass":           {"1259"},
		`"char"`:             {"r"},
		"bool[]":             {"{t,f,NULL}"},
		"timestamptz[]":      {`{"2024-01-02 03:04:05+00"}`},
		"date[]":             {"{2024-01-02}"},
		"double precision[]": {"{1}"},
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	for typName, vals := range samples(t) {
		typ := parseTypeForTest(t, typName)
		for _, s := range vals {
			d, err := ParseText(typ, s)
			if err != nil {
				t.Fatalf("%s %q: %v", typName, s, err)
			}
			b, err := AppendBinary(nil, typ, d)
			if err != nil {
				t.Errorf("AppendBinary(%s %q): %v", typName, s, err)
				continue
			}
			back, err := DecodeBinary(typ, b)
			if err != nil {
				t.Errorf("DecodeBinary(%s %q, %x): %v", typName, s, b, err)
				continue
			}
			if got := FormatText(typ, back, FormatOptions{}); got != s {
				t.Errorf("%s binary round trip %q → %x → %q", typName, s, b, got)
			}
		}
	}
}

// TestBinaryFormats pins exact bytes for the formats clients send.
func TestBinaryFormats(t *testing.T) {
	for _, c := range []struct {
		typ  string
		text string
		hex  string
	}{
		{"int4", "1", "00000001"},
		{"int8", "-2", "fffffffffffffffe"},
		{"float8", "1.5", "3ff8000000000000"},
		{"bool", "t", "01"},
		{"vector", "[1,2]", "000200003f80000040000000"},
		// numeric: ndigits, weight, sign, dscale, digits (base 10000)
		{"numeric", "7.70", "000200000000000200071b58"},
		{"numeric", "-12345.678", "0003000140000003000109291a7c"},
		{"numeric", "0.0001", "0001ffff000000040001"},
		{"numeric", "NaN", "00000000c0000000"},
		{"numeric", "0.00", "0000000000000002"},
		{"numeric", "100000000", "00010002000000000001"},
		{"int8[]", "{9,10}", "000000010000000000000014000000020000000100000008000000000000000900000008000000000000000a"},
		{"timestamptz", "2000-01-01 00:00:01+00", "00000000000f4240"},
		{"date", "2000-01-02", "00000001"},
	} {
		typ := parseTypeForTest(t, c.typ)
		d, err := ParseText(typ, c.text)
		if err != nil {
			t.Fatal(err)
		}
		b, err := AppendBinary(nil, typ, d)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(b); got != c.hex {
			t.Errorf("%s %s: binary %s, want %s", c.typ, c.text, got, c.hex)
		}
	}
	for _, c := range []struct {
		typ T
		hex string
		err string
	}{
		{Int4Type, "0001", "22P03: incorrect binary data format"},
		{VectorOf(3), "000200003f80000040000000", "22000: expected 3 dimensions, not 2"},
		{VectorType, "000100007fc00000", "22000: NaN not allowed in vector"},
		{VectorType, "000100007f800000", "22000: infinite value not allowed in vector"},
		{VectorType, "000100013f800000", "22000: expected unused to be 0, not 1"},
		{VectorType, "00000000", "22000: vector must have at least 1 dimension"},
		{VectorType, "000200003f800000", "22P03: incorrect binary data format"},
		{NumericType, "0001000000000000ffff", `22P03: invalid digit in external "numeric" value`},
		{NumericType, "0000000012340000", `22P03: invalid sign in external "numeric" value`},
		{ArrayOf(Int8Type), "000000010000000000000017", "42804: wrong element type"},
		{TextType, "ff", `22021: invalid byte sequence for encoding "UTF8": 0xff`},
	} {
		b, _ := hex.DecodeString(c.hex)
		_, err := DecodeBinary(c.typ, b)
		if got := errString(err); got != c.err {
			t.Errorf("DecodeBinary(%s, %s) = %q, want %q", c.typ, c.hex, got, c.err)
		}
	}
}

func TestValueRoundTrip(t *testing.T) {
	for typName, vals := range samples(t) {
		typ := parseTypeForTest(t, typName)
		var buf []byte
		var ds []Datum
		for _, s := range vals {
			d, err := ParseText(typ, s)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d, Null)
			buf = AppendValue(buf, typ, d)
			buf = AppendValue(buf, typ, Null)
		}
		for i := 0; i < len(ds); i++ {
			d, rest, err := DecodeValue(buf, typ)
			if err != nil {
				t.Fatalf("%s: %v", typName, err)
			}
			if want, got := FormatText(typ, ds[i], FormatOptions{}), FormatText(typ, d, FormatOptions{}); got != want || d.IsNull() != ds[i].IsNull() {
				t.Errorf("%s value round trip: %q → %q", typName, want, got)
			}
			buf = rest
		}
		if len(buf) != 0 {
			t.Errorf("%s: %d bytes left over", typName, len(buf))
		}
	}
}

// randomDatum returns a random value of typ, biased towards edge cases
// and near-equal values so that comparisons often go deep.
func randomDatum(rng *rand.Rand, typ T) Datum {
	if rng.Intn(12) == 0 {
		return Null
	}
	switch typ.Family {
	case Bool:
		return NewBool(rng.Intn(2) == 0)
	case Int8:
		switch rng.Intn(5) {
		case 0:
			return NewInt(math.MinInt64 + rng.Int63n(3))
		case 1:
			return NewInt(math.MaxInt64 - rng.Int63n(3))
		}
		return NewInt(rng.Int63n(200) - 100)
	case Float8:
		switch rng.Intn(8) {
		case 0:
			return NewFloat(math.NaN())
		case 1:
			return NewFloat(math.Inf(1 - 2*rng.Intn(2)))
		case 2:
			return NewFloat(math.Copysign(0, -1))
		case 3:
			return NewFloat(math.SmallestNonzeroFloat64 * float64(rng.Intn(3)-1))
		}
		return NewFloat(float64(rng.Intn(21)-10) / 4)
	case Numeric:
		switch rng.Intn(10) {
		case 0:
			return NewDecimal(&apd.Decimal{Form: apd.NaN})
		case 1:
			return NewDecimal(&apd.Decimal{Form: apd.Infinite, Negative: rng.Intn(2) == 0})
		}
		coeff := rng.Int63n(20001) - 10000
		d := apd.New(coeff, int32(rng.Intn(13)-8))
		if d.Coeff.Sign() == 0 {
			d.Negative = false
		}
		return NewDecimal(d)
	case Text, Bytea:
		n := rng.Intn(5)
		b := make([]byte, n)
		for i := range b {
			b[i] = []byte{0, 1, 'a', 'b', 0xff}[rng.Intn(5)]
		}
		if typ.Family == Bytea {
			return NewBytes(b)
		}
		return NewString(string(b))
	case Vector:
		v := make([]float32, 1+rng.Intn(3))
		for i := range v {
			v[i] = float32(rng.Intn(5)-2) / 2
		}
		return NewVector(v)
	case Interval:
		return NewInterval(int32(rng.Intn(3)-1), int32(rng.Intn(61)-30), int64(rng.Intn(5)-2)*MicrosPerDay/2)
	case Array:
		n := rng.Intn(4)
		out := make([]Datum, n)
		for i := range out {
			out[i] = randomDatum(rng, *typ.Elem)
		}
		return NewArray(out)
	case Timestamptz:
		return NewTime([]int64{TimeNegInfinity, TimeInfinity, 0, -1, 1}[rng.Intn(5)])
	}
	panic("randomDatum: unsupported type " + typ.String())
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// TestKeyOrder checks the key encoding's contract on random values:
// bytes.Compare of encodings equals Compare (NULL first ascending, the
// reverse descending), composite keys concatenate, and DecodeKey gives
// back an equal value.
func TestKeyOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	typs := []T{BoolType, Int8Type, Float8Type, NumericType, TextType, ByteaType, VectorType, IntervalType,
		ArrayOf(Int8Type), ArrayOf(TextType), ArrayOf(NumericType), TimestamptzType}
	keyCmp := func(typ T, a, b Datum) int {
		// Compare puts NULL last; keys put it first ascending.
		switch {
		case a.IsNull() && b.IsNull():
			return 0
		case a.IsNull():
			return -1
		case b.IsNull():
			return 1
		}
		return Compare(typ, a, b)
	}
	for _, typ := range typs {
		for i := 0; i < 2000; i++ {
			a, b := randomDatum(rng, typ), randomDatum(rng, typ)
			want := keyCmp(typ, a, b)
			ka, kb := AppendKey(nil, typ, a, false), AppendKey(nil, typ, b, false)
			if got := bytes.Compare(ka, kb); got != want {
				t.Fatalf("%s: key order of %s vs %s = %d, want %d (%x vs %x)", typ, show(typ, a), show(typ, b), got, want, ka, kb)
			}
			da, db := AppendKey(nil, typ, a, true), AppendKey(nil, typ, b, true)
			if got := bytes.Compare(da, db); got != -want {
				t.Fatalf("%s desc: key order of %s vs %s = %d, want %d", typ, show(typ, a), show(typ, b), got, -want)
			}
			// composite: (a, b) and decode both back
			for _, desc := range []bool{false, true} {
				k := AppendKey(AppendKey(nil, typ, a, desc), Int8Type, NewInt(int64(i)), desc)
				got, rest, err := DecodeKey(k, typ, desc)
				if err != nil {
					t.Fatalf("%s DecodeKey(%x): %v", typ, k, err)
				}
				if keyCmp(typ, got, a) != 0 {
					t.Fatalf("%s DecodeKey: got %s, want %s", typ, show(typ, got), show(typ, a))
				}
				n, rest, err := DecodeKey(rest, Int8Type, desc)
				if err != nil || n.I != int64(i) || len(rest) != 0 {
					t.Fatalf("%s composite key tail: %v %v %d", typ, n, err, len(rest))
				}
			}
		}
	}
}

func show(typ T, d Datum) string {
	if d.IsNull() {
		return "NULL"
	}
	return strconv.Quote(FormatText(typ, d, FormatOptions{}))
}

// TestKeyEquality: equal values encode identically (grouping/hashing).
func TestKeyEquality(t *testing.T) {
	for _, c := range []struct {
		typ  T
		a, b string
	}{
		{NumericType, "1.0", "1.00"},
		{NumericType, "100", "1e2"},
		{NumericType, "-0.50", "-0.5"},
		{Float8Type, "0", "-0"},
		{IntervalType, "1 day", "24 hours"},
		{IntervalType, "1 mon", "30 days"},
		{BpcharType, "ab", "ab  "},
	} {
		a, _ := ParseText(c.typ, c.a)
		b, _ := ParseText(c.typ, c.b)
		if !bytes.Equal(AppendKey(nil, c.typ, a, false), AppendKey(nil, c.typ, b, false)) || Compare(c.typ, a, b) != 0 {
			t.Errorf("%s %q and %q: keys differ or Compare != 0", c.typ, c.a, c.b)
		}
	}
}
