package tree

// ---- Queries ----

// Select is a SELECT, a VALUES list, or a set operation (UNION etc.), with
// optional ORDER BY / LIMIT / OFFSET applying to the whole.
type Select struct {
	Pos      int
	With     []CTE // WITH name AS (...)
	Distinct bool
	// DistinctOn is DISTINCT ON (exprs); Distinct is also set.
	DistinctOn []Expr
	Targets    []Target
	From       []TableExpr // comma-separated items: an implicit cross join
	Where      Expr
	GroupBy    []Expr
	Having     Expr
	// Values is set for a VALUES (...), (...) query instead of Targets/From.
	Values [][]Expr
	// SetOp is set for "Left op Right"; the fields above are then empty.
	SetOp   *SetOp
	OrderBy []OrderItem
	Limit   Expr // nil: none; LIMIT ALL is nil too
	Offset  Expr
	// ForUpdate records FOR UPDATE/FOR SHARE; vecgres accepts and ignores it.
	ForUpdate bool
}

// SetOp is UNION / INTERSECT / EXCEPT [ALL].
type SetOp struct {
	Op          string // "UNION", "INTERSECT", "EXCEPT"
	All         bool
	Left, Right *Select
}

// CTE is one WITH item.
type CTE struct {
	Name    string
	Columns []string
	Select  *Select
}

// Target is one item of a select list; Alias is "" when none was given.
type Target struct {
	Expr  Expr
	Alias string
}

// OrderItem is one ORDER BY item. Nulls is "", "first" or "last".
type OrderItem struct {
	Expr  Expr
	Desc  bool
	Nulls string
}

// TableName is a possibly schema-qualified relation name with an alias.
type TableName struct {
	Pos    int
	Schema string
	Name   string
	Alias  string
	// ColumnAliases renames columns: FROM t AS x(a, b).
	ColumnAliases []string
}

// Join is a join of two FROM items. Kind is "INNER", "LEFT", "RIGHT",
// "FULL" or "CROSS"; Natural marks NATURAL joins.
type Join struct {
	Kind        string
	Natural     bool
	Left, Right TableExpr
	On          Expr
	Using       []string
}

// SubqueryTable is (SELECT ...) AS alias in FROM.
type SubqueryTable struct {
	Select        *Select
	Alias         string
	ColumnAliases []string
	Lateral       bool
}

// FuncTable is a set-returning function in FROM: generate_series(1,3) AS s(r).
type FuncTable struct {
	Func           *FuncCall
	Alias          string
	ColumnAliases  []string
	WithOrdinality bool
}

func (*TableName) tableExprNode()     {}
func (*Join) tableExprNode()          {}
func (*SubqueryTable) tableExprNode() {}
func (*FuncTable) tableExprNode()     {}

// ---- Data modification ----

// Insert is INSERT INTO t [(cols)] VALUES ... | SELECT ... | DEFAULT VALUES.
type Insert struct {
	Pos        int
	Table      TableName
	Columns    []string
	Source     *Select // VALUES lists arrive as Select.Values; nil for DEFAULT VALUES
	OnConflict *OnConflict
	Returning  []Target
	// Overriding is "system" or "user" for OVERRIDING SYSTEM|USER VALUE.
	Overriding string
}

// OnConflict is ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET ... [WHERE].
type OnConflict struct {
	Columns   []string
	DoNothing bool
	Set       []SetClause
	Where     Expr
}

// SetClause is "col = expr" in UPDATE or ON CONFLICT DO UPDATE.
type SetClause struct {
	Column string
	Expr   Expr
}

// Update is UPDATE t SET ... [FROM ...] [WHERE ...] [RETURNING ...].
type Update struct {
	Pos       int
	Table     TableName
	Set       []SetClause
	From      []TableExpr
	Where     Expr
	Returning []Target
}

// Delete is DELETE FROM t [USING ...] [WHERE ...] [RETURNING ...].
type Delete struct {
	Pos       int
	Table     TableName
	Using     []TableExpr
	Where     Expr
	Returning []Target
}

// Copy is COPY t [(cols)] FROM STDIN | TO STDOUT [WITH options], or
// COPY (query) TO STDOUT. Options keys are lower case: format (text, csv,
// binary), delimiter, null, header, quote, escape, encoding.
type Copy struct {
	Pos     int
	Table   TableName
	Columns []string
	Query   *Select // COPY (SELECT ...) TO STDOUT
	From    bool    // FROM STDIN; otherwise TO STDOUT
	Options map[string]string
}

// ---- Data definition ----

// CreateTable is CREATE TABLE [IF NOT EXISTS] t (...).
type CreateTable struct {
	Pos         int
	Table       TableName
	IfNotExists bool
	Columns     []ColumnDef
	// Table-level constraints.
	PrimaryKey []string
	Uniques    [][]string
	// Constraints are the table-level CHECK and FOREIGN KEY constraints.
	Constraints []Constraint
	// AsSelect is set for CREATE TABLE t AS SELECT ...
	AsSelect *Select
}

// ColumnDef is one column of CREATE TABLE or ALTER TABLE ADD COLUMN.
type ColumnDef struct {
	Pos        int
	Name       string
	Type       TypeName
	NotNull    bool
	Null       bool // explicit NULL
	PrimaryKey bool
	Unique     bool
	// Constraints are the column's CHECK and REFERENCES constraints.
	Constraints []Constraint
	Default     Expr
	// Identity is "a" (GENERATED ALWAYS AS IDENTITY), "d" (BY DEFAULT) or
	// ""; IdentityOpts are its ( sequence options ).
	Identity     string
	IdentityOpts SeqOptions
}

// DropTable is DROP TABLE [IF EXISTS] a, b [CASCADE].
type DropTable struct {
	Pos      int
	Tables   []TableName
	IfExists bool
	Cascade  bool
}

// Truncate is TRUNCATE [TABLE] a, b.
type Truncate struct {
	Pos    int
	Tables []TableName
}

// AlterTable is ALTER TABLE t with one or more commands; only the commands
// listed in AlterCmd are representable.
type AlterTable struct {
	Pos      int
	Table    TableName
	IfExists bool
	Cmds     []AlterCmd
}

// AlterCmd is one ALTER TABLE action. Kind is "add_column", "drop_column",
// "rename_column", "rename_table", "set_not_null", "drop_not_null",
// "set_default", "drop_default", "add_constraint", "drop_constraint",
// "add_identity" (Column.Identity and Column.IdentityOpts), "set_identity"
// (Column.Identity, "" when only options change; Column.IdentityOpts),
// "drop_identity".
type AlterCmd struct {
	Kind     string
	Column   ColumnDef // add_column; Column.Name for the others
	NewName  string    // rename_*
	Default  Expr      // set_default
	IfExists bool
	// Constraint is add_constraint's constraint; drop_constraint uses its
	// Name (with IfExists and Cascade).
	Constraint *Constraint
	Cascade    bool
}

// CreateIndex is CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS]
// [name] ON t [USING method] (elems) [WITH (opts)] [WHERE pred].
// Method is lower case, "" when not given (btree).
type CreateIndex struct {
	Pos          int
	Name         string
	Table        TableName
	Unique       bool
	Concurrently bool
	IfNotExists  bool
	Method       string
	Elems        []IndexElem
	With         []Option
	Where        Expr
}

// IndexElem is one indexed column (or expression) with its opclass.
type IndexElem struct {
	Column  string
	Expr    Expr // expression indexes; nil for a plain column
	Opclass string
	Desc    bool
}

// Option is one "name = value" of a WITH (...) list; Value is as written
// (numbers and identifiers as text, strings unquoted).
type Option struct {
	Name  string
	Value string
}

// DropIndex is DROP INDEX [CONCURRENTLY] [IF EXISTS] a, b.
type DropIndex struct {
	Pos          int
	Names        []TableName
	IfExists     bool
	Concurrently bool
	Cascade      bool
}

// Reindex is REINDEX [(options)] INDEX|TABLE|SCHEMA|DATABASE|SYSTEM
// [CONCURRENTLY] name.
type Reindex struct {
	Pos          int
	Kind         string // "INDEX", "TABLE", "SCHEMA", "DATABASE" or "SYSTEM"
	Name         TableName
	Concurrently bool
}

// CreateExtension is CREATE EXTENSION [IF NOT EXISTS] name.
type CreateExtension struct {
	Pos         int
	Name        string
	IfNotExists bool
}

// DropExtension is DROP EXTENSION [IF EXISTS] name.
type DropExtension struct {
	Pos      int
	Name     string
	IfExists bool
}

// CreateDatabase is CREATE DATABASE name.
type CreateDatabase struct {
	Pos  int
	Name string
}

// DropDatabase is DROP DATABASE [IF EXISTS] name.
type DropDatabase struct {
	Pos      int
	Name     string
	IfExists bool
}

// ---- Transactions and sessions ----

// Begin is BEGIN / START TRANSACTION [ISOLATION LEVEL ...] [READ ONLY].
type Begin struct {
	Pos      int
	ReadOnly bool
}

// Commit is COMMIT / END.
type Commit struct{ Pos int }

// Rollback is ROLLBACK / ABORT, or ROLLBACK TO [SAVEPOINT] name.
type Rollback struct {
	Pos         int
	ToSavepoint string
}

// Savepoint is SAVEPOINT name.
type Savepoint struct {
	Pos  int
	Name string
}

// Release is RELEASE [SAVEPOINT] name.
type Release struct {
	Pos  int
	Name string
}

// Set is SET [LOCAL|SESSION] name {TO|=} value[, ...] | DEFAULT, and the
// special forms SET TIME ZONE x, SET NAMES x, SET SESSION CHARACTERISTICS
// AS TRANSACTION ... and SET TRANSACTION .... Name is lower case
// ("hnsw.ef_search", "timezone"). Values are as written: identifiers and
// numbers as text, strings unquoted.
type Set struct {
	Pos     int
	Name    string
	Values  []string
	Local   bool
	Default bool
}

// Show is SHOW name | SHOW ALL; "transaction isolation level" is
// normalised to "transaction_isolation", "time zone" to "timezone".
type Show struct {
	Pos  int
	Name string
}

// Reset is RESET name | RESET ALL (Name "all").
type Reset struct {
	Pos  int
	Name string
}

// Explain is EXPLAIN [ANALYZE] [VERBOSE] stmt, or EXPLAIN (options) stmt.
type Explain struct {
	Pos     int
	Analyze bool
	Verbose bool
	Costs   bool
	Format  string // "text" (default) or "json"
	Stmt    Statement
}

// Prepare is PREPARE name [(types)] AS stmt.
type Prepare struct {
	Pos   int
	Name  string
	Types []TypeName
	Stmt  Statement
	// SQL is the text of Stmt, so it can be re-planned.
	SQL string
}

// Execute is EXECUTE name [(args)].
type Execute struct {
	Pos  int
	Name string
	Args []Expr
}

// Deallocate is DEALLOCATE [PREPARE] name | ALL.
type Deallocate struct {
	Pos  int
	Name string
	All  bool
}

// Analyze is ANALYZE [t] (and VACUUM ANALYZE).
type Analyze struct {
	Pos   int
	Table *TableName // nil: all tables
}

// Vacuum is VACUUM [FULL] [ANALYZE] [t].
type Vacuum struct {
	Pos     int
	Table   *TableName
	Analyze bool
}

// Discard is DISCARD ALL | PLANS | ...
type Discard struct {
	Pos  int
	What string
}

// Comment is COMMENT ON TABLE|COLUMN ... IS '...'.
type Comment struct {
	Pos    int
	Kind   string // "table", "column", "index"
	Object []string
	Text   *string // nil for IS NULL
}

func (*Select) statementNode()          {}
func (*Insert) statementNode()          {}
func (*Update) statementNode()          {}
func (*Delete) statementNode()          {}
func (*Copy) statementNode()            {}
func (*CreateTable) statementNode()     {}
func (*DropTable) statementNode()       {}
func (*Truncate) statementNode()        {}
func (*AlterTable) statementNode()      {}
func (*CreateIndex) statementNode()     {}
func (*DropIndex) statementNode()       {}
func (*Reindex) statementNode()         {}
func (*CreateExtension) statementNode() {}
func (*DropExtension) statementNode()   {}
func (*CreateDatabase) statementNode()  {}
func (*DropDatabase) statementNode()    {}
func (*Begin) statementNode()           {}
func (*Commit) statementNode()          {}
func (*Rollback) statementNode()        {}
func (*Savepoint) statementNode()       {}
func (*Release) statementNode()         {}
func (*Set) statementNode()             {}
func (*Show) statementNode()            {}
func (*Reset) statementNode()           {}
func (*Explain) statementNode()         {}
func (*Prepare) statementNode()         {}
func (*Execute) statementNode()         {}
func (*Deallocate) statementNode()      {}
func (*Analyze) statementNode()         {}
func (*Vacuum) statementNode()          {}
func (*Discard) statementNode()         {}
func (*Comment) statementNode()         {}
