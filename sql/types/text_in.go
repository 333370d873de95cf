package types

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// ParseText parses s in PostgreSQL's text input format for t and applies
// t's modifier (varchar(n) length, numeric(p,s) rounding, vector(n)
// dimensions), with PostgreSQL's SQLSTATEs and messages. Time zone-less
// timestamptz input is taken as UTC; use ParseTextWithOptions to honour
// the session TimeZone.
//
// reg* types accept only numeric OIDs here: resolving names needs the
// catalog, which the binder does before calling this; a name gets the
// "does not exist" error PostgreSQL gives for an unknown one.
//
// Errors are *pgerr.Error. The returned datum does not alias s's memory
// beyond Go's usual string sharing.
func ParseText(t T, s string) (Datum, error) {
	return ParseTextWithOptions(t, s, FormatOptions{})
}

// ParseTextWithOptions is ParseText with the session's settings (the time
// zone for timestamptz input without an offset).
func ParseTextWithOptions(t T, s string, opts FormatOptions) (Datum, error) {
	switch t.Family {
	case Bool:
		return parseBool(s)
	case Int2:
		return parseInt(s, 16, "smallint")
	case Int4:
		return parseInt(s, 32, "integer")
	case Int8:
		return parseInt(s, 64, "bigint")
	case Oid, Regclass, Regtype, Regproc, Regnamespace:
		return parseOidLike(t, s)
	case Float4:
		return parseFloat(s, 32)
	case Float8:
		return parseFloat(s, 64)
	case Numeric:
		return parseNumeric(s, t.Typmod)
	case Text, Unknown, Record:
		return NewString(s), checkUTF8(s)
	case Varchar, Bpchar:
		if err := checkUTF8(s); err != nil {
			return Null, err
		}
		return applyCharTypmod(t, s, false)
	case Name:
		return NewString(truncateName(s)), checkUTF8(s)
	case Char:
		return parseChar(s), nil
	case Bytea:
		return parseBytea(s)
	case Uuid:
		return parseUUID(s)
	case Json, Jsonb:
		if err := checkUTF8(s); err != nil {
			return Null, err
		}
		return parseJSON(s, t.Family == Jsonb)
	case Date:
		return parseDate(s, opts)
	case Timestamp, Timestamptz:
		return parseTimestamp(t, s, opts)
	case Interval:
		return parseInterval(s)
	case Vector:
		v, err := ParseVector(s)
		if err != nil {
			return Null, err
		}
		if err := checkVectorTypmod(t.Typmod, len(v)); err != nil {
			return Null, err
		}
		return NewVector(v), nil
	case HalfVec:
		v, err := ParseHalfVec(s)
		if err != nil {
			return Null, err
		}
		if err := checkVectorTypmod(t.Typmod, len(v)); err != nil {
			return Null, err
		}
		return NewVector(v), nil
	case Bit, VarBit:
		return parseBitTyped(t, s)
	case Int2Vector, OidVector:
		return parseIntVector(t, s)
	case Array:
		return parseArray(t, s, opts)
	case Void:
		return Null, nil
	}
	return Null, pgerr.Newf(pgerr.FeatureNotSupported, "text input for type %s is not supported", t)
}

func invalidSyntax(typ, s string) *pgerr.Error {
	return pgerr.Newf(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", typ, s)
}

// checkUTF8 rejects strings that are not valid UTF-8 (the server encoding).
func checkUTF8(s string) error {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return nil
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || r == 0 {
			return pgerr.Newf(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", s[i])
		}
		i += n
	}
	return nil
}

// isSpace is PostgreSQL's scanner_isspace / isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// parseBool follows boolin: any unique prefix of true/false/yes/no, on/off
// (at least two letters), 1/0; case-insensitive; surrounding spaces allowed.
func parseBool(s string) (Datum, error) {
	v := strings.ToLower(trimSpace(s))
	if v != "" {
		switch {
		case strings.HasPrefix("true", v), strings.HasPrefix("yes", v), v == "1":
			return NewBool(true), nil
		case strings.HasPrefix("false", v), strings.HasPrefix("no", v), v == "0":
			return NewBool(false), nil
		case len(v) >= 2 && strings.HasPrefix("on", v):
			return NewBool(true), nil
		case len(v) >= 2 && strings.HasPrefix("off", v):
			return NewBool(false), nil
		}
	}
	return Null, invalidSyntax("boolean", s)
}

// parseInt follows pg_strtoint16/32/64 in PostgreSQL 15: optional spaces,
// sign, decimal digits only (no underscores, no hex), optional spaces.
func parseInt(s string, bits int, typ string) (Datum, error) {
	v := trimSpace(s)
	digits := v
	if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
		digits = digits[1:]
	}
	if digits == "" {
		return Null, invalidSyntax(typ, s)
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Null, invalidSyntax(typ, s)
		}
	}
	n, err := strconv.ParseInt(v, 10, bits)
	if err != nil {
		return Null, pgerr.Newf(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, typ)
	}
	return NewInt(n), nil
}

// parseOidLike parses oid (strtoul semantics: negative values wrap, as
// oidin accepts -1 for 4294967295) and numeric reg* input.
func parseOidLike(t T, s string) (Datum, error) {
	v := trimSpace(s)
	digits := v
	neg := false
	if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
		neg = digits[0] == '-'
		digits = digits[1:]
	}
	numeric := digits != ""
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			numeric = false
			break
		}
	}
	if !numeric {
		if t.Family != Oid && v != "" && v != "-" {
			return Null, regNameError(t, v)
		}
		return Null, invalidSyntax(t.TypName(), s)
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil {
		return Null, pgerr.Newf(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.TypName())
	}
	if neg {
		if n > 1<<31 {
			return Null, pgerr.Newf(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.TypName())
		}
		n = uint64(uint32(-int64(n)))
	}
	return NewInt(int64(n)), nil
}

// regNameError is the error for a reg* name the catalog does not know.
func regNameError(t T, name string) error {
	switch t.Family {
	case Regclass:
		return pgerr.Newf(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
	case Regtype:
		return pgerr.Newf(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
	case Regproc:
		return pgerr.Newf(pgerr.UndefinedFunction, "function \"%s\" does not exist", name)
	default:
		return pgerr.Newf(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", name)
	}
}

// floatTypeName is the SQL name used in float error messages.
func floatTypeName(bits int) string {
	if bits == 32 {
		return "real"
	}
	return "double precision"
}

// parseFloat follows float4in/float8in: spaces around, strtod syntax,
// NaN/Infinity/inf in any case; overflow and underflow are 22003.
func parseFloat(s string, bits int) (Datum, error) {
	v := trimSpace(s)
	f, ok, overflow, underflow := parseFloatSyntax(v, bits)
	if !ok {
		return Null, invalidSyntax(floatTypeName(bits), s)
	}
	if overflow || underflow {
		return Null, pgerr.Newf(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type %s", v, floatTypeName(bits))
	}
	return NewFloat(f), nil
}

// parseFloatSyntax parses one strtod-style number (already trimmed). ok is
// false for bad syntax; overflow and underflow (to zero
// of a non-zero literal) report strtod's ERANGE.
func parseFloatSyntax(v string, bits int) (f float64, ok, overflow, underflow bool) {
	if v == "" {
		return 0, false, false, false
	}
	body := v
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "nan":
		return math.NaN(), true, false, false
	case "inf", "infinity":
		if v[0] == '-' {
			return math.Inf(-1), true, false, false
		}
		return math.Inf(1), true, false, false
	}
	if strings.ContainsAny(body, "_xXpP") || body == "" {
		if h, ok := parseHexFloat(v); ok {
			return h, true, false, false
		}
		return 0, false, false, false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false, false, false
		}
	}
	f, err := strconv.ParseFloat(v, bits)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return 0, true, true, false
		}
		return 0, false, false, false
	}
	if f == 0 && hasNonZeroMantissa(body) {
		return 0, true, false, true
	}
	return f, true, false, false
}

// parseHexFloat accepts strtod's hexadecimal integers ("0x10").
func parseHexFloat(v string) (float64, bool) {
	neg := false
	if v != "" && (v[0] == '+' || v[0] == '-') {
		neg = v[0] == '-'
		v = v[1:]
	}
	if len(v) < 3 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') {
		return 0, false
	}
	b, err := strconv.ParseUint(v[2:], 16, 64)
	if err != nil || strings.Contains(v, "_") {
		return 0, false
	}
	f := float64(b)
	if neg {
		f = -f
	}
	return f, true
}

func hasNonZeroMantissa(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'e' || c == 'E' {
			return false
		}
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

// truncateName cuts s to NAMEDATALEN-1 (63) bytes at a character boundary.
func truncateName(s string) string {
	if len(s) <= 63 {
		return s
	}
	n := 63
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// applyCharTypmod enforces varchar(n)/char(n): too long is 22001 unless
// the excess is spaces (or explicit is set, which truncates as an explicit
// cast does); char(n) pads with spaces to n characters.
func applyCharTypmod(t T, s string, explicit bool) (Datum, error) {
	if t.Typmod < 4 {
		return NewString(s), nil
	}
	n := int(t.Typmod - 4)
	count := utf8.RuneCountInString(s)
	if count > n {
		cut := byteOffsetOfRune(s, n)
		if !explicit && strings.TrimRight(s[cut:], " ") != "" {
			return Null, pgerr.Newf(pgerr.StringDataRightTruncation, "value too long for type %s", T{Family: t.Family, Typmod: t.Typmod})
		}
		s = s[:cut]
		count = n
	}
	if t.Family == Bpchar && count < n {
		s += strings.Repeat(" ", n-count)
	}
	return NewString(s), nil
}

func byteOffsetOfRune(s string, n int) int {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

// parseBytea accepts the hex format (\x...) and the escape format
// (backslash-octal and \\).
func parseBytea(s string) (Datum, error) {
	if strings.HasPrefix(s, `\x`) {
		out := make([]byte, 0, (len(s)-2)/2)
		for i := 2; i < len(s); {
			c := s[i]
			if isSpace(c) {
				i++
				continue
			}
			hi, ok := hexVal(c)
			if !ok {
				return Null, pgerr.Newf(pgerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", string(firstRune(s[i:])))
			}
			if i+1 >= len(s) {
				return Null, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			lo, ok := hexVal(s[i+1])
			if !ok {
				return Null, pgerr.Newf(pgerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", string(firstRune(s[i+1:])))
			}
			out = append(out, hi<<4|lo)
			i += 2
		}
		return Datum{K: KindBytes, S: string(out)}, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			out = append(out, s[i])
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i += 2
			continue
		}
		if i+3 < len(s)+0 && isOctal(s[i+1]) && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 4
			continue
		}
		return Null, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
	}
	return Datum{K: KindBytes, S: string(out)}, nil
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseUUID follows uuid_in: 32 hex digits, optionally in braces, with an
// optional hyphen after any group of four digits; output is canonical.
func parseUUID(s string) (Datum, error) {
	v := s
	braces := strings.HasPrefix(v, "{")
	if braces {
		v = v[1:]
	}
	var raw [16]byte
	n := 0
	i := 0
	for n < 32 {
		if i >= len(v) {
			return Null, invalidSyntax("uuid", s)
		}
		h, ok := hexVal(v[i])
		if !ok {
			return Null, invalidSyntax("uuid", s)
		}
		if n%2 == 0 {
			raw[n/2] = h << 4
		} else {
			raw[n/2] |= h
		}
		n++
		i++
		if n%4 == 0 && n < 32 && i < len(v) && v[i] == '-' {
			i++
		}
	}
	if braces {
		if i >= len(v) || v[i] != '}' {
			return Null, invalidSyntax("uuid", s)
		}
		i++
	}
	if i != len(v) {
		return Null, invalidSyntax("uuid", s)
	}
	return NewString(formatUUID(raw[:])), nil
}

// formatUUID prints 16 bytes in the canonical 8-4-4-4-12 lower-case form.
func formatUUID(b []byte) string {
	var out [36]byte
	h := hex.EncodeToString(b)
	copy(out[0:8], h[0:8])
	out[8] = '-'
	copy(out[9:13], h[8:12])
	out[13] = '-'
	copy(out[14:18], h[12:16])
	out[18] = '-'
	copy(out[19:23], h[16:20])
	out[23] = '-'
	copy(out[24:], h[20:])
	return string(out[:])
}

// parseIntVector parses int2vector/oidvector: integers separated by spaces.
func parseIntVector(t T, s string) (Datum, error) {
	elem, _ := t.ElemType()
	fields := strings.FieldsFunc(s, func(r rune) bool { return r < 128 && isSpace(byte(r)) })
	out := make([]Datum, 0, len(fields))
	for _, f := range fields {
		d, err := ParseText(elem, f)
		if err != nil {
			return Null, err
		}
		out = append(out, d)
	}
	return NewArray(out), nil
}

// parseChar is charin: the first byte, or \ooo (PostgreSQL 15 prints
// bytes with the high bit set that way).
func parseChar(s string) Datum {
	if len(s) == 4 && s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && isOctal(s[2]) && isOctal(s[3]) {
		return NewString(string([]byte{(s[1]-'0')<<6 | (s[2]-'0')<<3 | (s[3] - '0')}))
	}
	if s == "" {
		return NewString("")
	}
	return NewString(s[:1])
}
