package planner

import (
	"fmt"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
)

// joinNames are PostgreSQL's node names per join kind: nested loop, hash
// join hashing the right input, hash join hashing the left input (where
// PostgreSQL names the join after the side its hashed inner input is,
// e.g. a LEFT join probing with its right input is a "Hash Right Join").
var joinNames = map[executor.JoinKind][3]string{
	executor.InnerJoin: {"Nested Loop", "Hash Join", "Hash Join"},
	executor.LeftJoin:  {"Nested Loop Left Join", "Hash Left Join", "Hash Right Join"},
	executor.FullJoin:  {"Nested Loop Full Join", "Hash Full Join", "Hash Full Join"},
	executor.SemiJoin:  {"Nested Loop Semi Join", "Hash Semi Join", "Hash Right Semi Join"},
	executor.AntiJoin:  {"Nested Loop Anti Join", "Hash Anti Join", "Hash Right Anti Join"},
}

// explainJoin prints a join as PostgreSQL does: its name, "Hash Cond"
// (probe side's key first), "Join Filter" (the residual ON), "Filter"
// (filter, a condition evaluated above the join, when not nil), then the
// probe input and a "Hash" node over the build input. Column names are
// qualified by their table, as PostgreSQL qualifies them in plans over
// several relations.
func explainJoin(j *Join, filter *Filter, head, detail string, childDepth int, lines *[]string, x *explainCtx) {
	var top Node = j
	if filter != nil {
		top = filter
	}
	info := func(format string, args ...any) { *lines = append(*lines, detail+fmt.Sprintf(format, args...)) }
	left, right := qualified(j.Left.Columns()), qualified(j.Right.Columns())
	both := append(append([]Column(nil), left...), right...)
	names := joinNames[j.Kind]
	name := names[0]
	probe, build := j.Left, j.Right
	if j.Hash != nil {
		name = names[1]
		if j.Hash.BuildLeft {
			name, probe, build = names[2], j.Right, j.Left
		}
	}
	*lines = append(*lines, head+name+actual(x, top))
	if j.Hash != nil {
		conds := make([]string, len(j.Hash.Keys))
		for i, k := range j.Hash.Keys {
			l, r := FormatExpr(plainKey(k.Left), left), FormatExpr(plainKey(k.Right), right)
			if j.Hash.BuildLeft {
				l, r = r, l
			}
			op := " = "
			if k.NullSafe {
				op = " IS NOT DISTINCT FROM "
			}
			conds[i] = "(" + l + op + r + ")"
		}
		cond := conds[0]
		if len(conds) > 1 {
			cond = "(" + strings.Join(conds, " AND ") + ")"
		}
		info("Hash Cond: %s", cond)
	}
	if j.On != nil {
		info("Join Filter: %s", paren(FormatExpr(j.On, both)))
	}
	if filter != nil {
		info("Filter: %s", paren(FormatExpr(filter.Pred, qualified(j.Columns()))))
	}
	explainNode(probe, childDepth, false, lines, x)
	if j.Hash == nil {
		explainNode(build, childDepth, false, lines, x)
		return
	}
	*lines = append(*lines, strings.Repeat(" ", childDepth)+"->  Hash"+actual(x, build))
	explainNode(build, childDepth+6, false, lines, x)
}

// qualified returns cols with each name prefixed by its table alias.
func qualified(cols []Column) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		if c.Table != "" && c.Name != "" {
			c.Name = c.Table + "." + c.Name
		}
		out[i] = c
	}
	return out
}

// plainKey drops a widening cast between integer types or between float
// types from a key, because PostgreSQL compares those with cross-type
// operators (int48eq, float48eq) and prints no cast.
func plainKey(e executor.Expr) executor.Expr {
	c, ok := e.(*executor.CastExpr)
	if !ok {
		return e
	}
	from, to := c.Expr.Type().Family, c.Typ.Family
	if isIntFamily(from) && isIntFamily(to) || isFloatFamily(from) && isFloatFamily(to) {
		return c.Expr
	}
	return e
}

func isFloatFamily(f types.Family) bool { return f == types.Float4 || f == types.Float8 }
