package executor

import (
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// SubqueryMode says how a subquery's rows become a value.
type SubqueryMode uint8

// Subquery modes.
const (
	ScalarSubquery SubqueryMode = iota // (SELECT x): one row or NULL; more rows is 21000
	ExistsSubquery                     // EXISTS (SELECT ...)
	InSubquery                         // x IN (SELECT y): Cmp is the equality
	ArraySubquery                      // ARRAY(SELECT x)
	AnySubquery                        // x op ANY|ALL (SELECT y)
)

// Subquery evaluates a nested plan. When Correlated, the plan reads the
// current outer row through OuterRef expressions and is re-run for every
// row; otherwise its result is computed once per statement execution.
type Subquery struct {
	Plan       Operator
	Mode       SubqueryMode
	Typ        types.T
	Correlated bool
	Left       Expr // InSubquery / AnySubquery
	Cmp        *builtin.Func
	All        bool
	Not        bool
	// Hashed, set only for an uncorrelated InSubquery whose Cmp holds
	// exactly when the types.AppendKey encodings of its operands (both of
	// type HashType) are equal, looks x up in a hash set of the rows
	// (PostgreSQL's "hashed SubPlan") instead of comparing it with each.
	Hashed   bool
	HashType types.T

	cached    bool
	cachedVal types.Datum
	cacheRows [][]types.Datum
	cacheFor  *Ctx
	// hashSet holds the encoded non-NULL rows of cacheRows, hashNull
	// whether a row is NULL (Hashed only; built with cacheRows).
	hashSet  map[string]struct{}
	hashNull bool
	keyBuf   []byte
}

// Type is the result type.
func (s *Subquery) Type() types.T { return s.Typ }

// Eval runs (or reuses) the subquery.
func (s *Subquery) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	var rows [][]types.Datum
	if s.Correlated || s.cacheFor != ctx {
		ctx.outer = append(ctx.outer, row)
		r, err := Collect(ctx, s.Plan)
		ctx.outer = ctx.outer[:len(ctx.outer)-1]
		if err != nil {
			return types.Null, err
		}
		rows = r
		if !s.Correlated {
			s.cacheFor, s.cacheRows, s.hashSet = ctx, r, nil
		}
	} else {
		rows = s.cacheRows
	}
	if s.Hashed && !s.Correlated && s.Mode == InSubquery {
		return s.evalHashed(ctx, row)
	}
	switch s.Mode {
	case ExistsSubquery:
		return types.NewBool((len(rows) > 0) != s.Not), nil
	case ScalarSubquery:
		if len(rows) == 0 {
			return types.Null, nil
		}
		if len(rows) > 1 {
			return types.Null, pgerr.New(pgerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
		}
		return rows[0][0], nil
	case ArraySubquery:
		elems := make([]types.Datum, len(rows))
		for i, r := range rows {
			elems[i] = r[0]
		}
		return types.NewArray(elems), nil
	default: // InSubquery, AnySubquery
		x, err := s.Left.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		all := s.All && s.Mode == AnySubquery
		if len(rows) == 0 {
			return types.NewBool(all != s.Not), nil
		}
		if x.IsNull() {
			return types.Null, nil
		}
		sawNull := false
		for _, r := range rows {
			if r[0].IsNull() {
				sawNull = true
				continue
			}
			v, err := s.Cmp.Eval(ctx.Builtin, []types.Datum{x, r[0]})
			if err != nil {
				return types.Null, err
			}
			if v.Bool() != all {
				return types.NewBool(!all != s.Not), nil
			}
		}
		if sawNull {
			return types.Null, nil
		}
		return types.NewBool(all != s.Not), nil
	}
}

// evalHashed is Eval's InSubquery case over the hash set of the cached
// rows, with the same result: no rows is false; a NULL x, or no equal row
// but a NULL one, is NULL; otherwise whether an equal row exists (each
// negated by Not).
func (s *Subquery) evalHashed(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	if s.hashSet == nil {
		s.hashSet, s.hashNull = make(map[string]struct{}, len(s.cacheRows)), false
		for _, r := range s.cacheRows {
			if r[0].IsNull() {
				s.hashNull = true
				continue
			}
			s.hashSet[string(types.AppendKey(nil, s.HashType, r[0], false))] = struct{}{}
		}
	}
	if len(s.cacheRows) == 0 {
		return types.NewBool(s.Not), nil
	}
	x, err := s.Left.Eval(ctx, row)
	if err != nil || x.IsNull() {
		return types.Null, err
	}
	s.keyBuf = types.AppendKey(s.keyBuf[:0], s.HashType, x, false)
	if _, ok := s.hashSet[string(s.keyBuf)]; ok {
		return types.NewBool(!s.Not), nil
	}
	if s.hashNull {
		return types.Null, nil
	}
	return types.NewBool(s.Not), nil
}

// OuterRef reads column Idx of the outer query's current row, Depth levels
// up (1: the immediately enclosing query).
type OuterRef struct {
	Depth int
	Idx   int
	Typ   types.T
	Name  string
}

// Type is the column type.
func (e *OuterRef) Type() types.T { return e.Typ }

// Eval reads the outer row.
func (e *OuterRef) Eval(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
	i := len(ctx.outer) - e.Depth
	if i < 0 || ctx.outer[i] == nil {
		return types.Null, pgerr.New(pgerr.InternalError, "outer reference without an outer row")
	}
	return ctx.outer[i][e.Idx], nil
}
