package builtin

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Session and system information functions, now() and friends, nullif
// and gen_random_uuid. The binder maps the keywords current_user,
// session_user, user, current_role, current_schema, current_catalog,
// current_timestamp, localtimestamp and current_date to calls of these.

func (l *Library) addMisc() {
	tstz, t := types.TimestamptzType, types.TextType
	stmtTime := func(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
		return types.NewTime(types.TimeToMicros(ctx.Now)), nil
	}
	for _, name := range []string{"now", "current_timestamp", "transaction_timestamp", "statement_timestamp"} {
		l.fn(name, nil, tstz, stmtTime).Volatile = true
	}
	l.fn("localtimestamp", nil, types.TimestampType, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
		return types.NewTime(localMicros(ctx, ctx.Now)), nil
	}).Volatile = true
	l.fn("current_date", nil, types.DateType, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
		us := localMicros(ctx, ctx.Now)
		return types.NewDate(floorDiv64(us, types.MicrosPerDay)), nil
	}).Volatile = true
	l.fn("clock_timestamp", nil, tstz, func(*Ctx, []types.Datum) (types.Datum, error) {
		return types.NewTime(types.TimeToMicros(time.Now())), nil
	}).Volatile = true
	l.fn("pg_backend_pid", nil, types.Int4Type, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
		return types.NewInt(int64(ctx.BackendPID)), nil
	})
	l.fn("version", nil, t, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) { return str(ctx.ServerVersion), nil })
	name := types.NameType
	l.fn("current_database", nil, name, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) { return str(ctx.Database), nil })
	l.fn("current_catalog", nil, name, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) { return str(ctx.Database), nil })
	for _, n := range []string{"current_user", "session_user", "user", "current_role"} {
		l.fn(n, nil, name, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) { return str(ctx.User), nil })
	}
	l.fn("current_schema", nil, name, func(ctx *Ctx, _ []types.Datum) (types.Datum, error) {
		if ctx.Schema == "" {
			return types.Null, nil
		}
		return str(ctx.Schema), nil
	})
	l.fn("current_setting", ts(t), t, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
		return currentSetting(ctx, a[0].S, false)
	})
	l.fn("current_setting", ts(t, types.BoolType), t, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
		return currentSetting(ctx, a[0].S, a[1].Bool())
	})
	// NB: pg_typeof returns regtype in PostgreSQL; vecgres returns its text
	// (format_type_be's name), which is what clients print or compare.
	typeOf := &Func{Name: "pg_typeof", Params: ts(types.UnknownType), Return: t, NullCall: true, pseudo: []pseudo{pAny}}
	typeOf.typed = func(params []types.T) EvalFunc {
		name := str(typeName(params[0]))
		return func(*Ctx, []types.Datum) (types.Datum, error) { return name, nil }
	}
	l.addFunc(typeOf)
	l.fn("set_config", ts(t, t, types.BoolType), t, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
		if ctx.SetSetting == nil {
			return types.Datum{}, pgerr.New(pgerr.FeatureNotSupported, "set_config is not available in this context")
		}
		v, err := ctx.SetSetting(a[0].S, a[1].S, a[2].Bool())
		if err != nil {
			return types.Datum{}, err
		}
		return str(v), nil
	}).Volatile = true
	l.fn("gen_random_uuid", nil, types.UuidType, evalRandomUUID).Volatile = true
	nullif := &Func{Name: "nullif", Params: ts(types.UnknownType, types.UnknownType), NullCall: true,
		pseudo: []pseudo{pAnyCompatible, pAnyCompatible}, retPseudo: pAnyCompatible}
	nullif.typed = func(params []types.T) EvalFunc {
		cmp := comparerFor(params[0])
		return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			if !a[0].IsNull() && !a[1].IsNull() && cmp(a[0], a[1]) == 0 {
				return types.Null, nil
			}
			return a[0], nil
		}
	}
	l.addFunc(nullif)
	l.addDateTime()
}

func localMicros(ctx *Ctx, t time.Time) int64 {
	loc := ctx.Format.Location
	if loc == nil {
		loc = time.UTC
	}
	_, off := t.In(loc).Zone()
	return types.TimeToMicros(t) + int64(off)*types.MicrosPerSecond
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func currentSetting(ctx *Ctx, name string, missingOK bool) (types.Datum, error) {
	if ctx.Setting != nil {
		if v, ok := ctx.Setting(name); ok {
			return str(v), nil
		}
	}
	if missingOK {
		return types.Null, nil
	}
	return types.Datum{}, pgerr.New(pgerr.UndefinedObject, `unrecognized configuration parameter "`+name+`"`)
}

// evalRandomUUID is gen_random_uuid: a version 4, variant 1 UUID from
// crypto/rand, in canonical text form.
func evalRandomUUID(*Ctx, []types.Datum) (types.Datum, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return types.Datum{}, pgerr.Wrap(err, pgerr.InternalError, "could not generate random values")
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return str(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]), nil
}
