package sql

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/vecgres/vecgres/sql/tree"
)

// funcCall decodes a marker call, or converts a plain TiDB function call
// (which the rewriter only produces for the vecgres_* markers, but TiDB
// itself may produce for keyword syntax such as CURRENT_TIMESTAMP).
func (c *converter) funcCall(x *ast.FuncCallExpr) (tree.Expr, error) {
	a := x.Args
	name := x.FnName.L
	if !strings.HasPrefix(name, markerPrefix) || x.Schema.O != "" {
		fc := &tree.FuncCall{Pos: c.pos(x), Schema: x.Schema.L, Name: name}
		return fc, c.funcArgs(fc, a)
	}
	switch name {
	case mkOp:
		if len(a) != 4 {
			break
		}
		l, r, err := c.pair(a[2], a[3])
		return &tree.BinaryOp{Pos: c.num(a[1]), Op: c.str(a[0]), Left: l, Right: r}, err
	case mkDistinct:
		if len(a) != 4 {
			break
		}
		l, r, err := c.pair(a[2], a[3])
		op := "IS DISTINCT FROM"
		if c.num(a[0]) == 1 {
			op = "IS NOT DISTINCT FROM"
		}
		return &tree.BinaryOp{Pos: c.num(a[1]), Op: op, Left: l, Right: r}, err
	case mkCast:
		if len(a) != 3 {
			break
		}
		e, err := c.expr(a[0])
		if err != nil {
			return nil, err
		}
		p := c.num(a[2])
		tn, ok := decodeType(c.str(a[1]), p)
		if !ok {
			break
		}
		return &tree.Cast{Pos: p, Expr: e, Type: tn}, nil
	case mkNum:
		if len(a) != 2 {
			break
		}
		return &tree.NumberLit{Pos: c.num(a[1]), Text: c.str(a[0])}, nil
	case mkBool:
		if len(a) != 2 {
			break
		}
		return &tree.BoolLit{Pos: c.num(a[1]), Value: c.str(a[0]) == "true"}, nil
	case mkFn:
		if len(a) < 4 {
			break
		}
		flags := c.str(a[2])
		fc := &tree.FuncCall{Pos: c.num(a[3]), Schema: c.str(a[0]), Name: c.str(a[1]),
			Distinct: strings.Contains(flags, "d"), OverRefused: strings.Contains(flags, "w")}
		return fc, c.funcArgs(fc, a[4:])
	case mkArray:
		if len(a) < 1 {
			break
		}
		elems, err := c.exprs(a[1:])
		return &tree.ArrayLit{Pos: c.num(a[0]), Elems: elems}, err
	case mkRow:
		if len(a) < 1 {
			break
		}
		elems, err := c.exprs(a[1:])
		return &tree.Row{Pos: c.num(a[0]), Elems: elems}, err
	case mkArraySub:
		if len(a) != 2 {
			break
		}
		sq, ok := a[1].(*ast.SubqueryExpr)
		if !ok {
			if p, ok2 := a[1].(*ast.ParenthesesExpr); ok2 {
				sq, ok = p.Expr.(*ast.SubqueryExpr)
			}
		}
		if !ok {
			return nil, c.bad(x, "ARRAY() without a subquery")
		}
		s, err := c.query(sq.Query)
		return &tree.Subquery{Pos: c.num(a[0]), Select: s, Array: true}, err
	case mkSub, mkSlice:
		return c.subscript(x)
	case mkField:
		if len(a) != 3 {
			break
		}
		e, err := c.expr(a[1])
		return &tree.FieldAccess{Pos: c.num(a[0]), Expr: e, Field: c.str(a[2])}, err
	case mkCollate:
		if len(a) != 3 {
			break
		}
		e, err := c.expr(a[1])
		return &tree.Collate{Pos: c.num(a[0]), Expr: e, Collation: c.str(a[2])}, err
	case mkQuant:
		if len(a) != 5 {
			break
		}
		l, r, err := c.pair(a[3], a[4])
		return &tree.Quantified{Pos: c.num(a[2]), Op: c.str(a[0]), All: c.str(a[1]) == "all", Left: l, Right: r}, err
	}
	return nil, c.bad(x, "function "+name)
}

func (c *converter) pair(a, b ast.ExprNode) (tree.Expr, tree.Expr, error) {
	l, err := c.expr(a)
	if err != nil {
		return nil, nil, err
	}
	r, err := c.expr(b)
	return l, r, err
}

func (c *converter) subscript(x *ast.FuncCallExpr) (tree.Expr, error) {
	a := x.Args
	slice := x.FnName.L == mkSlice
	if (slice && len(a) != 4) || (!slice && len(a) != 3) {
		return nil, c.bad(x, "subscript")
	}
	bound := func(n ast.ExprNode) (tree.Expr, error) {
		if m, ok := n.(*ast.FuncCallExpr); ok && m.FnName.L == mkNone {
			return nil, nil
		}
		return c.expr(n)
	}
	e, err := c.expr(a[1])
	if err != nil {
		return nil, err
	}
	lo, err := bound(a[2])
	if err != nil {
		return nil, err
	}
	s := &tree.Subscript{Pos: c.num(a[0]), Expr: e, Index: lo, Slice: slice}
	if slice {
		s.Hi, err = bound(a[3])
	}
	return s, err
}
