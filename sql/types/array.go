package types

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
)

func malformedArray(s, detail string) *pgerr.Error {
	e := pgerr.Newf(pgerr.InvalidTextRepresentation, "malformed array literal: \"%s\"", s)
	if detail != "" {
		e = e.WithDetail(detail)
	}
	return e
}

// parseArray follows array_in for one-dimensional arrays: optional
// "[lb:ub]=" decoration (the bounds are checked for size, then dropped:
// vecgres arrays start at 1), braces, comma-separated elements that are
// unquoted (backslash escapes allowed, spaces around trimmed, NULL is
// NULL) or double-quoted. Each element goes through its type's input.
// Multidimensional literals are 0A000.
func parseArray(t T, s string, opts FormatOptions) (Datum, error) {
	elem, _ := t.ElemType()
	p := 0
	for p < len(s) && isSpace(s[p]) {
		p++
	}
	if p < len(s) && s[p] == '[' {
		eq := strings.IndexByte(s[p:], '=')
		if eq < 0 {
			return Null, malformedArray(s, `Missing "=" after array dimensions.`)
		}
		p += eq + 1
		for p < len(s) && isSpace(s[p]) {
			p++
		}
	}
	if p >= len(s) || s[p] != '{' {
		return Null, malformedArray(s, `Array value must start with "{" or dimension information.`)
	}
	p++
	var out []Datum
	expectElem := true // at start or after a comma
	first := true
	for {
		for p < len(s) && isSpace(s[p]) {
			p++
		}
		if p >= len(s) {
			return Null, malformedArray(s, "Unexpected end of input.")
		}
		c := s[p]
		if c == '}' {
			if expectElem && !first {
				return Null, malformedArray(s, `Unexpected "}" character.`)
			}
			p++
			break
		}
		if c == ',' {
			if expectElem {
				return Null, malformedArray(s, `Unexpected "," character.`)
			}
			expectElem = true
			p++
			continue
		}
		if !expectElem {
			return Null, malformedArray(s, "Unexpected array element.")
		}
		if c == '{' {
			return Null, pgerr.New(pgerr.FeatureNotSupported, "multidimensional arrays are not supported")
		}
		text, quoted, n, err := scanArrayElement(s, p)
		if err != nil {
			return Null, err
		}
		p = n
		if !quoted && strings.EqualFold(text, "NULL") {
			out = append(out, Null)
		} else {
			d, err := ParseTextWithOptions(elem, text, opts)
			if err != nil {
				return Null, err
			}
			out = append(out, d)
		}
		expectElem, first = false, false
	}
	for p < len(s) && isSpace(s[p]) {
		p++
	}
	if p != len(s) {
		return Null, malformedArray(s, "Junk after closing right brace.")
	}
	if out == nil {
		out = []Datum{}
	}
	return NewArray(out), nil
}

// scanArrayElement reads one element starting at p and returns its
// de-escaped text, whether it was quoted, and the position after it.
func scanArrayElement(s string, p int) (string, bool, int, error) {
	var b strings.Builder
	if s[p] == '"' {
		p++
		for {
			if p >= len(s) {
				return "", false, 0, malformedArray(s, "Unexpected end of input.")
			}
			c := s[p]
			if c == '\\' {
				if p+1 >= len(s) {
					return "", false, 0, malformedArray(s, "Unexpected end of input.")
				}
				b.WriteByte(s[p+1])
				p += 2
				continue
			}
			if c == '"' {
				p++
				break
			}
			b.WriteByte(c)
			p++
		}
		for p < len(s) && isSpace(s[p]) {
			p++
		}
		if p < len(s) && s[p] != ',' && s[p] != '}' {
			return "", false, 0, malformedArray(s, "Unexpected array element.")
		}
		return b.String(), true, p, nil
	}
	// unquoted: up to , or }, trailing unescaped spaces trimmed
	lastNonSpace := 0
	for p < len(s) {
		c := s[p]
		if c == ',' || c == '}' {
			break
		}
		if c == '{' || c == '"' {
			return "", false, 0, malformedArray(s, "Unexpected array element.")
		}
		if c == '\\' {
			if p+1 >= len(s) {
				return "", false, 0, malformedArray(s, "Unexpected end of input.")
			}
			b.WriteByte(s[p+1])
			p += 2
			lastNonSpace = b.Len()
			continue
		}
		b.WriteByte(c)
		if !isSpace(c) {
			lastNonSpace = b.Len()
		}
		p++
	}
	return b.String()[:lastNonSpace], false, p, nil
}

// appendArrayText prints an array as array_out: {1,2,NULL,"a b"}.
func appendArrayText(buf []byte, t T, d Datum, opts FormatOptions) []byte {
	elem, _ := t.ElemType()
	buf = append(buf, '{')
	var scratch []byte
	for i, e := range d.Arr {
		if i > 0 {
			buf = append(buf, ',')
		}
		if e.IsNull() {
			buf = append(buf, "NULL"...)
			continue
		}
		scratch = AppendText(scratch[:0], elem, e, opts)
		buf = appendArrayElemQuoted(buf, scratch)
	}
	return append(buf, '}')
}

// appendArrayElemQuoted quotes an element when array_out would: empty,
// NULL in any case, or containing braces, quotes, commas, backslashes or
// white space.
func appendArrayElemQuoted(buf, el []byte) []byte {
	need := len(el) == 0 || strings.EqualFold(string(el), "NULL")
	for _, c := range el {
		if c == '{' || c == '}' || c == '"' || c == ',' || c == '\\' || isSpace(c) {
			need = true
			break
		}
	}
	if !need {
		return append(buf, el...)
	}
	buf = append(buf, '"')
	for _, c := range el {
		if c == '"' || c == '\\' {
			buf = append(buf, '\\')
		}
		buf = append(buf, c)
	}
	return append(buf, '"')
}
