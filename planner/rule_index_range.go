package planner

import "github.com/vecgres/vecgres/executor"

// indexRange gives a filtered table scan the key range of the primary key
// or of a btree index whose leading column(s) the filter bounds with =,
// IN, <, <=, >, >= or BETWEEN against constants or parameters (see
// indexBounds). The scan then reads only that range; the whole filter
// stays as a residual check, so the rewrite cannot change results. An ANN
// scan over it can answer a selective filter exactly from the range.
//
// Without a cost model the choice is by the shape of the bounds: a full
// primary key fixed by equality (point lookups), then equality on a
// secondary index, then a primary-key range, then a secondary range; ties
// go to the index created first.
func indexRange(_ *Optimizer, n Node) Node {
	s, ok := n.(*Scan)
	if !ok || s.Filter == nil || s.Index != nil {
		return n
	}
	var best *IndexScan
	bestRank := 0
	for i := range s.Table.Desc.Indexes {
		ix := &s.Table.Desc.Indexes[i]
		if !ix.Primary && !executor.IsBtree(ix) || ix.Primary && s.Table.HiddenRowID {
			continue
		}
		is := indexBounds(s.Table, ix, s.Filter)
		if is == nil {
			continue
		}
		if r := boundsRank(s.Table, is.Bounds); r > bestRank {
			best, bestRank = is, r
		}
	}
	if best == nil {
		return n
	}
	s.Index = best
	return s
}

// boundsRank orders candidate bounds by how few rows they are likely to
// read (higher is fewer).
func boundsRank(t *executor.Table, b *executor.BtreeBounds) int {
	eq := b.Eq != nil || len(b.Prefix) > 0
	switch {
	case b.Index.Primary && len(b.Prefix)+boolInt(b.Eq != nil) >= len(t.Desc.PrimaryKey):
		return pointRank
	case eq && !b.Index.Primary:
		return 3
	case b.Index.Primary:
		return 2
	}
	return 1
}

// pointRank is the rank of bounds that fix the whole primary key.
const pointRank = 4

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
