package builtin

import (
	"strings"

	"github.com/vecgres/vecgres/sql/types"
)

// Array functions and || on arrays. vecgres arrays are one-dimensional
// with lower bound 1, so array_lower is 1 and array_upper the length for
// dimension 1, and NULL for any other dimension (as PostgreSQL answers
// for a dimension an array does not have). An empty array has no
// dimensions at all.

func (l *Library) addArrayFuncs() {
	i4 := types.Int4Type
	arrInt := func(name string, f func(n int, dim int64) types.Datum) {
		l.addFunc(&Func{Name: name, Params: ts(types.UnknownType, i4), Return: i4, pseudo: []pseudo{pAnyArray, pNone},
			Eval: func(_ *Ctx, a []types.Datum) (types.Datum, error) {
				n := len(a[0].Arr)
				if n == 0 || a[1].I != 1 {
					return types.Null, nil
				}
				return f(n, a[1].I), nil
			}})
	}
	arrInt("array_length", func(n int, _ int64) types.Datum { return intD(n) })
	arrInt("array_upper", func(n int, _ int64) types.Datum { return intD(n) })
	arrInt("array_lower", func(int, int64) types.Datum { return intD(1) })
	l.addFunc(&Func{Name: "cardinality", Params: ts(types.UnknownType), Return: i4, pseudo: []pseudo{pAnyArray},
		Eval: func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].Arr)), nil }})
	l.addFunc(&Func{Name: "array_ndims", Params: ts(types.UnknownType), Return: i4, pseudo: []pseudo{pAnyArray},
		Eval: func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			if len(a[0].Arr) == 0 {
				return types.Null, nil
			}
			return intD(1), nil
		}})
	t := types.TextType
	for _, withNull := range []bool{false, true} {
		withNull := withNull
		params, ps := ts(types.UnknownType, t), []pseudo{pAnyArray, pNone}
		if withNull {
			params, ps = ts(types.UnknownType, t, t), []pseudo{pAnyArray, pNone, pNone}
		}
		f := &Func{Name: "array_to_string", Params: params, Return: t, pseudo: ps, NullCall: true}
		f.typed = func(params []types.T) EvalFunc {
			et, _ := params[0].ElemType()
			fmtr := formatterFor([]types.T{et})
			return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
				if a[0].IsNull() || a[1].IsNull() {
					return types.Null, nil
				}
				var b strings.Builder
				first := true
				for _, e := range a[0].Arr {
					var s string
					if e.IsNull() {
						if !withNull || a[2].IsNull() {
							continue
						}
						s = a[2].S
					} else {
						s = fmtr(ctx, 0, e)
					}
					if !first {
						b.WriteString(a[1].S)
					}
					first = false
					b.WriteString(s)
				}
				return str(b.String()), nil
			}
		}
		l.addFunc(f)
		sp := ts(t, t)
		if withNull {
			sp = ts(t, t, t)
		}
		l.addFunc(&Func{Name: "string_to_array", Params: sp, Return: types.ArrayOf(t), NullCall: true,
			Eval: func(_ *Ctx, a []types.Datum) (types.Datum, error) {
				var nullStr *string
				if withNull && !a[2].IsNull() {
					nullStr = &a[2].S
				}
				return stringToArray(a[0], a[1], nullStr), nil
			}})
	}
	arrElem := []pseudo{pAnyCompatibleArray, pAnyCompatible}
	l.addFunc(&Func{Name: "array_append", Params: ts(types.UnknownType, types.UnknownType), pseudo: arrElem,
		retPseudo: pAnyCompatibleArray, NullCall: true, Eval: evalArrayAppend})
	l.addFunc(&Func{Name: "array_prepend", Params: ts(types.UnknownType, types.UnknownType),
		pseudo: []pseudo{pAnyCompatible, pAnyCompatibleArray}, retPseudo: pAnyCompatibleArray, NullCall: true, Eval: evalArrayPrepend})
	l.addFunc(&Func{Name: "array_cat", Params: ts(types.UnknownType, types.UnknownType),
		pseudo: []pseudo{pAnyCompatibleArray, pAnyCompatibleArray}, retPseudo: pAnyCompatibleArray, NullCall: true, Eval: evalArrayCat})
	pos := &Func{Name: "array_position", Params: ts(types.UnknownType, types.UnknownType), Return: i4,
		pseudo: []pseudo{pAnyCompatibleArray, pAnyCompatible}, NullCall: true}
	pos.typed = func(params []types.T) EvalFunc {
		cmp := comparerFor(params[1])
		return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			if a[0].IsNull() {
				return types.Null, nil
			}
			for i, e := range a[0].Arr {
				if (e.IsNull() && a[1].IsNull()) || (!e.IsNull() && !a[1].IsNull() && cmp(e, a[1]) == 0) {
					return intD(i + 1), nil
				}
			}
			return types.Null, nil
		}
	}
	l.addFunc(pos)
}

// addArrayConcat registers array || array, array || element and
// element || array (array_cat, array_append, array_prepend).
func (l *Library) addArrayConcat() {
	u := types.UnknownType
	l.addBinary(&Func{Name: "||", Params: ts(u, u), pseudo: []pseudo{pAnyCompatibleArray, pAnyCompatibleArray},
		retPseudo: pAnyCompatibleArray, NullCall: true, Eval: evalArrayCat})
	l.addBinary(&Func{Name: "||", Params: ts(u, u), pseudo: []pseudo{pAnyCompatibleArray, pAnyCompatible},
		retPseudo: pAnyCompatibleArray, NullCall: true, Eval: evalArrayAppend})
	l.addBinary(&Func{Name: "||", Params: ts(u, u), pseudo: []pseudo{pAnyCompatible, pAnyCompatibleArray},
		retPseudo: pAnyCompatibleArray, NullCall: true, Eval: evalArrayPrepend})
}

func evalArrayAppend(_ *Ctx, a []types.Datum) (types.Datum, error) {
	out := make([]types.Datum, 0, len(a[0].Arr)+1)
	return types.NewArray(append(append(out, a[0].Arr...), a[1])), nil
}

func evalArrayPrepend(_ *Ctx, a []types.Datum) (types.Datum, error) {
	out := make([]types.Datum, 0, len(a[1].Arr)+1)
	return types.NewArray(append(append(out, a[0]), a[1].Arr...)), nil
}

// evalArrayCat is array_cat: a NULL side yields the other side.
func evalArrayCat(_ *Ctx, a []types.Datum) (types.Datum, error) {
	switch {
	case a[0].IsNull():
		return a[1], nil
	case a[1].IsNull():
		return a[0], nil
	}
	out := make([]types.Datum, 0, len(a[0].Arr)+len(a[1].Arr))
	return types.NewArray(append(append(out, a[0].Arr...), a[1].Arr...)), nil
}

// stringToArray is string_to_array: a NULL delimiter splits into
// characters, an empty one gives the whole string as one element, and an
// empty input gives an empty array.
func stringToArray(s, delim types.Datum, nullStr *string) types.Datum {
	if s.IsNull() {
		return types.Null
	}
	if s.S == "" {
		return types.NewArray([]types.Datum{})
	}
	var parts []string
	switch {
	case delim.IsNull():
		for _, r := range s.S {
			parts = append(parts, string(r))
		}
	case delim.S == "":
		parts = []string{s.S}
	default:
		parts = strings.Split(s.S, delim.S)
	}
	out := make([]types.Datum, len(parts))
	for i, p := range parts {
		if nullStr != nil && p == *nullStr {
			out[i] = types.Null
		} else {
			out[i] = str(p)
		}
	}
	return types.NewArray(out)
}
