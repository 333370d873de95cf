package executor

import (
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Expr is a bound, typed scalar expression evaluated against one input row.
// Column references are positions in that row. Expressions are immutable
// after binding and safe to evaluate from several goroutines, each with its
// own Ctx.
type Expr interface {
	Eval(ctx *Ctx, row []types.Datum) (types.Datum, error)
	Type() types.T
}

// Const is a constant value.
type Const struct {
	Value types.Datum
	Typ   types.T
}

// ColRef reads column Idx of the input row.
type ColRef struct {
	Idx int
	Typ types.T
	// Name is used when printing plans.
	Name string
}

// ParamRef reads parameter $N (1-based).
type ParamRef struct {
	N   int
	Typ types.T
}

// Call applies a built-in function or operator to its arguments.
type Call struct {
	Fn   *builtin.Func
	Args []Expr
	Typ  types.T
	// Op is the operator spelling when the call came from an operator
	// ("<->"), for printing plans; "" for function calls.
	Op string
}

// CastExpr converts its input to Typ.
type CastExpr struct {
	Expr     Expr
	Typ      types.T
	Explicit bool
}

// And, Or and Not are SQL's three-valued logic connectives.
type And struct{ Left, Right Expr }

// Or is the SQL OR connective.
type Or struct{ Left, Right Expr }

// Not is the SQL NOT connective.
type Not struct{ Expr Expr }

// IsNullExpr is "x IS [NOT] NULL".
type IsNullExpr struct {
	Expr Expr
	Not  bool
}

// CaseExpr is a searched CASE (simple CASE is bound into this form).
type CaseExpr struct {
	Whens []CaseWhen
	Else  Expr // nil means NULL
	Typ   types.T
}

// CaseWhen is one arm of a CaseExpr.
type CaseWhen struct{ Cond, Result Expr }

// Coalesce returns its first non-NULL argument.
type Coalesce struct {
	Args []Expr
	Typ  types.T
}

// Greatest is GREATEST (Least when Least is set): NULLs are ignored.
type Greatest struct {
	Args  []Expr
	Typ   types.T
	Least bool
}

// InList is "x [NOT] IN (a, b, ...)": Eq is the resolved equality applied
// to x and each item.
type InList struct {
	Expr Expr
	List []Expr
	Eq   *builtin.Func
	Not  bool
}

// AnyArray is "x op ANY|ALL (array)".
type AnyArray struct {
	Left  Expr
	Right Expr // array-typed
	Cmp   *builtin.Func
	All   bool
}

// DistinctFrom is "a IS [NOT] DISTINCT FROM b".
type DistinctFrom struct {
	Left, Right Expr
	Eq          *builtin.Func
	Not         bool
}

// ArrayExpr is ARRAY[a, b, ...].
type ArrayExpr struct {
	Elems []Expr
	Typ   types.T
}

func (e *Const) Type() types.T        { return e.Typ }
func (e *ColRef) Type() types.T       { return e.Typ }
func (e *ParamRef) Type() types.T     { return e.Typ }
func (e *Call) Type() types.T         { return e.Typ }
func (e *CastExpr) Type() types.T     { return e.Typ }
func (e *And) Type() types.T          { return types.BoolType }
func (e *Or) Type() types.T           { return types.BoolType }
func (e *Not) Type() types.T          { return types.BoolType }
func (e *IsNullExpr) Type() types.T   { return types.BoolType }
func (e *CaseExpr) Type() types.T     { return e.Typ }
func (e *Coalesce) Type() types.T     { return e.Typ }
func (e *Greatest) Type() types.T     { return e.Typ }
func (e *InList) Type() types.T       { return types.BoolType }
func (e *AnyArray) Type() types.T     { return types.BoolType }
func (e *DistinctFrom) Type() types.T { return types.BoolType }
func (e *ArrayExpr) Type() types.T    { return e.Typ }

// Eval returns the constant.
func (e *Const) Eval(*Ctx, []types.Datum) (types.Datum, error) { return e.Value, nil }

// Eval returns the referenced column.
func (e *ColRef) Eval(_ *Ctx, row []types.Datum) (types.Datum, error) { return row[e.Idx], nil }

// Eval returns the parameter's value.
func (e *ParamRef) Eval(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
	if e.N < 1 || e.N > len(ctx.Params) {
		return types.Null, pgerr.Newf(pgerr.UndefinedParameter, "there is no parameter $%d", e.N)
	}
	return ctx.Params[e.N-1], nil
}

// Eval applies the function; strict functions return NULL on NULL input
// without being called.
func (e *Call) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	var buf [4]types.Datum
	args := buf[:0]
	if len(e.Args) > len(buf) {
		args = make([]types.Datum, 0, len(e.Args))
	}
	for _, a := range e.Args {
		v, err := a.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		if v.IsNull() && !e.Fn.NullCall {
			return types.Null, nil
		}
		args = append(args, v)
	}
	return e.Fn.Eval(ctx.Builtin, args)
}

// Eval converts the input value.
func (e *CastExpr) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	v, err := e.Expr.Eval(ctx, row)
	if err != nil || v.IsNull() {
		return v, err
	}
	// NB: the session's TimeZone decides timestamp <-> timestamptz and text
	// -> timestamptz conversions.
	var opts types.FormatOptions
	if ctx.Builtin != nil {
		opts = ctx.Builtin.Format
	}
	return types.CastWithOptions(v, e.Expr.Type(), e.Typ, e.Explicit, opts)
}

// Eval implements three-valued AND: false wins over NULL.
func (e *And) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	l, err := e.Left.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	if l.K == types.KindBool && l.I == 0 {
		return l, nil
	}
	r, err := e.Right.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	if r.K == types.KindBool && r.I == 0 {
		return r, nil
	}
	if l.IsNull() || r.IsNull() {
		return types.Null, nil
	}
	return types.NewBool(true), nil
}

// Eval implements three-valued OR: true wins over NULL.
func (e *Or) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	l, err := e.Left.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	if l.Bool() {
		return l, nil
	}
	r, err := e.Right.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	if r.Bool() {
		return r, nil
	}
	if l.IsNull() || r.IsNull() {
		return types.Null, nil
	}
	return types.NewBool(false), nil
}

// Eval implements NOT; NOT NULL is NULL.
func (e *Not) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	v, err := e.Expr.Eval(ctx, row)
	if err != nil || v.IsNull() {
		return v, err
	}
	return types.NewBool(!v.Bool()), nil
}

// Eval tests for NULL.
func (e *IsNullExpr) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	v, err := e.Expr.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	isNull := v.IsNull()
	if v.K == types.KindArray && e.Expr.Type().Family == types.Record {
		// NB: a row value IS NULL only when all its fields are.
		isNull = true
		for _, f := range v.Arr {
			if !f.IsNull() {
				isNull = false
			}
		}
	}
	return types.NewBool(isNull != e.Not), nil
}

// Eval returns the result of the first arm whose condition is true.
func (e *CaseExpr) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	for _, w := range e.Whens {
		c, err := w.Cond.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		if c.Bool() {
			return w.Result.Eval(ctx, row)
		}
	}
	if e.Else == nil {
		return types.Null, nil
	}
	return e.Else.Eval(ctx, row)
}

// Eval returns the first non-NULL argument, evaluating lazily.
func (e *Coalesce) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	for _, a := range e.Args {
		v, err := a.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		if !v.IsNull() {
			return v, nil
		}
	}
	return types.Null, nil
}

// Eval returns the greatest (or least) non-NULL argument.
func (e *Greatest) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	best := types.Null
	for _, a := range e.Args {
		v, err := a.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		if v.IsNull() {
			continue
		}
		if best.IsNull() {
			best = v
			continue
		}
		c := types.Compare(e.Typ, v, best)
		if (c > 0) != e.Least && c != 0 {
			best = v
		}
	}
	return best, nil
}

// Eval implements IN with SQL's NULL rules: no match and a NULL seen gives NULL.
func (e *InList) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	x, err := e.Expr.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	if x.IsNull() {
		return types.Null, nil
	}
	sawNull := false
	for _, item := range e.List {
		v, err := item.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		if v.IsNull() {
			sawNull = true
			continue
		}
		eq, err := e.Eq.Eval(ctx.Builtin, []types.Datum{x, v})
		if err != nil {
			return types.Null, err
		}
		if eq.Bool() {
			return types.NewBool(!e.Not), nil
		}
	}
	if sawNull {
		return types.Null, nil
	}
	return types.NewBool(e.Not), nil
}

// Eval implements x op ANY/ALL (array) with SQL's NULL rules.
func (e *AnyArray) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	x, err := e.Left.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	arr, err := e.Right.Eval(ctx, row)
	if err != nil || arr.IsNull() {
		return types.Null, err
	}
	if len(arr.Arr) == 0 {
		return types.NewBool(e.All), nil
	}
	if x.IsNull() {
		return types.Null, nil
	}
	sawNull := false
	for _, v := range arr.Arr {
		if v.IsNull() {
			sawNull = true
			continue
		}
		r, err := e.Cmp.Eval(ctx.Builtin, []types.Datum{x, v})
		if err != nil {
			return types.Null, err
		}
		if r.Bool() != e.All {
			return types.NewBool(!e.All), nil
		}
	}
	if sawNull {
		return types.Null, nil
	}
	return types.NewBool(e.All), nil
}

// Eval implements IS [NOT] DISTINCT FROM: NULLs compare as equal values.
func (e *DistinctFrom) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	l, err := e.Left.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	r, err := e.Right.Eval(ctx, row)
	if err != nil {
		return types.Null, err
	}
	var distinct bool
	switch {
	case l.IsNull() && r.IsNull():
		distinct = false
	case l.IsNull() || r.IsNull():
		distinct = true
	default:
		eq, err := e.Eq.Eval(ctx.Builtin, []types.Datum{l, r})
		if err != nil {
			return types.Null, err
		}
		distinct = !eq.Bool()
	}
	return types.NewBool(distinct != e.Not), nil
}

// Eval builds the array.
func (e *ArrayExpr) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	elems := make([]types.Datum, len(e.Elems))
	for i, el := range e.Elems {
		v, err := el.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		elems[i] = v
	}
	return types.NewArray(elems), nil
}

// EvalBool evaluates a predicate: NULL counts as false, as in WHERE.
func EvalBool(ctx *Ctx, e Expr, row []types.Datum) (bool, error) {
	v, err := e.Eval(ctx, row)
	if err != nil {
		return false, err
	}
	return v.Bool(), nil
}
