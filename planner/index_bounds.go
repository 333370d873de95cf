package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// IndexScan is what the index rules make of a table scan: read a btree
// index (or the primary key) within Bounds instead of the whole table.
// Conds are the conjuncts of the scan's filter the bounds came from, in
// index column order, for EXPLAIN's "Index Cond"; the whole filter still
// runs over every row read, so the bounds only narrow what is read.
type IndexScan struct {
	Bounds *executor.BtreeBounds
	Conds  []executor.Expr
}

// indexCols returns the table columns an index orders by: the primary key's
// for the primary index.
func indexCols(t *executor.Table, ix *storage.IndexDesc) []int {
	if ix.Primary {
		return t.Desc.PrimaryKey
	}
	return ix.Columns
}

// primaryIndex returns the table's primary-key index, or nil.
func primaryIndex(t *executor.Table) *storage.IndexDesc {
	if t.HiddenRowID {
		return nil
	}
	for i := range t.Desc.Indexes {
		if ix := &t.Desc.Indexes[i]; ix.Primary {
			return ix
		}
	}
	return nil
}

// indexBounds derives the bounds the conjuncts of filter put on index ix:
// equalities on leading columns become the prefix; on the next column an
// equality, IN list or range bounds (<, <=, >, >=, BETWEEN) against
// constants or parameters. It returns nil when no conjunct bounds the
// first column.
func indexBounds(t *executor.Table, ix *storage.IndexDesc, filter executor.Expr) *IndexScan {
	cols := indexCols(t, ix)
	conjs := conjuncts(filter)
	out := &IndexScan{Bounds: &executor.BtreeBounds{Index: ix}}
	b := out.Bounds
	for _, col := range cols {
		if c, v := findEquality(t, conjs, col); c != nil {
			b.Prefix = append(b.Prefix, v)
			out.Conds = append(out.Conds, c)
			continue
		}
		for _, c := range conjs {
			if in, ok := c.(*executor.InList); ok && !in.Not && isKeyCol(t, in.Expr, col) && valuesFit(t, col, in.List) {
				b.Eq, out.Conds = in.List, append(out.Conds, c)
				break
			}
		}
		if b.Eq != nil {
			break
		}
		for _, c := range conjs {
			op, v := rangeBound(t, c, col)
			switch op {
			case ">", ">=":
				b.Lo = append(b.Lo, executor.Bound{Value: v, Incl: op == ">="})
			case "<", "<=":
				b.Hi = append(b.Hi, executor.Bound{Value: v, Incl: op == "<="})
			default:
				continue
			}
			out.Conds = append(out.Conds, c)
		}
		break
	}
	if len(out.Conds) == 0 {
		return nil
	}
	return out
}

// findEquality returns the first conjunct "col = v" (either side) with v
// free of column references and of a type that addresses the column
// exactly, and v.
func findEquality(t *executor.Table, conjs []executor.Expr, col int) (executor.Expr, executor.Expr) {
	for _, c := range conjs {
		if op, v := rangeBound(t, c, col); op == "=" {
			return c, v
		}
		if in, ok := c.(*executor.InList); ok && !in.Not && len(in.List) == 1 && isKeyCol(t, in.Expr, col) && valuesFit(t, col, in.List) {
			return c, in.List[0]
		}
	}
	return nil, nil
}

// commuted maps a comparison to the one with its operands swapped.
var commuted = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// rangeBound reports c as "col op v" (operands swapped when written
// "v op col"), with op one of =, <, <=, >, >=; op is "" otherwise.
func rangeBound(t *executor.Table, c executor.Expr, col int) (op string, v executor.Expr) {
	call, ok := c.(*executor.Call)
	if !ok || len(call.Args) != 2 || commuted[call.Op] == "" {
		return "", nil
	}
	op, v = call.Op, call.Args[1]
	if !isKeyCol(t, call.Args[0], col) {
		if !isKeyCol(t, call.Args[1], col) {
			return "", nil
		}
		op, v = commuted[op], call.Args[0]
	}
	if !valuesFit(t, col, []executor.Expr{v}) {
		return "", nil
	}
	return op, v
}

// isKeyCol reports whether e is column col, or col widened to another
// integer type (as the binder writes "int4col < 3000000000"): integers of
// every width share one key encoding, so the key order is the comparison's.
func isKeyCol(t *executor.Table, e executor.Expr, col int) bool {
	if c, ok := e.(*executor.CastExpr); ok && isIntFamily(c.Typ.Family) && isIntFamily(t.Types[col].Family) {
		e = c.Expr
	}
	c, ok := e.(*executor.ColRef)
	return ok && c.Idx == col
}

// valuesFit reports whether every value is row-free and can address key
// column col exactly: same type, or integers of any width (a cast from
// numeric or float would round and find the wrong rows; PostgreSQL's
// btree operator families do not mix those either).
func valuesFit(t *executor.Table, col int, vals []executor.Expr) bool {
	typ := t.Types[col]
	for _, v := range vals {
		vt := v.Type()
		if !isRowFree(v) || !(vt.Equal(typ) || isIntFamily(vt.Family) && isIntFamily(typ.Family)) {
			return false
		}
	}
	return true
}

// isRowFree reports whether e can be evaluated without an input row.
func isRowFree(e executor.Expr) bool {
	switch e := e.(type) {
	case *executor.Const, *executor.ParamRef:
		return true
	case *executor.CastExpr:
		return isRowFree(e.Expr)
	case *executor.Subquery:
		// An uncorrelated scalar subquery is evaluated once per execution.
		return !e.Correlated && e.Mode == executor.ScalarSubquery
	}
	return false
}

func isIntFamily(f types.Family) bool {
	return f == types.Int2 || f == types.Int4 || f == types.Int8
}
