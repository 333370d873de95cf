package sql

import (
	"fmt"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// winContext collects the window function calls of one query level while
// its select list and ORDER BY are bound. Each call is bound to a ColRef
// whose Idx is a placeholder (unique, negative) until planWindows knows
// the width of the row below the windows and patches it.
type winContext struct {
	specs []*winSpec
	calls []winCall
	// refs are every ColRef handed out, with the call they stand for.
	refs []winRef
}

// winSpec is one distinct window (PARTITION BY, ORDER BY, frame); calls
// sharing it are computed by one Window node.
type winSpec struct {
	key       string
	partition []executor.Expr
	order     []executor.SortKey
	frame     *executor.WindowFrame
	calls     []int
}

type winCall struct {
	fn   executor.WindowFunc
	spec int
	key  string
}

type winRef struct {
	ref  *executor.ColRef
	call int
}

// winPlaceholder is the first placeholder Idx; call k uses winPlaceholder-k.
const winPlaceholder = -1_000_000

// windowOnly are the functions that exist only as window functions.
var windowOnly = map[string]executor.WindowFuncKind{
	"row_number": executor.WinRowNumber, "rank": executor.WinRank, "dense_rank": executor.WinDenseRank,
	"percent_rank": executor.WinPercentRank, "cume_dist": executor.WinCumeDist, "ntile": executor.WinNtile,
	"lag": executor.WinLag, "lead": executor.WinLead, "first_value": executor.WinFirstValue,
	"last_value": executor.WinLastValue, "nth_value": executor.WinNthValue,
}

// windowCall binds f(args) OVER (...) in scope sc: the arguments and the
// window are bound in sc (so over an aggregating query's output), the call
// is registered with sc.win, and a reference to its future column returned.
func (b *binder) windowCall(sc *scope, e *tree.FuncCall) (executor.Expr, error) {
	name := lower(e.Name)
	if b.inAggArgs {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot contain window function calls")
	}
	if b.inWinArgs {
		return nil, pgerr.New(pgerr.WindowingError, "window function calls cannot be nested")
	}
	_, isWin := windowOnly[name]
	if !isWin && !b.lib.IsAggregate(name) {
		if b.lib.HasFunc(name) {
			return nil, pgerr.Newf(pgerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name)
		}
		args, err := b.exprList(sc, e.Args)
		if err != nil {
			return nil, err
		}
		return nil, b.undefinedFunc(name, args)
	}
	if sc == nil || sc.win == nil {
		return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed here")
	}
	b.inWinArgs = true
	fn, err := b.windowFunc(sc, name, e)
	b.inWinArgs = false
	if err != nil {
		return nil, err
	}
	b.inWinArgs = true
	spec, err := b.windowSpec(sc, e.Over)
	b.inWinArgs = false
	if err != nil {
		return nil, err
	}
	return sc.win.add(fn, spec), nil
}

// add registers a call (or finds an identical one) and returns a
// placeholder reference to its column.
func (wc *winContext) add(fn executor.WindowFunc, spec *winSpec) *executor.ColRef {
	si := -1
	for i, s := range wc.specs {
		if s.key == spec.key {
			si = i
			break
		}
	}
	if si < 0 {
		wc.specs = append(wc.specs, spec)
		si = len(wc.specs) - 1
	}
	key := fmt.Sprintf("%d|%d|%s|%s", si, fn.Kind, fn.Name, exprKeys(fn.Args))
	k := -1
	for i, c := range wc.calls {
		if c.key == key {
			k = i
			break
		}
	}
	if k < 0 {
		wc.calls = append(wc.calls, winCall{fn: fn, spec: si, key: key})
		k = len(wc.calls) - 1
		wc.specs[si].calls = append(wc.specs[si].calls, k)
	}
	ref := &executor.ColRef{Idx: winPlaceholder - k, Typ: fn.Typ, Name: fn.Name}
	wc.refs = append(wc.refs, winRef{ref: ref, call: k})
	return ref
}

// windowFunc resolves the function of a window call and binds its
// arguments, with PostgreSQL's signatures: ntile(int4), lag/lead(value
// [, int4 [, default of a common type]]), nth_value(value, int4), or any
// aggregate.
func (b *binder) windowFunc(sc *scope, name string, e *tree.FuncCall) (executor.WindowFunc, error) {
	fn := executor.WindowFunc{Name: name}
	if e.Distinct {
		return fn, pgerr.New(pgerr.FeatureNotSupported, "DISTINCT is not implemented for window functions")
	}
	if len(e.OrderBy) > 0 {
		return fn, pgerr.New(pgerr.FeatureNotSupported, "aggregate ORDER BY is not implemented for window functions")
	}
	if e.Filter != nil {
		return fn, pgerr.New(pgerr.FeatureNotSupported, "FILTER is not supported for window functions")
	}
	args, err := b.exprList(sc, e.Args)
	if err != nil {
		return fn, err
	}
	kind, isWin := windowOnly[name]
	if !isWin {
		for i, a := range args {
			args[i] = b.defaultUnknown(a)
		}
		agg, err := b.lib.ResolveAggregate(name, argTypes(args), e.Star)
		if err != nil {
			return fn, err
		}
		if args, err = b.callArgs(agg.Params, false, args); err != nil {
			return fn, err
		}
		fn.Kind, fn.Agg, fn.Args, fn.Typ = executor.WinAggregate, agg, args, agg.ResultType(argTypes(args))
		return fn, nil
	}
	fn.Kind = kind
	bad := func() (executor.WindowFunc, error) { return fn, b.undefinedFunc(name, args) }
	if e.Star {
		return fn, pgerr.Newf(pgerr.WrongObjectType, "%s(*) specified, but %s is not an aggregate function without arguments", name, name)
	}
	switch kind {
	case executor.WinRowNumber, executor.WinRank, executor.WinDenseRank:
		fn.Typ = types.Int8Type
	case executor.WinPercentRank, executor.WinCumeDist:
		fn.Typ = types.Float8Type
	case executor.WinNtile:
		if len(args) != 1 {
			return bad()
		}
		fn.Typ = types.Int4Type
	case executor.WinLag, executor.WinLead:
		if len(args) < 1 || len(args) > 3 {
			return bad()
		}
		if len(args) == 3 {
			t, coerced, err := b.commonType([]executor.Expr{args[0], args[2]}, strings.ToUpper(name))
			if err != nil {
				return fn, err
			}
			if t.Family == types.Unknown {
				t = types.TextType
			}
			for _, i := range []int{0, 2} {
				if args[i], err = b.coerce(coerced[i/2], t); err != nil {
					return fn, err
				}
			}
		}
		args[0] = b.defaultUnknown(args[0])
		fn.Typ = args[0].Type()
	case executor.WinFirstValue, executor.WinLastValue, executor.WinNthValue:
		want := 1
		if kind == executor.WinNthValue {
			want = 2
		}
		if len(args) != want {
			return bad()
		}
		args[0] = b.defaultUnknown(args[0])
		fn.Typ = args[0].Type()
	}
	if kind <= executor.WinCumeDist && len(args) != 0 {
		return bad()
	}
	// The int4 arguments: ntile's count, lag/lead's offset, nth_value's n.
	intArg := -1
	switch kind {
	case executor.WinNtile:
		intArg = 0
	case executor.WinLag, executor.WinLead, executor.WinNthValue:
		if len(args) > 1 {
			intArg = 1
		}
	}
	if intArg >= 0 {
		switch args[intArg].Type().Family {
		case types.Int2, types.Int4, types.Unknown:
			if args[intArg], err = b.coerce(args[intArg], types.Int4Type); err != nil {
				return fn, err
			}
		default:
			return bad()
		}
	}
	fn.Args = args
	return fn, nil
}

// undefinedFunc is PostgreSQL's 42883 for a call no function matches.
// NB: the window-only names are not in the scalar function library, so
// resolving the call there produces exactly that error and message.
func (b *binder) undefinedFunc(name string, args []executor.Expr) error {
	if _, err := b.lib.ResolveFunc(name, argTypes(args)); err != nil {
		return err
	}
	return pgerr.Newf(pgerr.UndefinedFunction, "function %s does not exist", name)
}

// windowSpec binds an OVER clause in sc.
func (b *binder) windowSpec(sc *scope, w *tree.WindowSpec) (*winSpec, error) {
	s := &winSpec{}
	var key strings.Builder
	for _, p := range w.PartitionBy {
		x, err := b.expr(sc, p)
		if err != nil {
			return nil, err
		}
		x = b.defaultUnknown(x)
		s.partition = append(s.partition, x)
		key.WriteString("p" + exprKey(x) + ";")
	}
	for _, o := range w.OrderBy {
		x, err := b.expr(sc, o.Expr)
		if err != nil {
			return nil, err
		}
		x = b.defaultUnknown(x)
		k := executor.SortKey{Expr: x, Desc: o.Desc, NullsFirst: o.Desc}
		switch o.Nulls {
		case "first":
			k.NullsFirst = true
		case "last":
			k.NullsFirst = false
		}
		s.order = append(s.order, k)
		fmt.Fprintf(&key, "o%s,%v,%v;", exprKey(x), k.Desc, k.NullsFirst)
	}
	if w.Frame != nil {
		f, err := b.windowFrame(sc, w.Frame)
		if err != nil {
			return nil, err
		}
		s.frame = f
		fmt.Fprintf(&key, "f%v,%d,%d", f.Rows, f.Start.Kind, f.End.Kind)
		for _, o := range []executor.Expr{f.Start.Offset, f.End.Offset} {
			if o != nil {
				key.WriteString("," + exprKey(o))
			}
		}
	}
	s.key = key.String()
	return s, nil
}

var frameBoundKinds = map[string]executor.FrameBoundKind{
	"UNBOUNDED PRECEDING": executor.BoundUnboundedPreceding, "PRECEDING": executor.BoundPreceding,
	"CURRENT ROW": executor.BoundCurrentRow, "FOLLOWING": executor.BoundFollowing,
	"UNBOUNDED FOLLOWING": executor.BoundUnboundedFollowing,
}

// windowFrame binds a frame clause: ROWS with any bounds, RANGE with
// unbounded or CURRENT ROW bounds. Offsets are bigint expressions that
// may not reference columns.
func (b *binder) windowFrame(sc *scope, f *tree.WindowFrame) (*executor.WindowFrame, error) {
	out := &executor.WindowFrame{Rows: f.Mode == "ROWS"}
	if f.Mode == "GROUPS" {
		return nil, b.errPos(pgerr.New(pgerr.FeatureNotSupported, "GROUPS frames are not supported"), f.Pos)
	}
	start, end := frameBoundKinds[f.Start.Kind], frameBoundKinds[f.End.Kind]
	switch {
	case start == executor.BoundUnboundedFollowing:
		return nil, b.errPos(pgerr.New(pgerr.WindowingError, "frame start cannot be UNBOUNDED FOLLOWING"), f.Pos)
	case end == executor.BoundUnboundedPreceding:
		return nil, b.errPos(pgerr.New(pgerr.WindowingError, "frame end cannot be UNBOUNDED PRECEDING"), f.Pos)
	case start == executor.BoundCurrentRow && end == executor.BoundPreceding:
		return nil, b.errPos(pgerr.New(pgerr.WindowingError, "frame starting from current row cannot have preceding rows"), f.Pos)
	case start == executor.BoundFollowing && (end == executor.BoundPreceding || end == executor.BoundCurrentRow):
		return nil, b.errPos(pgerr.New(pgerr.WindowingError, "frame starting from following row cannot have preceding rows"), f.Pos)
	}
	bounds := []*executor.FrameBound{&out.Start, &out.End}
	for i, tb := range []tree.FrameBound{f.Start, f.End} {
		bounds[i].Kind = frameBoundKinds[tb.Kind]
		if tb.Offset == nil {
			continue
		}
		if !out.Rows {
			return nil, b.errPos(pgerr.New(pgerr.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported"), f.Pos)
		}
		x, err := b.expr(&scope{parent: sc.parent}, tb.Offset)
		if err != nil {
			return nil, err
		}
		if bounds[i].Offset, err = b.coerce(x, types.Int8Type); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// planWindows puts one Window node per distinct window over node (each
// with a Sort by its PARTITION BY and ORDER BY below it, when it has
// either) and patches the placeholder references to the columns they
// produce.
func (b *binder) planWindows(node planner.Node, wc *winContext) planner.Node {
	pos := make([]int, len(wc.calls))
	for _, s := range wc.specs {
		if len(s.partition) > 0 || len(s.order) > 0 {
			keys := make([]executor.SortKey, 0, len(s.partition)+len(s.order))
			for _, p := range s.partition {
				keys = append(keys, executor.SortKey{Expr: p})
			}
			node = &planner.Sort{Input: node, Keys: append(keys, s.order...)}
		}
		cols := append([]planner.Column(nil), node.Columns()...)
		w := &planner.Window{Input: node, PartitionBy: s.partition, OrderBy: s.order, Frame: s.frame}
		for _, k := range s.calls {
			fn := wc.calls[k].fn
			pos[k] = len(cols)
			w.Funcs = append(w.Funcs, fn)
			cols = append(cols, planner.Column{Name: fn.Name, Type: fn.Typ})
		}
		w.Cols = cols
		node = w
	}
	for _, r := range wc.refs {
		r.ref.Idx = pos[r.call]
	}
	return node
}

// containsWindow reports whether e calls a window function outside
// subqueries.
func containsWindow(e tree.Expr) bool {
	found := false
	walkExpr(e, func(x tree.Expr) bool {
		if f, ok := x.(*tree.FuncCall); ok && f.Over != nil {
			found = true
		}
		return !found
	})
	return found
}

// noWindows returns PostgreSQL's 42P20 when e, bound in clause what (WHERE,
// GROUP BY, HAVING, JOIN conditions), calls a window function.
func (b *binder) noWindows(e tree.Expr, what string) error {
	if e == nil || !containsWindow(e) {
		return nil
	}
	pos := exprPos(e)
	walkExpr(e, func(x tree.Expr) bool {
		if f, ok := x.(*tree.FuncCall); ok && f.Over != nil {
			pos = f.Pos
			return false
		}
		return true
	})
	return b.errPos(pgerr.New(pgerr.WindowingError, "window functions are not allowed in "+what), pos)
}

// noWindowsIn rejects window functions in a query's WHERE, GROUP BY and
// HAVING, which are evaluated before windows are.
func (b *binder) noWindowsIn(sel *tree.Select) error {
	if err := b.noWindows(sel.Where, "WHERE"); err != nil {
		return err
	}
	for _, g := range sel.GroupBy {
		if err := b.noWindows(g, "GROUP BY"); err != nil {
			return err
		}
	}
	return b.noWindows(sel.Having, "HAVING")
}
