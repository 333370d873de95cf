package types

import (
	"math"
	"strconv"
)

// appendFloat prints f as float4out/float8out do under the given
// extra_float_digits: > 0 gives the shortest string that reads back
// exactly (PostgreSQL 12+ default), <= 0 gives printf's %.*g with
// FLT_DIG/DBL_DIG + extra_float_digits significant digits.
func appendFloat(buf []byte, f float64, bits int, extraFloatDigits int) []byte {
	switch {
	case f != f:
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	}
	if extraFloatDigits > 0 {
		return appendFloatShortest(buf, f, bits)
	}
	digits := 15
	if bits == 32 {
		digits = 6
	}
	digits += extraFloatDigits
	if digits < 1 {
		digits = 1
	}
	return strconv.AppendFloat(buf, f, 'g', digits, bits)
}

// appendFloatShortest prints the shortest decimal that rounds back to f
// (Ryu, as PostgreSQL's double_to_shortest_decimal and
// float_to_shortest_decimal): fixed notation when the decimal exponent is
// in [-4, 15) for float8 and [-4, 6) for float4, otherwise d.ddde±XX.
// Examples: 1e+15, 1e-05, 0.1, 123456789012345, 1.234567e+06 (float4).
func appendFloatShortest(buf []byte, f float64, bits int) []byte {
	switch {
	case f != f:
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits)
	// e is [-]d[.ddd]e±XX
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	ePos := 0
	for ePos < len(e) && e[ePos] != 'e' {
		ePos++
	}
	mant := e[:ePos]
	exp, _ := strconv.Atoi(string(e[ePos+1:]))
	var digits [24]byte
	nd := 0
	for _, c := range mant {
		if c != '.' {
			digits[nd] = c
			nd++
		}
	}
	limit := 15
	if bits == 32 {
		limit = 6
	}
	if neg {
		buf = append(buf, '-')
	}
	if exp < -4 || exp >= limit {
		buf = append(buf, digits[0])
		if nd > 1 {
			buf = append(buf, '.')
			buf = append(buf, digits[1:nd]...)
		}
		buf = append(buf, 'e')
		if exp < 0 {
			buf = append(buf, '-')
			exp = -exp
		} else {
			buf = append(buf, '+')
		}
		if exp < 10 {
			buf = append(buf, '0')
		}
		return strconv.AppendInt(buf, int64(exp), 10)
	}
	if exp < 0 {
		buf = append(buf, '0', '.')
		for i := 0; i < -exp-1; i++ {
			buf = append(buf, '0')
		}
		return append(buf, digits[:nd]...)
	}
	// exp >= 0: integer part has exp+1 digits
	intDigits := exp + 1
	if nd <= intDigits {
		buf = append(buf, digits[:nd]...)
		for i := nd; i < intDigits; i++ {
			buf = append(buf, '0')
		}
		return buf
	}
	buf = append(buf, digits[:intDigits]...)
	buf = append(buf, '.')
	return append(buf, digits[intDigits:nd]...)
}
