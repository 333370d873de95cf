package types

import (
	"encoding/binary"
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// Value encoding: compact bytes for a column value inside a stored row.
// Not order-preserving (keys use AppendKey); the reader must know t.
//
// NB: this is a durable format; the tags below are frozen.
//
//	0x00                     NULL
//	0x01 payload             a value:
//	  bool                   1 byte
//	  ints, oid, time, date  zigzag varint
//	  float4 / float8        4 / 8 bytes little-endian IEEE
//	  numeric                form byte (0 +, 1 -, 2 NaN, 3 +Inf, 4 -Inf);
//	                         finite: zigzag exponent, uvarint length, big-endian
//	                         coefficient bytes (the display scale survives)
//	  uuid                   16 raw bytes
//	  strings, bytea, json   uvarint length, bytes
//	  interval               zigzag months, days, micros
//	  vector                 uvarint dims, dims × 4 bytes little-endian float32
//	  bit, varbit            uvarint bit count, ceil(count/8) packed bytes (MSB first)
//	  arrays                 uvarint count, each element value-encoded
const (
	valNull    byte = 0x00
	valPresent byte = 0x01
)

// AppendValue appends the row-value encoding of d (of type t, NULL
// allowed) to buf and returns the extended buffer. It never fails.
func AppendValue(buf []byte, t T, d Datum) []byte {
	if d.IsNull() {
		return append(buf, valNull)
	}
	buf = append(buf, valPresent)
	switch t.Family {
	case Bool:
		return append(buf, byte(d.I&1))
	case Int2, Int4, Int8, Oid, Regclass, Regtype, Regproc, Regnamespace, Timestamp, Timestamptz, Date:
		return binary.AppendVarint(buf, d.I)
	case Float4:
		return binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(d.F)))
	case Float8:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(d.F))
	case Numeric:
		return appendValueDecimal(buf, d.Dec)
	case Uuid:
		raw, err := uuidBytes(d.S)
		if err != nil {
			raw = make([]byte, 16)
		}
		return append(buf, raw...)
	case Interval:
		buf = binary.AppendVarint(buf, int64(d.Months))
		buf = binary.AppendVarint(buf, int64(d.Days))
		return binary.AppendVarint(buf, d.I)
	case Vector:
		buf = binary.AppendUvarint(buf, uint64(len(d.Vec)))
		for _, x := range d.Vec {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		return buf
	case HalfVec:
		return appendHalfVecValue(buf, d.Vec)
	case Bit, VarBit:
		buf = binary.AppendUvarint(buf, uint64(d.I))
		return append(buf, d.S...)
	case Array, Int2Vector, OidVector:
		elem, _ := t.ElemType()
		buf = binary.AppendUvarint(buf, uint64(len(d.Arr)))
		for _, e := range d.Arr {
			buf = AppendValue(buf, elem, e)
		}
		return buf
	case Void:
		return buf
	}
	buf = binary.AppendUvarint(buf, uint64(len(d.S)))
	return append(buf, d.S...)
}

func appendValueDecimal(buf []byte, d *apd.Decimal) []byte {
	switch {
	case d == nil || d.Form == apd.NaN || d.Form == apd.NaNSignaling:
		return append(buf, 2)
	case d.Form == apd.Infinite && d.Negative:
		return append(buf, 4)
	case d.Form == apd.Infinite:
		return append(buf, 3)
	case d.Negative && d.Coeff.Sign() != 0:
		buf = append(buf, 1)
	default:
		buf = append(buf, 0)
	}
	buf = binary.AppendVarint(buf, int64(d.Exponent))
	c := d.Coeff.Bytes()
	buf = binary.AppendUvarint(buf, uint64(len(c)))
	return append(buf, c...)
}

func errCorruptValue() *pgerr.Error {
	return pgerr.New(pgerr.DataCorrupted, "corrupt value encoding")
}

// DecodeValue decodes one value AppendValue wrote for t and returns it
// with the rest of b. Strings are copied out of b. Errors are XX001.
func DecodeValue(b []byte, t T) (Datum, []byte, error) {
	if len(b) == 0 {
		return Null, b, errCorruptValue()
	}
	switch b[0] {
	case valNull:
		return Null, b[1:], nil
	case valPresent:
	default:
		return Null, b, errCorruptValue()
	}
	d, rest, err := decodeValuePayload(b[1:], t)
	if err != nil {
		return Null, b, err
	}
	return d, rest, nil
}

func decodeValuePayload(b []byte, t T) (Datum, []byte, error) {
	switch t.Family {
	case Bool:
		if len(b) < 1 {
			return Null, b, errCorruptValue()
		}
		return NewBool(b[0] != 0), b[1:], nil
	case Int2, Int4, Int8, Oid, Regclass, Regtype, Regproc, Regnamespace:
		v, n := binary.Varint(b)
		if n <= 0 {
			return Null, b, errCorruptValue()
		}
		return NewInt(v), b[n:], nil
	case Timestamp, Timestamptz, Date:
		v, n := binary.Varint(b)
		if n <= 0 {
			return Null, b, errCorruptValue()
		}
		return NewTime(v), b[n:], nil
	case Float4:
		if len(b) < 4 {
			return Null, b, errCorruptValue()
		}
		return NewFloat(float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))), b[4:], nil
	case Float8:
		if len(b) < 8 {
			return Null, b, errCorruptValue()
		}
		return NewFloat(math.Float64frombits(binary.LittleEndian.Uint64(b))), b[8:], nil
	case Numeric:
		return decodeValueDecimal(b)
	case Uuid:
		if len(b) < 16 {
			return Null, b, errCorruptValue()
		}
		return NewString(formatUUID(b[:16])), b[16:], nil
	case Interval:
		var v [3]int64
		for i := range v {
			x, n := binary.Varint(b)
			if n <= 0 {
				return Null, b, errCorruptValue()
			}
			v[i] = x
			b = b[n:]
		}
		return NewInterval(int32(v[0]), int32(v[1]), v[2]), b, nil
	case Vector:
		dim, n := binary.Uvarint(b)
		if n <= 0 || dim > uint64(len(b)-n)/4 {
			return Null, b, errCorruptValue()
		}
		b = b[n:]
		v := make([]float32, dim)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return NewVector(v), b[4*dim:], nil
	case HalfVec:
		return decodeHalfVecValue(b)
	case Bit, VarBit:
		bits, n := binary.Uvarint(b)
		if n <= 0 || bits > MaxBitLen || (bits+7)/8 > uint64(len(b)-n) {
			return Null, b, errCorruptValue()
		}
		l := int(bits+7) / 8
		return Datum{K: KindBit, I: int64(bits), S: string(b[n : n+l])}, b[n+l:], nil
	case Array, Int2Vector, OidVector:
		elem, _ := t.ElemType()
		cnt, n := binary.Uvarint(b)
		if n <= 0 || cnt > uint64(len(b)-n) {
			return Null, b, errCorruptValue()
		}
		b = b[n:]
		out := make([]Datum, 0, cnt)
		for i := uint64(0); i < cnt; i++ {
			e, rest, err := DecodeValue(b, elem)
			if err != nil {
				return Null, b, err
			}
			out = append(out, e)
			b = rest
		}
		return NewArray(out), b, nil
	case Void:
		return Null, b, nil
	}
	l, n := binary.Uvarint(b)
	if n <= 0 || l > uint64(len(b)-n) {
		return Null, b, errCorruptValue()
	}
	s := string(b[n : n+int(l)])
	if t.Family == Bytea {
		return Datum{K: KindBytes, S: s}, b[n+int(l):], nil
	}
	return NewString(s), b[n+int(l):], nil
}

func decodeValueDecimal(b []byte) (Datum, []byte, error) {
	if len(b) < 1 {
		return Null, b, errCorruptValue()
	}
	form := b[0]
	b = b[1:]
	switch form {
	case 2:
		return NewDecimal(&apd.Decimal{Form: apd.NaN}), b, nil
	case 3, 4:
		return NewDecimal(&apd.Decimal{Form: apd.Infinite, Negative: form == 4}), b, nil
	case 0, 1:
	default:
		return Null, b, errCorruptValue()
	}
	e, n := binary.Varint(b)
	if n <= 0 || e > math.MaxInt32 || e < math.MinInt32 {
		return Null, b, errCorruptValue()
	}
	b = b[n:]
	l, n := binary.Uvarint(b)
	if n <= 0 || l > uint64(len(b)-n) {
		return Null, b, errCorruptValue()
	}
	d := new(apd.Decimal)
	d.Coeff.SetBytes(b[n : n+int(l)])
	d.Exponent = int32(e)
	d.Negative = form == 1
	return NewDecimal(d), b[n+int(l):], nil
}
