package tree

// SeqOptions are the options of CREATE/ALTER SEQUENCE and of an identity
// column's ( sequence options ). A nil pointer means "not given".
type SeqOptions struct {
	As        string // "smallint", "integer", "bigint" (normalised); "" when not given
	Increment *int64
	Min       *int64
	NoMin     bool
	Max       *int64
	NoMax     bool
	Start     *int64
	Cache     *int64
	Cycle     *bool
	// Restart is ALTER SEQUENCE ... RESTART [WITH n]; RestartWith nil means
	// the start value.
	Restart     bool
	RestartWith *int64
	// OwnedBy is OWNED BY [schema.]table.column as written; OwnedNone is
	// OWNED BY NONE.
	OwnedBy   []string
	OwnedNone bool
	// Name is SEQUENCE NAME n (identity columns only).
	Name *TableName
}

// CreateSequence is CREATE SEQUENCE [IF NOT EXISTS] name [options].
type CreateSequence struct {
	Pos         int
	Name        TableName
	IfNotExists bool
	Opts        SeqOptions
}

// AlterSequence is ALTER SEQUENCE [IF EXISTS] name options.
type AlterSequence struct {
	Pos      int
	Name     TableName
	IfExists bool
	Opts     SeqOptions
}

// DropSequence is DROP SEQUENCE [IF EXISTS] a, b [CASCADE | RESTRICT].
type DropSequence struct {
	Pos      int
	Names    []TableName
	IfExists bool
	Cascade  bool
}

func (*CreateSequence) statementNode() {}
func (*AlterSequence) statementNode()  {}
func (*DropSequence) statementNode()   {}
