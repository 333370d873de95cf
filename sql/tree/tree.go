// Package tree is the syntax tree of the Postgres dialect vecgres speaks:
// what the front layer in package sql produces from statement text (via the
// TiDB parser plus our own lexer and rewriter), and what the binder in
// package sql consumes. It is purely syntactic: names are not resolved,
// types are not checked, and everything is spelled the Postgres way
// (operators as written, type names canonicalised, identifiers folded to
// lower case unless they were quoted).
//
// Invariants:
//   - Nodes are plain structs, built once by the parser and never mutated
//     afterwards; the binder builds new structures instead.
//   - Every Expr and Statement node records Pos, the 0-based byte offset of
//     its first character in the statement text, or -1 when unknown; errors
//     turn it into the 1-based character position of the ErrorResponse.
package tree

// Statement is one parsed SQL statement.
type Statement interface{ statementNode() }

// Expr is a scalar expression.
type Expr interface{ exprNode() }

// TableExpr is an item of a FROM clause.
type TableExpr interface{ tableExprNode() }

// ---- Expressions ----

// ColumnRef is a possibly qualified column name, or a star (* or t.*).
type ColumnRef struct {
	Pos    int
	Schema string // rarely used: schema.table.column
	Table  string // "" when unqualified
	Column string // "" when Star
	Star   bool
}

// NumberLit is a numeric literal exactly as written: "42", "1.5", "1e10".
type NumberLit struct {
	Pos  int
	Text string
}

// StringLit is a string literal after escape processing ('..', E'..', $$..$$).
// Its type is unknown until context decides, as in PostgreSQL.
type StringLit struct {
	Pos   int
	Value string
}

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	Pos   int
	Value bool
}

// NullLit is NULL.
type NullLit struct{ Pos int }

// Param is a positional parameter $N (N starts at 1).
type Param struct {
	Pos int
	N   int
}

// BinaryOp is a binary operator as written. Op is one of:
// + - * / % ^ || = <> < <= > >= AND OR LIKE ILIKE "NOT LIKE" "NOT ILIKE"
// ~ ~* !~ !~* <-> <=> <#> <+> <~> <%> & | # << >> "IS DISTINCT FROM"
// "IS NOT DISTINCT FROM". "!=" is normalised to "<>".
// OPERATOR(pg_catalog.~) is normalised to its bare operator.
type BinaryOp struct {
	Pos         int
	Op          string
	Left, Right Expr
}

// UnaryOp is a prefix operator: "-", "+", "NOT", "~".
type UnaryOp struct {
	Pos  int
	Op   string
	Expr Expr
}

// IsNull is "x IS [NOT] NULL".
type IsNull struct {
	Pos  int
	Expr Expr
	Not  bool
}

// IsBool is "x IS [NOT] TRUE|FALSE|UNKNOWN"; Value is "true", "false" or "unknown".
type IsBool struct {
	Pos   int
	Expr  Expr
	Not   bool
	Value string
}

// FuncCall is a function call. Name is lower case; Schema is set when the
// call was qualified (pg_catalog.format_type).
type FuncCall struct {
	Pos      int
	Schema   string
	Name     string
	Args     []Expr
	Star     bool        // count(*)
	Distinct bool        // count(DISTINCT x)
	OrderBy  []OrderItem // string_agg(x, ',' ORDER BY y)
	Filter   Expr        // agg(x) FILTER (WHERE ...)
	Over     *WindowSpec // non-nil for window functions
	// OverRefused marks a call written with an OVER clause that the front
	// layer could not carry (a function TiDB's grammar does not parse as
	// a window call): binding reports the error PostgreSQL gives for it.
	OverRefused bool
}

// WindowSpec is the OVER clause of a window function call, with any
// reference to a named window (WINDOW w AS (...)) already resolved.
type WindowSpec struct {
	PartitionBy []Expr
	OrderBy     []OrderItem
	Frame       *WindowFrame // nil: the default frame
}

// WindowFrame is a frame clause: Mode is "ROWS", "RANGE" or "GROUPS".
type WindowFrame struct {
	Pos        int
	Mode       string
	Start, End FrameBound
}

// FrameBound is one end of a frame. Kind is "UNBOUNDED PRECEDING",
// "PRECEDING", "CURRENT ROW", "FOLLOWING" or "UNBOUNDED FOLLOWING";
// Offset is set for PRECEDING and FOLLOWING.
type FrameBound struct {
	Kind   string
	Offset Expr
}

// TypeName is a type as written, canonicalised to PostgreSQL's internal
// name: int2 int4 int8 float4 float8 numeric bool text varchar bpchar name
// bytea timestamptz timestamp date interval json jsonb uuid vector oid
// regclass regtype regproc regnamespace int2vector oidvector char
// serial4 serial8 serial2 (serial types only in CREATE TABLE). Schema
// qualification (pg_catalog.) is dropped. Mods are the typmod arguments
// (vector(3) → [3], numeric(10,2) → [10 2]). ArrayDims > 0 for text[] etc.
type TypeName struct {
	Pos       int
	Name      string
	Mods      []int
	ArrayDims int
}

// Cast is "x::T" or "CAST(x AS T)" (also T 'literal', e.g. timestamptz '...').
type Cast struct {
	Pos  int
	Expr Expr
	Type TypeName
}

// Between is "x [NOT] BETWEEN lo AND hi".
type Between struct {
	Pos          int
	Expr, Lo, Hi Expr
	Not          bool
}

// InList is "x [NOT] IN (a, b, ...)".
type InList struct {
	Pos  int
	Expr Expr
	List []Expr
	Not  bool
}

// InSubquery is "x [NOT] IN (SELECT ...)".
type InSubquery struct {
	Pos    int
	Expr   Expr
	Select *Select
	Not    bool
}

// Exists is "[NOT] EXISTS (SELECT ...)".
type Exists struct {
	Pos    int
	Select *Select
	Not    bool
}

// Subquery is a scalar subquery "(SELECT ...)" used as a value, or
// ARRAY(SELECT ...) when Array is set.
type Subquery struct {
	Pos    int
	Select *Select
	Array  bool
}

// Quantified is "x op ANY|SOME|ALL (array or subquery)".
type Quantified struct {
	Pos    int
	Op     string // comparison operator
	All    bool   // ALL; otherwise ANY/SOME
	Left   Expr
	Right  Expr    // an array expression, when Select is nil
	Select *Select // a subquery, when set
}

// Case is a CASE expression; Operand is nil for the searched form.
type Case struct {
	Pos     int
	Operand Expr
	Whens   []When
	Else    Expr
}

// When is one WHEN cond THEN result arm.
type When struct {
	Cond, Result Expr
}

// ArrayLit is ARRAY[a, b, ...].
type ArrayLit struct {
	Pos   int
	Elems []Expr
}

// Subscript is x[i] (Hi == nil) or x[lo:hi].
type Subscript struct {
	Pos   int
	Expr  Expr
	Index Expr
	Hi    Expr
	Slice bool
}

// FieldAccess is (x).field, as in (information_schema._pg_expandarray(k)).n.
type FieldAccess struct {
	Pos   int
	Expr  Expr
	Field string
}

// Collate is "x COLLATE name"; vecgres accepts and ignores the collation.
type Collate struct {
	Pos       int
	Expr      Expr
	Collation string
}

// Row is ROW(a, b) or (a, b) used as a value.
type Row struct {
	Pos   int
	Elems []Expr
	// Names, when set (one per element), names the fields of the composite
	// value: the binder builds such rows for _pg_expandarray's (x, n). A
	// ROW(...) written in SQL has none.
	Names []string
}

// DefaultExpr is DEFAULT used as a value in INSERT ... VALUES or UPDATE SET.
type DefaultExpr struct{ Pos int }

func (*ColumnRef) exprNode()   {}
func (*NumberLit) exprNode()   {}
func (*StringLit) exprNode()   {}
func (*BoolLit) exprNode()     {}
func (*NullLit) exprNode()     {}
func (*Param) exprNode()       {}
func (*BinaryOp) exprNode()    {}
func (*UnaryOp) exprNode()     {}
func (*IsNull) exprNode()      {}
func (*IsBool) exprNode()      {}
func (*FuncCall) exprNode()    {}
func (*Cast) exprNode()        {}
func (*Between) exprNode()     {}
func (*InList) exprNode()      {}
func (*InSubquery) exprNode()  {}
func (*Exists) exprNode()      {}
func (*Subquery) exprNode()    {}
func (*Quantified) exprNode()  {}
func (*Case) exprNode()        {}
func (*ArrayLit) exprNode()    {}
func (*Subscript) exprNode()   {}
func (*FieldAccess) exprNode() {}
func (*Collate) exprNode()     {}
func (*Row) exprNode()         {}
func (*DefaultExpr) exprNode() {}
