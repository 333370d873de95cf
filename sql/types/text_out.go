package types

import (
	"encoding/hex"
	"strconv"
)

// AppendText appends d's text output format for t, exactly as PostgreSQL
// 15 prints it under opts (see FormatOptions), and returns the extended
// buffer. d must not be NULL (the wire sends NULL as length -1; this
// appends nothing for it). It never fails: d is assumed to be a valid
// value of t.
//
// Formats: floats shortest-exact (1e+15, 1e-05, 0.1, Infinity, NaN);
// bool t/f; numeric with its display scale (7.70); timestamptz
// "2024-01-02 03:04:05.123456+00" in opts.Location; arrays {1,NULL,"a b"};
// int2vector "1 2"; bytea \x hex; vector [1,2.5,-3e-05]. reg* types print
// their OID number (names need the catalog; the executor substitutes them).
func AppendText(buf []byte, t T, d Datum, opts FormatOptions) []byte {
	if d.IsNull() {
		return buf
	}
	switch t.Family {
	case Bool:
		if d.Bool() {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case Int2, Int4, Int8, Oid, Regclass, Regtype, Regproc, Regnamespace:
		return strconv.AppendInt(buf, d.I, 10)
	case Float4:
		return appendFloat(buf, d.F, 32, extraFloatDigits(opts))
	case Float8:
		return appendFloat(buf, d.F, 64, extraFloatDigits(opts))
	case Numeric:
		return appendNumericText(buf, d.Dec)
	case Bytea:
		buf = append(buf, `\x`...)
		return hex.AppendEncode(buf, []byte(d.S))
	case Timestamptz:
		return appendTimestamp(buf, d.I, true, opts)
	case Timestamp:
		return appendTimestamp(buf, d.I, false, opts)
	case Date:
		return appendDateText(buf, d.I)
	case Interval:
		return appendInterval(buf, d.Months, d.Days, d.I)
	case Vector, HalfVec:
		return appendVectorText(buf, d.Vec)
	case Bit, VarBit:
		return appendBitText(buf, d)
	case Int2Vector, OidVector:
		for i, e := range d.Arr {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, e.I, 10)
		}
		return buf
	case Array:
		return appendArrayText(buf, t, d, opts)
	case Char:
		if len(d.S) == 1 && d.S[0] >= 0x80 {
			c := d.S[0]
			return append(buf, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
		}
		return append(buf, d.S...)
	case Void:
		return buf
	case Record:
		return appendRecordText(buf, t, d, opts)
	}
	switch d.K {
	case KindInt:
		return strconv.AppendInt(buf, d.I, 10)
	case KindFloat:
		return appendFloat(buf, d.F, 64, extraFloatDigits(opts))
	case KindBool:
		return AppendText(buf, BoolType, d, opts)
	}
	return append(buf, d.S...)
}

// FormatText returns AppendText's output as a string.
func FormatText(t T, d Datum, opts FormatOptions) string {
	return string(AppendText(nil, t, d, opts))
}

// extraFloatDigits returns the effective extra_float_digits setting.
func extraFloatDigits(opts FormatOptions) int {
	if !opts.Explicit && opts.ExtraFloatDigits == 0 {
		return 1
	}
	return opts.ExtraFloatDigits
}

// appendRecordText prints a composite value as PostgreSQL's record_out
// does: (a,b) with NULL fields empty, and a field quoted (inner " and \
// doubled) when it is empty or holds a quote, backslash, parenthesis,
// comma or white space. Fields of an anonymous record print by their
// datum kind.
func appendRecordText(buf []byte, t T, d Datum, opts FormatOptions) []byte {
	buf = append(buf, '(')
	for i, f := range d.Arr {
		if i > 0 {
			buf = append(buf, ',')
		}
		if f.IsNull() {
			continue
		}
		ft := UnknownType
		if t.Fields != nil && i < len(*t.Fields) {
			ft = (*t.Fields)[i].Type
		}
		start := len(buf)
		buf = AppendText(buf, ft, f, opts)
		if !recordFieldNeedsQuotes(buf[start:]) {
			continue
		}
		val := string(buf[start:])
		buf = append(buf[:start], '"')
		for j := 0; j < len(val); j++ {
			if val[j] == '"' || val[j] == '\\' {
				buf = append(buf, val[j])
			}
			buf = append(buf, val[j])
		}
		buf = append(buf, '"')
	}
	return append(buf, ')')
}

func recordFieldNeedsQuotes(v []byte) bool {
	if len(v) == 0 {
		return true
	}
	for _, c := range v {
		switch c {
		case '"', '\\', '(', ')', ',', ' ', '\t', '\n', '\r', '\v', '\f':
			return true
		}
	}
	return false
}
