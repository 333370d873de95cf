package types

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// parseJSON validates json input (kept verbatim, as PostgreSQL's json) or
// normalises jsonb input (keys sorted by length then bytes, duplicate keys
// resolved to the last, numbers as numeric, PostgreSQL's spacing).
func parseJSON(s string, jsonb bool) (Datum, error) {
	if err := validateJSON(s); err != nil {
		return Null, err
	}
	if !jsonb {
		return NewString(s), nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	v, err := decodeJSONValue(dec)
	if err != nil {
		return Null, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type json")
	}
	return NewString(string(appendJSONB(nil, v))), nil
}

// jsonObject keeps keys in jsonb order.
type jsonObject struct {
	keys []string
	vals map[string]any
}

func decodeJSONValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tv := tok.(type) {
	case json.Delim:
		switch tv {
		case '{':
			obj := &jsonObject{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeJSONValue(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := obj.vals[k]; !dup {
					obj.keys = append(obj.keys, k)
				}
				obj.vals[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			sort.Slice(obj.keys, func(i, j int) bool {
				a, b := obj.keys[i], obj.keys[j]
				if len(a) != len(b) {
					return len(a) < len(b)
				}
				return a < b
			})
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeJSONValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, io.ErrUnexpectedEOF
	default:
		return tok, nil
	}
}

func appendJSONB(buf []byte, v any) []byte {
	switch tv := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		return strconv.AppendBool(buf, tv)
	case json.Number:
		d, err := parseNumeric(string(tv), -1)
		if err != nil {
			return append(buf, tv...)
		}
		return appendNumericText(buf, d.Dec)
	case string:
		return AppendJSONString(buf, tv)
	case []any:
		buf = append(buf, '[')
		for i, e := range tv {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendJSONB(buf, e)
		}
		return append(buf, ']')
	case *jsonObject:
		buf = append(buf, '{')
		for i, k := range tv.keys {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = AppendJSONString(buf, k)
			buf = append(buf, ": "...)
			buf = appendJSONB(buf, tv.vals[k])
		}
		return append(buf, '}')
	}
	return buf
}

// appendJSONString quotes s as PostgreSQL's escape_json.
func AppendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '"':
			buf = append(buf, `\"`...)
		case '\\':
			buf = append(buf, `\\`...)
		case '\b':
			buf = append(buf, `\b`...)
		case '\f':
			buf = append(buf, `\f`...)
		case '\n':
			buf = append(buf, `\n`...)
		case '\r':
			buf = append(buf, `\r`...)
		case '\t':
			buf = append(buf, `\t`...)
		default:
			if c < 0x20 {
				buf = append(buf, `\u00`...)
				buf = append(buf, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			} else {
				_, n := utf8.DecodeRuneInString(s[i:])
				buf = append(buf, s[i:i+n]...)
				i += n
				continue
			}
		}
		i++
	}
	return append(buf, '"')
}

// validateJSON checks s is JSON; errors are PostgreSQL's 22P02 "invalid
// input syntax for type json" (for jsonb too) with a DETAIL naming the
// offending token as PostgreSQL's lexer does.
func validateJSON(s string) error {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	err := dec.Decode(&v)
	if err == nil {
		if _, err2 := dec.Token(); err2 == io.EOF {
			return nil
		}
		err = &json.SyntaxError{Offset: dec.InputOffset() + 1}
	}
	e := pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type json")
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return e.WithDetail("The input string ended unexpectedly.")
	}
	pos := int(se.Offset) - 1
	for pos > 0 && pos < len(s) && isSpace(s[pos]) {
		pos++
	}
	if pos < 0 || pos >= len(s) {
		return e.WithDetail("The input string ended unexpectedly.")
	}
	// the token: a run of letters and digits, or the single character
	start, end := pos, pos+1
	isWord := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	if isWord(s[pos]) {
		for start > 0 && isWord(s[start-1]) {
			start--
		}
		for end < len(s) && isWord(s[end]) {
			end++
		}
	}
	return e.WithDetail(fmt.Sprintf("Token \"%s\" is invalid.", s[start:end]))
}
