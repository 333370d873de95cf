package sql

import (
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// converter turns a TiDB AST, parsed from the rewriter's output, into our
// tree, decoding the marker calls and mapping offsets back to the
// statement text.
type converter struct {
	sc *stmtCtx
	f  *frag
	r  *rewriter
	// windows are the named windows (WINDOW w AS (...)) of the query
	// level being converted.
	windows map[string]*ast.WindowSpec
}

// pos maps a TiDB node's offset back to the statement text.
func (c *converter) pos(n ast.Node) int {
	// NB: rewritten text always starts with a keyword, so offset 0 means
	// TiDB recorded no offset for the node.
	if n == nil || n.OriginTextPosition() <= 0 {
		return -1
	}
	return c.f.orig(n.OriginTextPosition())
}

// bad reports a marker call or node the converter cannot represent.
func (c *converter) bad(n ast.Node, what string) error {
	p := c.pos(n)
	if p < 0 {
		p = 0
	}
	return c.sc.errAt(pgerr.FeatureNotSupported, p, what+" is not supported")
}

var binOps = map[opcode.Op]string{
	opcode.LogicAnd: "AND", opcode.LogicOr: "OR", opcode.GE: ">=", opcode.LE: "<=",
	opcode.EQ: "=", opcode.NE: "<>", opcode.LT: "<", opcode.GT: ">", opcode.Plus: "+",
	opcode.Minus: "-", opcode.Mul: "*", opcode.Div: "/", opcode.Mod: "%",
}

// expr converts one expression.
func (c *converter) expr(n ast.ExprNode) (tree.Expr, error) {
	switch x := n.(type) {
	case nil:
		return nil, nil
	case *ast.ColumnNameExpr:
		return &tree.ColumnRef{Pos: c.pos(x), Schema: x.Name.Schema.O, Table: x.Name.Table.O, Column: x.Name.Name.O}, nil
	case *test_driver.ParamMarkerExpr:
		p := c.f.orig(x.Offset)
		num, ok := c.r.paramAt[p]
		if !ok {
			return nil, c.bad(x, "parameter marker")
		}
		return &tree.Param{Pos: p, N: num}, nil
	case *test_driver.ValueExpr:
		return c.value(x)
	case *ast.ParenthesesExpr:
		return c.expr(x.Expr)
	case *ast.BinaryOperationExpr:
		return c.binary(x)
	case *ast.UnaryOperationExpr:
		return c.unaryOp(x)
	case *ast.IsNullExpr:
		e, err := c.expr(x.Expr)
		return &tree.IsNull{Pos: c.pos(x), Expr: e, Not: x.Not}, err
	case *ast.IsTruthExpr:
		e, err := c.expr(x.Expr)
		v := "false"
		if x.True != 0 {
			v = "true"
		}
		return &tree.IsBool{Pos: c.pos(x), Expr: e, Not: x.Not, Value: v}, err
	case *ast.BetweenExpr:
		return c.between(x)
	case *ast.PatternInExpr:
		return c.in(x)
	case *ast.PatternLikeOrIlikeExpr:
		return c.like(x)
	case *ast.ExistsSubqueryExpr:
		sq, ok := x.Sel.(*ast.SubqueryExpr)
		if !ok {
			return nil, c.bad(x, "EXISTS form")
		}
		s, err := c.query(sq.Query)
		return &tree.Exists{Pos: c.pos(x), Select: s, Not: x.Not}, err
	case *ast.SubqueryExpr:
		s, err := c.query(x.Query)
		return &tree.Subquery{Pos: c.pos(x), Select: s}, err
	case *ast.CompareSubqueryExpr:
		return c.compareSubquery(x)
	case *ast.CaseExpr:
		return c.caseExpr(x)
	case *ast.RowExpr:
		elems, err := c.exprs(x.Values)
		return &tree.Row{Pos: c.pos(x), Elems: elems}, err
	case *ast.DefaultExpr:
		if x.Name != nil {
			return nil, c.bad(x, "DEFAULT(column)")
		}
		return &tree.DefaultExpr{Pos: c.pos(x)}, nil
	case *ast.FuncCallExpr:
		return c.funcCall(x)
	case *ast.AggregateFuncExpr:
		return c.aggregate(x)
	case *ast.WindowFuncExpr:
		return c.window(x)
	case *ast.PositionExpr:
		if x.P != nil {
			return c.expr(x.P)
		}
		return &tree.NumberLit{Pos: c.pos(x), Text: strconv.Itoa(x.N)}, nil
	}
	return nil, c.bad(n, "this expression form")
}

func (c *converter) exprs(ns []ast.ExprNode) ([]tree.Expr, error) {
	out := make([]tree.Expr, 0, len(ns))
	for _, n := range ns {
		e, err := c.expr(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// value converts a literal; numbers keep their decimal spelling.
func (c *converter) value(x *test_driver.ValueExpr) (tree.Expr, error) {
	p := c.pos(x)
	switch x.Kind() {
	case test_driver.KindNull:
		return &tree.NullLit{Pos: p}, nil
	case test_driver.KindInt64:
		return &tree.NumberLit{Pos: p, Text: strconv.FormatInt(x.GetInt64(), 10)}, nil
	case test_driver.KindUint64:
		return &tree.NumberLit{Pos: p, Text: strconv.FormatUint(x.GetUint64(), 10)}, nil
	case test_driver.KindMysqlDecimal:
		return &tree.NumberLit{Pos: p, Text: x.GetMysqlDecimal().String()}, nil
	case test_driver.KindFloat64:
		return &tree.NumberLit{Pos: p, Text: strconv.FormatFloat(x.GetFloat64(), 'g', -1, 64)}, nil
	case test_driver.KindString:
		return &tree.StringLit{Pos: p, Value: x.GetString()}, nil
	case test_driver.KindBytes:
		return &tree.StringLit{Pos: p, Value: string(x.GetBytes())}, nil
	}
	return nil, c.bad(x, "this literal")
}

func (c *converter) binary(x *ast.BinaryOperationExpr) (tree.Expr, error) {
	op, ok := binOps[x.Op]
	if !ok {
		return nil, c.bad(x, "operator "+x.Op.String())
	}
	l, err := c.expr(x.L)
	if err != nil {
		return nil, err
	}
	r, err := c.expr(x.R)
	return &tree.BinaryOp{Pos: c.pos(x), Op: op, Left: l, Right: r}, err
}

func (c *converter) unaryOp(x *ast.UnaryOperationExpr) (tree.Expr, error) {
	e, err := c.expr(x.V)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case opcode.Minus:
		// NB: like PostgreSQL's grammar (doNegate), a minus sign directly
		// before a numeric literal is folded into the literal.
		if n, ok := e.(*tree.NumberLit); ok && !strings.HasPrefix(n.Text, "-") {
			return &tree.NumberLit{Pos: c.pos(x), Text: "-" + n.Text}, nil
		}
		return &tree.UnaryOp{Pos: c.pos(x), Op: "-", Expr: e}, nil
	case opcode.Plus:
		return &tree.UnaryOp{Pos: c.pos(x), Op: "+", Expr: e}, nil
	case opcode.Not, opcode.Not2:
		return &tree.UnaryOp{Pos: c.pos(x), Op: "NOT", Expr: e}, nil
	case opcode.BitNeg:
		return &tree.UnaryOp{Pos: c.pos(x), Op: "~", Expr: e}, nil
	}
	return nil, c.bad(x, "operator "+x.Op.String())
}

func (c *converter) between(x *ast.BetweenExpr) (tree.Expr, error) {
	es, err := c.exprs([]ast.ExprNode{x.Expr, x.Left, x.Right})
	if err != nil {
		return nil, err
	}
	return &tree.Between{Pos: c.pos(x), Expr: es[0], Lo: es[1], Hi: es[2], Not: x.Not}, nil
}

func (c *converter) in(x *ast.PatternInExpr) (tree.Expr, error) {
	e, err := c.expr(x.Expr)
	if err != nil {
		return nil, err
	}
	if x.Sel != nil {
		sq, ok := x.Sel.(*ast.SubqueryExpr)
		if !ok {
			return nil, c.bad(x, "IN form")
		}
		s, err := c.query(sq.Query)
		return &tree.InSubquery{Pos: c.pos(x), Expr: e, Select: s, Not: x.Not}, err
	}
	list, err := c.exprs(x.List)
	return &tree.InList{Pos: c.pos(x), Expr: e, List: list, Not: x.Not}, err
}

func (c *converter) like(x *ast.PatternLikeOrIlikeExpr) (tree.Expr, error) {
	if x.EscapeExplicit && x.Escape != '\\' {
		return nil, c.bad(x, "LIKE ... ESCAPE")
	}
	l, err := c.expr(x.Expr)
	if err != nil {
		return nil, err
	}
	r, err := c.expr(x.Pattern)
	op := "LIKE"
	if !x.IsLike {
		op = "ILIKE"
	}
	if x.Not {
		op = "NOT " + op
	}
	return &tree.BinaryOp{Pos: c.pos(x), Op: op, Left: l, Right: r}, err
}

func (c *converter) compareSubquery(x *ast.CompareSubqueryExpr) (tree.Expr, error) {
	op, ok := binOps[x.Op]
	if !ok {
		return nil, c.bad(x, "operator "+x.Op.String())
	}
	l, err := c.expr(x.L)
	if err != nil {
		return nil, err
	}
	sq, ok := x.R.(*ast.SubqueryExpr)
	if !ok {
		return nil, c.bad(x, "ANY/ALL form")
	}
	s, err := c.query(sq.Query)
	return &tree.Quantified{Pos: c.pos(x), Op: op, All: x.All, Left: l, Select: s}, err
}

func (c *converter) caseExpr(x *ast.CaseExpr) (tree.Expr, error) {
	out := &tree.Case{Pos: c.pos(x)}
	var err error
	if out.Operand, err = c.expr(x.Value); err != nil {
		return nil, err
	}
	for _, w := range x.WhenClauses {
		cond, err := c.expr(w.Expr)
		if err != nil {
			return nil, err
		}
		res, err := c.expr(w.Result)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, tree.When{Cond: cond, Result: res})
	}
	out.Else, err = c.expr(x.ElseClause)
	return out, err
}

func (c *converter) aggregate(x *ast.AggregateFuncExpr) (tree.Expr, error) {
	fc := &tree.FuncCall{Pos: c.pos(x), Name: strings.ToLower(x.F), Distinct: x.Distinct}
	if err := c.funcArgs(fc, x.Args); err != nil {
		return nil, err
	}
	return fc, nil
}

func (c *converter) window(x *ast.WindowFuncExpr) (tree.Expr, error) {
	fc := &tree.FuncCall{Pos: c.pos(x), Name: strings.ToLower(x.Name), Distinct: x.Distinct}
	if err := c.funcArgs(fc, x.Args); err != nil {
		return nil, err
	}
	if x.FromLast || x.IgnoreNull {
		return nil, c.bad(x, "FROM LAST and IGNORE NULLS")
	}
	spec, err := c.windowSpec(&x.Spec)
	if err != nil {
		return nil, err
	}
	fc.Over = spec
	return fc, nil
}

// funcArgs converts call arguments, sorting out the star, ORDER BY and
// FILTER marker arguments.
func (c *converter) funcArgs(fc *tree.FuncCall, args []ast.ExprNode) error {
	for _, a := range args {
		if m, ok := a.(*ast.FuncCallExpr); ok {
			switch m.FnName.L {
			case mkStar:
				fc.Star = true
				continue
			case mkOrderArg:
				if len(m.Args) != 3 {
					return c.bad(m, "aggregate ORDER BY")
				}
				e, err := c.expr(m.Args[0])
				if err != nil {
					return err
				}
				fc.OrderBy = append(fc.OrderBy, tree.OrderItem{Expr: e, Desc: c.str(m.Args[1]) == "desc", Nulls: c.str(m.Args[2])})
				continue
			case mkFilterArg:
				if len(m.Args) != 1 {
					return c.bad(m, "FILTER")
				}
				e, err := c.expr(m.Args[0])
				if err != nil {
					return err
				}
				fc.Filter = e
				continue
			}
		}
		e, err := c.expr(a)
		if err != nil {
			return err
		}
		fc.Args = append(fc.Args, e)
	}
	return nil
}

// str returns a marker's string-literal argument ("" if it is not one).
func (c *converter) str(n ast.ExprNode) string {
	if v, ok := n.(*test_driver.ValueExpr); ok && v.Kind() == test_driver.KindString {
		return v.GetString()
	}
	return ""
}

// num returns a marker's integer argument (-1 if it is not one).
func (c *converter) num(n ast.ExprNode) int {
	if v, ok := n.(*test_driver.ValueExpr); ok {
		switch v.Kind() {
		case test_driver.KindInt64:
			return int(v.GetInt64())
		case test_driver.KindUint64:
			return int(v.GetUint64())
		}
	}
	return -1
}
