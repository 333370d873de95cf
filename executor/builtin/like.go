package builtin

import (
	"strings"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// LIKE and ILIKE (operators ~~ ~~* !~~ !~~* in PostgreSQL): % matches any
// run of characters, _ one character, and backslash escapes the next
// character. "x LIKE p ESCAPE e" arrives as x LIKE like_escape(p, e),
// which rewrites p to the backslash convention.

func (l *Library) addLike() {
	t := types.TextType
	type likeOp struct {
		names []string
		fold  bool
		neg   bool
	}
	for _, op := range []likeOp{
		{[]string{"LIKE", "~~"}, false, false},
		{[]string{"NOT LIKE", "!~~"}, false, true},
		{[]string{"ILIKE", "~~*"}, true, false},
		{[]string{"NOT ILIKE", "!~~*"}, true, true},
	} {
		op := op
		eval := func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			s, p := a[0].S, a[1].S
			if op.fold {
				s, p = strings.ToLower(s), strings.ToLower(p)
			}
			m, err := likeMatch(s, p)
			if err != nil {
				return types.Datum{}, err
			}
			return types.NewBool(m != op.neg), nil
		}
		for _, name := range op.names {
			l.binOp(name, t, t, types.BoolType, eval)
		}
	}
	l.fn("like", ts(t, t), types.BoolType, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		m, err := likeMatch(a[0].S, a[1].S)
		return types.NewBool(m), err
	})
	l.fn("like_escape", ts(t, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		p, err := likeEscape(a[0].S, a[1].S)
		return str(p), err
	})
}

// likeToken is one element of a compiled LIKE pattern.
type likeToken struct {
	kind byte // 'c' literal rune, '_' any one, '%' any run
	r    rune
}

func compileLike(p string) ([]likeToken, error) {
	toks := make([]likeToken, 0, len(p))
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		i += n
		switch r {
		case '\\':
			if i >= len(p) {
				// NB: PostgreSQL complains only if matching gets this far.
				toks = append(toks, likeToken{kind: 'e'})
				continue
			}
			r, n = utf8.DecodeRuneInString(p[i:])
			i += n
			toks = append(toks, likeToken{kind: 'c', r: r})
		case '%':
			if len(toks) == 0 || toks[len(toks)-1].kind != '%' {
				toks = append(toks, likeToken{kind: '%'})
			}
		case '_':
			toks = append(toks, likeToken{kind: '_'})
		default:
			toks = append(toks, likeToken{kind: 'c', r: r})
		}
	}
	return toks, nil
}

// likeMatch reports whether s matches LIKE pattern p. It backtracks only
// to the most recent %, which is enough for patterns without classes.
func likeMatch(s, p string) (bool, error) {
	toks, err := compileLike(p)
	if err != nil {
		return false, err
	}
	rs := []rune(s)
	si, ti := 0, 0
	starT, starS := -1, 0
	for si < len(rs) {
		if ti < len(toks) {
			switch tk := toks[ti]; tk.kind {
			case '%':
				starT, starS = ti, si
				ti++
				continue
			case '_':
				si++
				ti++
				continue
			case 'e':
				return false, pgerr.New(codeInvalidEscapeSequence, "LIKE pattern must not end with escape character")
			case 'c':
				if tk.r == rs[si] {
					si++
					ti++
					continue
				}
			}
		}
		if starT < 0 {
			return false, nil
		}
		starS++
		si, ti = starS, starT+1
	}
	for ti < len(toks) && toks[ti].kind == '%' {
		ti++
	}
	return ti == len(toks), nil
}

// likeEscape is like_escape: rewrite pattern p whose escape character is
// esc (empty: none) into the default backslash convention.
func likeEscape(p, esc string) (string, error) {
	if utf8.RuneCountInString(esc) > 1 {
		return "", pgerr.New(codeInvalidEscapeSequence, "invalid escape string").
			WithHint("Escape string must be empty or one character.")
	}
	if esc == `\` {
		return p, nil
	}
	var b strings.Builder
	e, _ := utf8.DecodeRuneInString(esc)
	afterEsc := false
	for _, r := range p {
		switch {
		case afterEsc:
			if r == '\\' {
				b.WriteString(`\\`)
			} else {
				b.WriteByte('\\')
				b.WriteRune(r)
			}
			afterEsc = false
		case esc != "" && r == e:
			afterEsc = true
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	if afterEsc {
		return "", pgerr.New(codeInvalidEscapeSequence, "LIKE pattern must not end with escape character")
	}
	return b.String(), nil
}
