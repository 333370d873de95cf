package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// nullValueNotAllowed is SQLSTATE 22004, which pgvector raises for NULL
// array elements.
const nullValueNotAllowed = pgerr.Code("22004")

// Cast converts d from type from to type to, including to's modifier
// (assignment semantics unless explicit: varchar(n) overflow is 22001,
// while an explicit cast truncates as PostgreSQL does). It does not check
// CastContextOf; the binder decides whether a cast may be applied. Time
// zone-dependent casts use UTC; see CastWithOptions.
//
// Errors are *pgerr.Error: 22003 for out-of-range numbers ("integer out
// of range"), 22001, 22000 for vector dimensions, 22P02 for text that
// does not parse, 42846 `cannot cast type x to y` when no conversion
// exists.
func Cast(d Datum, from, to T, explicit bool) (Datum, error) {
	return CastWithOptions(d, from, to, explicit, FormatOptions{})
}

// CastWithOptions is Cast with the session settings that affect casts:
// TimeZone (timestamp ↔ timestamptz, date → timestamptz, text ↔
// timestamptz) and extra_float_digits (float → text).
func CastWithOptions(d Datum, from, to T, explicit bool, opts FormatOptions) (Datum, error) {
	if d.IsNull() {
		return Null, nil
	}
	if from.Family == Unknown {
		if to.Family == Bit || to.Family == VarBit {
			// NB: PostgreSQL reads the literal without the modifier, then
			// applies the length coercion, which truncates or pads when
			// explicit ('0101'::bit(3) is 010) and fails otherwise.
			b, err := ParseBit(d.S)
			if err != nil {
				return Null, err
			}
			return applyBitTypmod(b, to, explicit)
		}
		return ParseTextWithOptions(to, d.S, opts)
	}
	if from.Family == to.Family && from.Family != Array {
		return applyTypmod(d, to, explicit)
	}
	f, t := from.Family, to.Family
	switch {
	case d.K == KindInt && isIntFamily(f) && isIntFamily(t):
		return intToInt(d.I, t)
	case isIntFamily(f) && (t == Float4 || t == Float8):
		return roundFloat(float64(d.I), t)
	case isIntFamily(f) && t == Numeric:
		return applyNumericTypmod(decimalFromInt(d.I), to.Typmod)
	case (f == Float4 || f == Float8) && isIntFamily(t):
		return floatToInt(d.F, t)
	case (f == Float4 || f == Float8) && (t == Float4 || t == Float8):
		return floatToFloat(d.F, t)
	case (f == Float4 || f == Float8) && t == Numeric:
		return floatToNumeric(d.F, f, to.Typmod)
	case f == Numeric && isIntFamily(t):
		return numericToInt(d.Dec, t)
	case f == Numeric && (t == Float4 || t == Float8):
		return floatToFloat(decimalToFloat(d.Dec), t)
	case f == Bool && t == Int4:
		return NewInt(d.I), nil
	case f == Int4 && t == Bool:
		return NewBool(d.I != 0), nil
	case f == Bool && isStringCategory(t):
		s := "false"
		if d.Bool() {
			s = "true"
		}
		return applyStringTarget(s, to, explicit)
	case f == Int4 && t == Char:
		if d.I < -128 || d.I > 127 {
			return Null, pgerr.New(pgerr.NumericValueOutOfRange, `"char" out of range`)
		}
		if d.I == 0 {
			return NewString(""), nil
		}
		return NewString(string([]byte{byte(d.I)})), nil
	case f == Char && t == Int4:
		if d.S == "" {
			return NewInt(0), nil
		}
		return NewInt(int64(int8(d.S[0]))), nil
	case isIntFamily(f) && isOidFamily(t):
		if d.I < math.MinInt32 || d.I > math.MaxUint32 {
			return Null, pgerr.New(pgerr.NumericValueOutOfRange, "OID out of range")
		}
		return NewInt(int64(uint32(d.I))), nil
	case isOidFamily(f) && isOidFamily(t):
		return NewInt(d.I), nil
	case isOidFamily(f) && t == Int4:
		return NewInt(int64(int32(uint32(d.I)))), nil
	case isOidFamily(f) && t == Int8:
		return NewInt(int64(uint32(d.I))), nil
	case f == Bpchar && isStringCategory(t):
		// NB: bpchar loses its trailing spaces when converted (rtrim1).
		return applyStringTarget(strings.TrimRight(d.S, " "), to, explicit)
	case (f == Text || f == Varchar || f == Name || f == Char) && (isStringCategory(t) || t == Char):
		return applyStringTarget(d.S, to, explicit)
	case isTimeFamily(f) && isTimeFamily(t):
		return castTime(d, f, to, opts)
	case f == Json && t == Jsonb, f == Jsonb && t == Json:
		return ParseText(to, d.S)
	case (f == Int2Vector || f == OidVector) && t == Array:
		return castArray(d, from, to, explicit, opts)
	case f == Vector && t == Array:
		return vectorToArray(d, to)
	case f == Array && t == Vector:
		return arrayToVector(d, from, to)
	case f == Vector && t == HalfVec:
		return vectorToHalfVec(d.Vec, to)
	case f == HalfVec && t == Vector:
		// NB: every half is a float32; only the modifier can fail.
		return applyTypmod(d, to, explicit)
	case f == HalfVec && t == Array:
		return vectorToArray(d, to)
	case f == Array && t == HalfVec:
		return arrayToHalfVec(d, from, to)
	case (f == Bit || f == VarBit) && (t == Bit || t == VarBit):
		return applyBitTypmod(d, to, explicit)
	case (f == Int4 || f == Int8) && t == Bit:
		return bitFromInt(d.I, intWidth(f)*8, to), nil
	case f == Bit && (t == Int4 || t == Int8):
		return bitToInt(d, intWidth(t)*8)
	case f == Array && t == Array:
		return castArray(d, from, to, explicit, opts)
	}
	if f == Record || t == Record || f == Void || t == Void {
		return Null, cannotCast(from, to)
	}
	// automatic I/O conversion
	if isStringCategory(t) || t == Char {
		return applyStringTarget(FormatText(from, d, opts), to, explicit)
	}
	if isStringCategory(f) || f == Char || f == Jsonb || f == Json {
		return ParseTextWithOptions(to, d.S, opts)
	}
	return Null, cannotCast(from, to)
}

func cannotCast(from, to T) error {
	return pgerr.Newf(pgerr.CannotCoerce, "cannot cast type %s to %s", from, to)
}

// applyTypmod coerces a value already of to's family to to's modifier.
func applyTypmod(d Datum, to T, explicit bool) (Datum, error) {
	switch to.Family {
	case Varchar, Bpchar:
		return applyCharTypmod(to, d.S, explicit)
	case Numeric:
		if to.Typmod < 4 {
			return d, nil
		}
		c := new(apd.Decimal).Set(d.Dec)
		return applyNumericTypmod(c, to.Typmod)
	case Vector, HalfVec:
		if err := checkVectorTypmod(to.Typmod, len(d.Vec)); err != nil {
			return Null, err
		}
		return d, nil
	case Bit, VarBit:
		return applyBitTypmod(d, to, explicit)
	case Timestamp, Timestamptz:
		return NewTime(roundTimestamp(d.I, to.Typmod)), nil
	case Name:
		return NewString(truncateName(d.S)), nil
	}
	return d, nil
}

// applyStringTarget converts a string to a string-like target type.
func applyStringTarget(s string, to T, explicit bool) (Datum, error) {
	switch to.Family {
	case Varchar, Bpchar:
		return applyCharTypmod(to, s, explicit)
	case Name:
		return NewString(truncateName(s)), nil
	case Char:
		if s == "" {
			return NewString(""), nil
		}
		return NewString(s[:1]), nil
	}
	return NewString(s), nil
}

func intRangeError(t Family) error {
	switch t {
	case Int2:
		return pgerr.New(pgerr.NumericValueOutOfRange, "smallint out of range")
	case Int4:
		return pgerr.New(pgerr.NumericValueOutOfRange, "integer out of range")
	}
	return pgerr.New(pgerr.NumericValueOutOfRange, "bigint out of range")
}

func intToInt(i int64, t Family) (Datum, error) {
	switch t {
	case Int2:
		if i < math.MinInt16 || i > math.MaxInt16 {
			return Null, intRangeError(t)
		}
	case Int4:
		if i < math.MinInt32 || i > math.MaxInt32 {
			return Null, intRangeError(t)
		}
	}
	return NewInt(i), nil
}

// floatToInt rounds half to even (rint) and range-checks, as dtoi4 etc.
func floatToInt(f float64, t Family) (Datum, error) {
	r := math.RoundToEven(f)
	if math.IsNaN(r) || r < -9.223372036854775808e18 || r >= 9.223372036854775808e18 {
		return Null, intRangeError(t)
	}
	return intToInt(int64(r), t)
}

// floatToFloat converts to float4 (with float8→float4's overflow and
// underflow errors) or float8.
func floatToFloat(f float64, t Family) (Datum, error) {
	if t == Float8 {
		return NewFloat(f), nil
	}
	return roundFloat(f, t)
}

func roundFloat(f float64, t Family) (Datum, error) {
	if t == Float8 {
		return NewFloat(f), nil
	}
	r := float32(f)
	if math.IsInf(float64(r), 0) && !math.IsInf(f, 0) {
		return Null, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	if r == 0 && f != 0 {
		return Null, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
	}
	return NewFloat(float64(r)), nil
}

// floatToNumeric is float8_numeric / float4_numeric: the float printed
// with DBL_DIG (15) or FLT_DIG (6) significant digits, then parsed.
func floatToNumeric(f float64, from Family, typmod int32) (Datum, error) {
	switch {
	case math.IsNaN(f):
		return NewDecimal(&apd.Decimal{Form: apd.NaN}), nil
	case math.IsInf(f, 0):
		return applyNumericTypmod(&apd.Decimal{Form: apd.Infinite, Negative: f < 0}, typmod)
	}
	digits := 15
	bits := 64
	if from == Float4 {
		digits, bits = 6, 32
	}
	s := strconv.FormatFloat(f, 'g', digits, bits)
	return parseNumeric(s, typmod)
}

// numericToInt rounds half away from zero and range-checks.
func numericToInt(d *apd.Decimal, t Family) (Datum, error) {
	name := T{Family: t}.String()
	if d == nil || d.Form == apd.NaN || d.Form == apd.NaNSignaling {
		return Null, pgerr.Newf(pgerr.FeatureNotSupported, "cannot convert NaN to %s", name)
	}
	if d.Form == apd.Infinite {
		return Null, pgerr.Newf(pgerr.FeatureNotSupported, "cannot convert infinity to %s", name)
	}
	if apd.NumDigits(&d.Coeff)+int64(d.Exponent) > 20 {
		return Null, intRangeError(t)
	}
	r := new(apd.Decimal)
	if _, err := numericCtx.Quantize(r, d, 0); err != nil {
		return Null, intRangeError(t)
	}
	i, err := r.Int64()
	if err != nil {
		return Null, intRangeError(t)
	}
	return intToInt(i, t)
}

// castTime converts among date, timestamp and timestamptz.
func castTime(d Datum, f Family, to T, opts FormatOptions) (Datum, error) {
	us := d.I
	if us == TimeInfinity || us == TimeNegInfinity {
		return NewTime(us), nil
	}
	loc := location(opts)
	switch {
	case (f == Date || f == Timestamp) && to.Family == Timestamptz:
		// local wall time in the session zone
		w := MicrosToTime(us, time.UTC)
		lt := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
		us = TimeToMicros(lt)
	case f == Timestamptz && (to.Family == Timestamp || to.Family == Date):
		lt := MicrosToTime(us, loc)
		_, off := lt.Zone()
		us += int64(off) * MicrosPerSecond
	}
	if to.Family == Date {
		return NewTime(floorDiv(us, MicrosPerDay) * MicrosPerDay), nil
	}
	return NewTime(roundTimestamp(us, to.Typmod)), nil
}

// castArray casts element by element.
func castArray(d Datum, from, to T, explicit bool, opts FormatOptions) (Datum, error) {
	fe, _ := from.ElemType()
	te, _ := to.ElemType()
	out := make([]Datum, len(d.Arr))
	for i, e := range d.Arr {
		c, err := CastWithOptions(e, fe, te, explicit, opts)
		if err != nil {
			return Null, err
		}
		out[i] = c
	}
	return NewArray(out), nil
}

// vectorToArray is pgvector's vector_to_float4 (vector → real[]); other
// element types go through real.
func vectorToArray(d Datum, to T) (Datum, error) {
	te, _ := to.ElemType()
	out := make([]Datum, len(d.Vec))
	for i, x := range d.Vec {
		out[i] = NewFloat(float64(x))
	}
	if te.Family == Float4 {
		return NewArray(out), nil
	}
	return castArray(NewArray(out), ArrayOf(Float4Type), to, true, FormatOptions{})
}

// arrayToVector is pgvector's array_to_vector for int4[], float4[],
// float8[] and numeric[].
func arrayToVector(d Datum, from, to T) (Datum, error) {
	v, err := arrayElementsAsReal(d, from, to, "vector")
	if err != nil {
		return Null, err
	}
	for _, x := range v {
		if err := checkVectorElement(x); err != nil {
			return Null, err
		}
	}
	return NewVector(v), nil
}

// arrayElementsAsReal is the part array_to_vector and array_to_halfvec
// share: the element type check, no NULLs (22004), the dimension checks
// (typ names the target type) and each element converted to real.
func arrayElementsAsReal(d Datum, from, to T, typ string) ([]float32, error) {
	fe, _ := from.ElemType()
	switch fe.Family {
	case Int4, Float4, Float8, Numeric:
	default:
		return nil, cannotCast(from, to)
	}
	for _, e := range d.Arr {
		if e.IsNull() {
			return nil, pgerr.New(nullValueNotAllowed, "array must not contain nulls")
		}
	}
	if err := checkDims(len(d.Arr), typ); err != nil {
		return nil, err
	}
	if err := checkVectorTypmod(to.Typmod, len(d.Arr)); err != nil {
		return nil, err
	}
	v := make([]float32, len(d.Arr))
	for i, e := range d.Arr {
		switch fe.Family {
		case Int4:
			v[i] = float32(e.I)
		case Numeric:
			v[i] = float32(decimalToFloat(e.Dec))
		default:
			v[i] = float32(e.F)
		}
	}
	return v, nil
}
