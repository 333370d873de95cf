package builtin

import (
	"fmt"
	"math"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// sum(vector) and avg(vector) as pgvector 0.8 defines them: sum folds
// with vector_add (float32, "different vector dimensions" on mismatch,
// overflow checked), avg accumulates in float64 (vector_accum, "expected
// n dimensions, not m" on mismatch) and divides at the end (vector_avg).

func (l *Library) addVectorAggregates() {
	v := types.VectorType
	keep := func(args []types.T) types.T { return args[0] }
	l.agg(&Aggregate{Name: "sum", Params: ts(v), Return: v, ReturnFn: keep, New: func() AggState { return &vectorSumState{} }})
	l.agg(&Aggregate{Name: "avg", Params: ts(v), Return: v, ReturnFn: keep, New: func() AggState { return &vectorAvgState{} }})
}

type vectorSumState struct {
	sum []float32 // nil until the first non-NULL input
}

var vectorAdd = vecElementwise(func(x, y float32) float32 { return x + y }, false)

func (s *vectorSumState) Add(ctx *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	if s.sum == nil {
		s.sum = append([]float32(nil), a[0].Vec...)
		return nil
	}
	x := a[0].Vec
	if err := checkDims(s.sum, x); err != nil {
		return err
	}
	for i := range s.sum {
		r := s.sum[i] + x[i]
		if math.IsInf(float64(r), 0) {
			return errFloatOverflow()
		}
		s.sum[i] = r
	}
	return nil
}

func (s *vectorSumState) Result(*Ctx) (types.Datum, error) {
	if s.sum == nil {
		return types.Null, nil
	}
	return types.NewVector(s.sum), nil
}

type vectorAvgState struct {
	n   int64
	sum []float64
}

func (s *vectorAvgState) Add(_ *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	x := a[0].Vec
	if s.n == 0 {
		s.sum = make([]float64, len(x))
	} else if len(x) != len(s.sum) {
		return pgerr.New(pgerr.DataException, fmt.Sprintf("expected %d dimensions, not %d", len(s.sum), len(x)))
	}
	s.n++
	for i, e := range x {
		s.sum[i] += float64(e)
		if math.IsInf(s.sum[i], 0) {
			return errFloatOverflow()
		}
	}
	return nil
}

func (s *vectorAvgState) Result(*Ctx) (types.Datum, error) {
	if s.n == 0 {
		return types.Null, nil
	}
	r := make([]float32, len(s.sum))
	for i, e := range s.sum {
		r[i] = float32(e / float64(s.n))
		if math.IsInf(float64(r[i]), 0) {
			return types.Datum{}, pgerr.New(pgerr.DataException, "infinite value not allowed in vector")
		}
	}
	return types.NewVector(r), nil
}
