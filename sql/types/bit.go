package types

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Bit strings: PostgreSQL's bit(n) and bit varying(n) (src/backend/utils/
// adt/varbit.c). A bit-string Datum has Kind KindBit, I = the number of
// bits and S = the bits packed most significant first, ceil(I/8) bytes,
// the unused low bits of the last byte zero (VARBIT_PAD). Every function
// here keeps that padding invariant, so equal strings have equal S and
// comparisons and popcounts may look at whole bytes.

// stringDataLengthMismatch is SQLSTATE 22026, which bit(n) raises for a
// string of another length.
const stringDataLengthMismatch = pgerr.Code("22026")

// MaxBitLen is the largest bit(n) / varbit(n) modifier PostgreSQL accepts
// (VARBITMAXLEN rounded as anybit_typmodin reports it: 83886080 = 10 MB
// of bits).
const MaxBitLen = 83886080

// NewBit returns a bit-string datum of nbits bits held in packed (most
// significant bit first). packed must have ceil(nbits/8) bytes whose
// unused low bits are zero; it is not copied beyond Go's string copy.
func NewBit(nbits int, packed []byte) Datum {
	return Datum{K: KindBit, I: int64(nbits), S: string(packed)}
}

// BitOf returns bit(n); VarBitOf returns bit varying(n) (n < 0: no limit).
func BitOf(n int) T { return T{Family: Bit, Typmod: int32(n)} }

// VarBitOf returns bit varying(n), or bit varying without a limit for n < 0.
func VarBitOf(n int) T { return T{Family: VarBit, Typmod: int32(n)} }

// BitLen returns the number of bits of a bit-string datum.
func (d Datum) BitLen() int { return int(d.I) }

// BitAt reports whether bit i (0 = leftmost) of a bit-string datum is set.
func (d Datum) BitAt(i int) bool { return d.S[i>>3]&(0x80>>(i&7)) != 0 }

// ParseBit parses PostgreSQL's bit-string text input (bit_in/varbit_in with
// no modifier): binary digits, optionally prefixed by b or B, or
// hexadecimal digits prefixed by x or X (4 bits each). Errors (22P02) name
// the first bad character as PostgreSQL does: `"2" is not a valid binary
// digit`, `"g" is not a valid hexadecimal digit`; 54000 when a hex string
// would exceed MaxBitLen bits.
func ParseBit(s string) (Datum, error) {
	hexForm := false
	switch {
	case s != "" && (s[0] == 'b' || s[0] == 'B'):
		s = s[1:]
	case s != "" && (s[0] == 'x' || s[0] == 'X'):
		s, hexForm = s[1:], true
	}
	if !hexForm {
		out := make([]byte, (len(s)+7)/8)
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '1':
				out[i>>3] |= 0x80 >> (i & 7)
			case '0':
			default:
				return Null, badDigit(s[i:], "binary")
			}
		}
		return NewBit(len(s), out), nil
	}
	if len(s) > MaxBitLen/4 {
		return Null, pgerr.Newf(pgerr.ProgramLimitExceeded, "bit string length exceeds the maximum allowed (%d)", MaxBitLen)
	}
	out := make([]byte, (len(s)+1)/2)
	for i := 0; i < len(s); i++ {
		v, ok := hexVal(s[i])
		if !ok {
			return Null, badDigit(s[i:], "hexadecimal")
		}
		if i&1 == 0 {
			v <<= 4
		}
		out[i>>1] |= byte(v)
	}
	return NewBit(4*len(s), out), nil
}

// badDigit is bit_in's error for the character at the start of rest,
// printed whole when it is a multibyte UTF-8 character (pg_mblen).
func badDigit(rest, kind string) error {
	n := 1
	if _, size := utf8.DecodeRuneInString(rest); size > 1 {
		n = size
	}
	return pgerr.Newf(pgerr.InvalidTextRepresentation, "\"%s\" is not a valid %s digit", rest[:n], kind)
}

// parseBitTyped is the text input of t: ParseBit then the modifier
// check bit_in / varbit_in make (never truncation, which only explicit
// casts do).
func parseBitTyped(t T, s string) (Datum, error) {
	d, err := ParseBit(s)
	if err != nil {
		return Null, err
	}
	return applyBitTypmod(d, t, false)
}

// applyBitTypmod is PostgreSQL's length coercion bit(bit, int, bool) and
// varbit(varbit, int, bool). For bit(n): a string of another length is
// an error (22026) unless explicit, when it is truncated or zero-padded on
// the right. For bit varying(n): a longer string is an error (22001)
// unless explicit, when it is truncated.
func applyBitTypmod(d Datum, to T, explicit bool) (Datum, error) {
	n, l := int(to.Typmod), d.BitLen()
	if n <= 0 || n == l || (to.Family == VarBit && n > l) {
		return d, nil
	}
	if !explicit {
		if to.Family == VarBit {
			return Null, pgerr.Newf(pgerr.StringDataRightTruncation, "bit string too long for type bit varying(%d)", n)
		}
		return Null, pgerr.Newf(stringDataLengthMismatch, "bit string length %d does not match type bit(%d)", l, n)
	}
	out := make([]byte, (n+7)/8)
	copy(out, d.S)
	if n&7 != 0 {
		out[len(out)-1] &= byte(0xff << (8 - n&7))
	}
	return NewBit(n, out), nil
}

// appendBitText is bit_out: one '0' or '1' per bit.
func appendBitText(buf []byte, d Datum) []byte {
	for i := 0; i < d.BitLen(); i++ {
		c := byte('0')
		if d.BitAt(i) {
			c = '1'
		}
		buf = append(buf, c)
	}
	return buf
}

// compareBits is bit_cmp: the packed bytes compared over the shorter
// length, then the shorter string first. NB: with zero padding this is
// also the order of the bits read left to right, shorter prefix first.
func compareBits(a, b Datum) int {
	n := min(len(a.S), len(b.S))
	for i := 0; i < n; i++ {
		if a.S[i] != b.S[i] {
			if a.S[i] < b.S[i] {
				return -1
			}
			return 1
		}
	}
	return cmpInt(a.I, b.I)
}

// decodeBitBinary is bit_recv / varbit_recv: int32 bit count, then the
// packed bytes. The padding bits are cleared, as VARBIT_PAD does.
func decodeBitBinary(t T, b []byte) (Datum, error) {
	if len(b) < 4 {
		return Null, badBinary()
	}
	n := int64(int32(binary.BigEndian.Uint32(b)))
	if n < 0 || n > MaxBitLen {
		return Null, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid length in external bit string")
	}
	if t.Typmod > 0 {
		if t.Family == Bit && n != int64(t.Typmod) {
			return Null, pgerr.Newf(stringDataLengthMismatch, "bit string length %d does not match type bit(%d)", n, t.Typmod)
		}
		if t.Family == VarBit && n > int64(t.Typmod) {
			return Null, pgerr.Newf(pgerr.StringDataRightTruncation, "bit string too long for type bit varying(%d)", t.Typmod)
		}
	}
	body := b[4:]
	if int64(len(body)) != (n+7)/8 {
		return Null, badBinary()
	}
	out := append([]byte(nil), body...)
	if n&7 != 0 {
		out[len(out)-1] &= byte(0xff << (8 - n&7))
	}
	return NewBit(int(n), out), nil
}

// appendBitBinary is bit_send: int32 bit count, then the packed bytes.
func appendBitBinary(buf []byte, d Datum) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(d.I))
	return append(buf, d.S...)
}

// BitsToFloats writes the bits of a bit-string datum to dst as 0 and 1
// (dst must hold BitLen() floats) and returns dst. Vector indexes keep bit
// strings this way: over 0/1 vectors L1 (and squared L2) is the Hamming
// distance.
func BitsToFloats(d Datum, dst []float32) []float32 {
	dst = dst[:d.BitLen()]
	for i := range dst {
		dst[i] = 0
		if d.BitAt(i) {
			dst[i] = 1
		}
	}
	return dst
}

// BinaryQuantize is pgvector's binary_quantize(vector): bit i is set when
// element i is greater than zero.
func BinaryQuantize(v []float32) Datum {
	out := make([]byte, (len(v)+7)/8)
	for i, x := range v {
		if x > 0 {
			out[i>>3] |= 0x80 >> (i & 7)
		}
	}
	return NewBit(len(v), out)
}

// bitFromInt is bitfromint4 / bitfromint8: the low min(n, width) bits of
// i, sign-extended on the left when bit(n) is wider than the integer.
// bit without a modifier is bit(1).
func bitFromInt(i int64, width int, to T) Datum {
	n := int(to.Typmod)
	if n <= 0 {
		n = 1
	}
	out := make([]byte, (n+7)/8)
	for p := 0; p < n; p++ {
		k := n - 1 - p // weight of the bit at position p
		if k >= width {
			k = width - 1 // sign fill
		}
		if i>>k&1 != 0 {
			out[p>>3] |= 0x80 >> (p & 7)
		}
	}
	return NewBit(n, out)
}

// bitToInt is bittoint4 / bittoint8: the bits read as an unsigned binary
// number of width bits, so a full-width string can be negative; a longer
// string is out of range (22003).
func bitToInt(d Datum, width int) (Datum, error) {
	if d.BitLen() > width {
		return Null, intRangeError(map[int]Family{32: Int4, 64: Int8}[width])
	}
	var u uint64
	for p := 0; p < d.BitLen(); p++ {
		u <<= 1
		if d.BitAt(p) {
			u |= 1
		}
	}
	if width == 32 {
		return NewInt(int64(int32(uint32(u)))), nil
	}
	return NewInt(int64(u)), nil
}
