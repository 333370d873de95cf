package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Interval arithmetic follows PostgreSQL: a month counts as 30 days and a
// day as 24 hours when intervals are compared or hashed.
const daysPerMonth = 30

// intervalUnit maps a unit word to (months, days, micros) per unit.
func intervalUnit(u string) (months, days float64, micros float64, ok bool) {
	switch u {
	case "microsecond", "microseconds", "us", "usec", "usecs":
		return 0, 0, 1, true
	case "millisecond", "milliseconds", "ms", "msec", "msecs":
		return 0, 0, 1e3, true
	case "second", "seconds", "s", "sec", "secs":
		return 0, 0, 1e6, true
	case "minute", "minutes", "m", "min", "mins":
		return 0, 0, 60e6, true
	case "hour", "hours", "h", "hr", "hrs":
		return 0, 0, 3600e6, true
	case "day", "days", "d":
		return 0, 1, 0, true
	case "week", "weeks", "w":
		return 0, 7, 0, true
	case "month", "months", "mon", "mons":
		return 1, 0, 0, true
	case "year", "years", "y", "yr", "yrs":
		return 12, 0, 0, true
	case "decade", "decades":
		return 120, 0, 0, true
	case "century", "centuries":
		return 1200, 0, 0, true
	case "millennium", "millennia":
		return 12000, 0, 0, true
	}
	return 0, 0, 0, false
}

// parseInterval accepts PostgreSQL's "postgres" interval input: a list of
// "<number> <unit>" pairs and [-]HH:MM[:SS[.f]] times, optionally with a
// leading @ and a trailing "ago"; a bare number means seconds. Fractional
// units cascade down (1.5 days = 1 day 12:00:00) as in PostgreSQL.
func parseInterval(s string) (Datum, error) {
	bad := pgerr.Newf(pgerr.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", s)
	toks := strings.Fields(strings.ToLower(strings.TrimPrefix(trimSpace(s), "@")))
	if len(toks) == 0 {
		return Null, bad
	}
	var months, days, micros float64
	ago := false
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		if tok == "ago" && i == len(toks)-1 {
			ago = true
			continue
		}
		if strings.Contains(tok, ":") {
			us, ok := parseClock(tok)
			if !ok {
				return Null, bad
			}
			micros += us
			continue
		}
		// number, possibly glued to its unit ("10s", "1day")
		j := 0
		for j < len(tok) && (tok[j] >= '0' && tok[j] <= '9' || tok[j] == '.' || tok[j] == '-' || tok[j] == '+') {
			j++
		}
		num, err := strconv.ParseFloat(tok[:j], 64)
		if err != nil || j == 0 {
			return Null, bad
		}
		unit := tok[j:]
		if unit == "" {
			if i+1 < len(toks) {
				if _, _, _, ok := intervalUnit(toks[i+1]); ok {
					i++
					unit = toks[i]
				}
			}
		}
		if unit == "" {
			unit = "seconds"
		}
		um, ud, uu, ok := intervalUnit(unit)
		if !ok {
			return Null, bad
		}
		months += num * um
		days += num * ud
		micros += num * uu
	}
	// cascade fractions: months → days, days → micros
	wholeMonths := math.Trunc(months)
	days += (months - wholeMonths) * daysPerMonth
	wholeDays := math.Trunc(days)
	micros += (days - wholeDays) * float64(MicrosPerDay)
	if ago {
		wholeMonths, wholeDays, micros = -wholeMonths, -wholeDays, -micros
	}
	if math.Abs(wholeMonths) > math.MaxInt32 || math.Abs(wholeDays) > math.MaxInt32 || math.Abs(micros) > 9.2e18 {
		return Null, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	return NewInterval(int32(wholeMonths), int32(wholeDays), int64(math.Round(micros))), nil
}

// parseClock parses [-]H+:MM[:SS[.f]] into microseconds.
func parseClock(tok string) (float64, bool) {
	neg := strings.HasPrefix(tok, "-")
	tok = strings.TrimLeft(tok, "+-")
	parts := strings.Split(tok, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, err1 := strconv.ParseUint(parts[0], 10, 31)
	m, err2 := strconv.ParseUint(parts[1], 10, 8)
	if err1 != nil || err2 != nil || m > 59 {
		return 0, false
	}
	us := float64(h)*3600e6 + float64(m)*60e6
	if len(parts) == 3 {
		sec, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || sec < 0 || sec >= 60 || strings.ContainsAny(parts[2], "eE+-") {
			return 0, false
		}
		us += math.Round(sec * 1e6)
	}
	if neg {
		us = -us
	}
	return us, true
}

// appendInterval prints an interval in IntervalStyle postgres:
// "1 year 2 mons 3 days 04:05:06.5", "-1 days +01:00:00", "00:00:00".
func appendInterval(buf []byte, months, days int32, micros int64) []byte {
	isBefore, isZero := false, true
	field := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if !isZero {
			buf = append(buf, ' ')
		}
		if isBefore && v > 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, v, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if v != 1 {
			buf = append(buf, 's')
		}
		isBefore = isBefore || v < 0
		isZero = false
	}
	field(int64(months/12), "year")
	field(int64(months%12), "mon")
	field(int64(days), "day")
	if !isZero && micros == 0 {
		return buf
	}
	if !isZero {
		buf = append(buf, ' ')
	}
	u := micros
	if u < 0 {
		buf = append(buf, '-')
		u = -u // NB: -MinInt64 overflows; intervals that large are rejected on input.
	} else if isBefore {
		buf = append(buf, '+')
	}
	h := u / 3600e6
	u -= h * 3600e6
	m := u / 60e6
	u -= m * 60e6
	sec := u / 1e6
	frac := u - sec*1e6
	if h < 10 {
		buf = append(buf, '0')
	}
	buf = strconv.AppendInt(buf, h, 10)
	buf = append(buf, ':')
	buf = append2(buf, int(m))
	buf = append(buf, ':')
	buf = append2(buf, int(sec))
	return appendFraction(buf, frac)
}

// intervalSpan returns an interval as (days, micros within the day) with
// months counted as 30 days, for comparison and key encoding: equal
// spans ('1 day' and '24 hours') compare equal, as in PostgreSQL.
func intervalSpan(d Datum) (int64, int64) {
	q := floorDiv(d.I, MicrosPerDay)
	r := d.I - q*MicrosPerDay
	return int64(d.Months)*daysPerMonth + int64(d.Days) + q, r
}
