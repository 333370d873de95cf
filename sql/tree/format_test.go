package tree

import "testing"

func TestFormatExpr(t *testing.T) {
	cases := []struct {
		e    Expr
		want string
	}{
		{&BinaryOp{Op: "<->", Left: &ColumnRef{Column: "embedding"}, Right: &Cast{Expr: &StringLit{Value: "[1,2,3]"}, Type: TypeName{Name: "vector"}}},
			"(embedding <-> '[1,2,3]'::vector)"},
		{&BinaryOp{Op: "-", Left: &NumberLit{Text: "1"}, Right: &BinaryOp{Op: "<=>", Left: &ColumnRef{Table: "t", Column: "e"}, Right: &Param{N: 1}}},
			"(1 - (t.e <=> $1))"},
		{&FuncCall{Name: "count", Star: true}, "count(*)"},
		{&StringLit{Value: "it's"}, "'it''s'"},
		{&IsNull{Expr: &ColumnRef{Column: "x"}, Not: true}, "(x IS NOT NULL)"},
	}
	for _, c := range cases {
		if got := FormatExpr(c.e); got != c.want {
			t.Errorf("FormatExpr = %s, want %s", got, c.want)
		}
	}
}
