// Package pgerr is the one error type that crosses every layer of vecgres
// on its way to the wire: an error with a PostgreSQL SQLSTATE.
//
// It is a leaf package (it imports nothing from vecgres) so that storage,
// executor, planner and sql can all create errors with the right code where
// the error is born, and pgwire turns them into ErrorResponse with one call
// (see pgwire). Errors that reach the wire without a code become XX000.
//
// Reference: PostgreSQL documentation, Appendix A "PostgreSQL Error Codes".
package pgerr

import (
	"errors"
	"fmt"
)

// Code is a five-character SQLSTATE.
type Code string

// The SQLSTATEs vecgres emits. Keep this list sorted by class; add a code
// only when something returns it.
const (
	SuccessfulCompletion                Code = "00000"
	Warning                             Code = "01000"
	FeatureNotSupported                 Code = "0A000"
	CardinalityViolation                Code = "21000"
	DataException                       Code = "22000"
	StringDataRightTruncation           Code = "22001"
	NumericValueOutOfRange              Code = "22003"
	SequenceGeneratorLimitExceeded      Code = "2200H"
	InvalidDatetimeFormat               Code = "22007"
	DatetimeFieldOverflow               Code = "22008"
	DivisionByZero                      Code = "22012"
	InvalidParameterValue               Code = "22023"
	InvalidPrecedingOrFollowingSize     Code = "22013"
	InvalidArgumentForNtile             Code = "22014"
	InvalidArgumentForNthValue          Code = "22016"
	ArraySubscriptError                 Code = "2202E"
	InvalidTextRepresentation           Code = "22P02"
	InvalidBinaryRepresentation         Code = "22P03"
	CharacterNotInRepertoire            Code = "22021"
	InvalidRegularExpression            Code = "2201B"
	NotNullViolation                    Code = "23502"
	ForeignKeyViolation                 Code = "23503"
	UniqueViolation                     Code = "23505"
	CheckViolation                      Code = "23514"
	InvalidCursorState                  Code = "24000"
	InvalidTransactionState             Code = "25000"
	ActiveSQLTransaction                Code = "25001"
	NoActiveSQLTransaction              Code = "25P01"
	InFailedSQLTransaction              Code = "25P02"
	ReadOnlySQLTransaction              Code = "25006"
	InvalidSQLStatementName             Code = "26000"
	InvalidAuthorizationSpec            Code = "28000"
	InvalidPassword                     Code = "28P01"
	InvalidCursorName                   Code = "34000"
	InvalidSavepointSpec                Code = "3B001"
	InvalidCatalogName                  Code = "3D000"
	InvalidSchemaName                   Code = "3F000"
	SerializationFailure                Code = "40001"
	SyntaxError                         Code = "42601"
	InsufficientPrivilege               Code = "42501"
	UndefinedColumn                     Code = "42703"
	UndefinedFunction                   Code = "42883"
	UndefinedTable                      Code = "42P01"
	UndefinedParameter                  Code = "42P02"
	UndefinedObject                     Code = "42704"
	DuplicateColumn                     Code = "42701"
	DuplicateDatabase                   Code = "42P04"
	DuplicatePreparedStatement          Code = "42P05"
	DuplicateTable                      Code = "42P07"
	DuplicateObject                     Code = "42710"
	AmbiguousColumn                     Code = "42702"
	AmbiguousFunction                   Code = "42725"
	DatatypeMismatch                    Code = "42804"
	GroupingError                       Code = "42803"
	WrongObjectType                     Code = "42809"
	InvalidName                         Code = "42602"
	GeneratedAlways                     Code = "428C9"
	WindowingError                      Code = "42P20"
	CannotCoerce                        Code = "42846"
	InvalidColumnReference              Code = "42P10"
	IndeterminateDatatype               Code = "42P18"
	InvalidTableDefinition              Code = "42P16"
	InvalidObjectDefinition             Code = "42P17"
	ProgramLimitExceeded                Code = "54000"
	ObjectInUse                         Code = "55006"
	ObjectNotInPrerequisiteState        Code = "55000"
	QueryCanceled                       Code = "57014"
	AdminShutdown                       Code = "57P01"
	IOError                             Code = "58030"
	ProtocolViolation                   Code = "08P01"
	ConnectionException                 Code = "08000"
	InternalError                       Code = "XX000"
	DataCorrupted                       Code = "XX001"
	DuplicateCursor                     Code = "42P03"
	NullValueNotAllowed                 Code = "22004"
	SubstringError                      Code = "22011"
	InvalidEscapeCharacter              Code = "22019"
	InvalidEscapeSequence               Code = "22025"
	InvalidArgumentForLogarithm         Code = "2201E"
	InvalidArgumentForPowerFunction     Code = "2201F"
	InvalidRowCountInLimitClause        Code = "2201W"
	InvalidRowCountInResultOffsetClause Code = "2201X"
	BadCopyFileFormat                   Code = "22P04"
	CantChange                          Code = "55P02"
	DependentObjectsStillExist          Code = "2BP01"
)

// Severity values as PostgreSQL spells them in the S and V fields.
const (
	SeverityError   = "ERROR"
	SeverityFatal   = "FATAL"
	SeverityNotice  = "NOTICE"
	SeverityWarning = "WARNING"
)

// Error is an error with a SQLSTATE and the optional fields of a
// PostgreSQL ErrorResponse. Position is 1-based in characters of the
// statement text as the client sent it; 0 means unknown.
//
// Error values are immutable once returned; WithPosition and friends copy.
type Error struct {
	Code     Code
	Severity string // "" means ERROR
	Message  string
	Detail   string
	Hint     string
	Position int
	// Where is the context line (the W field), e.g. "COPY t, line 3".
	Where string
	cause error
}

// Error implements error with "message" only, as psql shows it after "ERROR:".
func (e *Error) Error() string { return e.Message }

// Unwrap returns the wrapped cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the given code and message.
func New(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Newf returns an error with the given code and a formatted message.
func Newf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap gives cause a code and a message prefix; the cause stays reachable
// through errors.Is/As.
func Wrap(cause error, code Code, msg string) *Error {
	return &Error{Code: code, Message: msg + ": " + cause.Error(), cause: cause}
}

// Notice returns a NOTICE-severity message (e.g. "relation ... already exists, skipping").
func Notice(code Code, msg string) *Error {
	return &Error{Code: code, Severity: SeverityNotice, Message: msg}
}

// WithHint returns a copy of e with the hint set.
func (e *Error) WithHint(hint string) *Error { c := *e; c.Hint = hint; return &c }

// WithDetail returns a copy of e with the detail set.
func (e *Error) WithDetail(detail string) *Error { c := *e; c.Detail = detail; return &c }

// WithWhere returns a copy of e with the context line set.
func (e *Error) WithWhere(where string) *Error { c := *e; c.Where = where; return &c }

// WithPosition returns a copy of e with the 1-based character position set.
func (e *Error) WithPosition(pos int) *Error { c := *e; c.Position = pos; return &c }

// From returns err as an *Error: itself if it (or anything it wraps) is
// one, otherwise an XX000 internal error carrying err's text. From(nil) is nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Code: InternalError, Message: err.Error(), cause: err}
}

// CodeOf returns the SQLSTATE of err, XX000 if it carries none, "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return From(err).Code
}
