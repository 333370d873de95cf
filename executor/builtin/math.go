package builtin

import (
	"math"
	"math/rand/v2"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Mathematical functions (PostgreSQL docs table 9.5) for float8 and
// numeric. Numeric results get numeric.c's scales: 16 significant digits
// and at least the input's scale, rounded half away from zero.

func floatFn(f func(float64) float64) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewFloat(f(a[0].F)), nil }
}

func (l *Library) addMath() {
	f8, n := types.Float8Type, types.NumericType
	for _, name := range []string{"ceil", "ceiling"} {
		l.fn(name, ts(f8), f8, floatFn(math.Ceil))
		l.fn(name, ts(n), n, numericRound(apd.RoundCeiling, false))
	}
	l.fn("floor", ts(f8), f8, floatFn(math.Floor))
	l.fn("floor", ts(n), n, numericRound(apd.RoundFloor, false))
	l.fn("round", ts(f8), f8, floatFn(math.RoundToEven))
	l.fn("round", ts(n), n, numericRound(apd.RoundHalfUp, false))
	l.fn("round", ts(n, types.Int4Type), n, numericRound(apd.RoundHalfUp, true))
	l.fn("trunc", ts(f8), f8, floatFn(math.Trunc))
	l.fn("trunc", ts(n), n, numericRound(apd.RoundDown, false))
	l.fn("trunc", ts(n, types.Int4Type), n, numericRound(apd.RoundDown, true))
	l.fn("sign", ts(f8), f8, floatFn(func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return 0
	}))
	l.fn("sign", ts(n), n, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		d := a[0].Dec
		if isNaNDec(d) {
			return nanDec(), nil
		}
		s := int64(0)
		if d.Form == apd.Infinite || !d.IsZero() {
			s = 1
			if d.Negative {
				s = -1
			}
		}
		return types.NewDecimal(apd.New(s, 0)), nil
	})
	l.fn("sqrt", ts(f8), f8, evalFloatSqrt)
	l.fn("sqrt", ts(n), n, evalNumericSqrt)
	l.fn("cbrt", ts(f8), f8, floatFn(math.Cbrt))
	l.fn("exp", ts(f8), f8, evalFloatExp)
	l.fn("exp", ts(n), n, evalNumericExp)
	l.fn("ln", ts(f8), f8, floatLog(math.Log))
	l.fn("ln", ts(n), n, evalNumericLn)
	l.fn("log", ts(f8), f8, floatLog(math.Log10))
	l.fn("log10", ts(f8), f8, floatLog(math.Log10))
	l.fn("log", ts(n), n, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
		return evalNumericLog(ctx, []types.Datum{types.NewDecimal(apd.New(10, 0)), a[0]})
	})
	l.fn("log10", ts(n), n, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
		return evalNumericLog(ctx, []types.Datum{types.NewDecimal(apd.New(10, 0)), a[0]})
	})
	l.fn("log", ts(n, n), n, evalNumericLog)
	l.fn("pi", nil, f8, func(*Ctx, []types.Datum) (types.Datum, error) { return types.NewFloat(math.Pi), nil })
	rnd := l.fn("random", nil, f8, func(*Ctx, []types.Datum) (types.Datum, error) { return types.NewFloat(rand.Float64()), nil })
	rnd.Volatile = true
	l.fn("degrees", ts(f8), f8, floatFn(func(x float64) float64 { return x * (180 / math.Pi) }))
	l.fn("radians", ts(f8), f8, floatFn(func(x float64) float64 { return x * (math.Pi / 180) }))
	for name, f := range map[string]func(float64) float64{
		"sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "asin": math.Asin, "acos": math.Acos, "atan": math.Atan,
	} {
		l.fn(name, ts(f8), f8, floatFn(f))
	}
	l.fn("atan2", ts(f8, f8), f8, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.NewFloat(math.Atan2(a[0].F, a[1].F)), nil
	})
}

// numericRound is round/trunc/ceil/floor for numeric: to scale 0, or to
// the scale given as the second argument (negative rounds left of the
// point). NaN and infinities pass through.
func numericRound(mode apd.Rounder, withScale bool) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		d := a[0].Dec
		if d.Form != apd.Finite {
			return types.NewDecimal(d), nil
		}
		scale := 0
		if withScale {
			scale = int(max(min(a[1].I, numericMaxDisplayScale), -numericMaxDisplayScale))
		}
		r := new(apd.Decimal).Set(d)
		if err := roundTo(r, scale, mode); err != nil {
			return types.Datum{}, err
		}
		return types.NewDecimal(r), nil
	}
}

func evalFloatSqrt(_ *Ctx, a []types.Datum) (types.Datum, error) {
	if a[0].F < 0 {
		return types.Datum{}, pgerr.New(codeInvalidArgumentForPower, "cannot take square root of a negative number")
	}
	return types.NewFloat(math.Sqrt(a[0].F)), nil
}

func evalFloatExp(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x := a[0].F
	r := math.Exp(x)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) {
		return types.Datum{}, errFloatOverflow()
	}
	if r == 0 && !math.IsInf(x, 0) {
		return types.Datum{}, errFloatUnderflow()
	}
	return types.NewFloat(r), nil
}

// floatLog is ln / log10 for float8 with dlog1's errors.
func floatLog(f func(float64) float64) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		x := a[0].F
		if x == 0 {
			return types.Datum{}, pgerr.New(codeInvalidArgumentForLog, "cannot take logarithm of zero")
		}
		if x < 0 {
			return types.Datum{}, pgerr.New(codeInvalidArgumentForLog, "cannot take logarithm of a negative number")
		}
		return types.NewFloat(f(x)), nil
	}
}

// apdEval computes op with precision digits of working precision and
// rounds the result to scale.
func apdEval(op func(ctx *apd.Context, r *apd.Decimal) error, precision, scale int) (types.Datum, error) {
	ctx := types.NumericContext()
	ctx.Precision = uint32(max(precision, 1))
	ctx.Traps = apd.DefaultTraps
	r := new(apd.Decimal)
	if err := op(ctx, r); err != nil {
		return types.Datum{}, numericOverflow()
	}
	if err := roundTo(r, scale, apd.RoundHalfUp); err != nil {
		return types.Datum{}, err
	}
	return types.NewDecimal(r), nil
}

// evalNumericSqrt is numeric_sqrt: scale so the result has 16 significant
// digits ((weight+1)*4/2 - 1 is the decimal weight of the root), at least
// the input's scale.
func evalNumericSqrt(_ *Ctx, a []types.Datum) (types.Datum, error) {
	d := a[0].Dec
	if isNaNDec(d) {
		return nanDec(), nil
	}
	if d.Negative && !d.IsZero() {
		return types.Datum{}, pgerr.New(codeInvalidArgumentForPower, "cannot take square root of a negative number")
	}
	if d.Form == apd.Infinite {
		return types.NewDecimal(d), nil
	}
	weight := 0
	if nb, ok := nbaseOf(d); ok {
		weight = nb.weight
	}
	sweight := (weight+1)*decDigits/2 - 1
	rscale := clampScale(max(numericMinSigDigits-sweight, dscale(d)))
	return apdEval(func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Sqrt(r, d)
		return err
	}, max(sweight+1, 0)+rscale+8, rscale)
}

// evalNumericExp is numeric_exp: 16 significant digits of the result.
func evalNumericExp(_ *Ctx, a []types.Datum) (types.Datum, error) {
	d := a[0].Dec
	if isNaNDec(d) {
		return nanDec(), nil
	}
	if d.Form == apd.Infinite {
		if d.Negative {
			return types.NewDecimal(apd.New(0, 0)), nil
		}
		return types.NewDecimal(d), nil
	}
	val := decToFloat(d) * 0.434294481903252
	val = max(min(val, 2000), -2000)
	rscale := clampScale(max(numericMinSigDigits-int(val), dscale(d)))
	if val > 131072 {
		return types.Datum{}, numericOverflow()
	}
	return apdEval(func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Exp(r, d)
		return err
	}, max(int(val)+1, 0)+rscale+8, rscale)
}

// estimateLnDweight is numeric.c's estimate_ln_dweight: the decimal
// weight of ln(d), for choosing result scales.
func estimateLnDweight(d *apd.Decimal) int {
	if d.Negative || d.Form != apd.Finite || d.IsZero() {
		return 0
	}
	lo, hi := apd.New(9, -1), apd.New(11, -1)
	if d.Cmp(lo) >= 0 && d.Cmp(hi) <= 0 {
		var x apd.Decimal
		_, _ = types.NumericContext().Sub(&x, d, apd.New(1, 0))
		if x.IsZero() {
			return 0
		}
		nb, _ := nbaseOf(&x)
		return nb.weight*decDigits + int(math.Log10(float64(nb.first)))
	}
	nb, _ := nbaseOf(d)
	digits := float64(nb.first)
	dweight := nb.weight * decDigits
	if nb.more {
		digits = digits*10000 + float64(nb.second)
		dweight -= decDigits
	}
	lnVar := math.Log(digits) + float64(dweight)*2.302585092994046
	return int(math.Log10(math.Abs(lnVar)))
}

func checkLogArg(d *apd.Decimal) error {
	if d.Form == apd.Finite && d.IsZero() {
		return pgerr.New(codeInvalidArgumentForLog, "cannot take logarithm of zero")
	}
	if d.Negative {
		return pgerr.New(codeInvalidArgumentForLog, "cannot take logarithm of a negative number")
	}
	return nil
}

func evalNumericLn(_ *Ctx, a []types.Datum) (types.Datum, error) {
	d := a[0].Dec
	if isNaNDec(d) {
		return nanDec(), nil
	}
	if err := checkLogArg(d); err != nil {
		return types.Datum{}, err
	}
	if d.Form == apd.Infinite {
		return types.NewDecimal(d), nil
	}
	dw := estimateLnDweight(d)
	rscale := clampScale(max(numericMinSigDigits-dw, dscale(d)))
	return apdEval(func(ctx *apd.Context, r *apd.Decimal) error {
		_, err := ctx.Ln(r, d)
		return err
	}, max(dw+1, 0)+rscale+8, rscale)
}

// evalNumericLog is log(base, x) for numeric (log(x) is log(10, x)).
func evalNumericLog(_ *Ctx, a []types.Datum) (types.Datum, error) {
	b, x := a[0].Dec, a[1].Dec
	if isNaNDec(b) || isNaNDec(x) {
		return nanDec(), nil
	}
	if err := checkLogArg(b); err != nil {
		return types.Datum{}, err
	}
	if err := checkLogArg(x); err != nil {
		return types.Datum{}, err
	}
	if b.Form != apd.Finite || x.Form != apd.Finite {
		return types.Datum{}, pgerr.New(pgerr.FeatureNotSupported, "logarithms of infinite numerics are not supported")
	}
	if b.Cmp(apd.New(1, 0)) == 0 {
		return types.Datum{}, errDivByZero()
	}
	dw := estimateLnDweight(x) - estimateLnDweight(b)
	rscale := clampScale(max(numericMinSigDigits-dw, dscale(b), dscale(x)))
	return apdEval(func(ctx *apd.Context, r *apd.Decimal) error {
		var lb, lx apd.Decimal
		ctx.Precision += 10
		if _, err := ctx.Ln(&lb, b); err != nil {
			return err
		}
		if _, err := ctx.Ln(&lx, x); err != nil {
			return err
		}
		_, err := ctx.Quo(r, &lx, &lb)
		return err
	}, max(dw+1, 0)+rscale+8, rscale)
}
