package executor

import (
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// SeriesScan is generate_series(start, stop [, step]) over integers,
// evaluated at Open.
type SeriesScan struct {
	Start, Stop, Step Expr
	cur, stop, step   int64
	done              bool
	out               [1]types.Datum
}

// Open evaluates the bounds.
func (s *SeriesScan) Open(ctx *Ctx) error {
	vals := [3]int64{0, 0, 1}
	s.done = false
	for i, e := range []Expr{s.Start, s.Stop, s.Step} {
		if e == nil {
			continue
		}
		v, err := e.Eval(ctx, nil)
		if err != nil {
			return err
		}
		if v.IsNull() {
			s.done = true
			return nil
		}
		if v.K != types.KindInt {
			if v, err = types.Cast(v, e.Type(), types.Int8Type, false); err != nil {
				return err
			}
		}
		vals[i] = v.I
	}
	if vals[2] == 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
	}
	s.cur, s.stop, s.step = vals[0], vals[1], vals[2]
	return nil
}

// Next returns the next value of the series.
func (s *SeriesScan) Next(ctx *Ctx) ([]types.Datum, error) {
	if err := ctx.checkCancel(); err != nil {
		return nil, err
	}
	if s.done || (s.step > 0 && s.cur > s.stop) || (s.step < 0 && s.cur < s.stop) {
		return nil, nil
	}
	s.out[0] = types.NewInt(s.cur)
	next := s.cur + s.step
	if (s.step > 0 && next < s.cur) || (s.step < 0 && next > s.cur) {
		s.done = true // overflow: this was the last value
	}
	s.cur = next
	return s.out[:], nil
}

// Close does nothing.
func (s *SeriesScan) Close() error { return nil }

// UnnestScan expands arrays into rows: unnest(a, b, ...) yields as many rows
// as the longest array, with NULLs where a shorter one ends.
type UnnestScan struct {
	Arrays []Expr
	vals   [][]types.Datum
	pos    int
	n      int
	out    []types.Datum
}

// Open evaluates the arrays.
func (u *UnnestScan) Open(ctx *Ctx) error {
	u.vals = make([][]types.Datum, len(u.Arrays))
	u.pos, u.n = 0, 0
	for i, e := range u.Arrays {
		v, err := e.Eval(ctx, nil)
		if err != nil {
			return err
		}
		u.vals[i] = v.Arr
		if len(v.Arr) > u.n {
			u.n = len(v.Arr)
		}
	}
	u.out = make([]types.Datum, len(u.Arrays))
	return nil
}

// Next returns the next row of elements.
func (u *UnnestScan) Next(*Ctx) ([]types.Datum, error) {
	if u.pos >= u.n {
		return nil, nil
	}
	for i, a := range u.vals {
		if u.pos < len(a) {
			u.out[i] = a[u.pos]
		} else {
			u.out[i] = types.Null
		}
	}
	u.pos++
	return u.out, nil
}

// Close does nothing.
func (u *UnnestScan) Close() error { return nil }
