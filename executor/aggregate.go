package executor

import (
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/types"
)

// AggSpec is one aggregate call of a GROUP BY query.
type AggSpec struct {
	Agg      *builtin.Aggregate
	Args     []Expr
	Distinct bool
	Filter   Expr // nil: none
}

// HashAggregate groups its input by GroupBy and computes Aggs per group.
// Output rows are the group values followed by the aggregate results,
// groups in order of first appearance. Without GROUP BY there is exactly
// one group, even for empty input (SELECT count(*) FROM empty is 0).
type HashAggregate struct {
	Input   Operator
	GroupBy []Expr
	Aggs    []AggSpec

	out [][]types.Datum
	pos int
}

type aggGroup struct {
	keys   []types.Datum
	states []builtin.AggState
	seen   []map[string]bool // per DISTINCT aggregate
}

// Open consumes the input and computes every group.
func (a *HashAggregate) Open(ctx *Ctx) error {
	if err := a.Input.Open(ctx); err != nil {
		return err
	}
	groups := map[string]*aggGroup{}
	var order []*aggGroup
	var keyBuf, distBuf []byte
	newGroup := func(keys []types.Datum) *aggGroup {
		g := &aggGroup{keys: keys, states: make([]builtin.AggState, len(a.Aggs)), seen: make([]map[string]bool, len(a.Aggs))}
		for i, s := range a.Aggs {
			g.states[i] = s.Agg.New()
			if s.Distinct {
				g.seen[i] = map[string]bool{}
			}
		}
		order = append(order, g)
		return g
	}
	if len(a.GroupBy) == 0 {
		groups[""] = newGroup(nil)
	}
	args := []types.Datum{}
	for {
		row, err := a.Input.Next(ctx)
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		keyBuf = keyBuf[:0]
		var keys []types.Datum
		if len(a.GroupBy) > 0 {
			keys = make([]types.Datum, len(a.GroupBy))
			for i, e := range a.GroupBy {
				v, err := e.Eval(ctx, row)
				if err != nil {
					return err
				}
				keys[i] = v
				keyBuf = types.AppendKey(keyBuf, e.Type(), v, false)
			}
		}
		g := groups[string(keyBuf)]
		if g == nil {
			g = newGroup(keys)
			groups[string(keyBuf)] = g
		}
		for i, s := range a.Aggs {
			if s.Filter != nil {
				ok, err := EvalBool(ctx, s.Filter, row)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
			}
			args = args[:0]
			for _, e := range s.Args {
				v, err := e.Eval(ctx, row)
				if err != nil {
					return err
				}
				args = append(args, v)
			}
			if s.Distinct {
				distBuf = distBuf[:0]
				for j, e := range s.Args {
					distBuf = types.AppendKey(distBuf, e.Type(), args[j], false)
				}
				if g.seen[i][string(distBuf)] {
					continue
				}
				g.seen[i][string(distBuf)] = true
			}
			if err := g.states[i].Add(ctx.Builtin, args); err != nil {
				return err
			}
		}
	}
	a.out, a.pos = a.out[:0], 0
	for _, g := range order {
		row := make([]types.Datum, 0, len(a.GroupBy)+len(a.Aggs))
		row = append(row, g.keys...)
		for _, st := range g.states {
			v, err := st.Result(ctx.Builtin)
			if err != nil {
				return err
			}
			row = append(row, v)
		}
		a.out = append(a.out, row)
	}
	return nil
}

// Next returns the next group's row.
func (a *HashAggregate) Next(*Ctx) ([]types.Datum, error) {
	if a.pos >= len(a.out) {
		return nil, nil
	}
	a.pos++
	return a.out[a.pos-1], nil
}

// Close closes the input.
func (a *HashAggregate) Close() error { a.out = nil; return a.Input.Close() }

// Distinct passes the first row of each set of equal rows (all columns
// compared; NULLs equal, as DISTINCT treats them). When On is set (DISTINCT
// ON), only those expressions are compared.
type Distinct struct {
	Input Operator
	Types []types.T
	On    []Expr
	seen  map[string]bool
	buf   []byte
}

// Open resets the seen set.
func (d *Distinct) Open(ctx *Ctx) error {
	d.seen = map[string]bool{}
	return d.Input.Open(ctx)
}

// Next returns the next row not seen before.
func (d *Distinct) Next(ctx *Ctx) ([]types.Datum, error) {
	for {
		row, err := d.Input.Next(ctx)
		if row == nil || err != nil {
			return nil, err
		}
		d.buf = d.buf[:0]
		if d.On != nil {
			for _, e := range d.On {
				v, err := e.Eval(ctx, row)
				if err != nil {
					return nil, err
				}
				d.buf = types.AppendKey(d.buf, e.Type(), v, false)
			}
		} else {
			for i, t := range d.Types {
				d.buf = types.AppendKey(d.buf, t, row[i], false)
			}
		}
		if d.seen[string(d.buf)] {
			continue
		}
		d.seen[string(d.buf)] = true
		return row, nil
	}
}

// Close closes the input.
func (d *Distinct) Close() error { d.seen = nil; return d.Input.Close() }
