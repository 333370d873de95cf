package executor

import (
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// TableScan reads every row of a table in primary-key order. When WithKey
// is set, each row carries one extra trailing column: the row's storage key
// as a KindBytes datum, which UPDATE and DELETE use to address the row.
type TableScan struct {
	Table   *Table
	WithKey bool
	// Lower/Upper optionally bound the scan to pk byte ranges (nil: whole table).
	LowerPK, UpperPK []byte

	it  storage.Iterator
	row []types.Datum
}

// Open starts the scan over the statement's transaction.
func (s *TableScan) Open(ctx *Ctx) error {
	prefix := storage.TableRowPrefix(s.Table.Desc.ID)
	lower, upper := prefix, storage.PrefixEnd(prefix)
	if s.LowerPK != nil {
		lower = s.Table.RowKey(nil, s.LowerPK)
	}
	if s.UpperPK != nil {
		upper = s.Table.RowKey(nil, s.UpperPK)
	}
	it, err := ctx.Txn.NewIter(lower, upper)
	if err != nil {
		return err
	}
	s.it = it
	n := len(s.Table.Types)
	if s.WithKey {
		n++
	}
	s.row = make([]types.Datum, n)
	return nil
}

// Next decodes the next row.
func (s *TableScan) Next(ctx *Ctx) ([]types.Datum, error) {
	if err := ctx.checkCancel(); err != nil {
		return nil, err
	}
	if !s.it.Next() {
		return nil, s.it.Err()
	}
	if err := s.Table.DecodeValue(s.it.Value(), s.row); err != nil {
		return nil, err
	}
	if s.WithKey {
		s.row[len(s.row)-1] = types.Datum{K: types.KindBytes, S: string(s.it.Key())}
	}
	return s.row, nil
}

// Close releases the iterator.
func (s *TableScan) Close() error {
	if s.it == nil {
		return nil
	}
	err := s.it.Close()
	s.it = nil
	return err
}
