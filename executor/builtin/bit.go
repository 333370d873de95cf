package builtin

import (
	"fmt"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Bit-string operators and functions: PostgreSQL's length functions and
// pgvector 0.8's binary-vector distances (src/bitvec.c, src/bitutils.c):
// <~> / hamming_distance and <%> / jaccard_distance over bit, both float8,
// and binary_quantize(vector) → bit.

// errBitLengths is pgvector's CheckDims error for bit strings.
func errBitLengths(a, b int) error {
	return pgerr.New(pgerr.DataException, fmt.Sprintf("different bit lengths %d and %d", a, b))
}

// HammingBits is pgvector's hamming_distance: the number of differing bits
// of two bit strings of equal length (22000 otherwise).
func HammingBits(a, b types.Datum) (float64, error) {
	if a.BitLen() != b.BitLen() {
		return 0, errBitLengths(a.BitLen(), b.BitLen())
	}
	return float64(distance.HammingPacked(a.S, b.S)), nil
}

// JaccardBits is pgvector's jaccard_distance: 1 - |a∧b| / |a∨b| of two bit
// strings of equal length (22000 otherwise), 1 when they share no set bit.
func JaccardBits(a, b types.Datum) (float64, error) {
	if a.BitLen() != b.BitLen() {
		return 0, errBitLengths(a.BitLen(), b.BitLen())
	}
	return distance.JaccardPacked(a.S, b.S), nil
}

func bitDistance(k func(a, b types.Datum) (float64, error)) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		d, err := k(a[0], a[1])
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewFloat(d), nil
	}
}

func (l *Library) addBit() {
	b, f8, i4 := types.BitType, types.Float8Type, types.Int4Type
	bb := ts(b, b)
	hamming, jaccard := bitDistance(HammingBits), bitDistance(JaccardBits)
	l.binOp("<~>", b, b, f8, hamming)
	l.fn("hamming_distance", bb, f8, hamming)
	l.binOp("<%>", b, b, f8, jaccard)
	l.fn("jaccard_distance", bb, f8, jaccard)
	l.fn("binary_quantize", ts(types.VectorType), b, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.BinaryQuantize(a[0].Vec), nil
	})
	bitLen := func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(a[0].BitLen()), nil }
	for _, t := range []types.T{b, types.VarBitType} {
		l.fn("length", ts(t), i4, bitLen)
		l.fn("bit_length", ts(t), i4, bitLen)
		l.fn("octet_length", ts(t), i4, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].S)), nil })
	}
}
