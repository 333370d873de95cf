package builtin

import (
	"math"
	"math/bits"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/types"
)

// Aggregates with PostgreSQL's result types: count → int8; sum of
// int2/int4 → int8, of int8 and numeric → numeric, of float4 → float4, of
// float8 → float8; avg of integers and numeric → numeric (scale as numeric
// division picks), of floats → float8; min/max keep the input type. All
// skip NULL inputs (array_agg keeps them); over no rows they return NULL,
// except count, which returns 0.

func (l *Library) addAggregates() {
	i8, n, f8 := types.Int8Type, types.NumericType, types.Float8Type
	l.agg(&Aggregate{Name: "count", Return: i8, Star: true, New: func() AggState { return &countState{star: true} }})
	l.agg(&Aggregate{Name: "count", Params: ts(types.UnknownType), pseudo: []pseudo{pAny}, Return: i8,
		New: func() AggState { return &countState{} }})
	for _, t := range []types.T{types.Int2Type, types.Int4Type} {
		l.agg(&Aggregate{Name: "sum", Params: ts(t), Return: i8, New: func() AggState { return &intSumState{} }})
		l.agg(&Aggregate{Name: "avg", Params: ts(t), Return: n, New: func() AggState { return &intSumState{avg: true} }})
	}
	l.agg(&Aggregate{Name: "sum", Params: ts(i8), Return: n, New: func() AggState { return &intSumState{numeric: true} }})
	l.agg(&Aggregate{Name: "avg", Params: ts(i8), Return: n, New: func() AggState { return &intSumState{avg: true} }})
	l.agg(&Aggregate{Name: "sum", Params: ts(n), Return: n, New: func() AggState { return &numericSumState{} }})
	l.agg(&Aggregate{Name: "avg", Params: ts(n), Return: n, New: func() AggState { return &numericSumState{avg: true} }})
	l.agg(&Aggregate{Name: "sum", Params: ts(types.Float4Type), Return: types.Float4Type,
		New: func() AggState { return &floatSumState{single: true} }})
	l.agg(&Aggregate{Name: "sum", Params: ts(f8), Return: f8, New: func() AggState { return &floatSumState{} }})
	l.agg(&Aggregate{Name: "avg", Params: ts(types.Float4Type), Return: f8, New: func() AggState { return &floatSumState{avg: true} }})
	l.agg(&Aggregate{Name: "avg", Params: ts(f8), Return: f8, New: func() AggState { return &floatSumState{avg: true} }})
	for _, name := range []string{"min", "max"} {
		sign := 1
		if name == "min" {
			sign = -1
		}
		for _, t := range comparableTypes {
			if t.Family == types.Bool || t.Family == types.Char || t.Family == types.Uuid {
				continue // NB: PostgreSQL has no min/max for these
			}
			cmp := comparerFor(t)
			l.agg(&Aggregate{Name: name, Params: ts(t), Return: t,
				ReturnFn: keepArgType, New: func() AggState { return &extremeState{cmp: cmp, sign: sign} }})
		}
		a := &Aggregate{Name: name, Params: ts(types.UnknownType), pseudo: []pseudo{pAnyArray}, retPseudo: pAnyArray}
		a.typed = func(params []types.T) func() AggState {
			cmp := comparerFor(params[0])
			return func() AggState { return &extremeState{cmp: cmp, sign: sign} }
		}
		l.agg(a)
	}
	b := types.BoolType
	for _, name := range []string{"bool_and", "every"} {
		l.agg(&Aggregate{Name: name, Params: ts(b), Return: b, New: func() AggState { return &boolState{and: true} }})
	}
	l.agg(&Aggregate{Name: "bool_or", Params: ts(b), Return: b, New: func() AggState { return &boolState{} }})
	t := types.TextType
	l.agg(&Aggregate{Name: "string_agg", Params: ts(t, t), Return: t, New: func() AggState { return &stringAggState{} }})
	l.agg(&Aggregate{Name: "array_agg", Params: ts(types.UnknownType), pseudo: []pseudo{pAnyNonArray}, retPseudo: pAnyArray,
		New: func() AggState { return &arrayAggState{} }})
}

// keepArgType makes min/max of varchar(10)... report the argument's
// exact type (PostgreSQL reports the aggregate's declared type, which is
// the argument's without the modifier).
func keepArgType(args []types.T) types.T {
	t := args[0]
	if t.Family == types.Varchar {
		return types.TextType
	}
	return t.WithTypmod(-1)
}

type countState struct {
	star bool
	n    int64
}

func (s *countState) Add(_ *Ctx, a []types.Datum) error {
	if s.star || !a[0].IsNull() {
		s.n++
	}
	return nil
}

func (s *countState) Result(*Ctx) (types.Datum, error) { return types.NewInt(s.n), nil }

// intSumState sums integers exactly: in int64 while it fits, then in apd.
type intSumState struct {
	numeric, avg bool
	n            int64
	sum          int64
	big          *apd.Decimal // non-nil once int64 overflowed
}

func (s *intSumState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	s.n++
	v := a[0].I
	if s.big != nil {
		_, err := types.NumericContext().Add(s.big, s.big, apd.New(v, 0))
		return err
	}
	r, carry := bits.Add64(uint64(s.sum), uint64(v), 0)
	_ = carry
	sum := int64(r)
	if (s.sum >= 0) == (v >= 0) && (sum >= 0) != (v >= 0) {
		s.big = apd.New(s.sum, 0)
		_, err := types.NumericContext().Add(s.big, s.big, apd.New(v, 0))
		return err
	}
	s.sum = sum
	return nil
}

func (s *intSumState) total() *apd.Decimal {
	if s.big != nil {
		return s.big
	}
	return apd.New(s.sum, 0)
}

func (s *intSumState) Result(*Ctx) (types.Datum, error) {
	if s.n == 0 {
		return types.Null, nil
	}
	switch {
	case s.avg:
		return avgOf(s.total(), s.n)
	case s.numeric:
		return types.NewDecimal(s.total()), nil
	case s.big != nil:
		return types.Datum{}, intKinds[2].overflow()
	}
	return types.NewInt(s.sum), nil
}

// avgOf is numeric_avg's final step: sum / count as numeric division.
func avgOf(sum *apd.Decimal, n int64) (types.Datum, error) {
	return evalNumericDiv(nil, []types.Datum{types.NewDecimal(sum), types.NewDecimal(apd.New(n, 0))})
}

type numericSumState struct {
	avg bool
	n   int64
	sum apd.Decimal
	nan bool
}

func (s *numericSumState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	s.n++
	if s.nan || isNaNDec(a[0].Dec) {
		s.nan = true
		return nil
	}
	d, err := exactOp((*apd.Context).Add, &s.sum, a[0].Dec)
	if err != nil {
		return err
	}
	if d.Dec.Form == apd.NaN {
		s.nan = true
		return nil
	}
	s.sum.Set(d.Dec)
	return nil
}

func (s *numericSumState) Result(*Ctx) (types.Datum, error) {
	if s.n == 0 {
		return types.Null, nil
	}
	if s.nan {
		return nanDec(), nil
	}
	sum := new(apd.Decimal).Set(&s.sum)
	if s.avg {
		if sum.Form == apd.Infinite {
			return types.NewDecimal(sum), nil
		}
		return avgOf(sum, s.n)
	}
	return types.NewDecimal(sum), nil
}

// floatSumState is float4pl / float8pl accumulation (with their overflow
// check) and float8_avg.
type floatSumState struct {
	single, avg bool
	n           int64
	sum         float64
	inf         bool // an input was infinite, so an infinite sum is no overflow
}

func (s *floatSumState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	v := a[0].F
	s.n++
	s.inf = s.inf || math.IsInf(v, 0)
	r := s.sum + v
	if s.single && !s.avg {
		r = float64(float32(r))
	}
	if math.IsInf(r, 0) && !s.inf {
		return errFloatOverflow()
	}
	s.sum = r
	return nil
}

func (s *floatSumState) Result(*Ctx) (types.Datum, error) {
	if s.n == 0 {
		return types.Null, nil
	}
	if s.avg {
		return types.NewFloat(s.sum / float64(s.n)), nil
	}
	return types.NewFloat(s.sum), nil
}

// extremeState is min (sign -1) and max (sign +1).
type extremeState struct {
	cmp  comparer
	sign int
	have bool
	best types.Datum
}

func (s *extremeState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	// NB: on a tie the newer value wins, as int4smaller, numeric_smaller
	// and friends return their second argument (1.50 vs 1.5 shows it).
	if !s.have || s.cmp(a[0], s.best)*s.sign >= 0 {
		s.best, s.have = a[0], true
	}
	return nil
}

func (s *extremeState) Result(*Ctx) (types.Datum, error) {
	if !s.have {
		return types.Null, nil
	}
	return s.best, nil
}

type boolState struct {
	and, have, val bool
}

func (s *boolState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	v := a[0].Bool()
	if !s.have {
		s.val, s.have = v, true
	} else if s.and {
		s.val = s.val && v
	} else {
		s.val = s.val || v
	}
	return nil
}

func (s *boolState) Result(*Ctx) (types.Datum, error) {
	if !s.have {
		return types.Null, nil
	}
	return types.NewBool(s.val), nil
}

// stringAggState is string_agg(value, delimiter): NULL values are skipped;
// each value after the first is preceded by its own row's delimiter.
type stringAggState struct {
	b    strings.Builder
	have bool
}

func (s *stringAggState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	if s.have && !a[1].IsNull() {
		s.b.WriteString(a[1].S)
	}
	s.have = true
	s.b.WriteString(a[0].S)
	return nil
}

func (s *stringAggState) Result(*Ctx) (types.Datum, error) {
	if !s.have {
		return types.Null, nil
	}
	return str(s.b.String()), nil
}

// arrayAggState collects every input, NULLs included.
type arrayAggState struct {
	elems []types.Datum
	have  bool
}

func (s *arrayAggState) Add(_ *Ctx, a []types.Datum) error {
	s.elems = append(s.elems, a[0])
	s.have = true
	return nil
}

func (s *arrayAggState) Result(*Ctx) (types.Datum, error) {
	if !s.have {
		return types.Null, nil
	}
	return types.NewArray(s.elems), nil
}
