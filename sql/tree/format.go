package tree

import (
	"strconv"
	"strings"
)

// FormatExpr renders an expression as PostgreSQL's deparser shows it in
// EXPLAIN output and catalog text (pg_get_expr): every operator
// application is parenthesised, "(embedding <-> '[1,2,3]'::vector)",
// strings are quoted, names are quoted only when they need to be. It is
// safe for concurrent use; nil renders as "".
func FormatExpr(e Expr) string {
	var b strings.Builder
	formatExpr(&b, e)
	return b.String()
}

// FormatTypeName renders a type name as written in SQL: vector(3), int8[].
func FormatTypeName(t TypeName) string {
	var b strings.Builder
	b.WriteString(t.Name)
	if len(t.Mods) > 0 {
		b.WriteByte('(')
		for i, m := range t.Mods {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(m))
		}
		b.WriteByte(')')
	}
	for i := 0; i < t.ArrayDims; i++ {
		b.WriteString("[]")
	}
	return b.String()
}

// QuoteIdent quotes a name unless it is a plain lower-case identifier.
func QuoteIdent(s string) string {
	plain := s != ""
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c == '_' || (c >= 'a' && c <= 'z') || (i > 0 && (c >= '0' && c <= '9' || c == '$'))
	}
	if plain && !reservedForFormat[s] {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// reservedForFormat are words that must be quoted when used as names.
var reservedForFormat = map[string]bool{
	"all": true, "and": true, "any": true, "array": true, "as": true, "asc": true, "case": true,
	"cast": true, "check": true, "column": true, "constraint": true, "create": true, "default": true,
	"desc": true, "distinct": true, "do": true, "else": true, "end": true, "false": true, "for": true,
	"from": true, "grant": true, "group": true, "having": true, "in": true, "into": true, "limit": true,
	"not": true, "null": true, "offset": true, "on": true, "or": true, "order": true, "select": true,
	"table": true, "then": true, "to": true, "true": true, "union": true, "unique": true, "user": true,
	"using": true, "when": true, "where": true, "with": true,
}

// QuoteString renders a string literal with standard_conforming_strings.
func QuoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func formatExprs(b *strings.Builder, es []Expr) {
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		formatExpr(b, e)
	}
}

func formatExpr(b *strings.Builder, e Expr) {
	switch x := e.(type) {
	case nil:
	case *ColumnRef:
		for _, p := range []string{x.Schema, x.Table} {
			if p != "" {
				b.WriteString(QuoteIdent(p))
				b.WriteByte('.')
			}
		}
		if x.Star {
			b.WriteByte('*')
		} else {
			b.WriteString(QuoteIdent(x.Column))
		}
	case *NumberLit:
		b.WriteString(x.Text)
	case *StringLit:
		b.WriteString(QuoteString(x.Value))
	case *BoolLit:
		b.WriteString(strconv.FormatBool(x.Value))
	case *NullLit:
		b.WriteString("NULL")
	case *Param:
		b.WriteString("$" + strconv.Itoa(x.N))
	case *BinaryOp:
		b.WriteByte('(')
		formatExpr(b, x.Left)
		b.WriteString(" " + x.Op + " ")
		formatExpr(b, x.Right)
		b.WriteByte(')')
	case *UnaryOp:
		if x.Op == "NOT" {
			b.WriteString("(NOT ")
		} else {
			b.WriteString("(" + x.Op)
		}
		formatExpr(b, x.Expr)
		b.WriteByte(')')
	case *IsNull:
		b.WriteByte('(')
		formatExpr(b, x.Expr)
		if x.Not {
			b.WriteString(" IS NOT NULL)")
		} else {
			b.WriteString(" IS NULL)")
		}
	case *IsBool:
		b.WriteByte('(')
		formatExpr(b, x.Expr)
		b.WriteString(" IS ")
		if x.Not {
			b.WriteString("NOT ")
		}
		b.WriteString(strings.ToUpper(x.Value) + ")")
	case *FuncCall:
		formatFunc(b, x)
	case *Cast:
		// PostgreSQL shows a cast of a simple operand without parentheses.
		switch x.Expr.(type) {
		case *StringLit, *NumberLit, *ColumnRef, *Param, *FuncCall, *NullLit:
			formatExpr(b, x.Expr)
		default:
			b.WriteByte('(')
			formatExpr(b, x.Expr)
			b.WriteByte(')')
		}
		b.WriteString("::" + FormatTypeName(x.Type))
	case *Between:
		b.WriteByte('(')
		formatExpr(b, x.Expr)
		if x.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" BETWEEN ")
		formatExpr(b, x.Lo)
		b.WriteString(" AND ")
		formatExpr(b, x.Hi)
		b.WriteByte(')')
	case *InList:
		b.WriteByte('(')
		formatExpr(b, x.Expr)
		if x.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" IN (")
		formatExprs(b, x.List)
		b.WriteString("))")
	case *InSubquery:
		b.WriteByte('(')
		formatExpr(b, x.Expr)
		if x.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" IN (SubPlan))")
	case *Exists:
		if x.Not {
			b.WriteString("(NOT ")
		}
		b.WriteString("EXISTS(SubPlan)")
		if x.Not {
			b.WriteByte(')')
		}
	case *Subquery:
		if x.Array {
			b.WriteString("ARRAY(SubPlan)")
		} else {
			b.WriteString("(SubPlan)")
		}
	case *Quantified:
		b.WriteByte('(')
		formatExpr(b, x.Left)
		b.WriteString(" " + x.Op + " ")
		if x.All {
			b.WriteString("ALL (")
		} else {
			b.WriteString("ANY (")
		}
		if x.Select != nil {
			b.WriteString("SubPlan")
		} else {
			formatExpr(b, x.Right)
		}
		b.WriteString("))")
	case *Case:
		b.WriteString("CASE")
		if x.Operand != nil {
			b.WriteByte(' ')
			formatExpr(b, x.Operand)
		}
		for _, w := range x.Whens {
			b.WriteString(" WHEN ")
			formatExpr(b, w.Cond)
			b.WriteString(" THEN ")
			formatExpr(b, w.Result)
		}
		if x.Else != nil {
			b.WriteString(" ELSE ")
			formatExpr(b, x.Else)
		}
		b.WriteString(" END")
	case *ArrayLit:
		b.WriteString("ARRAY[")
		formatExprs(b, x.Elems)
		b.WriteByte(']')
	case *Subscript:
		formatExpr(b, x.Expr)
		b.WriteByte('[')
		formatExpr(b, x.Index)
		if x.Slice {
			b.WriteByte(':')
			formatExpr(b, x.Hi)
		}
		b.WriteByte(']')
	case *FieldAccess:
		b.WriteByte('(')
		formatExpr(b, x.Expr)
		b.WriteString(")." + QuoteIdent(x.Field))
	case *Collate:
		formatExpr(b, x.Expr)
		b.WriteString(" COLLATE " + x.Collation)
	case *Row:
		b.WriteString("ROW(")
		formatExprs(b, x.Elems)
		b.WriteByte(')')
	case *DefaultExpr:
		b.WriteString("DEFAULT")
	default:
		b.WriteString("?")
	}
}

func formatFunc(b *strings.Builder, x *FuncCall) {
	if x.Schema != "" {
		b.WriteString(QuoteIdent(x.Schema) + ".")
	}
	b.WriteString(QuoteIdent(x.Name) + "(")
	if x.Star {
		b.WriteByte('*')
	}
	if x.Distinct {
		b.WriteString("DISTINCT ")
	}
	formatExprs(b, x.Args)
	if len(x.OrderBy) > 0 {
		b.WriteString(" ORDER BY ")
		formatOrder(b, x.OrderBy)
	}
	b.WriteByte(')')
	if x.Filter != nil {
		b.WriteString(" FILTER (WHERE ")
		formatExpr(b, x.Filter)
		b.WriteByte(')')
	}
	if x.Over != nil {
		b.WriteString(" OVER (")
		if len(x.Over.PartitionBy) > 0 {
			b.WriteString("PARTITION BY ")
			formatExprs(b, x.Over.PartitionBy)
			if len(x.Over.OrderBy) > 0 {
				b.WriteByte(' ')
			}
		}
		if len(x.Over.OrderBy) > 0 {
			b.WriteString("ORDER BY ")
			formatOrder(b, x.Over.OrderBy)
		}
		if f := x.Over.Frame; f != nil {
			if len(x.Over.PartitionBy) > 0 || len(x.Over.OrderBy) > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(f.Mode + " BETWEEN ")
			formatBound(b, f.Start)
			b.WriteString(" AND ")
			formatBound(b, f.End)
		}
		b.WriteByte(')')
	}
}

func formatBound(b *strings.Builder, fb FrameBound) {
	if fb.Offset != nil {
		formatExpr(b, fb.Offset)
		b.WriteByte(' ')
	}
	b.WriteString(fb.Kind)
}

func formatOrder(b *strings.Builder, items []OrderItem) {
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		formatExpr(b, it.Expr)
		if it.Desc {
			b.WriteString(" DESC")
		}
		if it.Nulls != "" {
			b.WriteString(" NULLS " + strings.ToUpper(it.Nulls))
		}
	}
}
