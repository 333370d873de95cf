package sql

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// tokKind classifies a Postgres token.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokIdent          // unquoted word; val is folded to lower case (keywords too)
	tokQIdent         // "quoted identifier"; val is exact
	tokString         // '...', E'...', $$...$$; val is after escape processing
	tokBitStr         // B'...' or X'...'; val is the body prefixed by b or x, as bit's input takes it
	tokNumber         // numeric literal; val == raw
	tokParam          // $N; num holds N
	tokOp             // operator or punctuation; val is the operator text
)

// token is one lexeme of the query string. pos/end are byte offsets into
// the whole query string handed to lex.
type token struct {
	kind tokKind
	val  string
	pos  int
	end  int
	num  int // tokParam only
}

// is reports whether t is the unquoted keyword kw (lower case).
func (t token) is(kw string) bool { return t.kind == tokIdent && t.val == kw }

// isOp reports whether t is the operator or punctuation op.
func (t token) isOp(op string) bool { return t.kind == tokOp && t.val == op }

// isName reports whether t can be used as a name (identifier or quoted identifier).
func (t token) isName() bool { return t.kind == tokIdent || t.kind == tokQIdent }

// lexer turns a query string into Postgres tokens, following the rules of
// PostgreSQL's scan.l (standard_conforming_strings = on).
type lexer struct {
	s    string
	i    int
	toks []token
}

// lex tokenises the whole query string. Comments and whitespace are dropped.
// Errors are *pgerr.Error with code 42601 and a 1-based Position.
func lex(s string) ([]token, error) {
	if err := checkEncoding(s); err != nil {
		return nil, err
	}
	l := &lexer{s: s}
	for {
		if err := l.skipSpace(); err != nil {
			return nil, err
		}
		if l.i >= len(s) {
			break
		}
		if err := l.next(); err != nil {
			return nil, err
		}
	}
	return l.toks, nil
}

// errAt builds a 42601 error whose position is the byte offset off.
func errAt(s string, off int, msg string) *pgerr.Error {
	return pgerr.New(pgerr.SyntaxError, msg).WithPosition(charPos(s, off))
}

// charPos converts a byte offset into PostgreSQL's 1-based character position.
func charPos(s string, off int) int {
	if off > len(s) {
		off = len(s)
	}
	if off < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:off]) + 1
}

func (l *lexer) skipSpace() error {
	for l.i < len(l.s) {
		c := l.s[l.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.i++
		case c == '-' && l.peek(1) == '-':
			for l.i < len(l.s) && l.s[l.i] != '\n' && l.s[l.i] != '\r' {
				l.i++
			}
		case c == '/' && l.peek(1) == '*':
			// NB: PostgreSQL block comments nest.
			start, depth := l.i, 0
			for {
				if l.i >= len(l.s) {
					return errAt(l.s, start, "unterminated /* comment at or near \""+l.s[start:]+"\"")
				}
				if l.s[l.i] == '/' && l.peek(1) == '*' {
					depth++
					l.i += 2
				} else if l.s[l.i] == '*' && l.peek(1) == '/' {
					depth--
					l.i += 2
					if depth == 0 {
						break
					}
				} else {
					l.i++
				}
			}
		default:
			return nil
		}
	}
	return nil
}

func (l *lexer) peek(k int) byte {
	if l.i+k < len(l.s) {
		return l.s[l.i+k]
	}
	return 0
}

func (l *lexer) emit(kind tokKind, val string, start int) {
	l.toks = append(l.toks, token{kind: kind, val: val, pos: start, end: l.i})
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIdentCont(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// opChars are the characters PostgreSQL operators are made of.
const opChars = "+-*/<>=~!@#%^&|`?"

func (l *lexer) next() error {
	start := l.i
	c := l.s[l.i]
	switch {
	case (c == 'e' || c == 'E') && l.peek(1) == '\'':
		l.i++
		v, err := l.quoted(start, true)
		if err != nil {
			return err
		}
		if err := checkEncoding(v); err != nil {
			return err
		}
		l.emit(tokString, v, start)
	case (c == 'b' || c == 'B' || c == 'x' || c == 'X') && l.peek(1) == '\'':
		l.i++
		v, err := l.quoted(start, false)
		if err != nil {
			return err
		}
		// NB: scan.l hands bit_in the body after a 'b' or 'x' marker.
		l.emit(tokBitStr, string(c|0x20)+v, start)
	case c == '\'':
		v, err := l.quoted(start, false)
		if err != nil {
			return err
		}
		l.emit(tokString, v, start)
	case c == '"':
		return l.quotedIdent(start)
	case isIdentStart(c):
		for l.i < len(l.s) && isIdentCont(l.s[l.i]) {
			l.i++
		}
		l.emit(tokIdent, foldIdent(l.s[start:l.i]), start)
	case isDigit(c) || (c == '.' && isDigit(l.peek(1))):
		l.number()
		l.emit(tokNumber, l.s[start:l.i], start)
	case c == '$':
		return l.dollar(start)
	case c == ':' && l.peek(1) == ':':
		l.i += 2
		l.emit(tokOp, "::", start)
	case c == ':' && l.peek(1) == '=':
		l.i += 2
		l.emit(tokOp, ":=", start)
	case strings.IndexByte("()[],;:.", c) >= 0:
		l.i++
		l.emit(tokOp, string(c), start)
	case strings.IndexByte(opChars, c) >= 0:
		l.operator(start)
	default:
		l.i++
		return errAt(l.s, start, "syntax error at or near \""+l.s[start:l.i]+"\"")
	}
	return nil
}

// checkEncoding rejects text that is not valid UTF-8 or contains NUL, as
// PostgreSQL does for a UTF8 database (SQLSTATE 22021). NB: the TiDB
// scanner must never see such bytes.
func checkEncoding(s string) error {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && n == 1) {
			return pgerr.Newf(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", s[i])
		}
		i += n
	}
	return nil
}

// foldIdent lower-cases ASCII letters, as PostgreSQL's downcase_identifier does.
func foldIdent(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func (l *lexer) number() {
	for l.i < len(l.s) && isDigit(l.s[l.i]) {
		l.i++
	}
	// NB: "1..2" lexes as 1 then .. in PostgreSQL; only take '.' when not followed by another '.'.
	if l.i < len(l.s) && l.s[l.i] == '.' && l.peek(1) != '.' {
		l.i++
		for l.i < len(l.s) && isDigit(l.s[l.i]) {
			l.i++
		}
	}
	if l.i < len(l.s) && (l.s[l.i] == 'e' || l.s[l.i] == 'E') {
		j := l.i + 1
		if j < len(l.s) && (l.s[j] == '+' || l.s[j] == '-') {
			j++
		}
		if j < len(l.s) && isDigit(l.s[j]) {
			for j < len(l.s) && isDigit(l.s[j]) {
				j++
			}
			l.i = j
		}
	}
}

// operator scans a multi-character operator with PostgreSQL's rules: a
// comment start ends it, and a trailing + or - is dropped unless the
// operator contains one of ~ ! @ # % ^ & | ` ?.
func (l *lexer) operator(start int) {
	j := l.i
	for j < len(l.s) && strings.IndexByte(opChars, l.s[j]) >= 0 {
		if j > start && ((l.s[j] == '-' && j+1 < len(l.s) && l.s[j+1] == '-') || (l.s[j] == '/' && j+1 < len(l.s) && l.s[j+1] == '*')) {
			break
		}
		j++
	}
	op := l.s[start:j]
	if len(op) > 1 && (op[len(op)-1] == '+' || op[len(op)-1] == '-') && !strings.ContainsAny(op, "~!@#%^&|`?") {
		for len(op) > 1 && (op[len(op)-1] == '+' || op[len(op)-1] == '-') {
			op = op[:len(op)-1]
		}
	}
	l.i = start + len(op)
	if op == "!=" {
		op = "<>"
	}
	l.emit(tokOp, op, start)
}

// quoted scans a single-quoted string whose opening quote is at l.i.
// Adjacent literals separated by whitespace with a newline are concatenated.
func (l *lexer) quoted(start int, escapes bool) (string, error) {
	var b strings.Builder
	for {
		l.i++ // opening quote
		for {
			// NB: runs of plain characters are copied at once: a vector
			// literal is kilobytes of them, and a byte at a time was most
			// of the lexer's time.
			run := strings.IndexByte(l.s[l.i:], '\'')
			if escapes {
				if k := strings.IndexByte(l.s[l.i:], '\\'); k >= 0 && (run < 0 || k < run) {
					run = k
				}
			}
			if run < 0 {
				run = len(l.s) - l.i
			}
			b.WriteString(l.s[l.i : l.i+run])
			l.i += run
			if l.i >= len(l.s) {
				return "", errAt(l.s, start, "unterminated quoted string at or near \""+l.s[start:]+"\"")
			}
			c := l.s[l.i]
			if c == '\'' {
				if l.peek(1) == '\'' {
					b.WriteByte('\'')
					l.i += 2
					continue
				}
				l.i++
				break
			}
			if c == '\\' && escapes {
				if err := l.escape(&b, start); err != nil {
					return "", err
				}
				continue
			}
			b.WriteByte(c)
			l.i++
		}
		// Continuation: whitespace containing a newline, then another quote.
		j, nl := l.i, false
		for j < len(l.s) && strings.IndexByte(" \t\n\r\f", l.s[j]) >= 0 {
			if l.s[j] == '\n' || l.s[j] == '\r' {
				nl = true
			}
			j++
		}
		if !nl || j >= len(l.s) || l.s[j] != '\'' {
			return b.String(), nil
		}
		l.i = j
	}
}

// escape processes one backslash escape of an E” string at l.i.
func (l *lexer) escape(b *strings.Builder, start int) error {
	l.i++ // backslash
	if l.i >= len(l.s) {
		return errAt(l.s, start, "unterminated quoted string at or near \""+l.s[start:]+"\"")
	}
	c := l.s[l.i]
	l.i++
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		v := int(c - '0')
		for k := 0; k < 2 && l.i < len(l.s) && l.s[l.i] >= '0' && l.s[l.i] <= '7'; k++ {
			v = v*8 + int(l.s[l.i]-'0')
			l.i++
		}
		b.WriteByte(byte(v))
	case 'x':
		v, n := 0, 0
		for n < 2 && l.i < len(l.s) && isHex(l.s[l.i]) {
			v = v*16 + hexVal(l.s[l.i])
			l.i++
			n++
		}
		if n == 0 {
			b.WriteByte('x')
		} else {
			b.WriteByte(byte(v))
		}
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if l.i+n > len(l.s) {
			return errAt(l.s, l.i-2, "invalid Unicode escape")
		}
		v, err := strconv.ParseUint(l.s[l.i:l.i+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) || v == 0 {
			return errAt(l.s, l.i-2, "invalid Unicode escape value")
		}
		b.WriteRune(rune(v))
		l.i += n
	default:
		b.WriteByte(c)
	}
	return nil
}

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	default:
		return int(c-'A') + 10
	}
}

func (l *lexer) quotedIdent(start int) error {
	var b strings.Builder
	l.i++
	for {
		if l.i >= len(l.s) {
			return errAt(l.s, start, "unterminated quoted identifier at or near \""+l.s[start:]+"\"")
		}
		c := l.s[l.i]
		if c == '"' {
			if l.peek(1) == '"' {
				b.WriteByte('"')
				l.i += 2
				continue
			}
			l.i++
			break
		}
		b.WriteByte(c)
		l.i++
	}
	if b.Len() == 0 {
		return errAt(l.s, start, "zero-length delimited identifier at or near \"\"\"\"")
	}
	l.emit(tokQIdent, b.String(), start)
	return nil
}

// dollar scans $N parameters and $tag$...$tag$ strings.
func (l *lexer) dollar(start int) error {
	j := l.i + 1
	if j < len(l.s) && isDigit(l.s[j]) {
		for j < len(l.s) && isDigit(l.s[j]) {
			j++
		}
		n, err := strconv.Atoi(l.s[l.i+1 : j])
		l.i = j
		if err != nil || n > 65535 {
			return errAt(l.s, start, "syntax error at or near \""+l.s[start:j]+"\"")
		}
		l.toks = append(l.toks, token{kind: tokParam, val: l.s[start:j], pos: start, end: j, num: n})
		return nil
	}
	for j < len(l.s) && l.s[j] != '$' && isIdentCont(l.s[j]) {
		j++
	}
	if j >= len(l.s) || l.s[j] != '$' {
		l.i++
		return errAt(l.s, start, "syntax error at or near \"$\"")
	}
	tag := l.s[l.i : j+1]
	body := j + 1
	k := strings.Index(l.s[body:], tag)
	if k < 0 {
		return errAt(l.s, start, "unterminated dollar-quoted string at or near \""+l.s[start:]+"\"")
	}
	l.i = body + k + len(tag)
	l.emit(tokString, l.s[body:body+k], start)
	return nil
}
