package executor

import (
	"errors"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Sequence is what the sequence functions need of a catalog sequence.
type Sequence struct {
	OID  uint32
	Name string
	Opts storage.SequenceOptions
}

// SeqSession is one session's sequence state: the value each sequence last
// returned from nextval (currval) and the last sequence used (lastval).
// Not safe for concurrent use: a session runs one statement at a time.
type SeqSession struct {
	cur map[uint32]int64
	// last is the sequence nextval used last; lastval returns its current
	// value, which a later setval(..., true) changes (as in PostgreSQL).
	last    uint32
	hasLast bool
}

func (s *SeqSession) record(oid uint32, v int64, used bool) {
	if s.cur == nil {
		s.cur = map[uint32]int64{}
	}
	s.cur[oid] = v
	if used {
		s.last, s.hasLast = oid, true
	}
}

// SeqFunc is nextval, currval, setval or lastval. Args[0] (absent for
// lastval) names the sequence: text, or an OID (regclass); Resolve maps it
// to the sequence at run time, failing with 42P01 or 42809. setval takes the
// value (int8) and optionally is_called (bool).
type SeqFunc struct {
	Fn      string
	Args    []Expr
	Resolve func(name types.Datum, byOID bool) (*Sequence, error)
	ByOID   bool
}

// Type is int8.
func (e *SeqFunc) Type() types.T { return types.Int8Type }

// Eval calls the function. A NULL argument gives NULL (the functions are
// strict).
func (e *SeqFunc) Eval(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	if ctx.Seqs == nil {
		ctx.Seqs = &SeqSession{}
	}
	if e.Fn == "lastval" {
		if !ctx.Seqs.hasLast {
			return types.Null, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
		}
		return types.NewInt(ctx.Seqs.cur[ctx.Seqs.last]), nil
	}
	args := make([]types.Datum, len(e.Args))
	for i, a := range e.Args {
		v, err := a.Eval(ctx, row)
		if err != nil || v.IsNull() {
			return types.Null, err
		}
		args[i] = v
	}
	seq, err := e.Resolve(args[0], e.ByOID)
	if err != nil {
		return types.Null, err
	}
	key := storage.SequenceValueKey(seq.OID)
	switch e.Fn {
	case "nextval":
		v, err := ctx.Store.NextSequenceValue(key, seq.Opts)
		if errors.Is(err, storage.ErrSequenceLimit) {
			if seq.Opts.Increment > 0 {
				return types.Null, pgerr.Newf(pgerr.SequenceGeneratorLimitExceeded,
					"nextval: reached maximum value of sequence %q (%d)", seq.Name, seq.Opts.Max)
			}
			return types.Null, pgerr.Newf(pgerr.SequenceGeneratorLimitExceeded,
				"nextval: reached minimum value of sequence %q (%d)", seq.Name, seq.Opts.Min)
		}
		if err != nil {
			return types.Null, err
		}
		ctx.Seqs.record(seq.OID, v, true)
		return types.NewInt(v), nil
	case "currval":
		v, ok := ctx.Seqs.cur[seq.OID]
		if !ok {
			return types.Null, pgerr.Newf(pgerr.ObjectNotInPrerequisiteState,
				"currval of sequence %q is not yet defined in this session", seq.Name)
		}
		return types.NewInt(v), nil
	case "setval":
		v, called := args[1].I, true
		if len(args) > 2 {
			called = args[2].Bool()
		}
		if v < seq.Opts.Min || v > seq.Opts.Max {
			return types.Null, pgerr.Newf(pgerr.NumericValueOutOfRange,
				"setval: value %d is out of bounds for sequence %q (%d..%d)", v, seq.Name, seq.Opts.Min, seq.Opts.Max)
		}
		if err := ctx.Store.SetSequenceValue(key, v, called); err != nil {
			return types.Null, err
		}
		if called {
			ctx.Seqs.record(seq.OID, v, false)
		}
		return types.NewInt(v), nil
	}
	return types.Null, pgerr.Newf(pgerr.UndefinedFunction, "function %s does not exist", e.Fn)
}
