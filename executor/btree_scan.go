package executor

import (
	"bytes"
	"sort"

	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Bound is one range bound on an index column: the column is greater (or
// less) than Value, or equal to it too when Incl.
type Bound struct {
	Value Expr
	Incl  bool
}

// BtreeBounds restrict a btree index to key ranges. The index is either a
// secondary btree index or the primary key (Index.Primary), whose entries
// are the table rows themselves, keyed by the order-preserving pk encoding.
//
// With P = len(Prefix): columns 0..P-1 equal the Prefix values; column P
// equals one of Eq when Eq is not nil, otherwise it lies within every Lo
// and Hi bound (the tightest of each applies). With no Eq, Lo or Hi, every
// key under the prefix is in range, NULLs included. Bound values are
// constants or parameters evaluated per Open; a NULL value matches nothing,
// as comparisons with NULL do.
//
// Reverse reads the ranges in descending key order. The output order of a
// scan is: by the index columns ascending (descending when Reverse) with
// NULLs last (first when Reverse), as PostgreSQL's btree order is.
//
// A BtreeBounds is immutable once planned and shared by the executions of
// a cached plan.
type BtreeBounds struct {
	Index   *storage.IndexDesc
	Prefix  []Expr
	Eq      []Expr
	Lo, Hi  []Bound
	Reverse bool
}

// keyRange is one [lo, hi) range of storage keys; point marks a range that
// is one full primary key, read with a Get instead of an iterator.
type keyRange struct {
	lo, hi []byte
	point  bool
}

// keyRanges returns the key ranges of the bounds in ascending output order
// (a Reverse scan reads them last to first). It returns none when a bound
// is NULL or the bounds are contradictory.
func (b *BtreeBounds) keyRanges(ctx *Ctx, t *Table) ([]keyRange, error) {
	cols := b.Index.Columns
	if b.Index.Primary {
		cols = t.Desc.PrimaryKey
	}
	var prefix []byte
	if b.Index.Primary {
		prefix = storage.TableRowPrefix(t.Desc.ID)
	} else {
		prefix = storage.IndexPrefix(t.Desc.ID, b.Index.ID)
	}
	for i, e := range b.Prefix {
		var ok bool
		var err error
		if prefix, ok, err = appendBoundKey(ctx, prefix, e, t.Types[cols[i]]); err != nil || !ok {
			return nil, err
		}
	}
	p := len(b.Prefix)
	if p >= len(cols) {
		return []keyRange{{lo: prefix, hi: storage.PrefixEnd(prefix), point: b.Index.Primary}}, nil
	}
	col := t.Types[cols[p]]
	if b.Eq != nil {
		return b.eqRanges(ctx, prefix, col, b.Index.Primary && p+1 == len(cols))
	}
	// NB: non-NULL keys start after the NULL marker.
	nulls := types.AppendKey(bytes.Clone(prefix), col, types.Null, false)
	lower, upper := storage.PrefixEnd(nulls), storage.PrefixEnd(prefix)
	if len(b.Lo) == 0 && len(b.Hi) == 0 {
		// NB: btree order puts NULLs last; their keys sort first.
		return []keyRange{{lo: lower, hi: upper}, {lo: nulls, hi: storage.PrefixEnd(nulls)}}, nil
	}
	for _, lo := range b.Lo {
		k, ok, err := appendBoundKey(ctx, bytes.Clone(prefix), lo.Value, col)
		if err != nil || !ok {
			return nil, err
		}
		if !lo.Incl {
			k = storage.PrefixEnd(k)
		}
		if bytes.Compare(k, lower) > 0 {
			lower = k
		}
	}
	for _, hi := range b.Hi {
		k, ok, err := appendBoundKey(ctx, bytes.Clone(prefix), hi.Value, col)
		if err != nil || !ok {
			return nil, err
		}
		if hi.Incl {
			k = storage.PrefixEnd(k)
		}
		if bytes.Compare(k, upper) < 0 {
			upper = k
		}
	}
	if bytes.Compare(lower, upper) >= 0 {
		return nil, nil
	}
	return []keyRange{{lo: lower, hi: upper}}, nil
}

// eqRanges returns one range per distinct non-NULL Eq value, in key order
// (so that "IN (3, 1, 1)" reads 1 then 3, each once).
func (b *BtreeBounds) eqRanges(ctx *Ctx, prefix []byte, col types.T, point bool) ([]keyRange, error) {
	out := make([]keyRange, 0, len(b.Eq))
	for _, e := range b.Eq {
		k, ok, err := appendBoundKey(ctx, bytes.Clone(prefix), e, col)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, keyRange{lo: k, hi: storage.PrefixEnd(k), point: point})
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].lo, out[j].lo) < 0 })
	uniq := out[:0]
	for i, r := range out {
		if i == 0 || !bytes.Equal(r.lo, out[i-1].lo) {
			uniq = append(uniq, r)
		}
	}
	return uniq, nil
}

// appendBoundKey evaluates e and appends its key encoding as a value of
// column type col to buf; ok is false when the value is NULL.
func appendBoundKey(ctx *Ctx, buf []byte, e Expr, col types.T) (_ []byte, ok bool, _ error) {
	v, err := e.Eval(ctx, nil)
	if err != nil || v.IsNull() {
		return nil, false, err
	}
	t := e.Type()
	// NB: integers of every width share one key encoding, so an int8
	// bound on an int4 column needs no cast (which could fail out of
	// range where the comparison itself is well defined).
	if !t.Equal(col) && !(isIntFamily(t.Family) && isIntFamily(col.Family)) {
		if v, err = types.Cast(v, t, col, false); err != nil {
			return nil, false, err
		}
	}
	return types.AppendKey(buf, col, v, false), true, nil
}

func isIntFamily(f types.Family) bool {
	return f == types.Int2 || f == types.Int4 || f == types.Int8
}

// kvIter is the part of a storage iterator a BtreeScan walks; forward and
// reverse storage iterators both provide it.
type kvIter interface {
	Next() bool
	Key() []byte
	Value() []byte
	Err() error
	Close() error
}

// BtreeScan reads the rows whose index entries (or primary keys) fall
// within Bounds, in index order (see BtreeBounds). Rows carry their
// storage key as a trailing column when WithKey. The filter is applied
// above it, so Bounds only narrow what is read.
type BtreeScan struct {
	Table   *Table
	Bounds  *BtreeBounds
	WithKey bool

	ranges []keyRange
	ri     int
	it     kvIter
	row    []types.Datum
}

// Open computes the key ranges.
func (s *BtreeScan) Open(ctx *Ctx) error {
	r, err := s.Bounds.keyRanges(ctx, s.Table)
	if err != nil {
		return err
	}
	if s.Bounds.Reverse {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
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
	primary := s.Bounds.Index.Primary
	for {
		if err := ctx.checkCancel(); err != nil {
			return nil, err
		}
		if s.it == nil {
			if s.ri >= len(s.ranges) {
				return nil, nil
			}
			r := s.ranges[s.ri]
			s.ri++
			if r.point {
				val, err := ctx.Txn.Get(r.lo)
				if err == storage.ErrNotFound {
					continue
				}
				if err != nil {
					return nil, err
				}
				return s.decode(r.lo, val)
			}
			var err error
			if s.Bounds.Reverse {
				s.it, err = ctx.Txn.NewReverseIter(r.lo, r.hi)
			} else {
				s.it, err = ctx.Txn.NewIter(r.lo, r.hi)
			}
			if err != nil {
				return nil, err
			}
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
		if primary {
			return s.decode(s.it.Key(), s.it.Value())
		}
		key := s.Table.RowKey(nil, s.it.Value())
		val, err := ctx.Txn.Get(key)
		if err == storage.ErrNotFound {
			continue // an entry written by this transaction for a row it moved
		}
		if err != nil {
			return nil, err
		}
		return s.decode(key, val)
	}
}

func (s *BtreeScan) decode(key, val []byte) ([]types.Datum, error) {
	if err := s.Table.DecodeValue(val, s.row); err != nil {
		return nil, err
	}
	if s.WithKey {
		s.row[len(s.row)-1] = types.Datum{K: types.KindBytes, S: string(key)}
	}
	return s.row, nil
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
