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

// Walk calls f on op and every operator below it (inputs first-listed
// first). It lets EXPLAIN ANALYZE read counters from a finished plan.
func Walk(op Operator, f func(Operator)) {
	if op == nil {
		return
	}
	f(op)
	switch o := op.(type) {
	case *Filter:
		Walk(o.Input, f)
	case *Project:
		Walk(o.Input, f)
	case *Limit:
		Walk(o.Input, f)
	case *Sort:
		Walk(o.Input, f)
	case *TopK:
		Walk(o.Input, f)
	case *HashAggregate:
		Walk(o.Input, f)
	case *Window:
		Walk(o.Input, f)
	case *Distinct:
		Walk(o.Input, f)
	case *NestedLoopJoin:
		Walk(o.Input, f)
		Walk(o.Right, f)
	case *Append:
		for _, in := range o.Inputs {
			Walk(in, f)
		}
	case *Insert:
		Walk(o.Input, f)
	case *Update:
		Walk(o.Input, f)
	case *Delete:
		Walk(o.Input, f)
	}
}
