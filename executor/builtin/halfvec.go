package builtin

import (
	"fmt"
	"math"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/vindex/distance"
)

// halfvec operators and functions with pgvector 0.8's semantics and
// messages (src/halfvec.c). A halfvec datum holds float32 elements that
// are exact halves (sql/types/halfvec.go), so distances run on the same
// float32 kernels as vector's, which is what pgvector does too (halves
// widened to float, accumulated in float); results built from arithmetic
// are rounded back to half, an infinity being an overflow (22003).

func errHalfvecDims(a, b int) error {
	return pgerr.New(pgerr.DataException, fmt.Sprintf("different halfvec dimensions %d and %d", a, b))
}

// halfDistance is a distance kernel on two halfvecs of equal length.
func halfDistance(kernel func(a, b []float32) float64) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		if len(a[0].Vec) != len(a[1].Vec) {
			return types.Datum{}, errHalfvecDims(len(a[0].Vec), len(a[1].Vec))
		}
		return types.NewFloat(kernel(a[0].Vec, a[1].Vec)), nil
	}
}

// halfSameDims is the result type of an element-wise halfvec operation.
func halfSameDims(args []types.T) types.T {
	if len(args) == 2 && args[0].Typmod == args[1].Typmod {
		return types.HalfVecOf(int(args[0].Typmod))
	}
	return types.HalfVecType
}

func (l *Library) addHalfVec() {
	h, f8 := types.HalfVecType, types.Float8Type
	hh := ts(h, h)
	for _, d := range []struct {
		op    string
		names []string
		k     func(a, b []float32) float64
	}{
		{"<->", []string{"l2_distance"}, l2Distance},
		{"<=>", []string{"cosine_distance"}, distance.CosineDistance},
		{"<#>", nil, negInnerProduct},
		{"<+>", []string{"l1_distance"}, l1Distance},
	} {
		eval := halfDistance(d.k)
		l.binOp(d.op, h, h, f8, eval)
		for _, name := range d.names {
			l.fn(name, hh, f8, eval)
		}
	}
	l.fn("inner_product", hh, f8, halfDistance(innerProduct))
	add := func(x, y float32) float32 { return x + y }
	l.addBinary(&Func{Name: "+", Params: hh, Return: h, ReturnFn: halfSameDims, Eval: halfElementwise(add, false)})
	l.addBinary(&Func{Name: "-", Params: hh, Return: h, ReturnFn: halfSameDims, Eval: halfElementwise(func(x, y float32) float32 { return x - y }, false)})
	l.addBinary(&Func{Name: "*", Params: hh, Return: h, ReturnFn: halfSameDims, Eval: halfElementwise(func(x, y float32) float32 { return x * y }, true)})
	l.addBinary(&Func{Name: "||", Params: hh, Return: h, ReturnFn: halfConcatDims, Eval: evalHalfConcat})
	l.fn("vector_dims", ts(h), types.Int4Type, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].Vec)), nil })
	l.fn("l2_norm", ts(h), f8, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewFloat(vectorNorm(a[0].Vec)), nil })
	l.addFunc(&Func{Name: "l2_normalize", Params: ts(h), Return: h,
		ReturnFn: func(args []types.T) types.T { return args[0] }, Eval: evalHalfL2Normalize})
	l.fn("subvector", ts(h, types.Int4Type, types.Int4Type), h, evalHalfSubvector)
	l.fn("binary_quantize", ts(h), types.BitType, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.BinaryQuantize(a[0].Vec), nil
	})
	keep := func(args []types.T) types.T { return args[0] }
	l.agg(&Aggregate{Name: "sum", Params: ts(h), Return: h, ReturnFn: keep, New: func() AggState { return &halfSumState{add: halfElementwise(add, false)} }})
	l.agg(&Aggregate{Name: "avg", Params: ts(h), Return: h, ReturnFn: keep, New: func() AggState { return &halfAvgState{} }})
}

// halfElementwise is halfvec_add / halfvec_sub / halfvec_mul: same
// dimensions required; each result rounded to half; an infinity is an
// overflow and, for *, a zero from two non-zero elements an underflow.
func halfElementwise(op func(x, y float32) float32, checkUnderflow bool) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].Vec, a[1].Vec
		if len(x) != len(y) {
			return types.Datum{}, errHalfvecDims(len(x), len(y))
		}
		r := make([]float32, len(x))
		for i := range x {
			r[i] = types.RoundToHalf(op(x[i], y[i]))
			if math.IsInf(float64(r[i]), 0) {
				return types.Datum{}, errFloatOverflow()
			}
			if checkUnderflow && r[i] == 0 && x[i] != 0 && y[i] != 0 {
				return types.Datum{}, errFloatUnderflow()
			}
		}
		return types.NewVector(r), nil
	}
}

func halfConcatDims(args []types.T) types.T {
	if len(args) == 2 && args[0].Typmod > 0 && args[1].Typmod > 0 {
		return types.HalfVecOf(int(args[0].Typmod + args[1].Typmod))
	}
	return types.HalfVecType
}

func evalHalfConcat(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].Vec, a[1].Vec
	if err := checkHalfDim(len(x) + len(y)); err != nil {
		return types.Datum{}, err
	}
	r := make([]float32, 0, len(x)+len(y))
	return types.NewVector(append(append(r, x...), y...)), nil
}

// checkHalfDim is halfvec's CheckDim for a result of dim dimensions.
func checkHalfDim(dim int) error {
	if dim < 1 {
		return pgerr.New(pgerr.DataException, "halfvec must have at least 1 dimension")
	}
	if dim > types.MaxVectorDims {
		return pgerr.New(pgerr.ProgramLimitExceeded, fmt.Sprintf("halfvec cannot have more than %d dimensions", types.MaxVectorDims))
	}
	return nil
}

// evalHalfL2Normalize is halfvec_l2_normalize: the norm in float64, each
// quotient narrowed to float then rounded to half; a zero vector stays
// zero.
func evalHalfL2Normalize(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x := a[0].Vec
	norm := vectorNorm(x)
	r := make([]float32, len(x))
	if norm > 0 {
		for i, e := range x {
			r[i] = types.RoundToHalf(float32(float64(e) / norm))
			if math.IsInf(float64(r[i]), 0) {
				return types.Datum{}, errFloatOverflow()
			}
		}
	}
	return types.NewVector(r), nil
}

// evalHalfSubvector is halfvec_subvector: vector's rules with halfvec's
// messages.
func evalHalfSubvector(_ *Ctx, a []types.Datum) (types.Datum, error) {
	r, err := subvectorOf(a[0].Vec, a[1].I, a[2].I, "halfvec")
	return types.NewVector(r), err
}

// halfSumState is sum(halfvec): a fold with halfvec_add.
type halfSumState struct {
	add EvalFunc
	sum types.Datum // NULL until the first non-NULL input
}

func (s *halfSumState) Add(ctx *Ctx, a []types.Datum) error {
	if a[0].IsNull() {
		return nil
	}
	if s.sum.IsNull() {
		s.sum = a[0]
		return nil
	}
	r, err := s.add(ctx, []types.Datum{s.sum, a[0]})
	s.sum = r
	return err
}

func (s *halfSumState) Result(*Ctx) (types.Datum, error) { return s.sum, nil }

// halfAvgState is avg(halfvec): halfvec_accum's float64 sums, then each
// mean narrowed to float and to half (halfvec_avg's Float4ToHalf: 22003
// beyond the half range).
type halfAvgState struct{ vectorAvgState }

func (s *halfAvgState) Result(ctx *Ctx) (types.Datum, error) {
	if s.n == 0 {
		return types.Null, nil
	}
	r := make([]float32, len(s.sum))
	for i, e := range s.sum {
		f := float32(e / float64(s.n))
		r[i] = types.RoundToHalf(f)
		if math.IsInf(float64(r[i]), 0) {
			if !math.IsInf(float64(f), 0) {
				return types.Datum{}, errFloatOverflow()
			}
			return types.Datum{}, pgerr.New(pgerr.DataException, "infinite value not allowed in halfvec")
		}
	}
	return types.NewVector(r), nil
}
