package types

import (
	"encoding/binary"
	"math"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Half vectors: pgvector's halfvec(n). A halfvec Datum is a KindVector
// datum like a vector's, whose Vec elements are each exactly representable
// in IEEE 754 binary16 (every function that builds one rounds with
// RoundToHalf); so comparisons, distances, key encodings and vector
// indexes treat it as the float32 vector it equals, and only text input,
// casts, the binary wire format and the value encoding know about halves.
//
// NB: pgvector limits halfvec to 16000 dimensions (its page size); vecgres
// allows MaxVectorDims, as for vector, with the same 16-bit limit of the
// binary format.

// The OIDs of halfvec and _halfvec: fixed, above the vector type's and the
// vector access methods' (sql/catalog_tables.go), below user objects.
const (
	HalfVecOID      uint32 = 16391
	HalfVecArrayOID uint32 = 16392
)

// HalfVecType is halfvec without a modifier.
var HalfVecType = T{Family: HalfVec, Typmod: -1}

// HalfVecOf returns halfvec(dims).
func HalfVecOf(dims int) T { return T{Family: HalfVec, Typmod: int32(dims)} }

// MaxHalf is the largest finite half-precision value.
const MaxHalf = 65504

// Float32ToHalfBits converts f to IEEE 754 binary16 bits, rounding to
// nearest with ties to even, as F16C's vcvtps2ph and pgvector's
// Float4ToHalfUnchecked do. Values beyond the half range become
// infinities, values below half the smallest subnormal become zeros (of
// f's sign); a NaN stays a (quiet) NaN.
func Float32ToHalfBits(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff {
		if mant != 0 {
			return sign | 0x7e00 | uint16(mant>>13)
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// Subnormal half (or zero): the 24-bit significand shifted so that
		// one unit is 2^-24. NB: below e = -10 even the significand's
		// leading bit lies under half a unit.
		if e < -10 {
			return sign
		}
		m := mant | 0x800000
		shift := uint(14 - e)
		h := m >> shift
		rem, halfway := m&(1<<shift-1), uint32(1)<<(shift-1)
		if rem > halfway || rem == halfway && h&1 != 0 {
			h++ // NB: may carry into the smallest normal, whose bits follow
		}
		return sign | uint16(h)
	}
	h := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || rem == 0x1000 && h&1 != 0 {
		h++ // NB: a carry out of the mantissa bumps the exponent, up to infinity
	}
	return sign | uint16(h)
}

// HalfBitsToFloat32 converts IEEE 754 binary16 bits to float32 (exact).
func HalfBitsToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		v := float32(mant) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}

// RoundToHalf returns f rounded to the nearest half-precision value
// (ties to even), as a float32; ±Inf when beyond the half range.
func RoundToHalf(f float32) float32 { return HalfBitsToFloat32(Float32ToHalfBits(f)) }

// toHalfChecked is pgvector's Float4ToHalf: the rounded value, or 22003
// "value out of range: overflow" when a finite f exceeds the half range.
func toHalfChecked(f float32) (float32, error) {
	h := RoundToHalf(f)
	if math.IsInf(float64(h), 0) && !math.IsInf(float64(f), 0) {
		return 0, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	return h, nil
}

// ParseHalfVec parses pgvector's halfvec text format ("[1,2,3]", as
// vector's), rounding each element to half precision. Errors are
// halfvec_in's: 22P02 for bad syntax, 22000 for no element, NaN or an
// infinity, 22003 `"70000" is out of range for type halfvec` for a finite
// element beyond ±65504 (after rounding), 54000 beyond MaxVectorDims.
//
// The returned slice is freshly allocated and owned by the caller.
func ParseHalfVec(s string) ([]float32, error) { return parseVectorText(s, true) }

// vectorToHalfVec is vector_to_halfvec: each element rounded, 22003 for
// one beyond the half range.
func vectorToHalfVec(v []float32, to T) (Datum, error) {
	if err := checkDims(len(v), "halfvec"); err != nil {
		return Null, err
	}
	if err := checkVectorTypmod(to.Typmod, len(v)); err != nil {
		return Null, err
	}
	out := make([]float32, len(v))
	for i, x := range v {
		h, err := toHalfChecked(x)
		if err != nil {
			return Null, err
		}
		out[i] = h
	}
	return NewVector(out), nil
}

// arrayToHalfVec is array_to_halfvec for int4[], float4[], float8[] and
// numeric[]: each element converted to real, then to half (22003 beyond
// the half range); NaN and infinities are then rejected (22000).
func arrayToHalfVec(d Datum, from, to T) (Datum, error) {
	v, err := arrayElementsAsReal(d, from, to, "halfvec")
	if err != nil {
		return Null, err
	}
	for i, x := range v {
		if v[i], err = toHalfChecked(x); err != nil {
			return Null, err
		}
	}
	for _, x := range v {
		if err := checkElement(x, "halfvec"); err != nil {
			return Null, err
		}
	}
	return NewVector(v), nil
}

// decodeHalfVecBinary is halfvec_recv: int16 dim, int16 unused (must be
// 0), dim big-endian IEEE half floats, each finite.
// NB: dim is read unsigned, as for vector (MaxBinaryVectorDims).
func decodeHalfVecBinary(b []byte, typmod int32) (Datum, error) {
	if len(b) < 4 {
		return Null, badBinary()
	}
	dim := int(binary.BigEndian.Uint16(b))
	unused := int16(binary.BigEndian.Uint16(b[2:]))
	if err := checkDims(dim, "halfvec"); err != nil {
		return Null, err
	}
	if err := checkVectorTypmod(typmod, dim); err != nil {
		return Null, err
	}
	if unused != 0 {
		return Null, pgerr.Newf(pgerr.DataException, "expected unused to be 0, not %d", unused)
	}
	if len(b) != 4+2*dim {
		return Null, badBinary()
	}
	v := make([]float32, dim)
	for i := range v {
		v[i] = HalfBitsToFloat32(binary.BigEndian.Uint16(b[4+2*i:]))
		if err := checkElement(v[i], "halfvec"); err != nil {
			return Null, err
		}
	}
	return NewVector(v), nil
}

// appendHalfVecBinary is halfvec_send: int16 dim, int16 0, the halves
// big-endian.
func appendHalfVecBinary(buf []byte, v []float32) ([]byte, error) {
	if len(v) > MaxBinaryVectorDims {
		return buf, pgerr.Newf(pgerr.ProgramLimitExceeded,
			"halfvec of %d dimensions cannot be sent in binary format, which carries at most %d; request it in text format",
			len(v), MaxBinaryVectorDims)
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(v)))
	buf = append(buf, 0, 0)
	for _, x := range v {
		buf = binary.BigEndian.AppendUint16(buf, Float32ToHalfBits(x))
	}
	return buf, nil
}

// appendHalfVecValue is the value encoding of a halfvec: uvarint dim, then
// the halves little-endian (two bytes each, half of vector's).
func appendHalfVecValue(buf []byte, v []float32) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(v)))
	for _, x := range v {
		buf = binary.LittleEndian.AppendUint16(buf, Float32ToHalfBits(x))
	}
	return buf
}

// decodeHalfVecValue reverses appendHalfVecValue, returning the rest of b.
func decodeHalfVecValue(b []byte) (Datum, []byte, error) {
	dim, n := binary.Uvarint(b)
	if n <= 0 || dim > uint64(len(b)-n)/2 {
		return Null, b, errCorruptValue()
	}
	b = b[n:]
	v := make([]float32, dim)
	for i := range v {
		v[i] = HalfBitsToFloat32(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return NewVector(v), b[2*dim:], nil
}
