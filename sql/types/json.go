package types

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// parseJSON validates json input (kept verbatim, as PostgreSQL's json) or
// normalises jsonb input (keys sorted by length then bytes, duplicate keys
// resolved to the last, numbers as numeric, PostgreSQL's spacing).
func parseJSON(s string, jsonb bool) (Datum, error) {
	typ := "json"
	if jsonb {
		typ = "jsonb"
	}
	if !json.Valid([]byte(s)) {
		return Null, pgerr.Newf(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s", typ).
			WithDetail("The input string ended unexpectedly or contains an invalid token.")
	}
	if !jsonb {
		return NewString(s), nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	v, err := decodeJSONValue(dec)
	if err != nil {
		return Null, pgerr.Newf(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s", typ)
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
		return appendJSONString(buf, tv)
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
			buf = appendJSONString(buf, k)
			buf = append(buf, ": "...)
			buf = appendJSONB(buf, tv.vals[k])
		}
		return append(buf, '}')
	}
	return buf
}

// appendJSONString quotes s as PostgreSQL's escape_json.
func appendJSONString(buf []byte, s string) []byte {
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
