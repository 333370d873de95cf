package builtin

import (
	"fmt"
	"strings"

	"github.com/vecgres/vecgres/sql/types"
)

// The test expression syntax (see datadriven_test.go):
//
//	name(arg, ...)      a function call
//	arg OP arg          a binary operator (OP may be a word: LIKE, NOT ILIKE)
//	OP arg              a prefix operator
//	arg := type 'literal' | NULL::type | *      ('' inside a literal is ')

func parseCall(s string) (call, error) {
	if i := strings.IndexByte(s, '('); i > 0 && isIdent(s[:i]) && strings.HasSuffix(s, ")") {
		args, err := parseArgs(s[i+1 : len(s)-1])
		return call{fn: s[:i], args: args}, err
	}
	toks, err := splitArgTokens(s)
	if err != nil {
		return call{}, err
	}
	// Either [op, arg] or [arg, op..., arg].
	if len(toks) == 2 {
		a, err := parseArg(toks[1])
		return call{op: toks[0], args: []arg{a}}, err
	}
	if len(toks) < 3 {
		return call{}, fmt.Errorf("cannot parse %q", s)
	}
	l, err := parseArg(toks[0])
	if err != nil {
		return call{}, err
	}
	r, err := parseArg(toks[len(toks)-1])
	if err != nil {
		return call{}, err
	}
	return call{op: strings.Join(toks[1:len(toks)-1], " "), args: []arg{l, r}}, nil
}

func isIdent(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return s != ""
}

// splitArgTokens splits "int4 '1' + unknown 'x'" into ["int4 '1'", "+",
// "unknown 'x'"]: an argument is a type name followed by a quoted literal,
// or NULL::type; everything else is operator words.
func splitArgTokens(s string) ([]string, error) {
	var toks []string
	words := strings.Fields(s)
	// Re-join quoted literals that contain spaces.
	var merged []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "'") {
			for !closedQuote(w) && i+1 < len(words) {
				i++
				w += " " + words[i]
			}
		}
		merged = append(merged, w)
	}
	for i := 0; i < len(merged); i++ {
		w := merged[i]
		switch {
		case strings.HasPrefix(w, "NULL::"):
			toks = append(toks, w)
		case i+1 < len(merged) && strings.HasPrefix(merged[i+1], "'"):
			toks = append(toks, w+" "+merged[i+1])
			i++
		default:
			toks = append(toks, w)
		}
	}
	return toks, nil
}

func closedQuote(w string) bool {
	n := strings.Count(w, "'")
	return n >= 2 && n%2 == 0 && strings.HasSuffix(w, "'")
}

// parseArgs splits a comma-separated argument list (commas inside quotes
// do not count).
func parseArgs(s string) ([]arg, error) {
	var out []arg
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	inQ := false
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] == '\'' {
			inQ = !inQ
		}
		if i == len(s) || (s[i] == ',' && !inQ) {
			a, err := parseArg(strings.TrimSpace(s[start:i]))
			if err != nil {
				return nil, err
			}
			out = append(out, a)
			start = i + 1
		}
	}
	return out, nil
}

func parseArg(s string) (arg, error) {
	if s == "*" {
		return arg{name: "*"}, nil
	}
	if name, ok := strings.CutPrefix(s, "NULL::"); ok {
		t, err := testType(name)
		return arg{t: t, name: name, null: true}, err
	}
	i := strings.IndexByte(s, '\'')
	if i <= 0 || !strings.HasSuffix(s, "'") {
		return arg{}, fmt.Errorf("bad argument %q", s)
	}
	name := strings.TrimSpace(s[:i])
	t, err := testType(name)
	lit := strings.ReplaceAll(s[i+1:len(s)-1], "''", "'")
	return arg{t: t, name: name, lit: lit}, err
}

func testType(name string) (types.T, error) {
	if name == "unknown" {
		return types.UnknownType, nil
	}
	base, dims := name, 0
	for strings.HasSuffix(base, "[]") {
		base = strings.TrimSuffix(base, "[]")
		dims++
	}
	var mods []int
	if i := strings.IndexByte(base, '('); i > 0 {
		var m int
		if _, err := fmt.Sscanf(base[i:], "(%d)", &m); err != nil {
			return types.T{}, err
		}
		mods = []int{m}
		base = base[:i]
	}
	return types.ParseTypeName(base, mods, dims)
}
