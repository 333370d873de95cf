package types

import (
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// Compare returns -1, 0 or +1 ordering a and b, two values of type t, as
// PostgreSQL's btree operator class for t does: floats and numerics put
// NaN above everything and equal to itself; vectors compare element-wise
// then by length (pgvector); strings by bytes (C collation); intervals by
// their 30-day-month span; arrays element-wise with NULL elements above
// non-NULL ones, then by length.
//
// NULL compares greater than every value and equal to NULL, so Compare
// can sort ASC NULLS LAST directly. Compare never fails; mixing datums of
// another type gives an unspecified but consistent order.
func Compare(t T, a, b Datum) int {
	if a.IsNull() || b.IsNull() {
		switch {
		case a.IsNull() && b.IsNull():
			return 0
		case a.IsNull():
			return 1
		}
		return -1
	}
	switch t.Family {
	case Array, Int2Vector, OidVector:
		elem, _ := t.ElemType()
		return compareArrays(elem, a.Arr, b.Arr)
	case Interval:
		ad, au := intervalSpan(a)
		bd, bu := intervalSpan(b)
		if c := cmpInt(ad, bd); c != 0 {
			return c
		}
		return cmpInt(au, bu)
	case Oid, Regclass, Regtype, Regproc, Regnamespace:
		return cmpInt(int64(uint32(a.I)), int64(uint32(b.I)))
	case Bpchar:
		// NB: bpchar's trailing spaces are not significant (bpcharcmp).
		return strings.Compare(strings.TrimRight(a.S, " "), strings.TrimRight(b.S, " "))
	}
	return compareByKind(a, b)
}

func compareByKind(a, b Datum) int {
	if a.K != b.K {
		return cmpInt(int64(a.K), int64(b.K))
	}
	switch a.K {
	case KindBool, KindInt, KindTime:
		return cmpInt(a.I, b.I)
	case KindFloat:
		return compareFloats(a.F, b.F)
	case KindDecimal:
		return compareDecimals(a.Dec, b.Dec)
	case KindString, KindBytes:
		return strings.Compare(a.S, b.S)
	case KindVector:
		return compareVectors(a.Vec, b.Vec)
	case KindBit:
		return compareBits(a, b)
	case KindInterval:
		return Compare(IntervalType, a, b)
	case KindArray:
		return compareArrays(UnknownType, a.Arr, b.Arr)
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareFloats is float8_cmp_internal: NaN equals NaN and sorts above
// everything, -0 equals 0.
func compareFloats(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareDecimals is cmp_numerics: NaN above +Infinity, equal to itself.
func compareDecimals(a, b *apd.Decimal) int {
	an := a == nil || a.Form == apd.NaN || a.Form == apd.NaNSignaling
	bn := b == nil || b.Form == apd.NaN || b.Form == apd.NaNSignaling
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return a.Cmp(b)
}

func compareArrays(elem T, a, b []Datum) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if c := Compare(elem, a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmpInt(int64(len(a)), int64(len(b)))
}

// CompareMixed orders values of two types the way PostgreSQL's
// cross-type operators do: integers, numerics and floats by value (a
// float involved compares as float8, else numeric, else int8); the
// string families by bytes (bpchar without its trailing spaces against
// other string types is the caller's cast); dates and timestamps on the
// common microsecond scale. NULLs as in Compare. Other pairs are 42883
// `operator does not exist: x = y`.
func CompareMixed(at T, a Datum, bt T, b Datum) (int, error) {
	if a.IsNull() || b.IsNull() || at.Equal(bt) || at.Family == bt.Family {
		return Compare(at, a, b), nil
	}
	switch {
	case at.IsNumeric() && bt.IsNumeric():
		return compareNumbers(a, b), nil
	case at.IsStringLike() && bt.IsStringLike():
		return strings.Compare(a.S, b.S), nil
	case isTimeFamily(at.Family) && isTimeFamily(bt.Family):
		return cmpInt(a.I, b.I), nil
	case isOidFamily(at.Family) && isOidFamily(bt.Family):
		return cmpInt(int64(uint32(a.I)), int64(uint32(b.I))), nil
	case isOidFamily(at.Family) && bt.IsNumeric() && b.K == KindInt,
		at.IsNumeric() && a.K == KindInt && isOidFamily(bt.Family):
		return cmpInt(a.I, b.I), nil
	}
	return 0, pgerr.Newf(pgerr.UndefinedFunction, "operator does not exist: %s = %s", at, bt)
}

func isTimeFamily(f Family) bool { return f == Date || f == Timestamp || f == Timestamptz }

func isOidFamily(f Family) bool {
	return f == Oid || f == Regclass || f == Regtype || f == Regproc || f == Regnamespace
}

// compareNumbers compares two numeric-family datums by value.
func compareNumbers(a, b Datum) int {
	if a.K == KindFloat || b.K == KindFloat {
		return compareFloats(numberAsFloat(a), numberAsFloat(b))
	}
	if a.K == KindInt && b.K == KindInt {
		return cmpInt(a.I, b.I)
	}
	return compareDecimals(numberAsDecimal(a), numberAsDecimal(b))
}

func numberAsFloat(d Datum) float64 {
	switch d.K {
	case KindInt:
		return float64(d.I)
	case KindDecimal:
		return decimalToFloat(d.Dec)
	}
	return d.F
}

func numberAsDecimal(d Datum) *apd.Decimal {
	if d.K == KindInt {
		return decimalFromInt(d.I)
	}
	return d.Dec
}

// decimalToFloat converts as numeric_float8 (NaN and infinities kept).
func decimalToFloat(d *apd.Decimal) float64 {
	if d == nil {
		return math.NaN()
	}
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return math.NaN()
	case apd.Infinite:
		if d.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, err := d.Float64()
	if err != nil {
		// out of float range: the sign decides
		if d.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	return f
}
