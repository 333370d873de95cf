package types

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// Reference: PostgreSQL's *_recv / *_send functions (binary format of
// each type, all integers big-endian) and pgvector's vector_recv/send.

func badBinary() *pgerr.Error {
	return pgerr.New(pgerr.InvalidBinaryRepresentation, "incorrect binary data format")
}

// DecodeBinary decodes a value in PostgreSQL's binary format for t (a Bind
// parameter or a binary COPY field) and applies t's modifier. b is not
// retained. Errors: 22P03 "incorrect binary data format" for wrong sizes,
// 22P03 numeric/array specifics, 22000 for vector dimension and element
// checks (as pgvector), 22021 for invalid UTF-8 text.
func DecodeBinary(t T, b []byte) (Datum, error) {
	switch t.Family {
	case Bool:
		if len(b) != 1 {
			return Null, badBinary()
		}
		return NewBool(b[0] != 0), nil
	case Int2:
		if len(b) != 2 {
			return Null, badBinary()
		}
		return NewInt(int64(int16(binary.BigEndian.Uint16(b)))), nil
	case Int4:
		if len(b) != 4 {
			return Null, badBinary()
		}
		return NewInt(int64(int32(binary.BigEndian.Uint32(b)))), nil
	case Int8:
		if len(b) != 8 {
			return Null, badBinary()
		}
		return NewInt(int64(binary.BigEndian.Uint64(b))), nil
	case Oid, Regclass, Regtype, Regproc, Regnamespace:
		if len(b) != 4 {
			return Null, badBinary()
		}
		return NewInt(int64(binary.BigEndian.Uint32(b))), nil
	case Float4:
		if len(b) != 4 {
			return Null, badBinary()
		}
		return NewFloat(float64(math.Float32frombits(binary.BigEndian.Uint32(b)))), nil
	case Float8:
		if len(b) != 8 {
			return Null, badBinary()
		}
		return NewFloat(math.Float64frombits(binary.BigEndian.Uint64(b))), nil
	case Char:
		if len(b) > 1 {
			return Null, badBinary()
		}
		return NewString(string(b)), nil
	case Text, Varchar, Bpchar, Name, Unknown, Json:
		s := string(b)
		if err := checkUTF8(s); err != nil {
			return Null, err
		}
		return ParseText(t, s)
	case Jsonb:
		if len(b) < 1 || b[0] != 1 {
			return Null, pgerr.Newf(pgerr.InvalidBinaryRepresentation, "unsupported jsonb version number %d", firstByte(b))
		}
		return ParseText(t, string(b[1:]))
	case Bytea:
		return NewBytes(b), nil
	case Uuid:
		if len(b) != 16 {
			return Null, badBinary()
		}
		return NewString(formatUUID(b)), nil
	case Timestamp, Timestamptz:
		if len(b) != 8 {
			return Null, badBinary()
		}
		return NewTime(roundTimestamp(int64(binary.BigEndian.Uint64(b)), t.Typmod)), nil
	case Date:
		if len(b) != 4 {
			return Null, badBinary()
		}
		days := int32(binary.BigEndian.Uint32(b))
		switch days {
		case math.MaxInt32:
			return NewTime(TimeInfinity), nil
		case math.MinInt32:
			return NewTime(TimeNegInfinity), nil
		}
		return NewDate(int64(days)), nil
	case Interval:
		if len(b) != 16 {
			return Null, badBinary()
		}
		return NewInterval(int32(binary.BigEndian.Uint32(b[12:])), int32(binary.BigEndian.Uint32(b[8:])),
			int64(binary.BigEndian.Uint64(b))), nil
	case Numeric:
		return decodeNumericBinary(b, t.Typmod)
	case Vector:
		return decodeVectorBinary(b, t.Typmod)
	case HalfVec:
		return decodeHalfVecBinary(b, t.Typmod)
	case Bit, VarBit:
		return decodeBitBinary(t, b)
	case Array, Int2Vector, OidVector:
		return decodeArrayBinary(t, b)
	case Void:
		return Null, nil
	}
	return Null, pgerr.Newf(pgerr.FeatureNotSupported, "binary input for type %s is not supported", t)
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return int(b[0])
}

// decodeVectorBinary is pgvector's vector_recv: int16 dim, int16 unused
// (must be 0), dim big-endian float4s.
// NB: dim is read unsigned so that up to MaxBinaryVectorDims (65535) fits.
func decodeVectorBinary(b []byte, typmod int32) (Datum, error) {
	if len(b) < 4 {
		return Null, badBinary()
	}
	dim := int(binary.BigEndian.Uint16(b))
	unused := int16(binary.BigEndian.Uint16(b[2:]))
	if err := checkVectorDims(dim); err != nil {
		return Null, err
	}
	if err := checkVectorTypmod(typmod, dim); err != nil {
		return Null, err
	}
	if unused != 0 {
		return Null, pgerr.Newf(pgerr.DataException, "expected unused to be 0, not %d", unused)
	}
	if len(b) != 4+4*dim {
		return Null, badBinary()
	}
	v := make([]float32, dim)
	for i := range v {
		v[i] = math.Float32frombits(binary.BigEndian.Uint32(b[4+4*i:]))
		if err := checkVectorElement(v[i]); err != nil {
			return Null, err
		}
	}
	return NewVector(v), nil
}

// Numeric binary sign words (numeric.c).
const (
	numericPos  = 0x0000
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

// decodeNumericBinary is numeric_recv: int16 ndigits, int16 weight,
// uint16 sign, uint16 dscale, ndigits base-10000 int16 digits.
func decodeNumericBinary(b []byte, typmod int32) (Datum, error) {
	if len(b) < 8 {
		return Null, badBinary()
	}
	ndigits := int(int16(binary.BigEndian.Uint16(b)))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int(binary.BigEndian.Uint16(b[6:]))
	if ndigits < 0 || len(b) != 8+2*ndigits {
		return Null, badBinary()
	}
	switch sign {
	case numericNaN:
		return NewDecimal(&apd.Decimal{Form: apd.NaN}), nil
	case numericPInf, numericNInf:
		return applyNumericTypmod(&apd.Decimal{Form: apd.Infinite, Negative: sign == numericNInf}, typmod)
	case numericPos, numericNeg:
	default:
		return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid sign in external \"numeric\" value")
	}
	if dscale > numericMaxScale {
		return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid scale in external \"numeric\" value")
	}
	var sb strings.Builder
	for i := 0; i < ndigits; i++ {
		dg := int16(binary.BigEndian.Uint16(b[8+2*i:]))
		if dg < 0 || dg >= 10000 {
			return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid digit in external \"numeric\" value")
		}
		s := itoa4(int(dg))
		sb.WriteString(s)
	}
	d := new(apd.Decimal)
	if ndigits == 0 {
		d.SetFinite(0, int32(-dscale))
	} else {
		if _, ok := d.Coeff.SetString(sb.String(), 10); !ok {
			return Null, badBinary()
		}
		d.Exponent = int32((weight - ndigits + 1) * 4)
		d.Negative = sign == numericNeg
		if err := checkNumericLimits(d); err != nil {
			return Null, err
		}
		// present the value with exactly dscale fractional digits
		r := new(apd.Decimal)
		if _, err := numericCtx.Quantize(r, d, int32(-dscale)); err != nil {
			return Null, badBinary()
		}
		d = r
		if d.Coeff.Sign() == 0 {
			d.Negative = false
		}
	}
	if err := checkNumericLimits(d); err != nil {
		return Null, err
	}
	return applyNumericTypmod(d, typmod)
}

func itoa4(n int) string {
	return string([]byte{byte('0' + n/1000), byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}

// appendNumericBinary is numeric_send.
func appendNumericBinary(buf []byte, d *apd.Decimal) []byte {
	if d == nil || d.Form == apd.NaN || d.Form == apd.NaNSignaling {
		return append(buf, 0, 0, 0, 0, 0xC0, 0, 0, 0)
	}
	if d.Form == apd.Infinite {
		if d.Negative {
			return append(buf, 0, 0, 0, 0, 0xF0, 0, 0, 0)
		}
		return append(buf, 0, 0, 0, 0, 0xD0, 0, 0, 0)
	}
	dscale := numericDscale(d)
	coeff := d.Coeff.Text(10)
	if coeff == "0" {
		return binary.BigEndian.AppendUint16(append(buf, 0, 0, 0, 0, 0, 0), uint16(dscale))
	}
	// digits string with the decimal point after intLen digits
	digits := coeff
	intLen := len(coeff) + int(d.Exponent)
	if d.Exponent > 0 {
		digits += strings.Repeat("0", int(d.Exponent))
	}
	if intLen < 0 {
		digits = strings.Repeat("0", -intLen) + digits
		intLen = 0
	}
	// pad the integer part on the left and the fraction on the right to
	// whole base-10000 groups
	lead := (4 - intLen%4) % 4
	digits = strings.Repeat("0", lead) + digits
	intLen += lead
	if r := (len(digits) - intLen) % 4; r != 0 {
		digits += strings.Repeat("0", 4-r)
	}
	groups := make([]uint16, 0, len(digits)/4)
	for i := 0; i < len(digits); i += 4 {
		g := (int(digits[i]-'0')*1000 + int(digits[i+1]-'0')*100 + int(digits[i+2]-'0')*10 + int(digits[i+3]-'0'))
		groups = append(groups, uint16(g))
	}
	weight := intLen/4 - 1
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(groups)))
	buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
	sign := uint16(numericPos)
	if d.Negative {
		sign = numericNeg
	}
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	for _, g := range groups {
		buf = binary.BigEndian.AppendUint16(buf, g)
	}
	return buf
}

// decodeArrayBinary is array_recv restricted to one dimension (or none):
// int32 ndim, int32 has-null flag, uint32 element OID, per dimension
// int32 size and int32 lower bound, then per element an int32 length
// (-1 for NULL) and its bytes.
func decodeArrayBinary(t T, b []byte) (Datum, error) {
	elem, _ := t.ElemType()
	if len(b) < 12 {
		return Null, badBinary()
	}
	ndim := int32(binary.BigEndian.Uint32(b))
	flags := int32(binary.BigEndian.Uint32(b[4:]))
	elemOID := binary.BigEndian.Uint32(b[8:])
	if ndim < 0 || ndim > 6 {
		return Null, pgerr.Newf(pgerr.InvalidBinaryRepresentation, "invalid number of dimensions: %d", ndim)
	}
	if flags != 0 && flags != 1 {
		return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid array flags")
	}
	if elemOID != elem.OID() {
		return Null, pgerr.New(pgerr.DatatypeMismatch, "wrong element type")
	}
	if ndim == 0 {
		if len(b) != 12 {
			return Null, badBinary()
		}
		return NewArray([]Datum{}), nil
	}
	if ndim > 1 {
		return Null, pgerr.New(pgerr.FeatureNotSupported, "multidimensional arrays are not supported")
	}
	if len(b) < 20 {
		return Null, badBinary()
	}
	n := int32(binary.BigEndian.Uint32(b[12:]))
	if n < 0 || int64(n) > int64(len(b)) {
		return Null, pgerr.New(pgerr.ProgramLimitExceeded, "array size exceeds the maximum allowed")
	}
	p := b[20:]
	out := make([]Datum, 0, n)
	for i := int32(0); i < n; i++ {
		if len(p) < 4 {
			return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "insufficient data left in message")
		}
		l := int32(binary.BigEndian.Uint32(p))
		p = p[4:]
		if l == -1 {
			out = append(out, Null)
			continue
		}
		if l < 0 || int(l) > len(p) {
			return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "insufficient data left in message")
		}
		d, err := DecodeBinary(elem, p[:l])
		if err != nil {
			return Null, err
		}
		out = append(out, d)
		p = p[l:]
	}
	if len(p) != 0 {
		return Null, badBinary()
	}
	return NewArray(out), nil
}

// AppendBinary appends d's PostgreSQL binary format for t: the inverse of
// DecodeBinary. d must not be NULL. Errors: 0A000 for types without a
// binary form here (record).
func AppendBinary(buf []byte, t T, d Datum) ([]byte, error) {
	switch t.Family {
	case Bool:
		if d.Bool() {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case Int2:
		return binary.BigEndian.AppendUint16(buf, uint16(d.I)), nil
	case Int4:
		return binary.BigEndian.AppendUint32(buf, uint32(d.I)), nil
	case Int8:
		return binary.BigEndian.AppendUint64(buf, uint64(d.I)), nil
	case Oid, Regclass, Regtype, Regproc, Regnamespace:
		return binary.BigEndian.AppendUint32(buf, uint32(d.I)), nil
	case Float4:
		return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(d.F))), nil
	case Float8:
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(d.F)), nil
	case Text, Varchar, Bpchar, Name, Unknown, Json, Char, Bytea:
		return append(buf, d.S...), nil
	case Jsonb:
		return append(append(buf, 1), d.S...), nil
	case Uuid:
		raw, err := uuidBytes(d.S)
		if err != nil {
			return buf, err
		}
		return append(buf, raw...), nil
	case Timestamp, Timestamptz:
		return binary.BigEndian.AppendUint64(buf, uint64(d.I)), nil
	case Date:
		switch d.I {
		case TimeInfinity:
			return binary.BigEndian.AppendUint32(buf, math.MaxInt32), nil
		case TimeNegInfinity:
			return binary.BigEndian.AppendUint32(buf, 1<<31), nil
		}
		return binary.BigEndian.AppendUint32(buf, uint32(int32(floorDiv(d.I, MicrosPerDay)))), nil
	case Interval:
		buf = binary.BigEndian.AppendUint64(buf, uint64(d.I))
		buf = binary.BigEndian.AppendUint32(buf, uint32(d.Days))
		return binary.BigEndian.AppendUint32(buf, uint32(d.Months)), nil
	case Numeric:
		return appendNumericBinary(buf, d.Dec), nil
	case Vector:
		if len(d.Vec) > MaxBinaryVectorDims {
			return buf, pgerr.Newf(pgerr.ProgramLimitExceeded,
				"vector of %d dimensions cannot be sent in binary format, which carries at most %d; request it in text format",
				len(d.Vec), MaxBinaryVectorDims)
		}
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(d.Vec)))
		buf = append(buf, 0, 0)
		for _, x := range d.Vec {
			buf = binary.BigEndian.AppendUint32(buf, math.Float32bits(x))
		}
		return buf, nil
	case HalfVec:
		return appendHalfVecBinary(buf, d.Vec)
	case Bit, VarBit:
		return appendBitBinary(buf, d), nil
	case Array, Int2Vector, OidVector:
		return appendArrayBinary(buf, t, d)
	case Void:
		return buf, nil
	}
	return buf, pgerr.Newf(pgerr.FeatureNotSupported, "binary output for type %s is not supported", t)
}

func appendArrayBinary(buf []byte, t T, d Datum) ([]byte, error) {
	elem, _ := t.ElemType()
	// NB: PostgreSQL sends an empty array with zero dimensions.
	if len(d.Arr) == 0 {
		buf = binary.BigEndian.AppendUint32(buf, 0)
		buf = binary.BigEndian.AppendUint32(buf, 0)
		return binary.BigEndian.AppendUint32(buf, elem.OID()), nil
	}
	hasNull := uint32(0)
	for _, e := range d.Arr {
		if e.IsNull() {
			hasNull = 1
		}
	}
	lbound := uint32(1)
	if t.Family != Array {
		lbound = 0 // int2vector and oidvector start at 0
	}
	buf = binary.BigEndian.AppendUint32(buf, 1)
	buf = binary.BigEndian.AppendUint32(buf, hasNull)
	buf = binary.BigEndian.AppendUint32(buf, elem.OID())
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(d.Arr)))
	buf = binary.BigEndian.AppendUint32(buf, lbound)
	for _, e := range d.Arr {
		if e.IsNull() {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		buf, err = AppendBinary(buf, elem, e)
		if err != nil {
			return buf, err
		}
		binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf, nil
}

// uuidBytes parses a canonical uuid string back to its 16 bytes.
func uuidBytes(s string) ([]byte, error) {
	d, err := parseUUID(s)
	if err != nil {
		return nil, err
	}
	h := strings.ReplaceAll(d.S, "-", "")
	out := make([]byte, 16)
	for i := range out {
		hi, _ := hexVal(h[2*i])
		lo, _ := hexVal(h[2*i+1])
		out[i] = hi<<4 | lo
	}
	return out, nil
}
