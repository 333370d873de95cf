package executor

import "github.com/vecgres/vecgres/sql/types"

// JoinKind is the kind of a join.
type JoinKind uint8

// Join kinds. A RIGHT join is planned as a LEFT join with sides swapped.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	FullJoin
	SemiJoin
	AntiJoin
)

// NestedLoopJoin joins every left row with every right row for which On
// holds. The right input is materialised once per Open. Output rows are the
// left columns followed by the right columns (only the left ones for semi
// and anti joins); unmatched rows of a LEFT/FULL join get NULLs for the
// other side.
type NestedLoopJoin struct {
	Input      Operator // left
	Right      Operator
	Kind       JoinKind
	On         Expr // nil: always true
	LeftWidth  int
	RightWidth int

	right        [][]types.Datum
	rightMatched []bool
	left         []types.Datum
	ri           int
	matched      bool
	out          []types.Datum
	tail         int // FULL join: position in unmatched right rows
	leftDone     bool
}

// Open opens the left input and materialises the right one.
func (j *NestedLoopJoin) Open(ctx *Ctx) error {
	rows, err := Collect(ctx, j.Right)
	if err != nil {
		return err
	}
	j.right = rows
	j.rightMatched = make([]bool, len(rows))
	j.left, j.leftDone, j.tail = nil, false, 0
	j.out = make([]types.Datum, j.LeftWidth+j.RightWidth)
	return j.Input.Open(ctx)
}

// Next returns the next joined row.
func (j *NestedLoopJoin) Next(ctx *Ctx) ([]types.Datum, error) {
	for !j.leftDone {
		if j.left == nil {
			row, err := j.Input.Next(ctx)
			if err != nil {
				return nil, err
			}
			if row == nil {
				j.leftDone = true
				break
			}
			j.left = append(j.left[:0:0], row...)
			j.ri, j.matched = 0, false
		}
		for j.ri < len(j.right) {
			r := j.right[j.ri]
			idx := j.ri
			j.ri++
			copy(j.out, j.left)
			copy(j.out[j.LeftWidth:], r)
			if j.On != nil {
				ok, err := EvalBool(ctx, j.On, j.out)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			j.matched = true
			j.rightMatched[idx] = true
			switch j.Kind {
			case SemiJoin:
				j.ri = len(j.right)
				return j.out[:j.LeftWidth], nil
			case AntiJoin:
				j.ri = len(j.right)
				continue
			}
			return j.out, nil
		}
		left := j.left
		j.left = nil
		if !j.matched && (j.Kind == LeftJoin || j.Kind == FullJoin || j.Kind == AntiJoin) {
			copy(j.out, left)
			for i := j.LeftWidth; i < len(j.out); i++ {
				j.out[i] = types.Null
			}
			if j.Kind == AntiJoin {
				return j.out[:j.LeftWidth], nil
			}
			return j.out, nil
		}
	}
	if j.Kind == FullJoin {
		for j.tail < len(j.right) {
			i := j.tail
			j.tail++
			if j.rightMatched[i] {
				continue
			}
			for k := 0; k < j.LeftWidth; k++ {
				j.out[k] = types.Null
			}
			copy(j.out[j.LeftWidth:], j.right[i])
			return j.out, nil
		}
	}
	return nil, nil
}

// Close closes the left input.
func (j *NestedLoopJoin) Close() error { j.right = nil; return j.Input.Close() }

// Append concatenates the outputs of its inputs (UNION ALL).
type Append struct {
	Inputs []Operator
	cur    int
}

// Open opens the first input.
func (a *Append) Open(ctx *Ctx) error {
	a.cur = 0
	if len(a.Inputs) == 0 {
		return nil
	}
	return a.Inputs[0].Open(ctx)
}

// Next returns rows of each input in turn.
func (a *Append) Next(ctx *Ctx) ([]types.Datum, error) {
	for a.cur < len(a.Inputs) {
		row, err := a.Inputs[a.cur].Next(ctx)
		if err != nil || row != nil {
			return row, err
		}
		if err := a.Inputs[a.cur].Close(); err != nil {
			return nil, err
		}
		a.cur++
		if a.cur < len(a.Inputs) {
			if err := a.Inputs[a.cur].Open(ctx); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

// Close closes the current input.
func (a *Append) Close() error {
	if a.cur < len(a.Inputs) {
		return a.Inputs[a.cur].Close()
	}
	return nil
}
