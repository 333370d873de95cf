package sql

import (
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// expr binds a scalar expression in scope sc.
func (b *binder) expr(sc *scope, e tree.Expr) (executor.Expr, error) {
	if sc != nil && sc.agg != nil {
		if col, ok, err := b.matchGroup(sc, e); err != nil || ok {
			return col, err
		}
	}
	out, err := b.exprNode(sc, e)
	if err != nil {
		return nil, b.errPos(err, exprPos(e))
	}
	return out, nil
}

func (b *binder) exprNode(sc *scope, e tree.Expr) (executor.Expr, error) {
	switch e := e.(type) {
	case *tree.ColumnRef:
		return b.columnRef(sc, e)
	case *tree.NumberLit:
		return numberConst(e.Text)
	case *tree.StringLit:
		return &executor.Const{Value: types.NewString(e.Value), Typ: types.UnknownType}, nil
	case *tree.BoolLit:
		return &executor.Const{Value: types.NewBool(e.Value), Typ: types.BoolType}, nil
	case *tree.NullLit:
		return &executor.Const{Typ: types.UnknownType}, nil
	case *tree.Param:
		return b.param(e.N)
	case *tree.BinaryOp:
		return b.binaryOp(sc, e)
	case *tree.UnaryOp:
		return b.unaryOp(sc, e)
	case *tree.IsNull:
		x, err := b.expr(sc, e.Expr)
		if err != nil {
			return nil, err
		}
		return &executor.IsNullExpr{Expr: b.defaultUnknown(x), Not: e.Not}, nil
	case *tree.IsBool:
		return b.isBool(sc, e)
	case *tree.FuncCall:
		return b.funcCall(sc, e)
	case *tree.Cast:
		return b.cast(sc, e)
	case *tree.Between:
		return b.between(sc, e)
	case *tree.InList:
		return b.inList(sc, e)
	case *tree.Case:
		return b.caseExpr(sc, e)
	case *tree.ArrayLit:
		return b.arrayLit(sc, e)
	case *tree.Collate:
		return b.expr(sc, e.Expr)
	case *tree.Quantified:
		return b.quantified(sc, e)
	case *tree.Subquery:
		return b.subqueryExpr(sc, e)
	case *tree.Exists:
		return b.existsExpr(sc, e)
	case *tree.InSubquery:
		return b.inSubquery(sc, e)
	case *tree.Subscript:
		return b.subscript(sc, e)
	case *tree.Row:
		return b.rowValue(sc, e)
	case *tree.FieldAccess:
		return b.fieldAccess(sc, e)
	case *tree.DefaultExpr:
		return nil, pgerr.New(pgerr.SyntaxError, "DEFAULT is not allowed in this context")
	}
	return nil, pgerr.Newf(pgerr.FeatureNotSupported, "expression %T is not supported", e)
}

func (b *binder) columnRef(sc *scope, e *tree.ColumnRef) (executor.Expr, error) {
	if e.Star {
		return nil, pgerr.New(pgerr.SyntaxError, "* is not allowed here")
	}
	depth := 0
	for s := sc; s != nil; s = s.parent {
		idx, col, err := s.resolveColumn(e.Table, e.Column)
		if err != nil {
			return nil, err
		}
		if col != nil {
			if depth == 0 {
				if s.agg != nil {
					return nil, groupingError(col)
				}
				return &executor.ColRef{Idx: idx, Typ: col.Type, Name: col.Name}, nil
			}
			s.correlated = true
			for x := sc; x != s; x = x.parent {
				x.correlated = true
			}
			return &executor.OuterRef{Depth: depth, Idx: idx, Typ: col.Type, Name: col.Name}, nil
		}
		// NB: only a subquery boundary is a level of ctx.outer at run time;
		// FROM, CTE and aggregate scopes within one query level are not.
		if s.boundary {
			depth++
		}
	}
	if e.Table != "" {
		known := false
		for s := sc; s != nil; s = s.parent {
			if s.hasTable(e.Table) {
				known = true
			}
		}
		if !known {
			return nil, pgerr.Newf(pgerr.UndefinedTable, "missing FROM-clause entry for table %q", e.Table)
		}
		return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %s.%s does not exist", e.Table, e.Column)
	}
	return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q does not exist", e.Column)
}

func groupingError(col *planner.Column) error {
	// NB: PostgreSQL names the column by its range-table alias: "s.i".
	name := col.Name
	if col.Table != "" {
		name = col.Table + "." + col.Name
	}
	return pgerr.Newf(pgerr.GroupingError, "column %q must appear in the GROUP BY clause or be used in an aggregate function", name)
}

// numberConst types a numeric literal as PostgreSQL does: integer if it
// fits int4, then int8, otherwise numeric.
func numberConst(text string) (executor.Expr, error) {
	if !strings.ContainsAny(text, ".eE") {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil {
			if v >= -1<<31 && v < 1<<31 {
				return &executor.Const{Value: types.NewInt(v), Typ: types.Int4Type}, nil
			}
			return &executor.Const{Value: types.NewInt(v), Typ: types.Int8Type}, nil
		}
	}
	d, _, err := apd.NewFromString(text)
	if err != nil {
		return nil, pgerr.Newf(pgerr.InvalidTextRepresentation, "invalid input syntax for type numeric: %q", text)
	}
	return &executor.Const{Value: types.NewDecimal(d), Typ: types.NumericType}, nil
}

func (b *binder) param(n int) (executor.Expr, error) {
	if n < 1 || n > 65535 {
		return nil, pgerr.Newf(pgerr.UndefinedParameter, "there is no parameter $%d", n)
	}
	for len(b.params) < n {
		b.params = append(b.params, types.UnknownType)
	}
	r := &executor.ParamRef{N: n, Typ: b.params[n-1]}
	b.paramRefs[n] = append(b.paramRefs[n], r)
	return r, nil
}

// setParamType fixes the type of parameter n everywhere it is used.
func (b *binder) setParamType(n int, t types.T) {
	b.params[n-1] = t
	for _, r := range b.paramRefs[n] {
		r.Typ = t
	}
}

// isUnknown reports whether e is an untyped literal or parameter.
func isUnknown(e executor.Expr) bool { return e.Type().Family == types.Unknown }

// coerce converts e to type t. Untyped literals are parsed as t and untyped
// parameters take t; typed values get an implicit cast when one exists.
func (b *binder) coerce(e executor.Expr, t types.T) (executor.Expr, error) {
	return b.coerceCtx(e, t, types.CastImplicit)
}

func (b *binder) coerceCtx(e executor.Expr, t types.T, allowed types.CastContext) (executor.Expr, error) {
	from := e.Type()
	if from.Equal(t) {
		return e, nil
	}
	if from.Family == types.Unknown {
		switch x := e.(type) {
		case *executor.Const:
			if x.Value.IsNull() {
				return &executor.Const{Typ: t}, nil
			}
			v, err := types.ParseTextWithOptions(t, x.Value.S, b.s.FormatOptions())
			if err != nil {
				return nil, err
			}
			return &executor.Const{Value: v, Typ: t}, nil
		case *executor.ParamRef:
			b.setParamType(x.N, t)
			return x, nil
		}
	}
	if from.Family == t.Family && t.Family != types.Array && t.Typmod < 0 {
		return e, nil // any modifier fits the unconstrained type
	}
	if from.Family == t.Family && t.Family != types.Array {
		// Same type, different modifier: an assignment-style cast enforces
		// the target's typmod (vector dims, varchar length, numeric scale).
		return &executor.CastExpr{Expr: e, Typ: t}, nil
	}
	ctx := types.CastContextOf(from, t)
	if ctx == types.CastNone || ctx < allowed {
		return nil, pgerr.Newf(pgerr.DatatypeMismatch, "cannot cast type %s to %s", from, t)
	}
	if c, ok := e.(*executor.Const); ok {
		if c.Value.IsNull() {
			return &executor.Const{Typ: t}, nil
		}
		v, err := types.CastWithOptions(c.Value, from, t, false, b.s.FormatOptions())
		if err != nil {
			return nil, err
		}
		return &executor.Const{Value: v, Typ: t}, nil
	}
	return &executor.CastExpr{Expr: e, Typ: t}, nil
}

// defaultUnknown resolves a still-untyped expression to text, as
// PostgreSQL does where context gives no type.
func (b *binder) defaultUnknown(e executor.Expr) executor.Expr {
	if !isUnknown(e) {
		return e
	}
	out, err := b.coerce(e, types.TextType)
	if err != nil {
		return e
	}
	return out
}

// callArgs coerces args to the parameter types of fn.
func (b *binder) callArgs(params []types.T, variadic bool, args []executor.Expr) ([]executor.Expr, error) {
	out := make([]executor.Expr, len(args))
	for i, a := range args {
		pi := i
		if pi >= len(params) {
			if !variadic || len(params) == 0 {
				out[i] = a
				continue
			}
			pi = len(params) - 1
		}
		want := params[pi]
		if want.Family == types.Unknown { // polymorphic: keep as is
			out[i] = b.defaultUnknown(a)
			continue
		}
		c, err := b.coerce(a, want)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func argTypes(args []executor.Expr) []types.T {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	return ts
}

func (b *binder) binaryOp(sc *scope, e *tree.BinaryOp) (executor.Expr, error) {
	switch e.Op {
	case "AND", "OR":
		l, err := b.boolExpr(sc, e.Left, e.Op)
		if err != nil {
			return nil, err
		}
		r, err := b.boolExpr(sc, e.Right, e.Op)
		if err != nil {
			return nil, err
		}
		if e.Op == "AND" {
			return &executor.And{Left: l, Right: r}, nil
		}
		return &executor.Or{Left: l, Right: r}, nil
	case "IS DISTINCT FROM", "IS NOT DISTINCT FROM":
		l, r, fn, err := b.comparison(sc, "=", e.Left, e.Right)
		if err != nil {
			return nil, err
		}
		return &executor.DistinctFrom{Left: l, Right: r, Eq: fn, Not: e.Op == "IS NOT DISTINCT FROM"}, nil
	}
	if lr, ok := e.Left.(*tree.Row); ok {
		if rr, ok := e.Right.(*tree.Row); ok {
			if x, ok, err := rowComparison(e, lr, rr); ok || err != nil {
				if err != nil {
					return nil, b.errPos(err, e.Pos)
				}
				return b.expr(sc, x)
			}
		}
	}
	l, err := b.expr(sc, e.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.expr(sc, e.Right)
	if err != nil {
		return nil, err
	}
	return b.applyBinary(e.Op, l, r)
}

// applyBinary resolves op for bound operands and builds the call.
func (b *binder) applyBinary(op string, l, r executor.Expr) (executor.Expr, error) {
	fn, err := b.lib.ResolveBinary(op, l.Type(), r.Type())
	if err != nil {
		return nil, err
	}
	args, err := b.callArgs(fn.Params, false, []executor.Expr{l, r})
	if err != nil {
		return nil, err
	}
	return b.foldCall(&executor.Call{Fn: fn, Args: args, Typ: returnType(fn.Return, fn.ReturnFn, args), Op: op})
}

func returnType(ret types.T, fn func([]types.T) types.T, args []executor.Expr) types.T {
	if fn != nil {
		return fn(argTypes(args))
	}
	return ret
}

// comparison binds "l op r" and returns the coerced operands and operator.
func (b *binder) comparison(sc *scope, op string, le, re tree.Expr) (executor.Expr, executor.Expr, *builtinFunc, error) {
	l, err := b.expr(sc, le)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := b.expr(sc, re)
	if err != nil {
		return nil, nil, nil, err
	}
	return b.compareBound(op, l, r)
}

func (b *binder) compareBound(op string, l, r executor.Expr) (executor.Expr, executor.Expr, *builtinFunc, error) {
	if isUnknown(l) && isUnknown(r) {
		l, r = b.defaultUnknown(l), b.defaultUnknown(r)
	}
	fn, err := b.lib.ResolveBinary(op, l.Type(), r.Type())
	if err != nil {
		return nil, nil, nil, err
	}
	args, err := b.callArgs(fn.Params, false, []executor.Expr{l, r})
	if err != nil {
		return nil, nil, nil, err
	}
	return args[0], args[1], fn, nil
}

func (b *binder) boolExpr(sc *scope, e tree.Expr, ctxName string) (executor.Expr, error) {
	x, err := b.expr(sc, e)
	if err != nil {
		return nil, err
	}
	if isUnknown(x) {
		return b.coerce(x, types.BoolType)
	}
	if x.Type().Family != types.Bool {
		return nil, b.errPos(pgerr.Newf(pgerr.DatatypeMismatch, "argument of %s must be type boolean, not type %s", ctxName, x.Type()), exprPos(e))
	}
	return x, nil
}

func (b *binder) unaryOp(sc *scope, e *tree.UnaryOp) (executor.Expr, error) {
	if e.Op == "NOT" {
		x, err := b.boolExpr(sc, e.Expr, "NOT")
		if err != nil {
			return nil, err
		}
		return &executor.Not{Expr: x}, nil
	}
	if n, ok := e.Expr.(*tree.NumberLit); ok && e.Op == "-" {
		return numberConst("-" + n.Text)
	}
	x, err := b.expr(sc, e.Expr)
	if err != nil {
		return nil, err
	}
	if e.Op == "+" && !isUnknown(x) {
		return x, nil
	}
	fn, err := b.lib.ResolveUnary(e.Op, x.Type())
	if err != nil {
		return nil, err
	}
	args, err := b.callArgs(fn.Params, false, []executor.Expr{x})
	if err != nil {
		return nil, err
	}
	return b.foldCall(&executor.Call{Fn: fn, Args: args, Typ: returnType(fn.Return, fn.ReturnFn, args), Op: e.Op})
}

func (b *binder) isBool(sc *scope, e *tree.IsBool) (executor.Expr, error) {
	x, err := b.boolExpr(sc, e.Expr, "IS "+strings.ToUpper(e.Value))
	if err != nil {
		return nil, err
	}
	var out executor.Expr
	switch e.Value {
	case "unknown":
		out = &executor.IsNullExpr{Expr: x}
	case "true":
		out = &executor.Coalesce{Args: []executor.Expr{x, &executor.Const{Value: types.NewBool(false), Typ: types.BoolType}}, Typ: types.BoolType}
	default:
		out = &executor.Coalesce{Args: []executor.Expr{&executor.Not{Expr: x}, &executor.Const{Value: types.NewBool(false), Typ: types.BoolType}}, Typ: types.BoolType}
	}
	if e.Not {
		out = &executor.Not{Expr: out}
	}
	return out, nil
}

func (b *binder) cast(sc *scope, e *tree.Cast) (executor.Expr, error) {
	t, err := types.ParseTypeName(e.Type.Name, e.Type.Mods, e.Type.ArrayDims)
	if err != nil {
		return nil, b.errPos(err, e.Type.Pos)
	}
	x, err := b.expr(sc, e.Expr)
	if err != nil {
		return nil, err
	}
	return b.castTo(x, t)
}

// parseLiteralExplicit reads an untyped literal for 'text'::t. NB: as in
// PostgreSQL the literal is read as the plain type and then explicitly cast
// to the modifier, so 'abcdef'::varchar(3) truncates to 'abc' where an
// assignment would fail with 22001 (vector(n) and numeric(p,s) still check).
func (b *binder) parseLiteralExplicit(s string, t types.T) (types.Datum, error) {
	opts := b.s.FormatOptions()
	if t.Family == types.Array || t.Typmod < 0 {
		return types.ParseTextWithOptions(t, s, opts)
	}
	plain := t.WithTypmod(-1)
	v, err := types.ParseTextWithOptions(plain, s, opts)
	if err != nil {
		return types.Null, err
	}
	return types.CastWithOptions(v, plain, t, true, opts)
}

// castTo applies an explicit cast.
func (b *binder) castTo(x executor.Expr, t types.T) (executor.Expr, error) {
	from := x.Type()
	if from.Family == types.Unknown {
		switch c := x.(type) {
		case *executor.Const:
			if c.Value.IsNull() {
				return &executor.Const{Typ: t}, nil
			}
			if t.Family == types.Regclass || t.Family == types.Regtype || t.Family == types.Regproc {
				return b.regCast(c.Value.S, t)
			}
			v, err := b.parseLiteralExplicit(c.Value.S, t)
			if err != nil {
				return nil, err
			}
			return &executor.Const{Value: v, Typ: t}, nil
		case *executor.ParamRef:
			b.setParamType(c.N, t)
			return c, nil
		}
	}
	if from.Equal(t) {
		return x, nil
	}
	if types.CastContextOf(from, t) == types.CastNone {
		return nil, pgerr.Newf(pgerr.CannotCoerce, "cannot cast type %s to %s", from, t)
	}
	if c, ok := x.(*executor.Const); ok {
		if c.Value.IsNull() {
			return &executor.Const{Typ: t}, nil
		}
		v, err := types.CastWithOptions(c.Value, from, t, true, b.s.FormatOptions())
		if err != nil {
			return nil, err
		}
		return &executor.Const{Value: v, Typ: t}, nil
	}
	return &executor.CastExpr{Expr: x, Typ: t, Explicit: true}, nil
}

func (b *binder) between(sc *scope, e *tree.Between) (executor.Expr, error) {
	x1, lo, _, err := b.comparison(sc, ">=", e.Expr, e.Lo)
	if err != nil {
		return nil, err
	}
	ge, err := b.applyBinary(">=", x1, lo)
	if err != nil {
		return nil, err
	}
	x2, hi, _, err := b.comparison(sc, "<=", e.Expr, e.Hi)
	if err != nil {
		return nil, err
	}
	le, err := b.applyBinary("<=", x2, hi)
	if err != nil {
		return nil, err
	}
	var out executor.Expr = &executor.And{Left: ge, Right: le}
	if e.Not {
		out = &executor.Not{Expr: out}
	}
	return out, nil
}

func (b *binder) inList(sc *scope, e *tree.InList) (executor.Expr, error) {
	if row, ok := e.Expr.(*tree.Row); ok {
		// (a, b) IN ((1, 2), (3, 4)): OR of row equalities (NOT IN: AND of
		// row inequalities), as PostgreSQL expands it.
		op, join := "=", "OR"
		if e.Not {
			op, join = "<>", "AND"
		}
		var x tree.Expr
		for _, it := range e.List {
			cmp := &tree.BinaryOp{Pos: e.Pos, Op: op, Left: row, Right: it}
			if x == nil {
				x = cmp
			} else {
				x = &tree.BinaryOp{Pos: e.Pos, Op: join, Left: x, Right: cmp}
			}
		}
		if x != nil {
			return b.expr(sc, x)
		}
	}
	x, err := b.expr(sc, e.Expr)
	if err != nil {
		return nil, err
	}
	items := make([]executor.Expr, len(e.List))
	for i, it := range e.List {
		if items[i], err = b.expr(sc, it); err != nil {
			return nil, err
		}
	}
	// NB: all items are compared with one operator, resolved between x and
	// the first typed item (or x alone), as PostgreSQL unifies the list's
	// type first.
	target := x.Type()
	if target.Family == types.Unknown {
		for _, it := range items {
			if !isUnknown(it) {
				target = it.Type()
				break
			}
		}
		if target.Family == types.Unknown {
			target = types.TextType
		}
		if x, err = b.coerce(x, target); err != nil {
			return nil, err
		}
	}
	var fn *builtinFunc
	for i, it := range items {
		l, r, f, err := b.compareBound("=", x, it)
		if err != nil {
			return nil, err
		}
		x, items[i] = l, r
		if fn == nil {
			fn = f
		}
	}
	return &executor.InList{Expr: x, List: items, Eq: fn, Not: e.Not}, nil
}

func (b *binder) caseExpr(sc *scope, e *tree.Case) (executor.Expr, error) {
	var operand executor.Expr
	var err error
	if e.Operand != nil {
		if operand, err = b.expr(sc, e.Operand); err != nil {
			return nil, err
		}
	}
	out := &executor.CaseExpr{}
	var results []executor.Expr
	for _, w := range e.Whens {
		var cond executor.Expr
		if operand != nil {
			v, err := b.expr(sc, w.Cond)
			if err != nil {
				return nil, err
			}
			l, r, _, err := b.compareBound("=", operand, v)
			if err != nil {
				return nil, err
			}
			if cond, err = b.applyBinary("=", l, r); err != nil {
				return nil, err
			}
		} else if cond, err = b.boolExpr(sc, w.Cond, "CASE"); err != nil {
			return nil, err
		}
		res, err := b.expr(sc, w.Result)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, executor.CaseWhen{Cond: cond})
		results = append(results, res)
	}
	if e.Else != nil {
		el, err := b.expr(sc, e.Else)
		if err != nil {
			return nil, err
		}
		results = append(results, el)
	}
	t, coerced, err := b.commonType(results, "CASE")
	if err != nil {
		return nil, err
	}
	for i := range out.Whens {
		out.Whens[i].Result = coerced[i]
	}
	if e.Else != nil {
		out.Else = coerced[len(coerced)-1]
	}
	out.Typ = t
	return out, nil
}

// commonType unifies the types of exprs as UNION/CASE/COALESCE do
// (PostgreSQL's "UNION, CASE, and Related Constructs" rules, simplified:
// the first typed input wins unless a later one is preferred by an implicit
// cast from it; all-unknown becomes text).
func (b *binder) commonType(exprs []executor.Expr, what string) (types.T, []executor.Expr, error) {
	t := types.UnknownType
	for _, e := range exprs {
		et := e.Type()
		if et.Family == types.Unknown {
			continue
		}
		if t.Family == types.Unknown {
			t = et
			continue
		}
		if t.Equal(et) {
			continue
		}
		if t.Family == et.Family {
			t = t.WithTypmod(-1)
			continue
		}
		if types.CastContextOf(t, et) == types.CastImplicit && types.CastContextOf(et, t) != types.CastImplicit {
			t = et
		} else if types.CastContextOf(et, t) != types.CastImplicit {
			return t, nil, pgerr.Newf(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t, et)
		}
	}
	if t.Family == types.Unknown {
		t = types.TextType
	}
	// NB: as PostgreSQL's select_common_typmod, the result keeps a typmod only
	// when every input already has exactly that type and typmod:
	// coalesce(numeric(6,2) col, -1) is plain numeric and yields -1, not -1.00.
	for _, e := range exprs {
		if !e.Type().Equal(t) {
			t = t.WithTypmod(-1)
			break
		}
	}
	out := make([]executor.Expr, len(exprs))
	for i, e := range exprs {
		c, err := b.coerce(e, t)
		if err != nil {
			return t, nil, err
		}
		out[i] = c
	}
	return t, out, nil
}

func (b *binder) arrayLit(sc *scope, e *tree.ArrayLit) (executor.Expr, error) {
	elems := make([]executor.Expr, len(e.Elems))
	for i, el := range e.Elems {
		x, err := b.expr(sc, el)
		if err != nil {
			return nil, err
		}
		elems[i] = x
	}
	t, coerced, err := b.commonType(elems, "ARRAY")
	if err != nil {
		return nil, err
	}
	return &executor.ArrayExpr{Elems: coerced, Typ: types.ArrayOf(t)}, nil
}

func (b *binder) subscript(sc *scope, e *tree.Subscript) (executor.Expr, error) {
	x, err := b.expr(sc, e.Expr)
	if err != nil {
		return nil, err
	}
	idx, err := b.expr(sc, e.Index)
	if err != nil {
		return nil, err
	}
	if idx, err = b.coerce(idx, types.Int4Type); err != nil {
		return nil, err
	}
	elem, ok := x.Type().ElemType()
	if !ok {
		return nil, pgerr.Newf(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", x.Type())
	}
	return &subscriptExpr{arr: x, idx: idx, typ: elem}, nil
}

// foldCall evaluates calls whose arguments are all constants at bind time,
// unless the function is volatile.
func (b *binder) foldCall(c *executor.Call) (executor.Expr, error) {
	if c.Fn.Volatile {
		return c, nil
	}
	for _, a := range c.Args {
		if _, ok := a.(*executor.Const); !ok {
			return c, nil
		}
	}
	v, err := c.Eval(&executor.Ctx{Builtin: b.s.builtinCtx()}, nil)
	if err != nil {
		return nil, err
	}
	return &executor.Const{Value: v, Typ: c.Typ}, nil
}

// exprPos returns the byte offset of an expression node, or -1.
func exprPos(e tree.Expr) int {
	switch e := e.(type) {
	case *tree.ColumnRef:
		return e.Pos
	case *tree.NumberLit:
		return e.Pos
	case *tree.StringLit:
		return e.Pos
	case *tree.Param:
		return e.Pos
	case *tree.BinaryOp:
		return e.Pos
	case *tree.UnaryOp:
		return e.Pos
	case *tree.FuncCall:
		return e.Pos
	case *tree.Cast:
		return e.Pos
	case *tree.InList:
		return e.Pos
	case *tree.Between:
		return e.Pos
	case *tree.Subquery:
		return e.Pos
	case *tree.FieldAccess:
		return exprPos(e.Expr)
	}
	return -1
}

// rowComparison expands a comparison of two row constructors as
// PostgreSQL defines it: = is the AND of the fields' equalities, <> the OR
// of their inequalities, and < <= > >= compare lexicographically (the
// first unequal pair decides; NULLs make the result NULL). ok is false for
// other operators (they then fail as record operators do).
func rowComparison(e *tree.BinaryOp, l, r *tree.Row) (x tree.Expr, ok bool, err error) {
	op := e.Op
	if op == "!=" {
		op = "<>"
	}
	switch op {
	case "=", "<>", "<", "<=", ">", ">=":
	default:
		return nil, false, nil
	}
	if len(l.Elems) != len(r.Elems) {
		return nil, true, pgerr.New(pgerr.SyntaxError, "unequal number of entries in row expressions")
	}
	if len(l.Elems) == 0 {
		return nil, true, pgerr.New(pgerr.FeatureNotSupported, "cannot compare rows of zero length")
	}
	bin := func(o string, a, b tree.Expr) tree.Expr { return &tree.BinaryOp{Pos: e.Pos, Op: o, Left: a, Right: b} }
	n := len(l.Elems)
	switch op {
	case "=", "<>":
		join := "AND"
		if op == "<>" {
			join = "OR"
		}
		x = bin(op, l.Elems[0], r.Elems[0])
		for i := 1; i < n; i++ {
			x = bin(join, x, bin(op, l.Elems[i], r.Elems[i]))
		}
		return x, true, nil
	}
	// l1 < r1 OR (l1 = r1 AND (l2 < r2 OR (l2 = r2 AND ... ln op rn)))
	strict := op[:1]
	x = bin(op, l.Elems[n-1], r.Elems[n-1])
	for i := n - 2; i >= 0; i-- {
		x = bin("OR", bin(strict, l.Elems[i], r.Elems[i]), bin("AND", bin("=", l.Elems[i], r.Elems[i]), x))
	}
	return x, true, nil
}
