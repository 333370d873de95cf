package builtin

import (
	"math"
	"strconv"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// addJSONBuild registers json_build_object(VARIADIC "any") and
// json_build_array(VARIADIC "any") (plus their zero-argument forms), which
// SQLAlchemy's column reflection query calls.
func (l *Library) addJSONBuild() {
	j := types.JsonType
	l.fn("json_build_object", nil, j, func(*Ctx, []types.Datum) (types.Datum, error) { return str("{}"), nil })
	l.fn("json_build_array", nil, j, func(*Ctx, []types.Datum) (types.Datum, error) { return str("[]"), nil })

	obj := &Func{Name: "json_build_object", Params: ts(types.TextType), Variadic: true, Return: j, NullCall: true, pseudo: []pseudo{pAny}}
	obj.typed = func(params []types.T) EvalFunc {
		keyText := formatterFor(params)
		return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			if len(a)%2 != 0 {
				return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "argument list must have even number of elements").
					WithHint("The arguments of json_build_object() must consist of alternating keys and values.")
			}
			buf := []byte{'{'}
			for i := 0; i < len(a); i += 2 {
				if a[i].IsNull() {
					return types.Datum{}, pgerr.Newf(pgerr.InvalidParameterValue, "argument %d cannot be null", i+1).
						WithHint("Object keys should be text.")
				}
				if i > 0 {
					buf = append(buf, ", "...)
				}
				buf = types.AppendJSONString(buf, keyText(ctx, i, a[i]))
				buf = append(buf, " : "...)
				buf = appendJSONDatum(ctx, buf, params[i+1], a[i+1])
			}
			return str(string(append(buf, '}'))), nil
		}
	}
	l.addFunc(obj)

	arr := &Func{Name: "json_build_array", Params: ts(types.TextType), Variadic: true, Return: j, NullCall: true, pseudo: []pseudo{pAny}}
	arr.typed = func(params []types.T) EvalFunc {
		return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			buf := []byte{'['}
			for i, d := range a {
				if i > 0 {
					buf = append(buf, ", "...)
				}
				buf = appendJSONDatum(ctx, buf, params[i], d)
			}
			return str(string(append(buf, ']'))), nil
		}
	}
	l.addFunc(arr)
}

// appendJSONDatum renders d of type t as PostgreSQL's datum_to_json does:
// NULL as null, booleans and finite numbers bare, json verbatim, arrays as
// JSON arrays, everything else as a JSON string of its text output.
func appendJSONDatum(ctx *Ctx, buf []byte, t types.T, d types.Datum) []byte {
	if d.IsNull() {
		return append(buf, "null"...)
	}
	var opts types.FormatOptions
	if ctx != nil {
		opts = ctx.Format
	}
	switch t.Family {
	case types.Bool:
		if d.I != 0 {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case types.Int2, types.Int4, types.Int8:
		return strconv.AppendInt(buf, d.I, 10)
	case types.Float4, types.Float8, types.Numeric:
		s := types.FormatText(t, d, opts)
		if d.K == types.KindFloat && (math.IsInf(d.F, 0) || math.IsNaN(d.F)) || s == "NaN" || s == "Infinity" || s == "-Infinity" {
			return types.AppendJSONString(buf, s)
		}
		return append(buf, s...)
	case types.Json, types.Jsonb:
		return append(buf, d.S...)
	case types.Array:
		elem, _ := t.ElemType()
		buf = append(buf, '[')
		for i, e := range d.Arr {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONDatum(ctx, buf, elem, e)
		}
		return append(buf, ']')
	}
	if d.K == types.KindString && t.IsStringLike() {
		return types.AppendJSONString(buf, d.S)
	}
	return types.AppendJSONString(buf, types.FormatText(t, d, opts))
}
