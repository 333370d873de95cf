package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
)

// pkPointLookup turns a scan whose filter fixes every primary-key column
// to a constant or parameter ("id = 5", "id = $1", "id IN (1, 2)") into
// point lookups. The whole filter stays in place as a residual check, so
// the rewrite cannot change results.
func pkPointLookup(_ *Optimizer, n Node) Node {
	s, ok := n.(*Scan)
	if !ok || s.Filter == nil || s.Table.HiddenRowID || s.PKKeys != nil {
		return n
	}
	pk := s.Table.Desc.PrimaryKey
	if len(pk) != 1 {
		return n
	}
	for _, c := range conjuncts(s.Filter) {
		if vals := pkValues(c, pk[0]); vals != nil && keyTypesMatch(s, pk[0], vals) {
			keys := make([][]executor.Expr, len(vals))
			for i, v := range vals {
				keys[i] = []executor.Expr{v}
			}
			s.PKKeys = keys
			return s
		}
	}
	return n
}

// pkValues returns the values c pins column ord to, when c is
// "col = v" or "col IN (v...)" with v free of column references.
func pkValues(c executor.Expr, ord int) []executor.Expr {
	switch e := c.(type) {
	case *executor.Call:
		if e.Op != "=" || len(e.Args) != 2 {
			return nil
		}
		if isCol(e.Args[0], ord) && isRowFree(e.Args[1]) {
			return []executor.Expr{e.Args[1]}
		}
		if isCol(e.Args[1], ord) && isRowFree(e.Args[0]) {
			return []executor.Expr{e.Args[0]}
		}
	case *executor.InList:
		if e.Not || !isCol(e.Expr, ord) {
			return nil
		}
		for _, v := range e.List {
			if !isRowFree(v) {
				return nil
			}
		}
		return e.List
	}
	return nil
}

func isCol(e executor.Expr, ord int) bool {
	c, ok := e.(*executor.ColRef)
	return ok && c.Idx == ord
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

// keyTypesMatch reports whether every value can address the key column
// exactly: same type, or integers of any width (a cast from numeric or
// float would round and find the wrong row).
func keyTypesMatch(s *Scan, ord int, vals []executor.Expr) bool {
	col := s.Table.Types[ord]
	for _, v := range vals {
		t := v.Type()
		if t.Equal(col) || (isIntFamily(t.Family) && isIntFamily(col.Family)) {
			continue
		}
		return false
	}
	return true
}

func isIntFamily(f types.Family) bool {
	return f == types.Int2 || f == types.Int4 || f == types.Int8
}
