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
	l.addIntervalArith()
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

// addIntervalArith registers interval negation and sums, and timestamp ±
// interval: months and days move the calendar in the session time zone
// (timestamptz) or in UTC (timestamp), then the time part is added.
func (l *Library) addIntervalArith() {
	iv := types.IntervalType
	l.unOp("-", iv, iv, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		d := a[0]
		if d.Months == math.MinInt32 || d.Days == math.MinInt32 || d.I == math.MinInt64 {
			return types.Datum{}, pgerr.New(pgerr.NumericValueOutOfRange, "interval out of range")
		}
		return types.NewInterval(-d.Months, -d.Days, -d.I), nil
	})
	l.unOp("+", iv, iv, func(_ *Ctx, a []types.Datum) (types.Datum, error) { return a[0], nil })
	l.binOp("+", iv, iv, iv, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.NewInterval(a[0].Months+a[1].Months, a[0].Days+a[1].Days, a[0].I+a[1].I), nil
	})
	l.binOp("-", iv, iv, iv, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
		return types.NewInterval(a[0].Months-a[1].Months, a[0].Days-a[1].Days, a[0].I-a[1].I), nil
	})
	for _, tt := range []types.T{types.TimestamptzType, types.TimestampType} {
		tt := tt
		l.binOp("+", tt, iv, tt, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			return addInterval(ctx, tt, a[0].I, a[1], 1)
		})
		l.binOp("+", iv, tt, tt, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			return addInterval(ctx, tt, a[1].I, a[0], 1)
		})
		l.binOp("-", tt, iv, tt, func(ctx *Ctx, a []types.Datum) (types.Datum, error) {
			return addInterval(ctx, tt, a[0].I, a[1], -1)
		})
		l.binOp("-", tt, tt, iv, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
			// NB: timestamp_mi justifies hours into days (interval_justify_hours).
			diff := a[0].I - a[1].I
			days := diff / types.MicrosPerDay
			return types.NewInterval(0, int32(days), diff-days*types.MicrosPerDay), nil
		})
	}
}

// addInterval is timestamp_pl_interval: months first (clamping the day to
// the month's end), then days, then the time part.
func addInterval(ctx *Ctx, tt types.T, us int64, iv types.Datum, sign int) (types.Datum, error) {
	if us == types.TimeInfinity || us == types.TimeNegInfinity {
		return types.NewTime(us), nil
	}
	loc := sessionLoc(ctx, tt)
	tm := types.MicrosToTime(us, loc)
	if m := int(iv.Months) * sign; m != 0 {
		y, mo, d := tm.Date()
		total := int(mo) - 1 + m
		ny, nmo := y+floorDivInt(total, 12), time.Month(total-12*floorDivInt(total, 12)+1)
		last := time.Date(ny, nmo+1, 0, 0, 0, 0, 0, time.UTC).Day()
		h, mi, s := tm.Clock()
		tm = time.Date(ny, nmo, min(d, last), h, mi, s, tm.Nanosecond(), loc)
	}
	if days := int(iv.Days) * sign; days != 0 {
		y, mo, d := tm.Date()
		h, mi, s := tm.Clock()
		tm = time.Date(y, mo, d+days, h, mi, s, tm.Nanosecond(), loc)
	}
	return types.NewTime(types.TimeToMicros(tm) + iv.I*int64(sign)), nil
}

func floorDivInt(a, b int) int { return int(floorDiv64(int64(a), int64(b))) }
