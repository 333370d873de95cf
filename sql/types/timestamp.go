package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Time constants. Timestamps are microseconds since the PostgreSQL epoch
// 2000-01-01 00:00:00 UTC; dates are whole days on the same scale.
const (
	MicrosPerSecond = int64(1e6)
	MicrosPerDay    = 86400 * MicrosPerSecond
	// pgEpochUnix is 2000-01-01 in Unix seconds.
	pgEpochUnix = int64(946684800)
	// TimeInfinity and TimeNegInfinity are 'infinity' and '-infinity'.
	TimeInfinity    = int64(math.MaxInt64)
	TimeNegInfinity = int64(math.MinInt64)
	// maxTimestampYear is the last year PostgreSQL timestamps reach.
	maxTimestampYear = 294276
)

func location(opts FormatOptions) *time.Location {
	if opts.Location == nil {
		return time.UTC
	}
	return opts.Location
}

// TimeToMicros converts a Go time to microseconds since 2000-01-01 UTC.
func TimeToMicros(t time.Time) int64 {
	return (t.Unix()-pgEpochUnix)*MicrosPerSecond + int64(t.Nanosecond()/1000)
}

// MicrosToTime converts microseconds since 2000-01-01 UTC to a Go time in loc.
func MicrosToTime(us int64, loc *time.Location) time.Time {
	sec := floorDiv(us, MicrosPerSecond)
	frac := us - sec*MicrosPerSecond
	return time.Unix(sec+pgEpochUnix, frac*1000).In(loc)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dateTimeFields is one parsed date/time literal.
type dateTimeFields struct {
	year, month, day     int
	hour, minute, second int
	micros               int64
	hasTime              bool
	zone                 *time.Location // nil: no zone given
	offset               int            // seconds east of UTC when zone is fixed
	hasOffset            bool
	special              int64 // TimeInfinity / TimeNegInfinity, or 0
}

// parseDateTime parses the ISO forms PostgreSQL accepts for date,
// timestamp and timestamptz: YYYY-MM-DD, optional [T ]HH:MM[:SS[.f]],
// optional zone (Z, UTC, ±HH[:MM], ±HHMM, an IANA name), optional BC;
// and the specials infinity, -infinity, epoch, now, today, tomorrow,
// yesterday.
func parseDateTime(s, typ string, opts FormatOptions) (dateTimeFields, error) {
	var f dateTimeFields
	bad := pgerr.Newf(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", typ, s)
	v := strings.ToLower(trimSpace(s))
	switch v {
	case "infinity", "+infinity":
		f.special = TimeInfinity
		return f, nil
	case "-infinity":
		f.special = TimeNegInfinity
		return f, nil
	case "epoch":
		f.year, f.month, f.day = 1970, 1, 1
		f.zone = time.UTC
		return f, nil
	case "now", "today", "tomorrow", "yesterday":
		now := time.Now().In(location(opts))
		if v != "now" {
			now = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
			if v == "tomorrow" {
				now = now.AddDate(0, 0, 1)
			} else if v == "yesterday" {
				now = now.AddDate(0, 0, -1)
			}
		}
		f.year, f.month, f.day = now.Year(), int(now.Month()), now.Day()
		f.hour, f.minute, f.second = now.Hour(), now.Minute(), now.Second()
		f.micros = int64(now.Nanosecond() / 1000)
		f.hasTime = true
		f.zone = now.Location()
		return f, nil
	}
	bc := false
	if strings.HasSuffix(v, " bc") {
		bc = true
		v = strings.TrimSpace(v[:len(v)-3])
	} else if strings.HasSuffix(v, " ad") {
		v = strings.TrimSpace(v[:len(v)-3])
	}
	// date part
	var ok bool
	var rest string
	if f.year, rest, ok = scanDigits(v, 4, 9); !ok || !strings.HasPrefix(rest, "-") {
		return f, bad
	}
	if f.month, rest, ok = scanDigits(rest[1:], 1, 2); !ok || !strings.HasPrefix(rest, "-") {
		return f, bad
	}
	if f.day, rest, ok = scanDigits(rest[1:], 1, 2); !ok {
		return f, bad
	}
	if bc {
		f.year = 1 - f.year
	}
	if rest != "" && (rest[0] == 't' || rest[0] == ' ') {
		r := strings.TrimLeft(rest[1:], " ")
		if r != "" && r[0] >= '0' && r[0] <= '9' {
			if f.hour, r, ok = scanDigits(r, 1, 2); !ok || !strings.HasPrefix(r, ":") {
				return f, bad
			}
			if f.minute, r, ok = scanDigits(r[1:], 1, 2); !ok {
				return f, bad
			}
			if strings.HasPrefix(r, ":") {
				if f.second, r, ok = scanDigits(r[1:], 1, 2); !ok {
					return f, bad
				}
				if strings.HasPrefix(r, ".") {
					j := 1
					for j < len(r) && r[j] >= '0' && r[j] <= '9' {
						j++
					}
					f.micros = fracToMicros(r[1:j])
					r = r[j:]
				}
			}
			f.hasTime = true
		}
		rest = r
	}
	rest = strings.TrimLeft(rest, " ")
	if rest != "" {
		// NB: zone names are case-sensitive file names; take them from the
		// original spelling (lower-casing kept ASCII offsets).
		if orig := trimSpace(s); len(orig) >= len(v) && strings.ToLower(orig)[:len(v)] == v {
			off := len(v) - len(rest)
			rest = orig[off : off+len(rest)]
		}
		if err := parseZone(rest, &f); err != nil {
			return f, bad
		}
	}
	if f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysIn(f.year, f.month) ||
		f.hour > 24 || f.minute > 59 || f.second > 60 ||
		(f.hour == 24 && (f.minute != 0 || f.second != 0 || f.micros != 0)) {
		return f, pgerr.Newf(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	if f.year > maxTimestampYear || f.year < -4712 {
		return f, pgerr.Newf(pgerr.DatetimeFieldOverflow, "%s out of range: \"%s\"", typ, s)
	}
	return f, nil
}

// fracToMicros converts the digits after a decimal point to microseconds,
// rounding half up at the seventh digit.
func fracToMicros(d string) int64 {
	var us int64
	for i := 0; i < 6; i++ {
		us *= 10
		if i < len(d) {
			us += int64(d[i] - '0')
		}
	}
	if len(d) > 6 && d[6] >= '5' {
		us++
	}
	return us
}

func scanDigits(s string, minLen, maxLen int) (int, string, bool) {
	i := 0
	for i < len(s) && i < maxLen && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < minLen {
		return 0, s, false
	}
	n, err := strconv.Atoi(s[:i])
	return n, s[i:], err == nil
}

// parseZone parses Z, UTC/GMT, ±HH, ±HH:MM[:SS], ±HHMM or an IANA name.
func parseZone(z string, f *dateTimeFields) error {
	switch strings.ToLower(z) {
	case "z", "utc", "gmt", "zulu", "ut":
		f.hasOffset, f.offset = true, 0
		return nil
	}
	if z[0] == '+' || z[0] == '-' {
		sign := 1
		if z[0] == '-' {
			sign = -1
		}
		r := z[1:]
		var h, m, sec int
		var ok bool
		if len(r) == 4 && !strings.Contains(r, ":") {
			h, _, ok = scanDigits(r[:2], 2, 2)
			if ok {
				m, _, ok = scanDigits(r[2:], 2, 2)
			}
		} else {
			h, r, ok = scanDigits(r, 1, 2)
			if ok && strings.HasPrefix(r, ":") {
				m, r, ok = scanDigits(r[1:], 1, 2)
				if ok && strings.HasPrefix(r, ":") {
					sec, r, ok = scanDigits(r[1:], 1, 2)
				}
			}
			ok = ok && r == ""
		}
		if !ok || h > 15*24 || m > 59 || sec > 59 {
			return errBadZone
		}
		f.hasOffset = true
		f.offset = sign * (h*3600 + m*60 + sec)
		return nil
	}
	loc, err := loadZone(z)
	if err != nil {
		return err
	}
	f.zone = loc
	return nil
}

var errBadZone = pgerr.New(pgerr.InvalidDatetimeFormat, "invalid time zone")

// loadZone finds an IANA zone by name, case-insensitively for the common
// spellings.
func loadZone(name string) (*time.Location, error) {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc, nil
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		if len(p) > 0 {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	if loc, err := time.LoadLocation(strings.Join(parts, "/")); err == nil {
		return loc, nil
	}
	return nil, errBadZone
}

// LoadTimeZone resolves a TimeZone setting value (an IANA name, UTC, or a
// POSIX-style numeric offset) for FormatOptions.Location. Errors are 22023
// `invalid value for parameter "TimeZone": "x"`.
func LoadTimeZone(name string) (*time.Location, error) {
	var f dateTimeFields
	if err := parseZone(strings.ToLower(name), &f); err == nil {
		if f.zone != nil {
			return f.zone, nil
		}
		// NB: POSIX offsets in SET TIME ZONE count west-positive.
		return time.FixedZone(name, -f.offset), nil
	}
	if loc, err := loadZone(name); err == nil {
		return loc, nil
	}
	return nil, pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for parameter \"TimeZone\": \"%s\"", name)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fieldsToMicros resolves parsed fields to µs since 2000-01-01 UTC; local
// times use loc when no zone was given.
func fieldsToMicros(f dateTimeFields, loc *time.Location, useZone bool) int64 {
	if f.special != 0 {
		return f.special
	}
	z := time.UTC
	if useZone {
		switch {
		case f.hasOffset:
			z = time.FixedZone("", f.offset)
		case f.zone != nil:
			z = f.zone
		default:
			z = loc
		}
	}
	t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.minute, f.second, 0, z)
	return TimeToMicros(t) + f.micros
}

func parseTimestamp(t T, s string, opts FormatOptions) (Datum, error) {
	typ := "timestamp"
	if t.Family == Timestamptz {
		typ = "timestamp with time zone"
	}
	f, err := parseDateTime(s, typ, opts)
	if err != nil {
		return Null, err
	}
	us := fieldsToMicros(f, location(opts), t.Family == Timestamptz)
	return NewTime(roundTimestamp(us, t.Typmod)), nil
}

// roundTimestamp applies timestamp(p): rounds to p fractional digits.
func roundTimestamp(us int64, typmod int32) int64 {
	if typmod < 0 || typmod >= 6 || us == TimeInfinity || us == TimeNegInfinity {
		return us
	}
	unit := int64(1)
	for i := typmod; i < 6; i++ {
		unit *= 10
	}
	if us >= 0 {
		return (us + unit/2) / unit * unit
	}
	return -((-us + unit/2) / unit * unit)
}

func parseDate(s string, opts FormatOptions) (Datum, error) {
	f, err := parseDateTime(s, "date", opts)
	if err != nil {
		return Null, err
	}
	if f.special != 0 {
		return NewTime(f.special), nil
	}
	t := time.Date(f.year, time.Month(f.month), f.day, 0, 0, 0, 0, time.UTC)
	return NewTime(TimeToMicros(t)), nil
}

// appendTimestamp prints as PostgreSQL's ISO DateStyle:
// "2024-01-02 03:04:05.123456+00" (withZone) or without the offset.
func appendTimestamp(buf []byte, us int64, withZone bool, opts FormatOptions) []byte {
	switch us {
	case TimeInfinity:
		return append(buf, "infinity"...)
	case TimeNegInfinity:
		return append(buf, "-infinity"...)
	}
	loc := time.UTC
	if withZone {
		loc = location(opts)
	}
	t := MicrosToTime(us, loc)
	buf = appendDate(buf, t)
	buf = append(buf, ' ')
	buf = append2(buf, t.Hour())
	buf = append(buf, ':')
	buf = append2(buf, t.Minute())
	buf = append(buf, ':')
	buf = append2(buf, t.Second())
	buf = appendFraction(buf, int64(t.Nanosecond()/1000))
	if withZone {
		_, off := t.Zone()
		buf = appendOffset(buf, off)
	}
	if t.Year() <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

func appendDate(buf []byte, t time.Time) []byte {
	y := t.Year()
	if y <= 0 {
		y = 1 - y
	}
	if y < 1000 {
		buf = append(buf, strings.Repeat("0", 4-len(strconv.Itoa(y)))...)
	}
	buf = strconv.AppendInt(buf, int64(y), 10)
	buf = append(buf, '-')
	buf = append2(buf, int(t.Month()))
	buf = append(buf, '-')
	return append2(buf, t.Day())
}

// appendDateText prints a date (µs at midnight UTC) as YYYY-MM-DD.
func appendDateText(buf []byte, us int64) []byte {
	switch us {
	case TimeInfinity:
		return append(buf, "infinity"...)
	case TimeNegInfinity:
		return append(buf, "-infinity"...)
	}
	t := MicrosToTime(us, time.UTC)
	buf = appendDate(buf, t)
	if t.Year() <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

func append2(buf []byte, n int) []byte {
	if n < 10 {
		buf = append(buf, '0')
	}
	return strconv.AppendInt(buf, int64(n), 10)
}

// appendFraction prints ".ffffff" without trailing zeros, nothing for 0.
func appendFraction(buf []byte, us int64) []byte {
	if us == 0 {
		return buf
	}
	var d [7]byte
	d[0] = '.'
	for i := 6; i >= 1; i-- {
		d[i] = byte('0' + us%10)
		us /= 10
	}
	n := 7
	for n > 1 && d[n-1] == '0' {
		n--
	}
	return append(buf, d[:n]...)
}

// appendOffset prints a UTC offset as PostgreSQL: +00, +05:30, -03:00:15.
func appendOffset(buf []byte, off int) []byte {
	if off < 0 {
		buf = append(buf, '-')
		off = -off
	} else {
		buf = append(buf, '+')
	}
	buf = append2(buf, off/3600)
	if m, s := off%3600/60, off%60; m != 0 || s != 0 {
		buf = append(buf, ':')
		buf = append2(buf, m)
		if s != 0 {
			buf = append(buf, ':')
			buf = append2(buf, s)
		}
	}
	return buf
}
