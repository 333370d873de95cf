package executor

import "github.com/vecgres/vecgres/sql/types"

// Operator is a node of a physical plan: a pull-based iterator of rows
// (the Volcano model). Open prepares it, Next returns the next row or nil
// at the end, Close releases resources and may be called at any time after
// Open, also after an error. A returned row is valid until the following
// Next call; consumers that keep rows copy the slice (the datums inside
// are immutable and may be kept).
type Operator interface {
	Open(ctx *Ctx) error
	Next(ctx *Ctx) ([]types.Datum, error)
	Close() error
}

// Collect runs op to completion and returns copies of all its rows.
func Collect(ctx *Ctx, op Operator) ([][]types.Datum, error) {
	if err := op.Open(ctx); err != nil {
		op.Close()
		return nil, err
	}
	defer op.Close()
	var rows [][]types.Datum
	for {
		row, err := op.Next(ctx)
		if err != nil {
			return nil, err
		}
		if row == nil {
			return rows, nil
		}
		rows = append(rows, append([]types.Datum(nil), row...))
	}
}
