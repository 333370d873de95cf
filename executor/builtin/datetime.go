package builtin

import (
	"math"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// extract / date_part / date_trunc on timestamp and timestamptz.
// timestamptz fields are taken in the session time zone (Ctx.Format.Location).

// dtUnit normalises a field name as PostgreSQL's units table does
// (plurals and common abbreviations).
func dtUnit(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "year", "years", "y", "yr", "yrs":
		return "year"
	case "month", "months", "mon", "mons":
		return "month"
	case "day", "days", "d":
		return "day"
	case "hour", "hours", "h", "hr", "hrs":
		return "hour"
	case "minute", "minutes", "m", "min", "mins":
		return "minute"
	case "second", "seconds", "s", "sec", "secs":
		return "second"
	case "millisecond", "milliseconds", "ms", "msec", "msecs", "millisecon":
		return "milliseconds"
	case "microsecond", "microseconds", "us", "usec", "usecs":
		return "microseconds"
	case "decade", "decades", "dec", "decs":
		return "decade"
	case "century", "centuries", "c", "cent":
		return "century"
	case "millennium", "millennia", "mil", "mils":
		return "millennium"
	case "quarter", "qtr":
		return "quarter"
	case "week", "weeks", "w":
		return "week"
	}
	return s
}

func (l *Library) addDateTime() {
	t := types.TextType
	for _, tt := range []types.T{types.TimestamptzType, types.TimestampType} {
		tt := tt
		l.fn("extract", ts(t, tt), types.NumericType, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			return extractField(ctx, tt, a[0].S, a[1].I, false)
		})
		l.fn("date_part", ts(t, tt), types.Float8Type, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			return extractField(ctx, tt, a[0].S, a[1].I, true)
		})
		l.fn("date_trunc", ts(t, tt), tt, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			return dateTrunc(ctx, tt, a[0].S, a[1].I)
		})
	}
}

func sessionLoc(ctx *Ctx, tt types.T) *time.Location {
	if tt.Family == types.Timestamptz && ctx != nil && ctx.Format.Location != nil {
		return ctx.Format.Location
	}
	return time.UTC
}

func errUnit(unit string, tt types.T) error {
	return pgerr.New(pgerr.InvalidParameterValue, `unit "`+unit+`" not recognized for type `+typeName(tt))
}

// extractField is extract (numeric result) and date_part (float8 result).
func extractField(ctx *Ctx, tt types.T, unit string, us int64, asFloat bool) (types.Datum, error) {
	u := dtUnit(unit)
	if us == types.TimeInfinity || us == types.TimeNegInfinity {
		return types.Null, nil
	}
	tm := types.MicrosToTime(us, sessionLoc(ctx, tt))
	usec := int64(tm.Nanosecond() / 1000)
	var coeff int64
	var exp int32
	switch u {
	case "year":
		coeff = int64(tm.Year())
		if coeff <= 0 {
			coeff-- // NB: there is no year 0: 1 BC is year -1
		}
	case "month":
		coeff = int64(tm.Month())
	case "day":
		coeff = int64(tm.Day())
	case "hour":
		coeff = int64(tm.Hour())
	case "minute":
		coeff = int64(tm.Minute())
	case "second":
		coeff, exp = int64(tm.Second())*1e6+usec, -6
	case "milliseconds":
		coeff, exp = int64(tm.Second())*1e6+usec, -3
	case "microseconds":
		coeff = int64(tm.Second())*1e6 + usec
	case "epoch":
		coeff, exp = us+946684800*types.MicrosPerSecond, -6
	case "dow":
		coeff = int64(tm.Weekday())
	case "isodow":
		coeff = int64(tm.Weekday())
		if coeff == 0 {
			coeff = 7
		}
	case "doy":
		coeff = int64(tm.YearDay())
	case "quarter":
		coeff = int64((tm.Month()-1)/3 + 1)
	case "week":
		_, w := tm.ISOWeek()
		coeff = int64(w)
	case "isoyear":
		y, _ := tm.ISOWeek()
		coeff = int64(y)
	case "decade":
		coeff = floorDiv64(int64(tm.Year()), 10)
	case "century":
		y := int64(tm.Year())
		if y > 0 {
			coeff = (y + 99) / 100
		} else {
			coeff = -((99 - (y - 1)) / 100)
		}
	case "millennium":
		y := int64(tm.Year())
		if y > 0 {
			coeff = (y + 999) / 1000
		} else {
			coeff = -((999 - (y - 1)) / 1000)
		}
	default:
		return types.Datum{}, errUnit(unit, tt)
	}
	if u == "milliseconds" {
		// coeff is in microseconds; the numeric result has scale 3.
		d := apd.New(coeff, -6)
		_ = roundTo(d, 3, apd.RoundHalfUp)
		if asFloat {
			return types.NewFloat(float64(coeff) / 1000), nil
		}
		return types.NewDecimal(d), nil
	}
	if asFloat {
		return types.NewFloat(float64(coeff) * math.Pow10(int(exp))), nil
	}
	return types.NewDecimal(apd.New(coeff, exp)), nil
}

// dateTrunc is date_trunc(unit, ts): truncated in the session time zone
// for timestamptz.
func dateTrunc(ctx *Ctx, tt types.T, unit string, us int64) (types.Datum, error) {
	if us == types.TimeInfinity || us == types.TimeNegInfinity {
		return types.NewTime(us), nil
	}
	loc := sessionLoc(ctx, tt)
	tm := types.MicrosToTime(us, loc)
	y, mo, d := tm.Date()
	h, mi, s := tm.Clock()
	ns := tm.Nanosecond()
	switch dtUnit(unit) {
	case "microseconds":
		ns = ns / 1000 * 1000
	case "milliseconds":
		ns = ns / 1e6 * 1e6
	case "second":
		ns = 0
	case "minute":
		s, ns = 0, 0
	case "hour":
		mi, s, ns = 0, 0, 0
	case "day":
		h, mi, s, ns = 0, 0, 0, 0
	case "week":
		wd := (int(tm.Weekday()) + 6) % 7 // days since Monday
		d -= wd
		h, mi, s, ns = 0, 0, 0, 0
	case "month":
		d, h, mi, s, ns = 1, 0, 0, 0, 0
	case "quarter":
		mo = (mo-1)/3*3 + 1
		d, h, mi, s, ns = 1, 0, 0, 0, 0
	case "year":
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	case "decade":
		y = int(floorDiv64(int64(y), 10) * 10)
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	case "century":
		if y > 0 {
			y = (y-1)/100*100 + 1
		} else {
			y = -((99-(y-1))/100)*100 + 1
		}
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	case "millennium":
		if y > 0 {
			y = (y-1)/1000*1000 + 1
		} else {
			y = -((999-(y-1))/1000)*1000 + 1
		}
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	default:
		return types.Datum{}, errUnit(unit, tt)
	}
	return types.NewTime(types.TimeToMicros(time.Date(y, mo, d, h, mi, s, ns, loc))), nil
}
