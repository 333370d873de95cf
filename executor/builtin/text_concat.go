package builtin

import (
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// formatter prints non-NULL datums of params[i] as their type's output
// function does, for concat, format and text || anynonarray.
type formatter func(ctx *Ctx, i int, d types.Datum) string

func formatterFor(params []types.T) formatter {
	return func(ctx *Ctx, i int, d types.Datum) string {
		t := params[i]
		if d.K == types.KindString && t.IsStringLike() {
			return d.S
		}
		var opts types.FormatOptions
		if ctx != nil {
			opts = ctx.Format
		}
		return types.FormatText(t, d, opts)
	}
}

func (l *Library) addConcat() {
	t := types.TextType
	l.binOp("||", t, t, t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return str(a[0].S + a[1].S), nil })
	// text || anynonarray and anynonarray || text print the other side.
	for _, textLeft := range []bool{true, false} {
		f := &Func{Name: "||", Params: ts(t, t), Return: t, pseudo: []pseudo{pNone, pAnyNonArray}}
		if !textLeft {
			f.pseudo = []pseudo{pAnyNonArray, pNone}
		}
		f.typed = func(params []types.T) EvalFunc {
			fmtr := formatterFor(params)
			return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
				return str(fmtr(ctx, 0, a[0]) + fmtr(ctx, 1, a[1])), nil
			}
		}
		l.addBinary(f)
	}
	l.addArrayConcat()

	concat := &Func{Name: "concat", Params: ts(t), Variadic: true, Return: t, NullCall: true, pseudo: []pseudo{pAny}}
	concat.typed = func(params []types.T) EvalFunc {
		fmtr := formatterFor(params)
		return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			var b strings.Builder
			for i, d := range a {
				if !d.IsNull() {
					b.WriteString(fmtr(ctx, i, d))
				}
			}
			return str(b.String()), nil
		}
	}
	l.addFunc(concat)
	concatWS := &Func{Name: "concat_ws", Params: ts(t, t), Variadic: true, Return: t, NullCall: true, pseudo: []pseudo{pNone, pAny}}
	concatWS.typed = func(params []types.T) EvalFunc {
		fmtr := formatterFor(params)
		return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			if a[0].IsNull() {
				return types.Null, nil
			}
			var b strings.Builder
			first := true
			for i, d := range a[1:] {
				if d.IsNull() {
					continue
				}
				if !first {
					b.WriteString(a[0].S)
				}
				first = false
				b.WriteString(fmtr(ctx, i+1, d))
			}
			return str(b.String()), nil
		}
	}
	l.addFunc(concatWS)
	for _, variadic := range []bool{false, true} {
		f := &Func{Name: "format", Params: ts(t), Return: t, NullCall: true}
		if variadic {
			f.Params = ts(t, t)
			f.Variadic = true
			f.pseudo = []pseudo{pNone, pAny}
		}
		f.typed = func(params []types.T) EvalFunc {
			fmtr := formatterFor(params)
			return func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
				if a[0].IsNull() {
					return types.Null, nil
				}
				return formatText(ctx, fmtr, a)
			}
		}
		l.addFunc(f)
	}
}

// formatText is format(): %s, %I and %L conversions, %% and positional
// "%n$" references, and the "-" flag with a width for %s.
func formatText(ctx *Ctx, fmtr formatter, a []types.Datum) (types.Datum, error) {
	f := a[0].S
	args := a[1:]
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(f) {
			return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "unterminated format() type specifier").
				WithHint(`For a single "%" use "%%".`)
		}
		if f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		// Optional n$ argument position.
		j := i
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		argIdx := -1
		if j < len(f) && f[j] == '$' && j > i {
			n, _ := strconv.Atoi(f[i:j])
			if n == 0 {
				return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
			}
			argIdx = n - 1
			i = j + 1
		}
		leftAlign := false
		if i < len(f) && f[i] == '-' {
			leftAlign = true
			i++
		}
		w := i
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			i++
		}
		width, _ := strconv.Atoi(f[w:i])
		if i >= len(f) {
			return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "unterminated format() type specifier").
				WithHint(`For a single "%" use "%%".`)
		}
		conv := f[i]
		if argIdx < 0 {
			argIdx = next
		}
		next = argIdx + 1
		if conv != 's' && conv != 'I' && conv != 'L' {
			return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, `unrecognized format() type specifier "`+string(conv)+`"`).
				WithHint(`For a single "%" use "%%".`)
		}
		if argIdx >= len(args) {
			return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "too few arguments for format()")
		}
		d := args[argIdx]
		var out string
		switch conv {
		case 's':
			if !d.IsNull() {
				out = fmtr(ctx, argIdx+1, d)
			}
		case 'I':
			if d.IsNull() {
				return types.Datum{}, pgerr.New(pgerr.Code("22004"), "null values cannot be formatted as an SQL identifier")
			}
			out = quoteIdent(fmtr(ctx, argIdx+1, d))
		case 'L':
			if d.IsNull() {
				out = "NULL"
			} else {
				out = quoteLiteral(fmtr(ctx, argIdx+1, d))
			}
		}
		if n := width - len([]rune(out)); n > 0 {
			if leftAlign {
				out += strings.Repeat(" ", n)
			} else {
				out = strings.Repeat(" ", n) + out
			}
		}
		b.WriteString(out)
	}
	return str(b.String()), nil
}

// addTrim registers btrim/ltrim/rtrim with and without a character set;
// trim(both 'x' from s) arrives as btrim(s, 'x').
func (l *Library) addTrim() {
	t := types.TextType
	type side struct {
		name        string
		left, right bool
	}
	for _, s := range []side{{"btrim", true, true}, {"ltrim", true, false}, {"rtrim", false, true}} {
		s := s
		l.fn(s.name, ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return str(trimSet(a[0].S, " ", s.left, s.right)), nil
		})
		l.fn(s.name, ts(t, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return str(trimSet(a[0].S, a[1].S, s.left, s.right)), nil
		})
	}
}

func trimSet(s, set string, left, right bool) string {
	if left {
		s = strings.TrimLeft(s, set)
	}
	if right {
		s = strings.TrimRight(s, set)
	}
	return s
}
