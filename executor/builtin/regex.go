package builtin

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// POSIX regular expression operators ~ ~* !~ !~* and the regexp_*
// functions, run on Go's RE2 engine. Differences from PostgreSQL's ARE:
// back-references and lookahead/lookbehind are rejected as invalid (2201B);
// \y \Y become \b \B, and \m \M (start/end of word) both become \b; "."
// matches newline, as in ARE's default (non-newline-sensitive) mode.

// regexCache holds compiled patterns, bounded; safe for concurrent use.
type regexCache struct {
	mu  sync.Mutex
	m   map[string]*regexp.Regexp
	max int
}

func newRegexCache(max int) *regexCache {
	return &regexCache{m: make(map[string]*regexp.Regexp), max: max}
}

// compile returns the compiled form of PostgreSQL pattern p, or a 2201B
// error. fold makes it case-insensitive.
func (c *regexCache) compile(p string, fold bool) (*regexp.Regexp, error) {
	key := p
	if fold {
		key = "\x00i" + p
	}
	c.mu.Lock()
	re, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return re, nil
	}
	flags := "(?s)"
	if fold {
		flags = "(?si)"
	}
	re, err := regexp.Compile(flags + translateARE(p))
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: "+regexErrorText(err))
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = re
	c.mu.Unlock()
	return re, nil
}

// translateARE rewrites the ARE escapes RE2 spells differently.
func translateARE(p string) string {
	if !strings.Contains(p, `\`) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			switch p[i+1] {
			case 'y', 'm', 'M':
				b.WriteString(`\b`)
				i++
				continue
			case 'Y':
				b.WriteString(`\B`)
				i++
				continue
			}
			b.WriteByte(p[i])
			i++
			b.WriteByte(p[i])
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

func (l *Library) addRegex() {
	t := types.TextType
	for _, op := range []struct {
		name      string
		fold, neg bool
	}{{"~", false, false}, {"~*", true, false}, {"!~", false, true}, {"!~*", true, true}} {
		op := op
		l.binOp(op.name, t, t, types.BoolType, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			re, err := l.regex.compile(a[1].S, op.fold)
			if err != nil {
				return types.Datum{}, err
			}
			return types.NewBool(re.MatchString(a[0].S) != op.neg), nil
		})
	}
	l.fn("regexp_replace", ts(t, t, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return l.regexpReplace(a[0].S, a[1].S, a[2].S, "")
	})
	l.fn("regexp_replace", ts(t, t, t, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return l.regexpReplace(a[0].S, a[1].S, a[2].S, a[3].S)
	})
	l.fn("regexp_like", ts(t, t), types.BoolType, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		re, err := l.regex.compile(a[1].S, false)
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewBool(re.MatchString(a[0].S)), nil
	})
	l.fn("regexp_match", ts(t, t), types.ArrayOf(t), func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		re, err := l.regex.compile(a[1].S, false)
		if err != nil {
			return types.Datum{}, err
		}
		m := re.FindStringSubmatchIndex(a[0].S)
		if m == nil {
			return types.Null, nil
		}
		return matchArray(a[0].S, m), nil
	})
}

// matchArray is regexp_match's result: the captured groups, or the whole
// match when the pattern has none; unmatched groups are NULL.
func matchArray(s string, m []int) types.Datum {
	if len(m) == 2 {
		return types.NewArray([]types.Datum{str(s[m[0]:m[1]])})
	}
	out := make([]types.Datum, 0, len(m)/2-1)
	for i := 2; i < len(m); i += 2 {
		if m[i] < 0 {
			out = append(out, types.Null)
		} else {
			out = append(out, str(s[m[i]:m[i+1]]))
		}
	}
	return types.NewArray(out)
}

// regexpReplace is regexp_replace(source, pattern, replacement, flags):
// flags g (all matches) and i (case-insensitive); \1..\9 and \& in the
// replacement refer to groups and the whole match.
func (l *Library) regexpReplace(s, p, repl, flags string) (types.Datum, error) {
	global, fold := false, false
	for _, f := range flags {
		switch f {
		case 'g':
			global = true
		case 'i':
			fold = true
		case 'c', 'n', 'p', 'w', 's', 'x':
		default:
			return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "invalid regular expression option: \""+string(f)+"\"")
		}
	}
	re, err := l.regex.compile(p, fold)
	if err != nil {
		return types.Datum{}, err
	}
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(s[last:m[0]])
		expandReplacement(&b, s, repl, m)
		last = m[1]
		if !global {
			break
		}
	}
	b.WriteString(s[last:])
	return str(b.String()), nil
}

func expandReplacement(b *strings.Builder, s, repl string, m []int) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 >= len(repl) {
			b.WriteByte(c)
			continue
		}
		n := repl[i+1]
		switch {
		case n >= '1' && n <= '9':
			g := int(n - '0')
			if 2*g+1 < len(m) && m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
			i++
		case n == '&':
			b.WriteString(s[m[0]:m[1]])
			i++
		case n == '\\':
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte(c)
		}
	}
}

// regexErrorText gives RE2's syntax errors the wording of PostgreSQL's
// regex library (regerror), where one corresponds.
func regexErrorText(err error) string {
	var se *syntax.Error
	if !errors.As(err, &se) {
		return err.Error()
	}
	switch se.Code {
	case syntax.ErrMissingParen, syntax.ErrUnexpectedParen:
		return "parentheses () not balanced"
	case syntax.ErrMissingBracket:
		return "brackets [] not balanced"
	case syntax.ErrMissingRepeatArgument, syntax.ErrInvalidRepeatOp:
		return "quantifier operand invalid"
	case syntax.ErrInvalidRepeatSize:
		return "invalid repetition count(s)"
	case syntax.ErrInvalidEscape, syntax.ErrTrailingBackslash:
		return "invalid escape \\ sequence"
	case syntax.ErrInvalidCharRange:
		return "invalid character range"
	}
	return string(se.Code)
}
