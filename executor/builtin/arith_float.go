package builtin

import (
	"math"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// SQLSTATEs that sql/pgerr does not list yet.
const (
	codeInvalidArgumentForPower = pgerr.Code("2201F")
	codeInvalidArgumentForLog   = pgerr.Code("2201E")
	codeInvalidEscapeSequence   = pgerr.Code("22025")
	codeInvalidEscapeCharacter  = pgerr.Code("22019")
)

func errFloatOverflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
}

func errFloatUnderflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
}

// float4Result rounds v to float32 and applies float.h's overflow check:
// an infinite result from finite inputs is an error.
func float4Result(v float64, inputsInf bool) (types.Datum, error) {
	r := float32(v)
	if math.IsInf(float64(r), 0) && !inputsInf {
		return types.Datum{}, errFloatOverflow()
	}
	return types.NewFloat(float64(r)), nil
}

func float8Result(v float64, inputsInf bool) (types.Datum, error) {
	if math.IsInf(v, 0) && !inputsInf {
		return types.Datum{}, errFloatOverflow()
	}
	return types.NewFloat(v), nil
}

func anyInf(a, b float64) bool { return math.IsInf(a, 0) || math.IsInf(b, 0) }

// addFloatArith registers + - * / and unary - + for float4 and float8
// (float.h's float4_pl ... float8_div, overflow and underflow included).
// float4 arithmetic is done in float32 as PostgreSQL does.
func (l *Library) addFloatArith() {
	for _, t := range []types.T{types.Float4Type, types.Float8Type} {
		single := t.Family == types.Float4
		round := func(v float64) float64 {
			if single {
				return float64(float32(v))
			}
			return v
		}
		result := func(v float64, inf bool) (types.Datum, error) {
			if single {
				return float4Result(v, inf)
			}
			return float8Result(v, inf)
		}
		l.binOp("+", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return result(round(a[0].F+a[1].F), anyInf(a[0].F, a[1].F))
		})
		l.binOp("-", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return result(round(a[0].F-a[1].F), anyInf(a[0].F, a[1].F))
		})
		l.binOp("*", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].F, a[1].F
			v := round(x * y)
			if v == 0 && x != 0 && y != 0 {
				return types.Datum{}, errFloatUnderflow()
			}
			return result(v, anyInf(x, y))
		})
		l.binOp("/", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].F, a[1].F
			if y == 0 && !math.IsNaN(x) {
				return types.Datum{}, errDivByZero()
			}
			v := round(x / y)
			if v == 0 && x != 0 && !math.IsInf(y, 0) {
				return types.Datum{}, errFloatUnderflow()
			}
			return result(v, math.IsInf(x, 0))
		})
		l.unOp("-", t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewFloat(-a[0].F), nil })
		l.unOp("+", t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return a[0], nil })
		l.fn("abs", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewFloat(math.Abs(a[0].F)), nil })
	}
	l.addMixedFloatArith()
	l.binOp("^", types.Float8Type, types.Float8Type, types.Float8Type, evalDpow)
	l.fn("power", ts(types.Float8Type, types.Float8Type), types.Float8Type, evalDpow)
	l.fn("pow", ts(types.Float8Type, types.Float8Type), types.Float8Type, evalDpow)
}

// evalDpow is float.c's dpow: POSIX's NaN cases, SQL's required SQLSTATEs
// for 0 ^ negative and negative ^ fraction, then pow with range checks.
func evalDpow(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].F, a[1].F
	if math.IsNaN(x) {
		if math.IsNaN(y) || y != 0 {
			return types.NewFloat(math.NaN()), nil
		}
		return types.NewFloat(1), nil
	}
	if math.IsNaN(y) {
		if x != 1 {
			return types.NewFloat(math.NaN()), nil
		}
		return types.NewFloat(1), nil
	}
	if x == 0 && y < 0 {
		return types.Datum{}, pgerr.New(codeInvalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if x < 0 && math.Floor(y) != y {
		return types.Datum{}, pgerr.New(codeInvalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	v := math.Pow(x, y)
	if math.IsInf(v, 0) && !anyInf(x, y) {
		return types.Datum{}, errFloatOverflow()
	}
	if v == 0 && x != 0 && !anyInf(x, y) {
		return types.Datum{}, errFloatUnderflow()
	}
	return types.NewFloat(v), nil
}

// addMixedFloatArith registers PostgreSQL's float48 and float84 + - * /:
// real with double precision is computed in double precision. NB: they also
// decide real <op> integer: the candidate with the preferred float8 side
// wins, so 1.0::real / 3 is 0.3333333333333333 (double), as in PostgreSQL.
func (l *Library) addMixedFloatArith() {
	f4, f8 := types.Float4Type, types.Float8Type
	for _, p := range [][2]types.T{{f4, f8}, {f8, f4}} {
		l.binOp("+", p[0], p[1], f8, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return float8Result(a[0].F+a[1].F, anyInf(a[0].F, a[1].F))
		})
		l.binOp("-", p[0], p[1], f8, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return float8Result(a[0].F-a[1].F, anyInf(a[0].F, a[1].F))
		})
		l.binOp("*", p[0], p[1], f8, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].F, a[1].F
			v := x * y
			if v == 0 && x != 0 && y != 0 {
				return types.Datum{}, errFloatUnderflow()
			}
			return float8Result(v, anyInf(x, y))
		})
		l.binOp("/", p[0], p[1], f8, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].F, a[1].F
			if y == 0 && !math.IsNaN(x) {
				return types.Datum{}, errDivByZero()
			}
			v := x / y
			if v == 0 && x != 0 && !math.IsInf(y, 0) {
				return types.Datum{}, errFloatUnderflow()
			}
			return float8Result(v, math.IsInf(x, 0))
		})
	}
}
