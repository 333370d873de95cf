package builtin

import (
	"time"

	"github.com/vecgres/vecgres/sql/types"
)

// Ctx is what function bodies may read. One Ctx serves one statement; the
// executor fills it before evaluation and bodies never modify it.
type Ctx struct {
	// Now is the statement (transaction) timestamp for now() and current_timestamp.
	Now time.Time
	// Database, User and Schema answer current_database(), current_user and current_schema().
	Database, User, Schema string
	// Setting answers current_setting(name); nil means no settings are known.
	Setting func(name string) (string, bool)
	// SetSetting performs set_config(name, value, is_local) and returns the
	// value now in effect; nil means settings cannot be changed here.
	SetSetting func(name, value string, local bool) (string, error)
	// Format holds the session settings that change text output (floats, time zone).
	Format types.FormatOptions
	// ServerVersion is the full text version() returns.
	ServerVersion string
	// BackendPID answers pg_backend_pid(): the process ID the server sent
	// the client in BackendKeyData (0 for a session with no connection).
	BackendPID int32
}

// EvalFunc is the body of a built-in function or operator. args have
// already been cast to the resolved Func's Params; for a strict function
// none is NULL. The returned datum must not alias a mutable buffer.
type EvalFunc func(ctx *Ctx, args []types.Datum) (types.Datum, error)

// Func is one overload of a built-in operator or function.
//
// A *Func returned by ResolveBinary, ResolveUnary or ResolveFunc is
// immutable and safe for concurrent use. Its Params has exactly one entry
// per argument of the call (variadic parameters already expanded), and
// each entry is the type the binder must cast that argument to before
// calling Eval (arguments of an untyped literal are cast too).
type Func struct {
	Name     string
	Params   []types.T // concrete parameter types of this overload
	Variadic bool      // the last parameter repeats (in the registered signature)
	Return   types.T
	// ReturnFn, when set, computes the result type from the actual argument
	// types (vector + vector keeps the dimensions); otherwise Return is it.
	ReturnFn func(args []types.T) types.T
	Eval     EvalFunc
	// NullCall set means Eval is called with NULL arguments; unset (the
	// default) means the function is strict and the executor returns NULL
	// without calling Eval when any argument is NULL.
	NullCall bool
	// Volatile functions (random(), clock_timestamp()) are never constant-folded.
	Volatile bool

	// pseudo holds, per registered parameter, the polymorphic pseudo-type
	// accepted there (nil when all parameters are concrete).
	pseudo []pseudo
	// retPseudo is set when the result type is polymorphic (anyelement...).
	retPseudo pseudo
	// typed builds the body for the concrete parameter types chosen by
	// resolution, for bodies that depend on them (array element compare,
	// text output of anynonarray); nil when Eval serves every call.
	typed func(params []types.T) EvalFunc
}

// ResultType returns the type a call with the given actual argument types
// produces: ReturnFn(args) when set, Return otherwise.
func (f *Func) ResultType(args []types.T) types.T {
	if f.ReturnFn != nil {
		return f.ReturnFn(args)
	}
	return f.Return
}

// AggState accumulates one group of an aggregate. Add is called once per
// input row, with the arguments already cast to the Aggregate's Params;
// NULL arguments are passed through (each aggregate skips them as
// PostgreSQL does). Result may be called once, after the last Add. A
// state is used by one goroutine.
type AggState interface {
	Add(ctx *Ctx, args []types.Datum) error
	Result(ctx *Ctx) (types.Datum, error)
}

// Aggregate is one overload of a built-in aggregate function.
type Aggregate struct {
	Name     string
	Params   []types.T
	Return   types.T
	ReturnFn func([]types.T) types.T
	// New returns a fresh state for one group.
	New func() AggState
	// Star marks count(*), which takes no arguments.
	Star bool

	pseudo    []pseudo
	retPseudo pseudo
	typed     func(params []types.T) func() AggState
}

// ResultType returns the type the aggregate produces for the given actual
// argument types.
func (a *Aggregate) ResultType(args []types.T) types.T {
	if a.ReturnFn != nil {
		return a.ReturnFn(args)
	}
	return a.Return
}

// Library is the catalog of built-in operators, functions and aggregates.
// It is built once by NewLibrary and is read-only afterwards, so one
// Library may be shared by every session; the only mutable part is the
// regular-expression cache, which has its own lock.
type Library struct {
	binary map[string][]*Func
	unary  map[string][]*Func
	funcs  map[string][]*Func
	aggs   map[string][]*Aggregate
	regex  *regexCache
}

// NewLibrary builds the tables of every built-in.
func NewLibrary() *Library {
	l := &Library{
		binary: map[string][]*Func{},
		unary:  map[string][]*Func{},
		funcs:  map[string][]*Func{},
		aggs:   map[string][]*Aggregate{},
		regex:  newRegexCache(256),
	}
	l.addIntArith()
	l.addFloatArith()
	l.addNumericArith()
	l.addComparisons()
	l.addText()
	l.addRegex()
	l.addVector()
	l.addBit()
	l.addHalfVec()
	l.addBitOps()
	l.addMath()
	l.addMisc()
	l.addJSONBuild()
	l.addArrayFuncs()
	l.addAggregates()
	l.addVectorAggregates()
	return l
}

// IsAggregate reports whether name (lower case) is a built-in aggregate.
func (l *Library) IsAggregate(name string) bool {
	_, ok := l.aggs[name]
	return ok
}

// HasFunc reports whether name (lower case) is a built-in scalar function
// of any signature.
func (l *Library) HasFunc(name string) bool {
	_, ok := l.funcs[name]
	return ok
}

// binOp registers a binary operator overload.
func (l *Library) binOp(op string, left, right, ret types.T, eval EvalFunc) *Func {
	f := &Func{Name: op, Params: []types.T{left, right}, Return: ret, Eval: eval}
	l.binary[op] = append(l.binary[op], f)
	return f
}

// unOp registers a prefix operator overload.
func (l *Library) unOp(op string, arg, ret types.T, eval EvalFunc) *Func {
	f := &Func{Name: op, Params: []types.T{arg}, Return: ret, Eval: eval}
	l.unary[op] = append(l.unary[op], f)
	return f
}

// fn registers a function overload.
func (l *Library) fn(name string, params []types.T, ret types.T, eval EvalFunc) *Func {
	f := &Func{Name: name, Params: params, Return: ret, Eval: eval}
	l.funcs[name] = append(l.funcs[name], f)
	return f
}

// addFunc registers a fully built function overload under its name.
func (l *Library) addFunc(f *Func) *Func {
	l.funcs[f.Name] = append(l.funcs[f.Name], f)
	return f
}

// addBinary registers a fully built binary operator under its name.
func (l *Library) addBinary(f *Func) *Func {
	l.binary[f.Name] = append(l.binary[f.Name], f)
	return f
}

// agg registers an aggregate overload.
func (l *Library) agg(a *Aggregate) {
	l.aggs[a.Name] = append(l.aggs[a.Name], a)
}

// ts is shorthand for a parameter list.
func ts(t ...types.T) []types.T { return t }
