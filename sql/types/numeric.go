package types

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// PostgreSQL numeric limits (numeric.c): at most 131072 digits before the
// decimal point and 16383 after.
const (
	numericMaxIntDigits = 131072
	numericMaxScale     = 16383
)

// numericCtx is the arithmetic context for rounding numerics. Precision
// is large enough for any value PostgreSQL can hold, and the rounding is
// half away from zero, as PostgreSQL's round_var.
// NB: apd.Context is used by value (it is read-only), so sharing it is safe.
var numericCtx = apd.Context{
	Precision:   numericMaxIntDigits + numericMaxScale + 8,
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Rounding:    apd.RoundHalfUp,
}

// NumericContext returns the apd context vecgres uses for numeric
// arithmetic (PostgreSQL's limits, rounding half away from zero). Callers
// get a copy they may modify.
func NumericContext() *apd.Context {
	c := numericCtx
	return &c
}

// parseNumeric follows numeric_in: spaces around, optional sign, digits
// with an optional point and exponent, or NaN / [+-]Infinity / [+-]inf in
// any case; then the typmod is applied.
func parseNumeric(s string, typmod int32) (Datum, error) {
	v := trimSpace(s)
	body := v
	neg := false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "nan":
		if v[0] == '+' || v[0] == '-' {
			return Null, invalidSyntax("numeric", s)
		}
		return NewDecimal(&apd.Decimal{Form: apd.NaN}), nil
	case "infinity", "inf":
		d := &apd.Decimal{Form: apd.Infinite, Negative: neg}
		return applyNumericTypmod(d, typmod)
	}
	if !validNumericSyntax(body) {
		return Null, invalidSyntax("numeric", s)
	}
	d, _, err := apd.NewFromString(v)
	if err != nil {
		if strings.ContainsAny(body, "eE") {
			return Null, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return Null, invalidSyntax("numeric", s)
	}
	if err := checkNumericLimits(d); err != nil {
		return Null, err
	}
	return applyNumericTypmod(d, typmod)
}

// validNumericSyntax checks digits[.digits][e[+-]digits] with at least one
// digit in the mantissa.
func validNumericSyntax(b string) bool {
	i, digits := 0, 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
		digits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(b)
}

// checkNumericLimits rejects values PostgreSQL's numeric cannot hold and
// normalises negative zero (numeric has none).
func checkNumericLimits(d *apd.Decimal) error {
	if d.Form != apd.Finite {
		return nil
	}
	if d.Coeff.Sign() == 0 {
		d.Negative = false
	}
	if -int64(d.Exponent) > numericMaxScale {
		return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if d.Coeff.Sign() != 0 && apd.NumDigits(&d.Coeff)+int64(d.Exponent) > numericMaxIntDigits {
		return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if d.Exponent > 0 {
		// NB: PostgreSQL keeps no positive exponent (display scale 0), and
		// 0e1 must print as 0, not 00.
		if d.Coeff.Sign() == 0 {
			d.Exponent = 0
		} else if _, err := numericCtx.Quantize(d, d, 0); err != nil {
			return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	return nil
}

// applyNumericTypmod rounds d to numeric(p,s) (half away from zero) and
// checks that it fits, as apply_typmod / apply_typmod_special. d may be
// modified; the result owns its decimal.
func applyNumericTypmod(d *apd.Decimal, typmod int32) (Datum, error) {
	if typmod < 4 || d.Form == apd.NaN {
		return NewDecimal(d), nil
	}
	p, s := numericTypmodPS(typmod)
	if d.Form == apd.Infinite {
		return Null, pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow").WithDetail(
			fmt.Sprintf("A field with precision %d, scale %d cannot hold an infinite value.", p, s))
	}
	r := new(apd.Decimal)
	if _, err := numericCtx.Quantize(r, d, int32(-s)); err != nil {
		return Null, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if r.Coeff.Sign() == 0 {
		r.Negative = false
	}
	if s < 0 {
		// NB: a negative scale rounds to tens/hundreds but prints no point.
		if _, err := numericCtx.Quantize(r, r, 0); err != nil {
			return Null, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	if r.Coeff.Sign() != 0 {
		intDigits := apd.NumDigits(&r.Coeff) + int64(r.Exponent)
		if intDigits > int64(p-s) {
			return Null, pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow").WithDetail(
				fmt.Sprintf("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", p, s, p-s))
		}
	}
	return NewDecimal(r), nil
}

// appendNumericText prints a numeric as numeric_out: plain notation with
// the value's display scale (7.70), NaN, Infinity, -Infinity.
func appendNumericText(buf []byte, d *apd.Decimal) []byte {
	if d == nil {
		return append(buf, "NaN"...)
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(buf, "NaN"...)
	case apd.Infinite:
		if d.Negative {
			return append(buf, "-Infinity"...)
		}
		return append(buf, "Infinity"...)
	}
	if d.Negative && d.Coeff.Sign() == 0 {
		c := *d
		c.Negative = false
		return c.Append(buf, 'f')
	}
	return d.Append(buf, 'f')
}

// numericDscale is the display scale of a finite numeric: digits after
// the point.
func numericDscale(d *apd.Decimal) int {
	if d.Exponent >= 0 {
		return 0
	}
	return int(-d.Exponent)
}

// decimalFromInt returns an exact decimal for i.
func decimalFromInt(i int64) *apd.Decimal { return apd.New(i, 0) }
