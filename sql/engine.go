package sql

import (
	"context"
	"log/slog"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Config configures an Engine.
type Config struct {
	// DataDir is the Pebble directory; it is created if missing.
	DataDir string
	Logger  *slog.Logger
}

// Engine is one vecgres database server's SQL engine: storage, catalog and
// vector indexes shared by all sessions. It is safe for concurrent use.
type Engine struct {
	cfg Config
}

// Open opens (or creates) the data directory and returns an Engine. A new
// directory gets the superuser "postgres" and the database "postgres".
func Open(cfg Config) (*Engine, error) {
	return nil, pgerr.New(pgerr.InternalError, "engine: under construction")
}

// Close stops background work and closes storage.
func (e *Engine) Close() error { return nil }

// NewSession starts a session for a client's StartupMessage parameters
// (user, database, application_name, client_encoding, DateStyle, TimeZone,
// extra_float_digits, options). It fails with 3D000 for an unknown database
// and 28000 for an unknown role.
func (e *Engine) NewSession(ctx context.Context, startup map[string]string) (*Session, error) {
	return nil, pgerr.New(pgerr.InternalError, "engine: under construction")
}

// Session is one client connection's state: settings, the current
// transaction, prepared statements created with SQL PREPARE. Not safe for
// concurrent use, except Cancel-free reads of nothing: pgwire drives it from
// the connection's goroutine only.
type Session struct {
	e *Engine
}

// ParameterStatus returns the parameters reported at startup, in the order
// PostgreSQL sends them.
func (s *Session) ParameterStatus() []ParamStatus { return nil }

// TakeParamChanges returns (and forgets) the reportable parameters changed
// since the last call, e.g. by SET application_name.
func (s *Session) TakeParamChanges() []ParamStatus { return nil }

// TakeNotices returns (and forgets) the notices raised since the last call.
func (s *Session) TakeNotices() []*pgerr.Error { return nil }

// TxnStatus returns 'I', 'T' or 'E' for ReadyForQuery.
func (s *Session) TxnStatus() byte { return TxnIdle }

// FormatOptions returns the settings that shape text output of values.
func (s *Session) FormatOptions() types.FormatOptions { return types.FormatOptions{} }

// Prepare binds a parsed statement against the catalog: resolves names,
// infers parameter types (paramOIDs gives the client's types; 0 or missing
// entries are inferred), and plans it. In a failed transaction it fails with
// 25P02 unless the statement ends the transaction.
func (s *Session) Prepare(ctx context.Context, p Parsed, paramOIDs []uint32) (*Prepared, error) {
	return nil, pgerr.New(pgerr.InternalError, "engine: under construction")
}

// Execute runs a prepared statement with the given parameter values (one
// per ParamTypes entry, already decoded). Rows are produced lazily by
// Result.Next. Outside an explicit transaction the statement joins the
// implicit transaction that Sync ends.
func (s *Session) Execute(ctx context.Context, p *Prepared, params []types.Datum) (*Result, error) {
	return nil, pgerr.New(pgerr.InternalError, "engine: under construction")
}

// Sync ends the implicit transaction, if one is open: it commits it, or
// rolls it back if a statement in it failed. pgwire calls it at every Sync
// message and at the end of every simple Query message. A commit failure is
// returned (e.g. 40001) and must be reported before ReadyForQuery.
func (s *Session) Sync() error { return nil }

// Close ends the session, rolling back any open transaction.
func (s *Session) Close() {}

// Prepared is a bound, planned statement. It may be executed many times,
// and survives the transaction it was prepared in.
type Prepared struct {
	Parsed
	// ParamTypes has one entry per $N; Unknown-family entries are reported
	// as text (OID 25) and decoded as text.
	ParamTypes []types.T
	// Columns describes the result rows; nil when the statement returns none
	// (NoData).
	Columns []Column
}

// Result is a running statement. Call Next until ok is false, then
// Tag; Close releases it early (a suspended portal that is closed).
type Result struct {
	cols []Column
	tag  string
	copy *CopyIn
}

// Columns describes the rows Next returns (nil for no rows).
func (r *Result) Columns() []Column { return r.cols }

// Next returns the next row and true, or false at the end. The row slice
// is reused by the next call; datums in it are immutable and may be retained.
func (r *Result) Next(ctx context.Context) (row []types.Datum, ok bool, err error) {
	return nil, false, nil
}

// Tag returns the CommandComplete tag ("SELECT 3", "INSERT 0 1"); valid
// once Next has returned false.
func (r *Result) Tag() string { return r.tag }

// CopyIn is non-nil when the statement is COPY ... FROM STDIN: pgwire then
// sends CopyInResponse and passes the client's data to CopyData, then calls
// CopyDone (or CopyFail).
func (r *Result) CopyIn() *CopyIn { return r.copy }

// CopyData consumes one CopyData message's bytes (arbitrary chunking).
func (r *Result) CopyData(ctx context.Context, b []byte) error { return nil }

// CopyDone finishes a COPY FROM STDIN; Tag is then "COPY n".
func (r *Result) CopyDone(ctx context.Context) error { return nil }

// CopyFail aborts a COPY FROM STDIN with the client's message (57014).
func (r *Result) CopyFail(msg string) error {
	return pgerr.Newf(pgerr.QueryCanceled, "COPY from stdin failed: %s", msg)
}

// Close releases the result's resources.
func (r *Result) Close() error { return nil }
