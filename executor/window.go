package executor

import (
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// WindowFuncKind says which window function a WindowFunc computes.
type WindowFuncKind uint8

// The window functions of PostgreSQL's Table 9.63, plus any aggregate
// used with OVER (WinAggregate).
const (
	WinAggregate WindowFuncKind = iota
	WinRowNumber
	WinRank
	WinDenseRank
	WinPercentRank
	WinCumeDist
	WinNtile
	WinLag
	WinLead
	WinFirstValue
	WinLastValue
	WinNthValue
)

// WindowFunc is one window function call of a Window operator. Args are
// evaluated against the Window's input row: for lag/lead the value,
// offset (int4) and default; for ntile the bucket count (int4); for
// nth_value the value and n (int4); for an aggregate its arguments, cast
// to Agg.Params.
type WindowFunc struct {
	Kind WindowFuncKind
	Name string // as written, for plans
	Args []Expr
	Agg  *builtin.Aggregate // WinAggregate only
	Typ  types.T
}

// FrameBoundKind is one end of a window frame.
type FrameBoundKind uint8

// Frame bounds; Preceding and Following carry an offset.
const (
	BoundUnboundedPreceding FrameBoundKind = iota
	BoundPreceding
	BoundCurrentRow
	BoundFollowing
	BoundUnboundedFollowing
)

// FrameBound is a frame start or end. Offset (a bigint expression without
// column references) is set for BoundPreceding and BoundFollowing.
type FrameBound struct {
	Kind   FrameBoundKind
	Offset Expr
}

// WindowFrame is an explicit frame clause. Rows selects ROWS mode;
// otherwise RANGE mode, where only the unbounded and CURRENT ROW bounds
// are supported (CURRENT ROW meaning the current row's peer group).
type WindowFrame struct {
	Rows       bool
	Start, End FrameBound
}

// Window computes window functions over one window specification. Its
// input must arrive sorted by PartitionBy and then OrderBy (the planner
// puts a Sort below it); Window only compares neighbouring rows to find
// partition and peer-group boundaries. Output rows are the input row
// followed by one column per Funcs entry, in input order.
//
// Frame nil is PostgreSQL's default frame, RANGE UNBOUNDED PRECEDING to
// CURRENT ROW: the partition's rows up to the end of the current row's
// peer group (the whole partition without ORDER BY, where all rows are
// peers). The whole input is materialised in Open.
type Window struct {
	Input       Operator
	PartitionBy []Expr
	OrderBy     []SortKey
	Frame       *WindowFrame
	Funcs       []WindowFunc

	out [][]types.Datum
	pos int
}

// Open reads the input and computes every function for every row.
func (w *Window) Open(ctx *Ctx) error {
	if err := w.Input.Open(ctx); err != nil {
		return err
	}
	w.out, w.pos = w.out[:0], 0
	frame, err := w.frameOffsets(ctx)
	if err != nil {
		return err
	}
	var part []windowRow
	pts := w.partTypes()
	for {
		row, err := w.Input.Next(ctx)
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if err := ctx.checkCancel(); err != nil {
			return err
		}
		wr, err := w.evalRow(ctx, row)
		if err != nil {
			return err
		}
		if len(part) > 0 && !datumsEqual(pts, part[0].keys[:len(w.PartitionBy)], wr.keys[:len(w.PartitionBy)]) {
			if err := w.flush(ctx, part, frame); err != nil {
				return err
			}
			part = part[:0]
		}
		part = append(part, wr)
	}
	if len(part) > 0 {
		return w.flush(ctx, part, frame)
	}
	return nil
}

// Next returns the next row with its window function results.
func (w *Window) Next(*Ctx) ([]types.Datum, error) {
	if w.pos >= len(w.out) {
		return nil, nil
	}
	w.pos++
	return w.out[w.pos-1], nil
}

// Close drops the rows and closes the input.
func (w *Window) Close() error { w.out = nil; return w.Input.Close() }

// windowRow is an output row under construction (input columns, then one
// slot per function) with its partition and order key values.
type windowRow struct {
	row  []types.Datum
	keys []types.Datum
}

func (w *Window) evalRow(ctx *Ctx, in []types.Datum) (windowRow, error) {
	row := make([]types.Datum, len(in), len(in)+len(w.Funcs))
	copy(row, in)
	keys := make([]types.Datum, 0, len(w.PartitionBy)+len(w.OrderBy))
	for _, e := range w.PartitionBy {
		v, err := e.Eval(ctx, in)
		if err != nil {
			return windowRow{}, err
		}
		keys = append(keys, v)
	}
	for _, k := range w.OrderBy {
		v, err := k.Expr.Eval(ctx, in)
		if err != nil {
			return windowRow{}, err
		}
		keys = append(keys, v)
	}
	return windowRow{row: row, keys: keys}, nil
}

func (w *Window) partTypes() []types.T {
	ts := make([]types.T, len(w.PartitionBy))
	for i, e := range w.PartitionBy {
		ts[i] = e.Type()
	}
	return ts
}

func (w *Window) orderTypes() []types.T {
	ts := make([]types.T, len(w.OrderBy))
	for i, k := range w.OrderBy {
		ts[i] = k.Expr.Type()
	}
	return ts
}

// datumsEqual compares key values as grouping does: NULLs are equal.
func datumsEqual(ts []types.T, a, b []types.Datum) bool {
	for i, t := range ts {
		x, y := a[i], b[i]
		if x.IsNull() || y.IsNull() {
			if x.IsNull() != y.IsNull() {
				return false
			}
			continue
		}
		if types.Compare(t, x, y) != 0 {
			return false
		}
	}
	return true
}

// frameOffsets evaluates an explicit ROWS frame's offsets: [start, end]
// offsets relative to the current row (negative = preceding).
func (w *Window) frameOffsets(ctx *Ctx) ([2]int64, error) {
	var off [2]int64
	if w.Frame == nil {
		return off, nil
	}
	for i, b := range []FrameBound{w.Frame.Start, w.Frame.End} {
		if b.Kind != BoundPreceding && b.Kind != BoundFollowing {
			continue
		}
		which := "starting"
		if i == 1 {
			which = "ending"
		}
		v, err := b.Offset.Eval(ctx, nil)
		if err != nil {
			return off, err
		}
		if v.IsNull() {
			return off, pgerr.Newf(pgerr.NullValueNotAllowed, "frame %s offset must not be null", which)
		}
		if v.I < 0 {
			return off, pgerr.Newf(pgerr.InvalidPrecedingOrFollowingSize, "frame %s offset must not be negative", which)
		}
		off[i] = v.I
		if b.Kind == BoundPreceding {
			off[i] = -v.I
		}
	}
	return off, nil
}

// partition is one partition being computed: its rows and, per row, the
// bounds of its peer group [peerStart, peerEnd).
type partition struct {
	rows               []windowRow
	peerStart, peerEnd []int
	peerIndex          []int // 0-based number of the row's peer group
}

// flush computes every function over one partition and emits its rows.
func (w *Window) flush(ctx *Ctx, rows []windowRow, off [2]int64) error {
	p := &partition{rows: rows, peerStart: make([]int, len(rows)), peerEnd: make([]int, len(rows)), peerIndex: make([]int, len(rows))}
	np := len(w.PartitionBy)
	ots := w.orderTypes()
	start, group := 0, 0
	for i := 1; i <= len(rows); i++ {
		if i < len(rows) && datumsEqual(ots, rows[i-1].keys[np:], rows[i].keys[np:]) {
			continue
		}
		for j := start; j < i; j++ {
			p.peerStart[j], p.peerEnd[j], p.peerIndex[j] = start, i, group
		}
		start = i
		group++
	}
	for _, f := range w.Funcs {
		vals, err := w.compute(ctx, p, f, off)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].row = append(rows[i].row, vals[i])
		}
	}
	for _, r := range rows {
		w.out = append(w.out, r.row)
	}
	return nil
}

// frame returns the frame [lo, hi) of row i.
func (w *Window) frame(p *partition, i int, off [2]int64) (int, int) {
	n := len(p.rows)
	if w.Frame == nil {
		return 0, p.peerEnd[i]
	}
	bound := func(b FrameBound, o int64, end bool) int64 {
		switch b.Kind {
		case BoundUnboundedPreceding:
			return 0
		case BoundUnboundedFollowing:
			return int64(n)
		case BoundCurrentRow:
			switch {
			case w.Frame.Rows && end:
				return int64(i) + 1
			case w.Frame.Rows:
				return int64(i)
			case end:
				return int64(p.peerEnd[i])
			}
			return int64(p.peerStart[i])
		}
		if end {
			return int64(i) + o + 1
		}
		return int64(i) + o
	}
	lo := min(max(bound(w.Frame.Start, off[0], false), 0), int64(n))
	hi := min(max(bound(w.Frame.End, off[1], true), 0), int64(n))
	if hi < lo {
		hi = lo
	}
	return int(lo), int(hi)
}

// argsOf evaluates f's arguments for every row of the partition.
func argsOf(ctx *Ctx, p *partition, f WindowFunc) ([][]types.Datum, error) {
	out := make([][]types.Datum, len(p.rows))
	for i, r := range p.rows {
		in := r.row
		a := make([]types.Datum, len(f.Args))
		for j, e := range f.Args {
			v, err := e.Eval(ctx, in)
			if err != nil {
				return nil, err
			}
			a[j] = v
		}
		out[i] = a
	}
	return out, nil
}

// compute returns f's value for every row of the partition.
func (w *Window) compute(ctx *Ctx, p *partition, f WindowFunc, off [2]int64) ([]types.Datum, error) {
	n := len(p.rows)
	vals := make([]types.Datum, n)
	args, err := argsOf(ctx, p, f)
	if err != nil {
		return nil, err
	}
	switch f.Kind {
	case WinRowNumber:
		for i := range vals {
			vals[i] = types.NewInt(int64(i + 1))
		}
	case WinRank:
		for i := range vals {
			vals[i] = types.NewInt(int64(p.peerStart[i] + 1))
		}
	case WinDenseRank:
		for i := range vals {
			vals[i] = types.NewInt(int64(p.peerIndex[i] + 1))
		}
	case WinPercentRank:
		for i := range vals {
			r := 0.0
			if n > 1 {
				r = float64(p.peerStart[i]) / float64(n-1)
			}
			vals[i] = types.NewFloat(r)
		}
	case WinCumeDist:
		for i := range vals {
			vals[i] = types.NewFloat(float64(p.peerEnd[i]) / float64(n))
		}
	case WinNtile:
		return ntile(args[0][0], vals)
	case WinLag, WinLead:
		return lagLead(f.Kind == WinLead, args, vals)
	case WinFirstValue, WinLastValue, WinNthValue:
		for i := range vals {
			lo, hi := w.frame(p, i, off)
			at := lo
			switch f.Kind {
			case WinLastValue:
				at = hi - 1
			case WinNthValue:
				k := args[i][1]
				if k.IsNull() {
					vals[i] = types.Null
					continue
				}
				if k.I <= 0 {
					return nil, pgerr.New(pgerr.InvalidArgumentForNthValue, "argument of nth_value must be greater than zero")
				}
				at = lo + int(min(k.I-1, int64(n)))
			}
			if at >= lo && at < hi {
				vals[i] = args[at][0]
			} else {
				vals[i] = types.Null
			}
		}
	case WinAggregate:
		return w.aggregate(ctx, p, f, args, off, vals)
	default:
		return nil, pgerr.Newf(pgerr.InternalError, "unknown window function kind %d", f.Kind)
	}
	return vals, nil
}

// ntile deals the partition's rows into n buckets whose sizes differ by at
// most one, larger buckets first. n is taken from the partition's first
// row, as PostgreSQL does.
func ntile(arg types.Datum, vals []types.Datum) ([]types.Datum, error) {
	if arg.IsNull() {
		for i := range vals {
			vals[i] = types.Null
		}
		return vals, nil
	}
	if arg.I <= 0 {
		return nil, pgerr.New(pgerr.InvalidArgumentForNtile, "argument of ntile must be greater than zero")
	}
	total, buckets := int64(len(vals)), arg.I
	size, extra := total/buckets, total%buckets
	var row int64
	for b := int64(1); b <= buckets && row < total; b++ {
		n := size
		if b <= extra {
			n++
		}
		for j := int64(0); j < n; j++ {
			vals[row] = types.NewInt(b)
			row++
		}
	}
	return vals, nil
}

// lagLead returns, for each row, the value offset rows before (lag) or
// after (lead) it, or the default when that row is outside the partition.
// Offset and default are evaluated on the current row.
func lagLead(lead bool, args [][]types.Datum, vals []types.Datum) ([]types.Datum, error) {
	for i := range vals {
		off := int64(1)
		if len(args[i]) > 1 {
			if args[i][1].IsNull() {
				vals[i] = types.Null
				continue
			}
			off = args[i][1].I
		}
		if !lead {
			off = -off
		}
		at := int64(i) + off
		switch {
		case at >= 0 && at < int64(len(vals)):
			vals[i] = args[at][0]
		case len(args[i]) > 2:
			vals[i] = args[i][2]
		default:
			vals[i] = types.Null
		}
	}
	return vals, nil
}

// reusableResult are the aggregates whose AggState.Result only reads the
// state, so a running aggregate may ask for it after every peer group.
// NB: AggState's contract allows a single Result call; other aggregates
// are recomputed from scratch for every distinct frame instead.
var reusableResult = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true}

// aggregate computes an aggregate over each row's frame. Frames that all
// start at the partition's first row grow monotonically and are computed
// with one running state when the aggregate allows it; otherwise each
// distinct frame is aggregated from scratch (rows sharing a frame share
// the result).
func (w *Window) aggregate(ctx *Ctx, p *partition, f WindowFunc, args [][]types.Datum, off [2]int64, vals []types.Datum) ([]types.Datum, error) {
	running := reusableResult[f.Agg.Name] && (w.Frame == nil || w.Frame.Start.Kind == BoundUnboundedPreceding)
	var st builtin.AggState
	added := 0
	lastLo, lastHi := -1, -1
	var last types.Datum
	for i := range vals {
		lo, hi := w.frame(p, i, off)
		if lo == lastLo && hi == lastHi {
			vals[i] = last
			continue
		}
		if !running || st == nil {
			st, added = f.Agg.New(), lo
		}
		for ; added < hi; added++ {
			if err := st.Add(ctx.Builtin, args[added]); err != nil {
				return nil, err
			}
		}
		v, err := st.Result(ctx.Builtin)
		if err != nil {
			return nil, err
		}
		vals[i], last, lastLo, lastHi = v, v, lo, hi
	}
	return vals, nil
}
