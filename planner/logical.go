package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
	"github.com/vecgres/vecgres/vindex"
)

// Column describes one output column of a plan node.
type Column struct {
	Name     string
	Type     types.T
	TableOID uint32 // 0 unless a plain table column
	ColNum   int16
	// Table is the range-table alias the column belongs to ("" for computed).
	Table string
	// Hidden columns (the row key of DML scans) are not visible to SELECT *.
	Hidden bool
}

// Node is a logical plan node. The binder in package sql builds a tree of
// them; Optimize rewrites the tree with the rules in rules.go; Build turns
// it into executor operators.
type Node interface {
	Columns() []Column
}

// Scan reads a table. Filter, when set by the filter push-down rule, is
// evaluated over the table's columns. Index, when set by the index rules,
// reads the primary key or a btree index within bounds (and in order)
// instead of the whole table.
type Scan struct {
	Table   *executor.Table
	Alias   string
	Cols    []Column
	WithKey bool
	Filter  executor.Expr
	Index   *IndexScan
}

// Values is a constant relation (VALUES, SELECT without FROM).
type Values struct {
	Rows [][]executor.Expr
	Cols []Column
}

// Filter keeps rows satisfying Pred.
type Filter struct {
	Input Node
	Pred  executor.Expr
}

// Project computes Exprs.
type Project struct {
	Input Node
	Exprs []executor.Expr
	Cols  []Column
}

// Aggregate groups and aggregates.
type Aggregate struct {
	Input   Node
	GroupBy []executor.Expr
	Aggs    []executor.AggSpec
	Cols    []Column
}

// Window computes window functions of one window specification: each
// output row is the input row followed by one column per Funcs entry.
// The binder puts a Sort by PartitionBy then OrderBy below it (none when
// both are empty); see executor.Window.
type Window struct {
	Input       Node
	PartitionBy []executor.Expr
	OrderBy     []executor.SortKey
	Frame       *executor.WindowFrame
	Funcs       []executor.WindowFunc
	Cols        []Column
}

// Sort orders rows.
type Sort struct {
	Input Node
	Keys  []executor.SortKey
}

// Limit applies LIMIT/OFFSET.
type Limit struct {
	Input         Node
	Count, Offset executor.Expr
}

// TopK is Sort followed by Limit, executed with a bounded heap; the
// top-n rule produces it.
type TopK struct {
	Input         Node
	Keys          []executor.SortKey
	Count, Offset executor.Expr
}

// Distinct removes duplicate rows (or rows with equal On expressions).
type Distinct struct {
	Input Node
	On    []executor.Expr
}

// Join joins two inputs. Without Hash it runs as a nested loop
// evaluating On for every pair of rows. The hash_join rule sets Hash when
// On holds equalities between the two sides; On then keeps only the
// residual conditions, checked after the keys match.
type Join struct {
	Kind        executor.JoinKind
	Left, Right Node
	On          executor.Expr
	Cols        []Column
	Hash        *HashSpec
}

// HashSpec is how a hash join matches rows: Keys pair an expression over
// the left input with one over the right input (the latter's columns
// numbered from 0 within the right row). BuildLeft hashes the left input
// and probes with the right one (chosen when statistics say the left is
// smaller); otherwise the right input is hashed.
type HashSpec struct {
	Keys      []HashKey
	BuildLeft bool
}

// HashKey is one equality of a hash join. Cond is the conjunct it came
// from (over the joined row), kept for EXPLAIN.
type HashKey struct {
	Left, Right executor.Expr
	Type        types.T
	NullSafe    bool
	Cond        executor.Expr
}

// Append concatenates inputs (UNION ALL).
type Append struct {
	Inputs []Node
	Cols   []Column
}

// Series is generate_series.
type Series struct {
	Start, Stop, Step executor.Expr
	Cols              []Column
}

// Unnest is unnest(array, ...).
type Unnest struct {
	Arrays []executor.Expr
	Cols   []Column
}

// Insert, Update and Delete modify a table; their Columns are those of
// RETURNING (none without it).
type Insert struct {
	Input               Node
	Table               *executor.Table
	Returning           []executor.Expr
	Cols                []Column
	OnConflictDoNothing bool
	OnConflictUpdate    []executor.Expr
	OnConflictWhere     executor.Expr
}

// Update modifies rows; see executor.Update for the shape of Set.
type Update struct {
	Input     Node
	Table     *executor.Table
	Set       []executor.Expr
	Returning []executor.Expr
	Cols      []Column
}

// Delete removes rows.
type Delete struct {
	Input     Node
	Table     *executor.Table
	Returning []executor.Expr
	Cols      []Column
}

func (n *Scan) Columns() []Column      { return n.Cols }
func (n *Values) Columns() []Column    { return n.Cols }
func (n *Filter) Columns() []Column    { return n.Input.Columns() }
func (n *Project) Columns() []Column   { return n.Cols }
func (n *Aggregate) Columns() []Column { return n.Cols }
func (n *Window) Columns() []Column    { return n.Cols }
func (n *Sort) Columns() []Column      { return n.Input.Columns() }
func (n *Limit) Columns() []Column     { return n.Input.Columns() }
func (n *TopK) Columns() []Column      { return n.Input.Columns() }
func (n *Distinct) Columns() []Column  { return n.Input.Columns() }
func (n *Join) Columns() []Column      { return n.Cols }
func (n *Append) Columns() []Column    { return n.Cols }
func (n *Series) Columns() []Column    { return n.Cols }
func (n *Unnest) Columns() []Column    { return n.Cols }
func (n *Insert) Columns() []Column    { return n.Cols }
func (n *Update) Columns() []Column    { return n.Cols }
func (n *Delete) Columns() []Column    { return n.Cols }

// AnnScan is an index scan of a vector index in distance order: what the
// ann_topk rule makes of "ORDER BY col <op> q LIMIT k" over a table with a
// matching vector index. It returns at most Count+Offset rows.
type AnnScan struct {
	Scan   *Scan // the table scan it replaces (columns, alias, filter)
	Index  *storage.IndexDesc
	Metric vindex.Metric
	Column int
	// Key, when not nil, is the expression index key the scan orders by
	// (in place of Column), as the ORDER BY wrote it.
	Key      executor.Expr
	Query    executor.Expr
	Count    executor.Expr
	Offset   executor.Expr
	Op       string // operator or function as written, for EXPLAIN
	Strategy executor.AnnStrategy
	Stats    *executor.TableStats
	// KeyOnly is set when nothing above reads a row column but the
	// primary key (annOrderedOutput): the scan then returns rows holding
	// only the key, which is the index's vector id, without fetching them.
	KeyOnly bool
}

func (n *AnnScan) Columns() []Column { return n.Scan.Cols }
