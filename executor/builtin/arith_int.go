package builtin

import (
	"math"
	"math/bits"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// intKind describes one integer type: its range and its overflow message.
type intKind struct {
	t        types.T
	min, max int64
	bits     uint // width, for shifts
	msg      string
}

var intKinds = []intKind{
	{types.Int2Type, math.MinInt16, math.MaxInt16, 16, "smallint out of range"},
	{types.Int4Type, math.MinInt32, math.MaxInt32, 32, "integer out of range"},
	{types.Int8Type, math.MinInt64, math.MaxInt64, 64, "bigint out of range"},
}

func (k intKind) overflow() error { return pgerr.New(pgerr.NumericValueOutOfRange, k.msg) }

// fit returns v as a datum of k, or k's out-of-range error.
func (k intKind) fit(v int64) (types.Datum, error) {
	if v < k.min || v > k.max {
		return types.Datum{}, k.overflow()
	}
	return types.NewInt(v), nil
}

func errDivByZero() error { return pgerr.New(pgerr.DivisionByZero, "division by zero") }

// NB: int2 and int4 arithmetic is done in int64 and range-checked after;
// int8 needs explicit overflow detection.
func (l *Library) addIntArith() {
	for _, k := range intKinds {
		t := k.t
		l.binOp("+", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].I, a[1].I
			s := x + y
			if k.bits == 64 && (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
				return types.Datum{}, k.overflow()
			}
			return k.fit(s)
		})
		l.binOp("-", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].I, a[1].I
			s := x - y
			if k.bits == 64 && (x >= 0) != (y >= 0) && (s >= 0) != (x >= 0) {
				return types.Datum{}, k.overflow()
			}
			return k.fit(s)
		})
		l.binOp("*", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].I, a[1].I
			if k.bits == 64 {
				hi, lo := bits.Mul64(uint64(absU(x)), uint64(absU(y)))
				neg := (x < 0) != (y < 0)
				if hi != 0 || (!neg && lo > math.MaxInt64) || (neg && lo > 1<<63) {
					return types.Datum{}, k.overflow()
				}
				return types.NewInt(x * y), nil
			}
			return k.fit(x * y)
		})
		l.binOp("/", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].I, a[1].I
			if y == 0 {
				return types.Datum{}, errDivByZero()
			}
			if y == -1 {
				// NB: MIN / -1 overflows; everything else is plain negation.
				return k.fit(-x)
			}
			return types.NewInt(x / y), nil
		})
		l.binOp("%", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].I, a[1].I
			if y == 0 {
				return types.Datum{}, errDivByZero()
			}
			if y == -1 {
				return types.NewInt(0), nil
			}
			return types.NewInt(x % y), nil
		})
		l.unOp("-", t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			if k.bits == 64 && a[0].I == math.MinInt64 {
				return types.Datum{}, k.overflow()
			}
			return k.fit(-a[0].I)
		})
		l.unOp("+", t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return a[0], nil })
		l.addIntBitwise(k)
		l.fn("abs", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			if a[0].I < 0 {
				if k.bits == 64 && a[0].I == math.MinInt64 {
					return types.Datum{}, k.overflow()
				}
				return k.fit(-a[0].I)
			}
			return a[0], nil
		})
		l.fn("mod", ts(t, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].I, a[1].I
			if y == 0 {
				return types.Datum{}, errDivByZero()
			}
			if y == -1 {
				return types.NewInt(0), nil
			}
			return types.NewInt(x % y), nil
		})
	}
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x) // NB: MinInt64 wraps to 1<<63, which is its magnitude
	}
	return uint64(x)
}

// addIntBitwise registers & | # ~ << >> for one integer type. Shift
// counts are int4 and, as PostgreSQL's C shifts on x86, taken modulo the
// promoted width (32 for int2 and int4, 64 for int8).
func (l *Library) addIntBitwise(k intKind) {
	t := k.t
	l.binOp("&", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewInt(a[0].I & a[1].I), nil })
	l.binOp("|", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewInt(a[0].I | a[1].I), nil })
	l.binOp("#", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewInt(a[0].I ^ a[1].I), nil })
	l.unOp("~", t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewInt(^a[0].I), nil })
	width := uint(32)
	if k.bits == 64 {
		width = 64
	}
	l.binOp("<<", t, types.Int4Type, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		n := uint(a[1].I) & (width - 1)
		return types.NewInt(truncInt(a[0].I<<n, k.bits)), nil
	})
	l.binOp(">>", t, types.Int4Type, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		n := uint(a[1].I) & (width - 1)
		return types.NewInt(truncInt(a[0].I>>n, k.bits)), nil
	})
}

// truncInt wraps v to a signed integer of the given width, as a C cast does.
func truncInt(v int64, width uint) int64 {
	switch width {
	case 16:
		return int64(int16(v))
	case 32:
		return int64(int32(v))
	}
	return v
}
