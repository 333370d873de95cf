package executor

import (
	"container/heap"
	"sort"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// SortKey is one ORDER BY item. NullsFirst follows PostgreSQL's default
// (NULLS LAST for ASC, NULLS FIRST for DESC) unless given explicitly.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// sortRow is an input row with its evaluated keys and arrival number;
// the arrival number breaks ties so that equal keys keep input order
// (input order is primary-key order for table scans), which makes results
// deterministic.
type sortRow struct {
	keys []types.Datum
	row  []types.Datum
	seq  int64
}

func compareKeys(keys []SortKey, a, b *sortRow) int {
	for i, k := range keys {
		x, y := a.keys[i], b.keys[i]
		var c int
		switch {
		case x.IsNull() && y.IsNull():
			c = 0
		case x.IsNull():
			c = 1
			if k.NullsFirst {
				c = -1
			}
		case y.IsNull():
			c = -1
			if k.NullsFirst {
				c = 1
			}
		default:
			c = types.Compare(k.Expr.Type(), x, y)
			if k.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

func evalSortRow(ctx *Ctx, keys []SortKey, row []types.Datum, seq int64) (*sortRow, error) {
	sr := &sortRow{keys: make([]types.Datum, len(keys)), seq: seq}
	for i, k := range keys {
		v, err := k.Expr.Eval(ctx, row)
		if err != nil {
			return nil, err
		}
		sr.keys[i] = v
	}
	sr.row = append([]types.Datum(nil), row...)
	return sr, nil
}

// Sort materialises its input and returns it ordered by Keys.
type Sort struct {
	Input Operator
	Keys  []SortKey
	rows  []*sortRow
	pos   int
}

// Open reads and sorts the whole input.
func (s *Sort) Open(ctx *Ctx) error {
	if err := s.Input.Open(ctx); err != nil {
		return err
	}
	s.rows, s.pos = s.rows[:0], 0
	for seq := int64(0); ; seq++ {
		row, err := s.Input.Next(ctx)
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		sr, err := evalSortRow(ctx, s.Keys, row, seq)
		if err != nil {
			return err
		}
		s.rows = append(s.rows, sr)
	}
	sort.Slice(s.rows, func(i, j int) bool { return compareKeys(s.Keys, s.rows[i], s.rows[j]) < 0 })
	return nil
}

// Next returns the next row in order.
func (s *Sort) Next(*Ctx) ([]types.Datum, error) {
	if s.pos >= len(s.rows) {
		return nil, nil
	}
	s.pos++
	return s.rows[s.pos-1].row, nil
}

// Close closes the input and drops the rows.
func (s *Sort) Close() error { s.rows = nil; return s.Input.Close() }

// TopK returns the first Offset+Count rows of its input in Keys order
// using a bounded max-heap: O(n log k) time and O(k) memory instead of a
// full sort. It serves ORDER BY ... LIMIT k, including exact k-nearest-
// neighbour search by a distance expression. Count and Offset are evaluated
// at Open; the output skips the first Offset rows.
type TopK struct {
	Input         Operator
	Keys          []SortKey
	Count, Offset Expr

	out []*sortRow
	pos int
}

type topkHeap struct {
	keys []SortKey
	rows []*sortRow
}

func (h *topkHeap) Len() int           { return len(h.rows) }
func (h *topkHeap) Less(i, j int) bool { return compareKeys(h.keys, h.rows[i], h.rows[j]) > 0 }
func (h *topkHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *topkHeap) Push(x any)         { h.rows = append(h.rows, x.(*sortRow)) }
func (h *topkHeap) Pop() any {
	r := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return r
}

// Open consumes the input, keeping the best rows.
func (t *TopK) Open(ctx *Ctx) error {
	count, unlimited, err := evalBound(ctx, t.Count, "LIMIT")
	if err != nil {
		return err
	}
	offset, _, err := evalBound(ctx, t.Offset, "OFFSET")
	if err != nil {
		return err
	}
	if err := t.Input.Open(ctx); err != nil {
		return err
	}
	limit := count + offset
	h := &topkHeap{keys: t.Keys}
	// NB: the candidate row is evaluated into a scratch sortRow first and
	// only copied when it enters the heap, so rows that lose cost no
	// allocation.
	scratch := &sortRow{keys: make([]types.Datum, len(t.Keys))}
	for seq := int64(0); ; seq++ {
		row, err := t.Input.Next(ctx)
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if !unlimited && limit == 0 {
			continue
		}
		for i, k := range t.Keys {
			v, err := k.Expr.Eval(ctx, row)
			if err != nil {
				return err
			}
			scratch.keys[i] = v
		}
		scratch.seq = seq
		if !unlimited && int64(h.Len()) >= limit {
			if compareKeys(t.Keys, scratch, h.rows[0]) >= 0 {
				continue
			}
			worst := h.rows[0]
			worst.keys, scratch.keys = scratch.keys, worst.keys
			worst.seq = seq
			worst.row = append(worst.row[:0], row...)
			heap.Fix(h, 0)
			continue
		}
		sr := &sortRow{keys: scratch.keys, seq: seq, row: append([]types.Datum(nil), row...)}
		scratch.keys = make([]types.Datum, len(t.Keys))
		heap.Push(h, sr)
	}
	sort.Slice(h.rows, func(i, j int) bool { return compareKeys(t.Keys, h.rows[i], h.rows[j]) < 0 })
	if offset > int64(len(h.rows)) {
		offset = int64(len(h.rows))
	}
	t.out, t.pos = h.rows[offset:], 0
	return nil
}

// Next returns the next of the best rows.
func (t *TopK) Next(*Ctx) ([]types.Datum, error) {
	if t.pos >= len(t.out) {
		return nil, nil
	}
	t.pos++
	return t.out[t.pos-1].row, nil
}

// Close closes the input.
func (t *TopK) Close() error { t.out = nil; return t.Input.Close() }

// evalBound evaluates a LIMIT or OFFSET expression: nil means none
// (unlimited for LIMIT, 0 for OFFSET), NULL means none too, as in PostgreSQL.
func evalBound(ctx *Ctx, e Expr, what string) (n int64, unlimited bool, err error) {
	if e == nil {
		return 0, true, nil
	}
	v, err := e.Eval(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	if v.IsNull() {
		return 0, true, nil
	}
	if v.K != types.KindInt {
		v, err = types.Cast(v, e.Type(), types.Int8Type, false)
		if err != nil {
			return 0, false, err
		}
	}
	if v.I < 0 {
		code := pgerr.Code("2201W")
		if what == "OFFSET" {
			code = "2201X"
		}
		return 0, false, pgerr.Newf(code, "%s must not be negative", what)
	}
	return v.I, false, nil
}
