package executor

import (
	"github.com/vecgres/vecgres/sql/types"
)

// Filter passes the rows for which Pred is true.
type Filter struct {
	Input Operator
	Pred  Expr
}

// Open opens the input.
func (f *Filter) Open(ctx *Ctx) error { return f.Input.Open(ctx) }

// Next returns the next row passing the predicate.
func (f *Filter) Next(ctx *Ctx) ([]types.Datum, error) {
	for {
		row, err := f.Input.Next(ctx)
		if row == nil || err != nil {
			return nil, err
		}
		ok, err := EvalBool(ctx, f.Pred, row)
		if err != nil {
			return nil, err
		}
		if ok {
			return row, nil
		}
	}
}

// Close closes the input.
func (f *Filter) Close() error { return f.Input.Close() }

// Project computes Exprs over each input row.
type Project struct {
	Input Operator
	Exprs []Expr
	out   []types.Datum
}

// Open opens the input.
func (p *Project) Open(ctx *Ctx) error {
	p.out = make([]types.Datum, len(p.Exprs))
	return p.Input.Open(ctx)
}

// Next projects the next row.
func (p *Project) Next(ctx *Ctx) ([]types.Datum, error) {
	row, err := p.Input.Next(ctx)
	if row == nil || err != nil {
		return nil, err
	}
	for i, e := range p.Exprs {
		v, err := e.Eval(ctx, row)
		if err != nil {
			return nil, err
		}
		p.out[i] = v
	}
	return p.out, nil
}

// Close closes the input.
func (p *Project) Close() error { return p.Input.Close() }

// Limit skips Offset rows and then passes at most Count rows (Count nil:
// no limit). Both are evaluated at Open (they may be parameters).
type Limit struct {
	Input         Operator
	Count, Offset Expr

	left, skip int64
	unlimited  bool
}

// Open evaluates the bounds and opens the input.
func (l *Limit) Open(ctx *Ctx) error {
	var err error
	l.unlimited = l.Count == nil
	if l.left, l.unlimited, err = evalBound(ctx, l.Count, "LIMIT"); err != nil {
		return err
	}
	if l.skip, _, err = evalBound(ctx, l.Offset, "OFFSET"); err != nil {
		return err
	}
	return l.Input.Open(ctx)
}

// Next returns the next row within the bounds.
func (l *Limit) Next(ctx *Ctx) ([]types.Datum, error) {
	for l.skip > 0 {
		row, err := l.Input.Next(ctx)
		if row == nil || err != nil {
			return nil, err
		}
		l.skip--
	}
	if !l.unlimited {
		if l.left <= 0 {
			return nil, nil
		}
		l.left--
	}
	return l.Input.Next(ctx)
}

// Close closes the input.
func (l *Limit) Close() error { return l.Input.Close() }

// Values produces constant rows (VALUES lists, SELECT without FROM).
type Values struct {
	Rows [][]Expr
	pos  int
	out  []types.Datum
}

// Open resets the position.
func (v *Values) Open(ctx *Ctx) error { v.pos = 0; return nil }

// Next evaluates the next row.
func (v *Values) Next(ctx *Ctx) ([]types.Datum, error) {
	if v.pos >= len(v.Rows) {
		return nil, nil
	}
	r := v.Rows[v.pos]
	v.pos++
	if v.out == nil || cap(v.out) < len(r) {
		// NB: never nil, even for a zero-column row: nil means "no more rows".
		v.out = make([]types.Datum, len(r), max(len(r), 1))
	}
	out := v.out[:len(r)]
	for i, e := range r {
		d, err := e.Eval(ctx, nil)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// Close does nothing.
func (v *Values) Close() error { return nil }

// Rows replays materialised rows.
type Rows struct {
	Data [][]types.Datum
	pos  int
}

// Open resets the position.
func (r *Rows) Open(*Ctx) error { r.pos = 0; return nil }

// Next returns the next stored row.
func (r *Rows) Next(*Ctx) ([]types.Datum, error) {
	if r.pos >= len(r.Data) {
		return nil, nil
	}
	r.pos++
	return r.Data[r.pos-1], nil
}

// Close does nothing.
func (r *Rows) Close() error { return nil }
