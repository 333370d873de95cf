package executor

import (
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// BtreeBounds restrict the first column of a btree index: a list of
// equal values (Eq), or a range (Lo/Hi, each optional). Bound values are
// evaluated per Open (constants or parameters) and cast to the column's
// type. NULL bounds match nothing, as comparisons with NULL do.
type BtreeBounds struct {
	Index  *storage.IndexDesc
	Eq     []Expr
	Lo, Hi Expr
	LoIncl bool
	HiIncl bool
}

// keyRanges returns the [lower, upper) key ranges of the bounds.
func (b *BtreeBounds) keyRanges(ctx *Ctx, t *Table) ([][2][]byte, error) {
	col := t.Types[b.Index.Columns[0]]
	encode := func(e Expr) ([]byte, bool, error) {
		v, err := e.Eval(ctx, nil)
		if err != nil || v.IsNull() {
			return nil, false, err
		}
		if !e.Type().Equal(col) {
			if v, err = types.Cast(v, e.Type(), col, false); err != nil {
				return nil, false, err
			}
		}
		return storage.IndexKey(nil, t.Desc.ID, b.Index.ID, types.AppendKey(nil, col, v, false)), true, nil
	}
	if b.Eq != nil {
		var out [][2][]byte
		for _, e := range b.Eq {
			k, ok, err := encode(e)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, [2][]byte{k, storage.PrefixEnd(k)})
			}
		}
		return out, nil
	}
	prefix := storage.IndexPrefix(t.Desc.ID, b.Index.ID)
	// NB: non-NULL keys start after the NULL marker; a range never
	// includes NULLs.
	lower := types.AppendKey(append([]byte(nil), prefix...), col, types.Null, false)
	lower = storage.PrefixEnd(lower)
	upper := storage.PrefixEnd(prefix)
	if b.Lo != nil {
		k, ok, err := encode(b.Lo)
		if err != nil || !ok {
			return nil, err
		}
		if b.LoIncl {
			lower = k
		} else {
			lower = storage.PrefixEnd(k)
		}
	}
	if b.Hi != nil {
		k, ok, err := encode(b.Hi)
		if err != nil || !ok {
			return nil, err
		}
		if b.HiIncl {
			upper = storage.PrefixEnd(k)
		} else {
			upper = k
		}
	}
	return [][2][]byte{{lower, upper}}, nil
}

// BtreeScan reads the rows whose btree index entries fall within Bounds,
// in index order. Rows carry their key as a trailing column when WithKey.
type BtreeScan struct {
	Table   *Table
	Bounds  *BtreeBounds
	WithKey bool

	ranges [][2][]byte
	ri     int
	it     storage.Iterator
	row    []types.Datum
}

// Open computes the key ranges.
func (s *BtreeScan) Open(ctx *Ctx) error {
	r, err := s.Bounds.keyRanges(ctx, s.Table)
	if err != nil {
		return err
	}
	s.ranges, s.ri, s.it = r, 0, nil
	n := len(s.Table.Types)
	if s.WithKey {
		n++
	}
	s.row = make([]types.Datum, n)
	return nil
}

// Next returns the row of the next index entry.
func (s *BtreeScan) Next(ctx *Ctx) ([]types.Datum, error) {
	for {
		if err := ctx.checkCancel(); err != nil {
			return nil, err
		}
		if s.it == nil {
			if s.ri >= len(s.ranges) {
				return nil, nil
			}
			it, err := ctx.Txn.NewIter(s.ranges[s.ri][0], s.ranges[s.ri][1])
			if err != nil {
				return nil, err
			}
			s.it, s.ri = it, s.ri+1
		}
		if !s.it.Next() {
			err := s.it.Err()
			s.it.Close()
			s.it = nil
			if err != nil {
				return nil, err
			}
			continue
		}
		key := s.Table.RowKey(nil, s.it.Value())
		val, err := ctx.Txn.Get(key)
		if err == storage.ErrNotFound {
			continue // an entry written by this transaction for a row it moved
		}
		if err != nil {
			return nil, err
		}
		if err := s.Table.DecodeValue(val, s.row); err != nil {
			return nil, err
		}
		if s.WithKey {
			s.row[len(s.row)-1] = types.Datum{K: types.KindBytes, S: string(key)}
		}
		return s.row, nil
	}
}

// Close releases the iterator.
func (s *BtreeScan) Close() error {
	if s.it != nil {
		err := s.it.Close()
		s.it = nil
		return err
	}
	return nil
}
