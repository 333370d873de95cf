package builtin

import (
	"fmt"
	"math"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Vector operators and functions with pgvector 0.8's semantics and
// messages (src/vector.c). Distances accumulate in float32 with the shared
// kernels and are returned as float8, as pgvector does; vector_norm and
// l2_normalize accumulate in float64 as pgvector does.

func errVectorDims(a, b int) error {
	return pgerr.New(pgerr.DataException, fmt.Sprintf("different vector dimensions %d and %d", a, b))
}

func checkDims(a, b []float32) error {
	if len(a) != len(b) {
		return errVectorDims(len(a), len(b))
	}
	return nil
}

// checkVectorDim is pgvector's CheckDim for a result of dim dimensions.
func checkVectorDim(dim int) error {
	if dim < 1 {
		return pgerr.New(pgerr.DataException, "vector must have at least 1 dimension")
	}
	if dim > types.MaxVectorDims {
		return pgerr.New(pgerr.ProgramLimitExceeded, fmt.Sprintf("vector cannot have more than %d dimensions", types.MaxVectorDims))
	}
	return nil
}

func vecDistance(kernel func(a, b []float32) float64) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		if err := checkDims(a[0].Vec, a[1].Vec); err != nil {
			return types.Datum{}, err
		}
		return types.NewFloat(kernel(a[0].Vec, a[1].Vec)), nil
	}
}

func l2Distance(a, b []float32) float64 {
	return math.Sqrt(float64(distance.L2Squared(a, b)))
}

func innerProduct(a, b []float32) float64 { return float64(distance.Dot(a, b)) }

func negInnerProduct(a, b []float32) float64 { return -float64(distance.Dot(a, b)) }

func l1Distance(a, b []float32) float64 { return float64(distance.L1(a, b)) }

// sameDims is the result type of an element-wise operation: vector(n)
// when both sides are vector(n), else vector.
func sameDims(args []types.T) types.T {
	if len(args) == 2 && args[0].Typmod == args[1].Typmod {
		return types.T{Family: types.Vector, Typmod: args[0].Typmod}
	}
	return types.VectorType
}

func (l *Library) addVector() {
	v, f8 := types.VectorType, types.Float8Type
	vv := ts(v, v)
	for _, d := range []struct {
		op    string
		names []string
		k     func(a, b []float32) float64
	}{
		{"<->", []string{"l2_distance", "vec_l2_distance"}, l2Distance},
		{"<=>", []string{"cosine_distance", "vec_cosine_distance"}, distance.CosineDistance},
		{"<#>", []string{"vector_negative_inner_product", "vec_negative_inner_product"}, negInnerProduct},
		{"<+>", []string{"l1_distance", "vec_l1_distance"}, l1Distance},
	} {
		eval := vecDistance(d.k)
		l.binOp(d.op, v, v, f8, eval)
		for _, name := range d.names {
			l.fn(name, vv, f8, eval)
		}
	}
	l.fn("inner_product", vv, f8, vecDistance(innerProduct))
	l.addBinary(&Func{Name: "+", Params: vv, Return: v, ReturnFn: sameDims, Eval: vecElementwise(func(x, y float32) float32 { return x + y }, false)})
	l.addBinary(&Func{Name: "-", Params: vv, Return: v, ReturnFn: sameDims, Eval: vecElementwise(func(x, y float32) float32 { return x - y }, false)})
	l.addBinary(&Func{Name: "*", Params: vv, Return: v, ReturnFn: sameDims, Eval: vecElementwise(func(x, y float32) float32 { return x * y }, true)})
	l.addBinary(&Func{Name: "||", Params: vv, Return: v, ReturnFn: concatDims, Eval: evalVectorConcat})
	dims := func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].Vec)), nil }
	l.fn("vector_dims", ts(v), types.Int4Type, dims)
	l.fn("vec_dims", ts(v), types.Int4Type, dims)
	norm := func(_ *Ctx, a []types.Datum) (types.Datum, error) { return types.NewFloat(vectorNorm(a[0].Vec)), nil }
	l.fn("vector_norm", ts(v), f8, norm)
	l.fn("vec_l2_norm", ts(v), f8, norm)
	l.addFunc(&Func{Name: "l2_normalize", Params: ts(v), Return: v,
		ReturnFn: func(args []types.T) types.T { return args[0] }, Eval: evalL2Normalize})
	l.fn("subvector", ts(v, types.Int4Type, types.Int4Type), v, evalSubvector)
	l.fn("vec_from_text", ts(types.TextType), v, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.ParseText(v, a[0].S)
	})
	l.fn("vec_as_text", ts(v), types.TextType, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
		return str(types.FormatText(v, a[0], ctx.Format)), nil
	})
}

// vecElementwise is vector_add / vector_sub / vector_mul: same dimensions
// required; an infinite element is an overflow, and for * a zero from two
// non-zero elements is an underflow.
func vecElementwise(op func(x, y float32) float32, checkUnderflow bool) EvalFunc {
	return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].Vec, a[1].Vec
		if err := checkDims(x, y); err != nil {
			return types.Datum{}, err
		}
		r := make([]float32, len(x))
		for i := range x {
			r[i] = op(x[i], y[i])
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

func concatDims(args []types.T) types.T {
	if len(args) == 2 && args[0].Typmod > 0 && args[1].Typmod > 0 {
		return types.VectorOf(int(args[0].Typmod + args[1].Typmod))
	}
	return types.VectorType
}

func evalVectorConcat(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x, y := a[0].Vec, a[1].Vec
	if err := checkVectorDim(len(x) + len(y)); err != nil {
		return types.Datum{}, err
	}
	r := make([]float32, 0, len(x)+len(y))
	r = append(append(r, x...), y...)
	return types.NewVector(r), nil
}

// vectorNorm is pgvector's vector_norm: Σ x² accumulated in float64.
func vectorNorm(x []float32) float64 {
	var n float64
	for _, e := range x {
		n += float64(e) * float64(e)
	}
	return math.Sqrt(n)
}

// evalL2Normalize is l2_normalize: each element divided by the float64
// norm; a zero vector stays zero.
func evalL2Normalize(_ *Ctx, a []types.Datum) (types.Datum, error) {
	x := a[0].Vec
	norm := vectorNorm(x)
	r := make([]float32, len(x))
	if norm > 0 {
		for i, e := range x {
			r[i] = float32(float64(e) / norm)
			if math.IsInf(float64(r[i]), 0) {
				return types.Datum{}, errFloatOverflow()
			}
		}
	}
	return types.NewVector(r), nil
}

// evalSubvector is pgvector's subvector(v, start, count): start is 1-based
// and clipped at 1 (shortening the result), count must be at least 1, and
// the result must keep at least one dimension.
func evalSubvector(_ *Ctx, a []types.Datum) (types.Datum, error) {
	r, err := subvectorOf(a[0].Vec, a[1].I, a[2].I, "vector")
	return types.NewVector(r), err
}

// subvectorOf is subvector for vector or halfvec (typ names it in errors);
// the result is a fresh slice.
func subvectorOf(x []float32, start, count int64, typ string) ([]float32, error) {
	dim := int64(len(x))
	tooFew := func() error { return pgerr.New(pgerr.DataException, typ+" must have at least 1 dimension") }
	if count < 1 {
		return nil, tooFew()
	}
	var end int64
	if start > dim-count {
		end = dim + 1
	} else {
		end = start + count
	}
	if start < 1 {
		start = 1
	} else if start > dim {
		return nil, tooFew()
	}
	if end-start < 1 {
		return nil, tooFew()
	}
	if err := checkVectorDim(int(end - start)); err != nil {
		return nil, err
	}
	r := make([]float32, end-start)
	copy(r, x[start-1:end-1])
	return r, nil
}
