package types

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// Key encoding: bytes whose memcmp order is Compare's order, used for
// primary and secondary index keys and as the grouping/hash key.
//
// NB: this is a durable format. The byte values below are frozen; change
// them only with a storage format version bump.
//
// Layout of one encoded value (ascending):
//
//	NULL:      keyNull (0x00)
//	non-NULL:  keyValue (0x01) then the payload of its family
//
// Payloads (all self-delimiting, so composite keys concatenate):
//
//	bool, ints, oid, time: 8 bytes big-endian, sign bit flipped
//	float4/8:  8 bytes of IEEE bits, flipped so that memcmp orders them;
//	           -0 as 0, NaN (any) as all-ones (greatest, as PostgreSQL)
//	numeric:   class byte (-Inf, <0, 0, >0, +Inf, NaN); for finite non-zero
//	           values the decimal exponent E (value = 0.d1d2… × 10^E) as
//	           4 bytes, then digit pairs as bytes 1..100, then 0x00; all of
//	           it complemented for negatives. Trailing zeros are dropped, so
//	           1.0 and 1.00 encode alike.
//	strings:   bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01
//	           (bpchar without its trailing spaces)
//	interval:  span in days (months as 30) then micros within the day
//	vector:    per element 0x01 + 4 ordered float32 bytes; then 0x00
//	bit:       the packed bytes as a string, then the bit count as an int
//	           (bit_cmp's order: bytes, then the shorter string first)
//	arrays:    per element 0x01 + payload, or 0x02 for a NULL element;
//	           then 0x00
//
// Descending keys are the ascending bytes complemented, so NULL sorts
// first ascending and last descending.
const (
	keyNull  byte = 0x00
	keyValue byte = 0x01

	keyElem     byte = 0x01
	keyElemNull byte = 0x02
	keyEnd      byte = 0x00

	keyNumNegInf byte = 0x10
	keyNumNeg    byte = 0x11
	keyNumZero   byte = 0x12
	keyNumPos    byte = 0x13
	keyNumPosInf byte = 0x14
	keyNumNaN    byte = 0x15
)

// AppendKey appends the order-preserving encoding of d (of type t) to buf:
// bytes.Compare on two encodings equals Compare on the values (for
// desc, the reverse), equal values encode identically (numeric 1.0 and
// 1.00, float -0 and 0, interval '1 day' and '24 hours'), and encodings
// are self-delimiting. NULL is a distinct marker that sorts first
// ascending. It never fails.
func AppendKey(buf []byte, t T, d Datum, desc bool) []byte {
	start := len(buf)
	if d.IsNull() {
		buf = append(buf, keyNull)
	} else {
		buf = append(buf, keyValue)
		buf = appendKeyPayload(buf, t, d)
	}
	if desc {
		for i := start; i < len(buf); i++ {
			buf[i] = ^buf[i]
		}
	}
	return buf
}

func appendKeyUint64(buf []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(buf, v) }

func appendKeyInt(buf []byte, i int64) []byte { return appendKeyUint64(buf, uint64(i)^(1<<63)) }

func appendKeyPayload(buf []byte, t T, d Datum) []byte {
	switch t.Family {
	case Array, Int2Vector, OidVector:
		elem, _ := t.ElemType()
		for _, e := range d.Arr {
			if e.IsNull() {
				buf = append(buf, keyElemNull)
				continue
			}
			buf = append(buf, keyElem)
			buf = appendKeyPayload(buf, elem, e)
		}
		return append(buf, keyEnd)
	case Interval:
		days, us := intervalSpan(d)
		return appendKeyInt(appendKeyInt(buf, days), us)
	case Oid, Regclass, Regtype, Regproc, Regnamespace:
		return appendKeyInt(buf, int64(uint32(d.I)))
	case Bpchar:
		return appendKeyString(buf, strings.TrimRight(d.S, " "))
	case Bit, VarBit:
		return appendKeyInt(appendKeyString(buf, d.S), d.I)
	}
	switch d.K {
	case KindBool, KindInt, KindTime:
		return appendKeyInt(buf, d.I)
	case KindFloat:
		return appendKeyUint64(buf, orderedFloat64(d.F))
	case KindDecimal:
		return appendKeyDecimal(buf, d.Dec)
	case KindString, KindBytes:
		return appendKeyString(buf, d.S)
	case KindVector:
		for _, x := range d.Vec {
			buf = append(buf, keyElem)
			buf = binary.BigEndian.AppendUint32(buf, orderedFloat32(x))
		}
		return append(buf, keyEnd)
	}
	return buf
}

func orderedFloat64(f float64) uint64 {
	if f != f {
		return math.MaxUint64
	}
	if f == 0 {
		f = 0 // -0 → +0
	}
	b := math.Float64bits(f)
	if b&(1<<63) != 0 {
		return ^b
	}
	return b | 1<<63
}

func unorderFloat64(u uint64) float64 {
	if u == math.MaxUint64 {
		return math.NaN()
	}
	if u&(1<<63) != 0 {
		return math.Float64frombits(u &^ (1 << 63))
	}
	return math.Float64frombits(^u)
}

func orderedFloat32(f float32) uint32 {
	if f == 0 {
		f = 0
	}
	b := math.Float32bits(f)
	if b&(1<<31) != 0 {
		return ^b
	}
	return b | 1<<31
}

func unorderFloat32(u uint32) float32 {
	if u&(1<<31) != 0 {
		return math.Float32frombits(u &^ (1 << 31))
	}
	return math.Float32frombits(^u)
}

func appendKeyString(buf []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			break
		}
		buf = append(buf, s[:i]...)
		buf = append(buf, 0x00, 0xFF)
		s = s[i+1:]
	}
	buf = append(buf, s...)
	return append(buf, 0x00, 0x01)
}

func appendKeyDecimal(buf []byte, d *apd.Decimal) []byte {
	switch {
	case d == nil || d.Form == apd.NaN || d.Form == apd.NaNSignaling:
		return append(buf, keyNumNaN)
	case d.Form == apd.Infinite && d.Negative:
		return append(buf, keyNumNegInf)
	case d.Form == apd.Infinite:
		return append(buf, keyNumPosInf)
	case d.Coeff.Sign() == 0:
		return append(buf, keyNumZero)
	}
	digits := strings.TrimRight(d.Coeff.Text(10), "0")
	e := int32(len(d.Coeff.Text(10))) + d.Exponent // value = 0.digits × 10^e
	neg := d.Negative
	if neg {
		buf = append(buf, keyNumNeg)
	} else {
		buf = append(buf, keyNumPos)
	}
	start := len(buf)
	buf = binary.BigEndian.AppendUint32(buf, uint32(e)^(1<<31))
	for i := 0; i < len(digits); i += 2 {
		v := int(digits[i]-'0') * 10
		if i+1 < len(digits) {
			v += int(digits[i+1] - '0')
		}
		buf = append(buf, byte(v+1))
	}
	buf = append(buf, keyEnd)
	if neg {
		for i := start; i < len(buf); i++ {
			buf[i] = ^buf[i]
		}
	}
	return buf
}

// keyReader reads key bytes, undoing the descending complement.
type keyReader struct {
	b    []byte
	mask byte
}

func errCorruptKey() *pgerr.Error {
	return pgerr.New(pgerr.DataCorrupted, "corrupt key encoding")
}

func (r *keyReader) byte1() (byte, error) {
	if len(r.b) == 0 {
		return 0, errCorruptKey()
	}
	c := r.b[0] ^ r.mask
	r.b = r.b[1:]
	return c, nil
}

func (r *keyReader) uint64() (uint64, error) {
	if len(r.b) < 8 {
		return 0, errCorruptKey()
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	if r.mask != 0 {
		v = ^v
	}
	return v, nil
}

func (r *keyReader) uint32() (uint32, error) {
	if len(r.b) < 4 {
		return 0, errCorruptKey()
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	if r.mask != 0 {
		v = ^v
	}
	return v, nil
}

func (r *keyReader) int64() (int64, error) {
	v, err := r.uint64()
	return int64(v ^ (1 << 63)), err
}

// DecodeKey decodes one value that AppendKey wrote for t and desc, and
// returns it with the rest of b. Values come back normalised (numeric
// without trailing fractional zeros, -0 as 0, intervals as days and
// micros, bpchar re-padded to its typmod). Errors are XX001 for bytes
// that are not a valid encoding.
func DecodeKey(b []byte, t T, desc bool) (Datum, []byte, error) {
	r := &keyReader{b: b}
	if desc {
		r.mask = 0xFF
	}
	m, err := r.byte1()
	if err != nil {
		return Null, b, err
	}
	switch m {
	case keyNull:
		return Null, r.b, nil
	case keyValue:
	default:
		return Null, b, errCorruptKey()
	}
	d, err := decodeKeyPayload(r, t)
	if err != nil {
		return Null, b, err
	}
	return d, r.b, nil
}

func decodeKeyPayload(r *keyReader, t T) (Datum, error) {
	switch t.Family {
	case Array, Int2Vector, OidVector:
		elem, _ := t.ElemType()
		out := []Datum{}
		for {
			c, err := r.byte1()
			if err != nil {
				return Null, err
			}
			switch c {
			case keyEnd:
				return NewArray(out), nil
			case keyElemNull:
				out = append(out, Null)
			case keyElem:
				e, err := decodeKeyPayload(r, elem)
				if err != nil {
					return Null, err
				}
				out = append(out, e)
			default:
				return Null, errCorruptKey()
			}
		}
	case Interval:
		days, err := r.int64()
		if err != nil {
			return Null, err
		}
		us, err := r.int64()
		if err != nil {
			return Null, err
		}
		months := days / daysPerMonth
		return NewInterval(int32(months), int32(days-months*daysPerMonth), us), nil
	case Bool:
		v, err := r.int64()
		return NewBool(v != 0), err
	case Int2, Int4, Int8, Oid, Regclass, Regtype, Regproc, Regnamespace:
		v, err := r.int64()
		return NewInt(v), err
	case Timestamp, Timestamptz, Date:
		v, err := r.int64()
		return NewTime(v), err
	case Float4, Float8:
		v, err := r.uint64()
		return NewFloat(unorderFloat64(v)), err
	case Numeric:
		return decodeKeyDecimal(r)
	case Vector, HalfVec:
		var v []float32
		for {
			c, err := r.byte1()
			if err != nil {
				return Null, err
			}
			if c == keyEnd {
				return NewVector(v), nil
			}
			if c != keyElem {
				return Null, errCorruptKey()
			}
			u, err := r.uint32()
			if err != nil {
				return Null, err
			}
			v = append(v, unorderFloat32(u))
		}
	case Void:
		return Null, nil
	case Bit, VarBit:
		s, err := decodeKeyString(r)
		if err != nil {
			return Null, err
		}
		n, err := r.int64()
		if err != nil {
			return Null, err
		}
		if n < 0 || (n+7)/8 != int64(len(s)) {
			return Null, errCorruptKey()
		}
		return Datum{K: KindBit, I: n, S: s}, nil
	}
	s, err := decodeKeyString(r)
	if err != nil {
		return Null, err
	}
	switch t.Family {
	case Bytea:
		return Datum{K: KindBytes, S: s}, nil
	case Bpchar:
		return applyCharTypmod(t, s, true)
	}
	return NewString(s), nil
}

func decodeKeyString(r *keyReader) (string, error) {
	var sb strings.Builder
	for {
		c, err := r.byte1()
		if err != nil {
			return "", err
		}
		if c != 0x00 {
			sb.WriteByte(c)
			continue
		}
		c2, err := r.byte1()
		if err != nil {
			return "", err
		}
		switch c2 {
		case 0x01:
			return sb.String(), nil
		case 0xFF:
			sb.WriteByte(0)
		default:
			return "", errCorruptKey()
		}
	}
}

func decodeKeyDecimal(r *keyReader) (Datum, error) {
	class, err := r.byte1()
	if err != nil {
		return Null, err
	}
	switch class {
	case keyNumNaN:
		return NewDecimal(&apd.Decimal{Form: apd.NaN}), nil
	case keyNumNegInf, keyNumPosInf:
		return NewDecimal(&apd.Decimal{Form: apd.Infinite, Negative: class == keyNumNegInf}), nil
	case keyNumZero:
		return NewDecimal(apd.New(0, 0)), nil
	case keyNumPos, keyNumNeg:
	default:
		return Null, errCorruptKey()
	}
	neg := class == keyNumNeg
	if neg {
		r.mask ^= 0xFF
		defer func() { r.mask ^= 0xFF }()
	}
	eu, err := r.uint32()
	if err != nil {
		return Null, err
	}
	e := int32(eu ^ (1 << 31))
	var digits []byte
	for {
		c, err := r.byte1()
		if err != nil {
			return Null, err
		}
		if c == keyEnd {
			break
		}
		if c < 1 || c > 100 {
			return Null, errCorruptKey()
		}
		v := c - 1
		digits = append(digits, '0'+v/10, '0'+v%10)
		if len(digits) > numericMaxIntDigits+numericMaxScale+2 {
			return Null, errCorruptKey()
		}
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return Null, errCorruptKey()
	}
	d := new(apd.Decimal)
	d.Coeff.SetString(string(digits), 10)
	d.Exponent = e - int32(len(digits))
	d.Negative = neg
	if d.Exponent > 0 {
		r := new(apd.Decimal)
		if _, err := numericCtx.Quantize(r, d, 0); err != nil {
			return Null, errCorruptKey()
		}
		d = r
	}
	return NewDecimal(d), nil
}
