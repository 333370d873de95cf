package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/storage"
)

// btreeScan gives a filtered Scan (no point lookup) bounds on the first
// column of a btree index when the filter restricts that column with =,
// IN, <, <=, > or >= against constants or parameters. The whole filter
// stays as a residual check, so the rewrite cannot change results. The
// scan then reads only the index range; an ANN scan over it can answer a
// selective filter exactly from the matching rows alone.
func btreeScan(_ *Optimizer, n Node) Node {
	s, ok := n.(*Scan)
	if !ok || s.Filter == nil || s.PKKeys != nil || s.Btree != nil {
		return n
	}
	for i := range s.Table.Desc.Indexes {
		ix := &s.Table.Desc.Indexes[i]
		if !executor.IsBtree(ix) || len(ix.Columns) == 0 {
			continue
		}
		if b := boundsFor(s, ix); b != nil {
			s.Btree = b
			return s
		}
	}
	return n
}

// boundsFor collects the conjuncts of s.Filter that bound ix's first column.
func boundsFor(s *Scan, ix *storage.IndexDesc) *executor.BtreeBounds {
	col := ix.Columns[0]
	b := &executor.BtreeBounds{Index: ix}
	found := false
	for _, c := range conjuncts(s.Filter) {
		if vals := pkValues(c, col); vals != nil && keyTypesMatch(s, col, vals) {
			return &executor.BtreeBounds{Index: ix, Eq: vals}
		}
		call, ok := c.(*executor.Call)
		if !ok || len(call.Args) != 2 {
			continue
		}
		op := call.Op
		v := call.Args[1]
		if !isCol(call.Args[0], col) {
			if !isCol(call.Args[1], col) {
				continue
			}
			v = call.Args[0]
			op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
		}
		if !isRowFree(v) || !keyTypesMatch(s, col, []executor.Expr{v}) {
			continue
		}
		switch op {
		case ">", ">=":
			if b.Lo == nil {
				b.Lo, b.LoIncl, found = v, op == ">=", true
			}
		case "<", "<=":
			if b.Hi == nil {
				b.Hi, b.HiIncl, found = v, op == "<=", true
			}
		}
	}
	if !found {
		return nil
	}
	return b
}
