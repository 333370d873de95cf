package builtin

import (
	"math"
	"math/bits"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// PostgreSQL's bit-string operators and functions (varbit.c): ||, &, |,
// #, ~, <<, >>, bit_count and get_bit, with PostgreSQL 15's errors.

// bitBytes returns a writable copy of a bit string's packed bytes.
func bitBytes(d types.Datum) []byte { return []byte(d.S) }

// bitwise is bit_and / bit_or / bitxor: equal lengths required (22026
// "cannot AND bit strings of different sizes").
func bitwise(verb string, op func(x, y byte) byte) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		x, y := a[0], a[1]
		if x.BitLen() != y.BitLen() {
			return types.Datum{}, pgerr.Newf(pgerr.Code("22026"), "cannot %s bit strings of different sizes", verb)
		}
		out := bitBytes(x)
		for i := range out {
			out[i] = op(out[i], y.S[i])
		}
		return types.NewBit(x.BitLen(), out), nil
	}
}

// shiftBits returns d shifted left by n bits (right for n < 0), keeping
// its length and filling with zeros, as bitshiftleft / bitshiftright.
func shiftBits(d types.Datum, n int64) types.Datum {
	l := d.BitLen()
	out := make([]byte, len(d.S))
	for p := 0; p < l; p++ {
		src := int64(p) + n
		if src >= 0 && src < int64(l) && d.BitAt(int(src)) {
			out[p>>3] |= 0x80 >> (p & 7)
		}
	}
	return types.NewBit(l, out)
}

func (l *Library) addBitOps() {
	b, vb, i4 := types.BitType, types.VarBitType, types.Int4Type
	l.binOp("||", vb, vb, vb, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		x, y := a[0], a[1]
		n := x.BitLen() + y.BitLen()
		out := make([]byte, (n+7)/8)
		copy(out, x.S)
		for p := 0; p < y.BitLen(); p++ {
			if y.BitAt(p) {
				q := x.BitLen() + p
				out[q>>3] |= 0x80 >> (q & 7)
			}
		}
		return types.NewBit(n, out), nil
	})
	l.binOp("&", b, b, b, bitwise("AND", func(x, y byte) byte { return x & y }))
	l.binOp("|", b, b, b, bitwise("OR", func(x, y byte) byte { return x | y }))
	l.binOp("#", b, b, b, bitwise("XOR", func(x, y byte) byte { return x ^ y }))
	l.unOp("~", b, b, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		out := bitBytes(a[0])
		for i := range out {
			out[i] = ^out[i]
		}
		if n := a[0].BitLen(); n&7 != 0 {
			out[len(out)-1] &= byte(0xff << (8 - n&7))
		}
		return types.NewBit(a[0].BitLen(), out), nil
	})
	l.binOp("<<", b, i4, b, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return shiftBits(a[0], a[1].I), nil })
	l.binOp(">>", b, i4, b, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		n := a[1].I
		if n == math.MinInt32 {
			n++ // NB: as bitshiftright, which cannot negate INT_MIN
		}
		return shiftBits(a[0], -n), nil
	})
	l.fn("bit_count", ts(b), types.Int8Type, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		n := 0
		for i := 0; i < len(a[0].S); i++ {
			n += bits.OnesCount8(a[0].S[i])
		}
		return types.NewInt(int64(n)), nil
	})
	l.fn("get_bit", ts(b, i4), i4, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		n := a[0].BitLen()
		if a[1].I < 0 || a[1].I >= int64(n) {
			return types.Datum{}, pgerr.Newf(pgerr.ArraySubscriptError, "bit index %d out of valid range (0..%d)", a[1].I, n-1)
		}
		if a[0].BitAt(int(a[1].I)) {
			return intD(1), nil
		}
		return intD(0), nil
	})
}
