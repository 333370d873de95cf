package sql

import (
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// Parsed is one statement as the front layer produced it.
type Parsed struct {
	Stmt tree.Statement
	// SQL is the text of this statement alone (without the trailing ';').
	SQL string
	// Offset is the byte offset of SQL in the query string it came from, so
	// that error positions can be reported relative to the whole message.
	Offset int
	// NumParams is the highest $N used in the statement.
	NumParams int
}

// ParamStatus is one ParameterStatus message's content.
type ParamStatus struct {
	Name, Value string
}

// Column describes one result column, as RowDescription carries it.
// TableOID and ColumnNum are 0 unless the column is a plain table column.
type Column struct {
	Name      string
	TableOID  uint32
	ColumnNum int16
	Type      types.T
}

// CopyIn is what a COPY ... FROM STDIN statement asks of the client: the
// overall format (0 text or csv, 1 binary) and one format per column, as
// CopyInResponse carries them.
type CopyIn struct {
	Format        int16
	ColumnFormats []int16
}

// Transaction status bytes as ReadyForQuery carries them.
const (
	TxnIdle   byte = 'I'
	TxnBlock  byte = 'T'
	TxnFailed byte = 'E'
)
