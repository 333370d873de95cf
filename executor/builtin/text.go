package builtin

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Text functions work on characters (UTF-8 runes), as PostgreSQL does in a
// UTF8 database; octet_length counts bytes. varchar, name and bpchar
// arguments reach the text overloads through implicit casts.

func str(s string) types.Datum { return types.NewString(s) }

func intD(i int) types.Datum { return types.NewInt(int64(i)) }

func (l *Library) addText() {
	t, i4 := types.TextType, types.Int4Type
	charLen := func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(utf8.RuneCountInString(a[0].S)), nil }
	bpLen := func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return intD(utf8.RuneCountInString(strings.TrimRight(a[0].S, " "))), nil
	}
	for _, name := range []string{"length", "char_length", "character_length"} {
		l.fn(name, ts(t), i4, charLen)
		l.fn(name, ts(types.BpcharType), i4, bpLen)
	}
	l.fn("octet_length", ts(t), i4, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].S)), nil })
	l.fn("octet_length", ts(types.ByteaType), i4, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].S)), nil })
	l.fn("length", ts(types.ByteaType), i4, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return intD(len(a[0].S)), nil })
	l.fn("lower", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return str(strings.ToLower(a[0].S)), nil })
	l.fn("upper", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return str(strings.ToUpper(a[0].S)), nil })
	for _, name := range []string{"substring", "substr"} {
		l.fn(name, ts(t, i4), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return substring(a[0].S, a[1].I, -1, false)
		})
		l.fn(name, ts(t, i4, i4), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			return substring(a[0].S, a[1].I, a[2].I, true)
		})
	}
	// NB: POSITION(sub IN s) arrives as position(s, sub), as PostgreSQL's grammar produces.
	strpos := func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		i := strings.Index(a[0].S, a[1].S)
		if i < 0 {
			return intD(0), nil
		}
		return intD(utf8.RuneCountInString(a[0].S[:i]) + 1), nil
	}
	l.fn("position", ts(t, t), i4, strpos)
	l.fn("strpos", ts(t, t), i4, strpos)
	l.fn("replace", ts(t, t, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		if a[1].S == "" {
			return a[0], nil
		}
		return str(strings.ReplaceAll(a[0].S, a[1].S, a[2].S)), nil
	})
	l.addTrim()
	l.fn("left", ts(t, i4), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].S)
		n := int(a[1].I)
		if n < 0 {
			n = max(0, len(r)+n)
		}
		return str(string(r[:min(n, len(r))])), nil
	})
	l.fn("right", ts(t, i4), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].S)
		n := int(a[1].I)
		if n < 0 {
			n = max(0, len(r)+n)
		}
		return str(string(r[len(r)-min(n, len(r)):])), nil
	})
	l.fn("repeat", ts(t, i4), t, evalRepeat)
	l.fn("split_part", ts(t, t, i4), t, evalSplitPart)
	l.fn("starts_with", ts(t, t), types.BoolType, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.NewBool(strings.HasPrefix(a[0].S, a[1].S)), nil
	})
	l.fn("md5", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		h := md5.Sum([]byte(a[0].S))
		return str(hex.EncodeToString(h[:])), nil
	})
	l.fn("md5", ts(types.ByteaType), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		h := md5.Sum([]byte(a[0].S))
		return str(hex.EncodeToString(h[:])), nil
	})
	l.fn("lpad", ts(t, i4), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return pad(a[0].S, a[1].I, " ", true) })
	l.fn("lpad", ts(t, i4, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return pad(a[0].S, a[1].I, a[2].S, true) })
	l.fn("rpad", ts(t, i4), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return pad(a[0].S, a[1].I, " ", false) })
	l.fn("rpad", ts(t, i4, t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return pad(a[0].S, a[1].I, a[2].S, false) })
	l.fn("reverse", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].S)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return str(string(r)), nil
	})
	l.fn("initcap", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return str(initcap(a[0].S)), nil })
	l.fn("quote_ident", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return str(quoteIdent(a[0].S)), nil })
	l.fn("quote_literal", ts(t), t, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return str(quoteLiteral(a[0].S)), nil })
	l.fn("ascii", ts(t), i4, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		r, _ := utf8.DecodeRuneInString(a[0].S)
		if a[0].S == "" {
			r = 0
		}
		return intD(int(r)), nil
	})
	l.fn("chr", ts(i4), t, evalChr)
	l.addConcat()
	l.addLike()
}

// substring is text_substring: characters start .. start+count-1 (1-based),
// clipped to the string; without hasCount, to the end of the string.
func substring(s string, start, count int64, hasCount bool) (types.Datum, error) {
	if !hasCount {
		count = -1
	} else if count < 0 {
		return types.Datum{}, pgerr.New(pgerr.Code("22011"), "negative substring length not allowed")
	}
	r := []rune(s)
	end := int64(len(r)) + 1
	if count >= 0 {
		end = start + count
		if count > 0 && end < start { // overflow
			end = int64(len(r)) + 1
		}
	}
	from := max(start, 1)
	if end <= from || from > int64(len(r)) {
		return str(""), nil
	}
	end = min(end, int64(len(r))+1)
	return str(string(r[from-1 : end-1])), nil
}

func evalRepeat(_ *Ctx, a []types.Datum) (types.Datum, error) {
	n := a[1].I
	if n <= 0 || a[0].S == "" {
		return str(""), nil
	}
	if int64(len(a[0].S))*n > 1<<30-1 {
		return types.Datum{}, pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
	}
	return str(strings.Repeat(a[0].S, int(n))), nil
}

// evalSplitPart is split_part with PostgreSQL 14's negative field numbers.
func evalSplitPart(_ *Ctx, a []types.Datum) (types.Datum, error) {
	s, delim, n := a[0].S, a[1].S, a[2].I
	if n == 0 {
		return types.Datum{}, pgerr.New(pgerr.InvalidParameterValue, "field position must not be zero")
	}
	if s == "" {
		return str(""), nil
	}
	if delim == "" {
		if n == 1 || n == -1 {
			return str(s), nil
		}
		return str(""), nil
	}
	parts := strings.Split(s, delim)
	if n < 0 {
		n = int64(len(parts)) + n + 1
	}
	if n < 1 || n > int64(len(parts)) {
		return str(""), nil
	}
	return str(parts[n-1]), nil
}

// pad is lpad/rpad: fill (repeated) up to length characters, or truncate
// s to length; an empty fill leaves s truncated.
func pad(s string, length int64, fill string, left bool) (types.Datum, error) {
	if length <= 0 {
		return str(""), nil
	}
	if length > 1<<28 {
		return types.Datum{}, pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
	}
	r := []rune(s)
	if int64(len(r)) >= length || fill == "" {
		return str(string(r[:min(int64(len(r)), length)])), nil
	}
	f := []rune(fill)
	need := int(length) - len(r)
	padding := make([]rune, need)
	for i := range padding {
		padding[i] = f[i%len(f)]
	}
	if left {
		return str(string(padding) + s), nil
	}
	return str(s + string(padding)), nil
}

func evalChr(_ *Ctx, a []types.Datum) (types.Datum, error) {
	c := a[0].I
	if c == 0 {
		return types.Datum{}, pgerr.New(pgerr.Code("54000"), "null character not permitted")
	}
	if c < 0 || c > unicode.MaxRune || (c >= 0xD800 && c <= 0xDFFF) {
		return types.Datum{}, pgerr.New(pgerr.ProgramLimitExceeded, "requested character too large for encoding: "+itoa(c))
	}
	return str(string(rune(c))), nil
}

// initcap upper-cases the first letter of each run of letters and digits
// and lower-cases the rest.
func initcap(s string) string {
	var b strings.Builder
	inWord := false
	for _, r := range s {
		if inWord {
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
		inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return b.String()
}

// reservedKeywords are the words quote_ident must quote although they are
// plain lower-case identifiers (PostgreSQL's reserved and column-name
// keywords that clients meet in practice).
var reservedKeywords = map[string]bool{
	"all": true, "analyse": true, "analyze": true, "and": true, "any": true, "array": true, "as": true,
	"asc": true, "asymmetric": true, "both": true, "case": true, "cast": true, "check": true,
	"collate": true, "column": true, "constraint": true, "create": true, "current_catalog": true,
	"current_date": true, "current_role": true, "current_time": true, "current_timestamp": true,
	"current_user": true, "default": true, "deferrable": true, "desc": true, "distinct": true,
	"do": true, "else": true, "end": true, "except": true, "false": true, "fetch": true, "for": true,
	"foreign": true, "from": true, "grant": true, "group": true, "having": true, "in": true,
	"initially": true, "intersect": true, "into": true, "lateral": true, "leading": true,
	"limit": true, "localtime": true, "localtimestamp": true, "not": true, "null": true,
	"offset": true, "on": true, "only": true, "or": true, "order": true, "placing": true,
	"primary": true, "references": true, "returning": true, "select": true, "session_user": true,
	"some": true, "symmetric": true, "table": true, "then": true, "to": true, "trailing": true,
	"true": true, "union": true, "unique": true, "user": true, "using": true, "variadic": true,
	"when": true, "where": true, "window": true, "with": true, "authorization": true,
	"binary": true, "collation": true, "concurrently": true, "cross": true, "current_schema": true,
	"freeze": true, "full": true, "ilike": true, "inner": true, "is": true, "isnull": true,
	"join": true, "left": true, "like": true, "natural": true, "notnull": true, "outer": true,
	"overlaps": true, "right": true, "similar": true, "tablesample": true, "verbose": true,
	"between": true, "bigint": true, "bit": true, "boolean": true, "char": true, "character": true,
	"coalesce": true, "dec": true, "decimal": true, "exists": true, "extract": true, "float": true,
	"greatest": true, "grouping": true, "inout": true, "int": true, "integer": true, "interval": true,
	"least": true, "national": true, "nchar": true, "none": true, "normalize": true, "nullif": true,
	"numeric": true, "out": true, "overlay": true, "position": true, "precision": true, "real": true,
	"row": true, "setof": true, "smallint": true, "substring": true, "time": true, "timestamp": true,
	"treat": true, "trim": true, "values": true, "varchar": true,
}

// quoteIdent is quote_ident: double-quoted unless s is a lower-case
// identifier that is not a keyword.
func quoteIdent(s string) string {
	safe := s != "" && !reservedKeywords[s]
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && (r >= '0' && r <= '9' || r == '$'))) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLiteral is quote_literal: single quotes doubled, and the E” form
// with doubled backslashes when s has a backslash.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
