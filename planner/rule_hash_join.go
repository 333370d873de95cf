package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
)

// hashJoin turns a join whose condition holds equalities between its two
// sides (after pushPredicates has moved WHERE equalities into inner
// joins) into a hash join: those equalities become the keys, the other
// conjuncts stay in On as the residual ("Join Filter"). Joins without
// such an equality keep the nested loop.
//
// The build (hashed) side is the right input, as PostgreSQL hashes its
// inner side, unless table statistics show the left input is smaller:
// then the left one is hashed (PostgreSQL's "Hash Right Join" for a LEFT
// join). Semi and anti joins always hash the right input.
func hashJoin(o *Optimizer, n Node) Node {
	j, ok := n.(*Join)
	if !ok || j.Hash != nil {
		return n
	}
	l := len(j.Left.Columns())
	var keys []HashKey
	var rest []executor.Expr
	for _, c := range conjuncts(j.On) {
		if k, ok := hashKeyOf(c, l); ok {
			keys = append(keys, k)
		} else {
			rest = append(rest, c)
		}
	}
	if len(keys) == 0 {
		return n
	}
	spec := &HashSpec{Keys: keys}
	if j.Kind != executor.SemiJoin && j.Kind != executor.AntiJoin {
		lr, rr := o.estimateRows(j.Left), o.estimateRows(j.Right)
		spec.BuildLeft = lr >= 0 && rr >= 0 && lr < rr
	}
	j.Hash, j.On = spec, conjoin(rest)
	return j
}

// hashKeyOf recognises "x = y" (or "x IS NOT DISTINCT FROM y") with x
// over one side and y over the other, for key types whose equality is
// exactly equality of their types.AppendKey encodings.
func hashKeyOf(c executor.Expr, l int) (HashKey, bool) {
	var a, b executor.Expr
	var t types.T
	nullSafe := false
	switch e := c.(type) {
	case *executor.Call:
		if e.Fn == nil || e.Fn.Name != "=" || len(e.Args) != 2 || len(e.Fn.Params) != 2 || !e.Fn.Params[0].Equal(e.Fn.Params[1]) {
			return HashKey{}, false
		}
		a, b, t = e.Args[0], e.Args[1], e.Fn.Params[0]
	case *executor.DistinctFrom:
		if !e.Not || e.Eq == nil || e.Eq.Name != "=" || len(e.Eq.Params) != 2 || !e.Eq.Params[0].Equal(e.Eq.Params[1]) {
			return HashKey{}, false
		}
		a, b, t, nullSafe = e.Left, e.Right, e.Eq.Params[0], true
	default:
		return HashKey{}, false
	}
	if !hashable(t.Family) {
		return HashKey{}, false
	}
	sa, sb := sideOf(a, l), sideOf(b, l)
	switch {
	case sa == sideLeft && sb == sideRight:
	case sa == sideRight && sb == sideLeft:
		a, b = b, a
	default:
		return HashKey{}, false
	}
	return HashKey{Left: castTo(a, t), Right: castTo(shiftCols(b, l), t), Type: t, NullSafe: nullSafe, Cond: c}, true
}

// castTo makes e produce values of t's family, so both sides of a key
// encode alike (an int column against a numeric "=" parameter).
func castTo(e executor.Expr, t types.T) executor.Expr {
	if e.Type().Family == t.Family {
		return e
	}
	return &executor.CastExpr{Expr: e, Typ: t}
}

// hashable lists the type families whose "=" (executor/builtin's
// comparer: types.Compare, bpchar without trailing spaces) holds exactly
// when the values' key encodings are equal.
func hashable(f types.Family) bool {
	switch f {
	case types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Numeric,
		types.Text, types.Varchar, types.Bpchar, types.Name, types.Bytea,
		types.Timestamptz, types.Timestamp, types.Date, types.Interval, types.Uuid, types.Oid:
		return true
	}
	return false
}

// estimateRows is an upper estimate of the rows n returns, from table
// statistics (-1 when unknown).
func (o *Optimizer) estimateRows(n Node) int64 {
	switch n := n.(type) {
	case *Scan:
		if o.Stats == nil {
			return -1
		}
		st := o.Stats(n.Table)
		if st == nil {
			return -1
		}
		return st.Rows
	case *Values:
		return int64(len(n.Rows))
	case *Filter:
		return o.estimateRows(n.Input)
	case *Project:
		return o.estimateRows(n.Input)
	case *Sort:
		return o.estimateRows(n.Input)
	case *Distinct:
		return o.estimateRows(n.Input)
	case *Limit:
		in := o.estimateRows(n.Input)
		if c, ok := n.Count.(*executor.Const); ok && n.Offset == nil && c.Value.K == types.KindInt && !c.Value.IsNull() {
			if in < 0 || c.Value.I < in {
				return c.Value.I
			}
		}
		return in
	}
	return -1
}
