package executor

import (
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// HashJoin joins its inputs on equality keys: Open reads the build input
// (the right one, or the left one when BuildLeft) into a hash table keyed
// by the encoded key values; Next streams the other (probe) input and
// looks each row's key up. Residual, when set, is checked on every pair
// whose keys match, over the joined row (left columns then right ones).
//
// Semantics are those of NestedLoopJoin with On = keys AND Residual:
//   - A key pair matches when the values are equal under the key type's
//     "=" (types.AppendKey encodes equal values identically: numeric 1.0
//     and 1.00, float -0 and 0, NaN and NaN, bpchar without trailing
//     spaces); both sides' key expressions must already produce KeyTypes
//     (the planner casts int4 to int8, int to numeric, as the binder's
//     "=" does).
//   - A NULL key never matches, unless its key is NullSafe (IS NOT
//     DISTINCT FROM, as INTERSECT and EXCEPT compare rows).
//   - LEFT/FULL joins NULL-extend preserved rows without a match, where
//     "match" means keys equal and Residual true; semi joins return each
//     left row with a match once, anti joins each left row without one.
//
// Output rows are the left columns followed by the right ones (only the
// left ones for semi and anti joins), whichever side is hashed.
//
// Memory: the build input is held in memory in full, one copy of each
// row (NULL-key rows only when a preserved side needs them) plus, per
// row, a chain link and, per distinct key, the key bytes in a Go map:
// about rows × (width × 48 bytes + 8) + distinct keys × (key bytes + 50).
// There is no spilling, so the planner hashes the smaller input when
// table statistics say which one it is.
type HashJoin struct {
	Left, Right Operator
	Kind        JoinKind
	// LeftKeys and RightKeys are evaluated over the left row and the
	// right row respectively; KeyTypes and NullSafe are per key.
	LeftKeys, RightKeys []Expr
	KeyTypes            []types.T
	NullSafe            []bool
	Residual            Expr // nil: none
	LeftWidth           int
	RightWidth          int
	BuildLeft           bool

	build        [][]types.Datum
	buildMatched []bool
	heads        map[string]int32 // key -> 1 + first build row
	next         []int32          // 1 + next build row with the same key, 0 at the end
	arena        []types.Datum
	keyBuf       []byte

	probe      Operator
	probeKeys  []Expr
	probeOpen  bool
	probeWidth int
	buildWidth int
	probeOn    bool // a probe row is current
	probeMatch bool
	cur        int32
	tailing    bool
	tail       int
	out        []types.Datum
}

// Open reads the build input into the hash table and opens the probe
// input. It fails with 57014 when the statement is cancelled meanwhile.
func (j *HashJoin) Open(ctx *Ctx) error {
	if len(j.LeftKeys) == 0 || len(j.LeftKeys) != len(j.RightKeys) || len(j.KeyTypes) != len(j.LeftKeys) || len(j.NullSafe) != len(j.LeftKeys) {
		return pgerr.New(pgerr.InternalError, "hash join: mismatched key lists")
	}
	buildOp, buildKeys := j.Right, j.RightKeys
	j.probe, j.probeKeys, j.probeOpen = j.Left, j.LeftKeys, false
	j.probeWidth, j.buildWidth = j.LeftWidth, j.RightWidth
	if j.BuildLeft {
		buildOp, buildKeys = j.Left, j.LeftKeys
		j.probe, j.probeKeys = j.Right, j.RightKeys
		j.probeWidth, j.buildWidth = j.RightWidth, j.LeftWidth
	}
	width := j.buildWidth
	j.build, j.buildMatched, j.next, j.arena = j.build[:0], j.buildMatched[:0], j.next[:0], nil
	j.heads = map[string]int32{}
	j.probeOn, j.tailing, j.tail, j.cur = false, false, 0, 0
	j.out = make([]types.Datum, j.LeftWidth+j.RightWidth)
	keepNullKeys := j.tailEmits()
	if err := buildOp.Open(ctx); err != nil {
		buildOp.Close()
		return err
	}
	for {
		row, err := buildOp.Next(ctx)
		if err == nil {
			err = ctx.checkCancel()
		}
		if err != nil {
			buildOp.Close()
			return err
		}
		if row == nil {
			break
		}
		key, ok, err := j.encodeKey(ctx, buildKeys, row)
		if err != nil {
			buildOp.Close()
			return err
		}
		if !ok && !keepNullKeys {
			continue
		}
		idx := int32(len(j.build))
		j.build = append(j.build, j.keep(row, width))
		j.buildMatched = append(j.buildMatched, false)
		j.next = append(j.next, 0)
		if ok {
			// NB: chains are pushed at the head, so matches come out in
			// reverse build order; SQL promises no order here.
			j.next[idx] = j.heads[string(key)]
			j.heads[string(key)] = idx + 1
		}
	}
	if err := buildOp.Close(); err != nil {
		return err
	}
	j.probeOpen = true
	return j.probe.Open(ctx)
}

// keep copies row into the arena (rows are allocated in blocks, not one
// by one).
func (j *HashJoin) keep(row []types.Datum, width int) []types.Datum {
	if len(j.arena)+width > cap(j.arena) {
		j.arena = make([]types.Datum, 0, max(width*256, width))
	}
	n := len(j.arena)
	j.arena = append(j.arena, row[:width]...)
	return j.arena[n : n+width : n+width]
}

// encodeKey encodes the key values of row into j.keyBuf; ok is false when
// a non-null-safe key is NULL (the row can match nothing).
func (j *HashJoin) encodeKey(ctx *Ctx, keys []Expr, row []types.Datum) ([]byte, bool, error) {
	j.keyBuf = j.keyBuf[:0]
	for i, e := range keys {
		v, err := e.Eval(ctx, row)
		if err != nil {
			return nil, false, err
		}
		if v.IsNull() && !j.NullSafe[i] {
			return nil, false, nil
		}
		j.keyBuf = types.AppendKey(j.keyBuf, j.KeyTypes[i], v, false)
	}
	return j.keyBuf, true, nil
}

// probeOuter reports whether probe rows without a match are returned
// (NULL-extended, or alone for an anti join).
func (j *HashJoin) probeOuter() bool {
	switch j.Kind {
	case FullJoin:
		return true
	case LeftJoin, AntiJoin:
		return !j.BuildLeft
	}
	return false
}

// tailEmits reports whether build rows are returned after the probe input
// ends: unmatched ones of a preserved build side, or the left rows of a
// semi/anti join when the left side is hashed.
func (j *HashJoin) tailEmits() bool {
	switch j.Kind {
	case FullJoin:
		return true
	case LeftJoin, SemiJoin, AntiJoin:
		return j.BuildLeft
	}
	return false
}

// Next returns the next joined row: rows found by probing, then, for
// the kinds that need it, rows of the build side (tailEmits).
func (j *HashJoin) Next(ctx *Ctx) ([]types.Datum, error) {
	if !j.tailing {
		row, err := j.nextProbed(ctx)
		if row != nil || err != nil {
			return row, err
		}
		j.tailing = true
	}
	return j.nextTail(), nil
}

// positions returns where the probe and the build row go in j.out.
func (j *HashJoin) positions() (probeAt, buildAt int) {
	if j.BuildLeft {
		return j.LeftWidth, 0
	}
	return 0, j.LeftWidth
}

// nextProbed returns the next row the probe input produces (a match, or
// an unmatched probe row of an outer or anti join), nil at its end.
func (j *HashJoin) nextProbed(ctx *Ctx) ([]types.Datum, error) {
	lw := j.LeftWidth
	probeAt, buildAt := j.positions()
	if len(j.heads) == 0 && !j.probeOuter() {
		// NB: nothing can match, so the probe input is not read at all
		// (PostgreSQL skips the outer side of an empty hash too).
		return nil, nil
	}
	for {
		if !j.probeOn {
			row, err := j.probe.Next(ctx)
			if err == nil {
				err = ctx.checkCancel()
			}
			if err != nil || row == nil {
				return nil, err
			}
			key, ok, err := j.encodeKey(ctx, j.probeKeys, row)
			if err != nil {
				return nil, err
			}
			j.cur = 0
			if ok {
				j.cur = j.heads[string(key)]
			}
			copy(j.out[probeAt:probeAt+j.probeWidth], row)
			j.probeOn, j.probeMatch = true, false
		}
		for j.cur != 0 {
			bi := j.cur - 1
			j.cur = j.next[bi]
			copy(j.out[buildAt:], j.build[bi])
			if j.Residual != nil {
				ok, err := EvalBool(ctx, j.Residual, j.out)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			j.probeMatch = true
			j.buildMatched[bi] = true
			switch {
			case j.Kind == SemiJoin && !j.BuildLeft:
				j.probeOn = false
				return j.out[:lw], nil
			case j.Kind == AntiJoin && !j.BuildLeft:
				j.cur = 0
			case j.Kind == SemiJoin || j.Kind == AntiJoin:
				// The left side is hashed: only mark the build row.
			default:
				return j.out, nil
			}
		}
		j.probeOn = false
		if !j.probeMatch && j.probeOuter() {
			nullFill(j.out[buildAt : buildAt+j.buildWidth])
			if j.Kind == AntiJoin {
				return j.out[:lw], nil
			}
			return j.out, nil
		}
	}
}

// nextTail returns the next build row to emit after probing: unmatched
// rows NULL-extended, or for semi/anti joins hashing the left side the
// matched/unmatched left rows; nil at the end.
func (j *HashJoin) nextTail() []types.Datum {
	if !j.tailEmits() {
		return nil
	}
	probeAt, buildAt := j.positions()
	for j.tail < len(j.build) {
		i := j.tail
		j.tail++
		if j.buildMatched[i] != (j.Kind == SemiJoin) {
			continue
		}
		copy(j.out[buildAt:], j.build[i])
		if j.Kind == SemiJoin || j.Kind == AntiJoin {
			return j.out[:j.LeftWidth]
		}
		nullFill(j.out[probeAt : probeAt+j.probeWidth])
		return j.out
	}
	return nil
}

// Close closes the probe input and drops the hash table.
func (j *HashJoin) Close() error {
	j.build, j.buildMatched, j.next, j.heads, j.arena = nil, nil, nil, nil, nil
	if !j.probeOpen {
		return nil
	}
	j.probeOpen = false
	return j.probe.Close()
}

func nullFill(ds []types.Datum) {
	for i := range ds {
		ds[i] = types.Null
	}
}
