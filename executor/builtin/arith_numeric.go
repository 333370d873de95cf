package builtin

import (
	"math"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Numeric arithmetic follows numeric.c: + - and % are exact with the
// larger input display scale, * is exact with the sum of the scales, and /
// rounds (half away from zero) to select_div_scale's scale. Display scale
// is apd's negative exponent: 1.50 is 150e-2 with scale 2.

// PostgreSQL's numeric constants (numeric.c).
const (
	numericMinSigDigits    = 16
	numericMaxDisplayScale = 1000
	decDigits              = 4 // decimal digits per NBASE (10000) digit
)

// dscale is the display scale of a finite decimal.
func dscale(d *apd.Decimal) int {
	if d.Form != apd.Finite || d.Exponent >= 0 {
		return 0
	}
	return int(-d.Exponent)
}

func isNaNDec(d *apd.Decimal) bool { return d.Form == apd.NaN || d.Form == apd.NaNSignaling }

func nanDec() types.Datum { return types.NewDecimal(&apd.Decimal{Form: apd.NaN}) }

func clampScale(s int) int { return max(0, min(s, numericMaxDisplayScale)) }

// nbase describes a finite nonzero decimal as numeric.c's NumericVar sees
// it: weight of the leading base-10000 digit, that digit, and the next one
// (0 when there are no more nonzero digits, with more set accordingly).
type nbase struct {
	weight        int
	first, second int
	more          bool
}

func nbaseOf(d *apd.Decimal) (nbase, bool) {
	if d.Form != apd.Finite || d.Coeff.Sign() == 0 {
		return nbase{}, false
	}
	s := d.Coeff.String()
	e10 := len(s) - 1 + int(d.Exponent)
	w := floorDiv(e10, decDigits)
	g := e10 - decDigits*w + 1
	digit := func(from, n int) int {
		v := 0
		for i := from; i < from+n; i++ {
			v *= 10
			if i < len(s) {
				v += int(s[i] - '0')
			}
		}
		return v
	}
	nb := nbase{weight: w, first: digit(0, g)}
	if len(s) > g {
		nb.second = digit(g, decDigits)
		for i := g; i < len(s); i++ {
			if s[i] != '0' {
				nb.more = true
				break
			}
		}
	}
	return nb, true
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// divScale is numeric.c's select_div_scale.
func divScale(x, y *apd.Decimal) int {
	var w1, f1, w2, f2 int
	if nb, ok := nbaseOf(x); ok {
		w1, f1 = nb.weight, nb.first
	}
	if nb, ok := nbaseOf(y); ok {
		w2, f2 = nb.weight, nb.first
	}
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := numericMinSigDigits - qweight*decDigits
	rscale = max(rscale, dscale(x), dscale(y))
	return clampScale(rscale)
}

// roundTo rounds d (in place) half away from zero to scale digits after the
// point, as round_var does; a negative scale rounds to tens, hundreds...
// and leaves a display scale of 0.
func roundTo(d *apd.Decimal, scale int, mode apd.Rounder) error {
	if d.Form != apd.Finite {
		return nil
	}
	ctx := types.NumericContext()
	ctx.Rounding = mode
	if _, err := ctx.Quantize(d, d, int32(-scale)); err != nil {
		return numericOverflow()
	}
	if scale < 0 {
		if _, err := ctx.Quantize(d, d, 0); err != nil {
			return numericOverflow()
		}
	}
	return nil
}

func numericOverflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
}

// divDecimal divides x by y and rounds to scale; y must not be zero.
func divDecimal(x, y *apd.Decimal, scale int) (*apd.Decimal, error) {
	ctx := types.NumericContext()
	// NB: truncating to a few digits beyond the result scale, then rounding
	// half away from zero, gives the correctly rounded quotient.
	intDigits := max(0, int(x.NumDigits())+int(x.Exponent)-int(y.NumDigits())-int(y.Exponent)+2)
	ctx.Precision = uint32(intDigits + scale + 3)
	ctx.Rounding = apd.RoundDown
	var q apd.Decimal
	if _, err := ctx.Quo(&q, x, y); err != nil {
		return nil, numericOverflow()
	}
	if err := roundTo(&q, scale, apd.RoundHalfUp); err != nil {
		return nil, err
	}
	return &q, nil
}

// numericSpecial handles NaN and infinite operands of a binary operator:
// NaN wins; otherwise ok=false leaves the finite (or infinite, for apd's
// own IEEE-like rules) computation to the caller.
func numericSpecial(x, y *apd.Decimal) (types.Datum, bool) {
	if isNaNDec(x) || isNaNDec(y) {
		return nanDec(), true
	}
	return types.Datum{}, false
}

// exactOp runs an exact apd operation and maps failures (infinity minus
// infinity) to NaN, as PostgreSQL's numeric does.
func exactOp(op func(ctx *apd.Context, r, a, b *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) (types.Datum, error) {
	if d, ok := numericSpecial(x, y); ok {
		return d, nil
	}
	ctx := types.NumericContext()
	ctx.Traps = 0
	r := new(apd.Decimal)
	cond, _ := op(ctx, r, x, y)
	if cond.InvalidOperation() {
		return nanDec(), nil
	}
	if cond.Overflow() || cond.Inexact() {
		return types.Datum{}, numericOverflow()
	}
	return types.NewDecimal(r), nil
}

func (l *Library) addNumericArith() {
	n := types.NumericType
	l.binOp("+", n, n, n, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return exactOp((*apd.Context).Add, a[0].Dec, a[1].Dec)
	})
	l.binOp("-", n, n, n, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return exactOp((*apd.Context).Sub, a[0].Dec, a[1].Dec)
	})
	l.binOp("*", n, n, n, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return exactOp((*apd.Context).Mul, a[0].Dec, a[1].Dec)
	})
	l.binOp("/", n, n, n, evalNumericDiv)
	l.binOp("%", n, n, n, evalNumericMod)
	l.fn("mod", ts(n, n), n, evalNumericMod)
	l.fn("div", ts(n, n), n, evalNumericIntDiv)
	l.binOp("^", n, n, n, evalNumericPow)
	l.fn("power", ts(n, n), n, evalNumericPow)
	l.fn("pow", ts(n, n), n, evalNumericPow)
	l.unOp("-", n, n, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		r := new(apd.Decimal).Neg(a[0].Dec)
		if isNaNDec(a[0].Dec) {
			return nanDec(), nil
		}
		return types.NewDecimal(r), nil
	})
	l.unOp("+", n, n, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return a[0], nil })
	l.fn("abs", ts(n), n, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		if isNaNDec(a[0].Dec) {
			return nanDec(), nil
		}
		return types.NewDecimal(new(apd.Decimal).Abs(a[0].Dec)), nil
	})
}

func evalNumericDiv(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].Dec, a[1].Dec
	if d, ok := numericSpecial(x, y); ok {
		return d, nil
	}
	if y.Form == apd.Finite && y.IsZero() {
		return types.Datum{}, errDivByZero()
	}
	if x.Form == apd.Infinite || y.Form == apd.Infinite {
		return infiniteDiv(x, y), nil
	}
	q, err := divDecimal(x, y, divScale(x, y))
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewDecimal(q), nil
}

// infiniteDiv is numeric_div's table for infinite operands.
func infiniteDiv(x, y *apd.Decimal) types.Datum {
	if x.Form == apd.Infinite && y.Form == apd.Infinite {
		return nanDec()
	}
	if y.Form == apd.Infinite {
		return types.NewDecimal(apd.New(0, 0))
	}
	r := &apd.Decimal{Form: apd.Infinite, Negative: x.Negative != y.Negative}
	return types.NewDecimal(r)
}

func evalNumericMod(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].Dec, a[1].Dec
	if d, ok := numericSpecial(x, y); ok {
		return d, nil
	}
	if y.Form == apd.Finite && y.IsZero() {
		return types.Datum{}, errDivByZero()
	}
	if x.Form == apd.Infinite {
		return nanDec(), nil
	}
	if y.Form == apd.Infinite {
		return types.NewDecimal(new(apd.Decimal).Set(x)), nil
	}
	return exactOp((*apd.Context).Rem, x, y)
}

// evalNumericIntDiv is div(numeric, numeric): the quotient truncated
// toward zero, with scale 0.
func evalNumericIntDiv(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].Dec, a[1].Dec
	if d, ok := numericSpecial(x, y); ok {
		return d, nil
	}
	if y.Form == apd.Finite && y.IsZero() {
		return types.Datum{}, errDivByZero()
	}
	if x.Form == apd.Infinite || y.Form == apd.Infinite {
		return infiniteDiv(x, y), nil
	}
	ctx := types.NumericContext()
	var q apd.Decimal
	if _, err := ctx.QuoInteger(&q, x, y); err != nil {
		return types.Datum{}, numericOverflow()
	}
	if _, err := ctx.Quantize(&q, &q, 0); err != nil {
		return types.Datum{}, numericOverflow()
	}
	return types.NewDecimal(&q), nil
}

// decToFloat converts a decimal to float64, saturating to ±Inf.
func decToFloat(d *apd.Decimal) float64 {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return math.NaN()
	case apd.Infinite:
		if d.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, err := strconv.ParseFloat(d.String(), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0
	}
	return f
}

// evalNumericPow is numeric ^ numeric: power_var's errors and its result
// scale (at least 16 significant digits, not less than either input's
// scale), computed in apd with guard digits and rounded half away from zero.
func evalNumericPow(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].Dec, a[1].Dec
	if isNaNDec(x) {
		if !isNaNDec(y) && y.Form == apd.Finite && y.IsZero() {
			return types.NewDecimal(apd.New(1, 0)), nil
		}
		return nanDec(), nil
	}
	if isNaNDec(y) {
		if x.Form == apd.Finite && x.Cmp(apd.New(1, 0)) == 0 {
			return types.NewDecimal(apd.New(1, 0)), nil
		}
		return nanDec(), nil
	}
	if x.Form != apd.Finite || y.Form != apd.Finite {
		return types.Datum{}, pgerr.New(pgerr.FeatureNotSupported, "infinite numeric powers are not supported")
	}
	yInt := isIntegral(y)
	if x.IsZero() && y.Negative {
		return types.Datum{}, pgerr.New(codeInvalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if x.Negative && !yInt {
		return types.Datum{}, pgerr.New(codeInvalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	if x.IsZero() {
		if y.IsZero() {
			return types.NewDecimal(roundedOne(clampScale(max(numericMinSigDigits, dscale(x), dscale(y))))), nil
		}
		r := apd.New(0, 0)
		_ = roundTo(r, clampScale(max(numericMinSigDigits, dscale(x), dscale(y))), apd.RoundHalfUp)
		return types.NewDecimal(r), nil
	}
	est := decToFloat(y) * math.Log10(math.Abs(decToFloat(x)))
	if math.IsInf(est, 1) || est > 131072*2 {
		return types.Datum{}, numericOverflow()
	}
	// NB: PostgreSQL 15 gives integer powers (power_var_int) a flat 16
	// digits after the point; other powers 16 significant digits.
	rscale := numericMinSigDigits
	if !yInt {
		rscale -= int(est)
	}
	rscale = clampScale(max(rscale, dscale(x), dscale(y)))
	if est < -float64(rscale)-2 {
		r := apd.New(0, 0)
		_ = roundTo(r, rscale, apd.RoundHalfUp)
		return types.NewDecimal(r), nil
	}
	ctx := types.NumericContext()
	ctx.Precision = uint32(max(0, int(est)+1) + rscale + 10)
	var r apd.Decimal
	if _, err := ctx.Pow(&r, x, y); err != nil {
		return types.Datum{}, numericOverflow()
	}
	if err := roundTo(&r, rscale, apd.RoundHalfUp); err != nil {
		return types.Datum{}, err
	}
	return types.NewDecimal(&r), nil
}

func roundedOne(scale int) *apd.Decimal {
	r := apd.New(1, 0)
	_ = roundTo(r, scale, apd.RoundHalfUp)
	return r
}

func isIntegral(d *apd.Decimal) bool {
	if d.Form != apd.Finite {
		return false
	}
	var i, frac apd.Decimal
	d.Modf(&i, &frac)
	return frac.IsZero()
}
