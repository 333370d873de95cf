package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/storage"
)

// indexOrder serves "ORDER BY cols [DESC] LIMIT k" over a table scan by
// reading the primary key or a btree index in order (backward for DESC)
// and dropping the Sort, so the Limit stops the scan after k rows (plus
// the offset) pass the filter. It applies when the sort columns are
// consecutive index columns after the ones the filter fixes by equality,
// all in one direction, with PostgreSQL's default NULL placement for that
// direction (ASC NULLS LAST, DESC NULLS FIRST), which is btree order;
// anything else keeps the Sort. On a secondary index only one sort column
// is served, since the index's NULL handling is per column. Bounds the
// filter puts on the same index narrow the read (keyset pagination:
// "WHERE id > $1 ORDER BY id LIMIT 100").
//
// The primary key is tried first (its rows need no second lookup), then
// btree indexes in creation order.
//
// A Sort without a Limit is dropped too when the filter already bounds the
// index that provides its order ("WHERE id < 10 ORDER BY id DESC"): the
// range is read either way, and reading it in order costs nothing more.
func indexOrder(_ *Optimizer, n Node) Node {
	var l *Limit
	srt, ok := n.(*Sort)
	if !ok {
		if l, ok = n.(*Limit); !ok || l.Count == nil {
			return n
		}
		if srt, ok = l.Input.(*Sort); !ok {
			return n
		}
	}
	if len(srt.Keys) == 0 {
		return n
	}
	var s *Scan
	cols := make([]int, len(srt.Keys))
	desc := srt.Keys[0].Desc
	for i, k := range srt.Keys {
		if k.Desc != desc || k.NullsFirst != desc {
			return n
		}
		ks, col, ok := scanColumn(srt.Input, k.Expr)
		if !ok || s != nil && ks != s {
			return n
		}
		s, cols[i] = ks, col
	}
	var is *IndexScan
	if pk := primaryIndex(s.Table); pk != nil {
		is = orderedBounds(s, pk, cols)
	}
	for i := range s.Table.Desc.Indexes {
		if ix := &s.Table.Desc.Indexes[i]; is == nil && executor.IsBtree(ix) && len(cols) == 1 {
			is = orderedBounds(s, ix, cols)
		}
	}
	if is == nil {
		return n
	}
	if s.Index != nil && s.Index.Bounds.Index != is.Bounds.Index && boundsRank(s.Table, s.Index.Bounds) == pointRank {
		return n // a few rows by primary key: sorting them is cheaper
	}
	if l == nil && (s.Index == nil || s.Index.Bounds.Index != is.Bounds.Index || len(is.Conds) == 0) {
		return n
	}
	is.Bounds.Reverse = desc
	s.Index = is
	if l == nil {
		return srt.Input
	}
	return &Limit{Input: srt.Input, Count: l.Count, Offset: l.Offset}
}

// orderedBounds returns the scan of index ix, bounded by the filter where
// it can be, when reading it yields rows ordered by the table columns cols
// (ascending index order); nil otherwise.
func orderedBounds(s *Scan, ix *storage.IndexDesc, cols []int) *IndexScan {
	is := indexBounds(s.Table, ix, s.Filter)
	if is == nil {
		is = &IndexScan{Bounds: &executor.BtreeBounds{Index: ix}}
	}
	xs := indexCols(s.Table, ix)
	// NB: the columns before the sort columns must be fixed by equality
	// (the prefix); an IN list on the next column is read in key order, so
	// it keeps the order too.
	for start := 0; start <= len(is.Bounds.Prefix) && start+len(cols) <= len(xs); start++ {
		match := true
		for i, c := range cols {
			if xs[start+i] != c {
				match = false
				break
			}
		}
		if match {
			return is
		}
	}
	return nil
}

// scanColumn follows a sort key through projections down to a table scan
// column.
func scanColumn(n Node, e executor.Expr) (*Scan, int, bool) {
	c, ok := e.(*executor.ColRef)
	if !ok {
		return nil, 0, false
	}
	switch x := n.(type) {
	case *Scan:
		return x, c.Idx, c.Idx < len(x.Table.Types)
	case *Project:
		if c.Idx < len(x.Exprs) {
			return scanColumn(x.Input, x.Exprs[c.Idx])
		}
	}
	return nil, 0, false
}
