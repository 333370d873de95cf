package types

import (
	"github.com/cockroachdb/apd/v3"
)

// Kind is the physical representation a Datum uses.
type Kind uint8

// Kinds. KindNull is the zero value, so Datum{} is NULL.
const (
	KindNull     Kind = iota
	KindBool          // I: 0 or 1
	KindInt           // I: int2, int4, int8, oid and reg* types
	KindFloat         // F: float4 (already rounded to float32) and float8
	KindDecimal       // Dec: numeric
	KindString        // S: text, varchar, char, name, json, uuid text
	KindBytes         // S holds raw bytes: bytea
	KindTime          // I: microseconds since 2000-01-01 00:00:00 UTC (PostgreSQL epoch); timestamp, timestamptz, date (days*86400e6)
	KindInterval      // I: microseconds, Days, Months: interval (kept apart, as PostgreSQL does)
	KindVector        // Vec
	KindArray         // Arr: elements, NULL allowed; one-dimensional
	KindBit           // I: number of bits, S: the bits packed MSB first (bit.go)
)

// Datum is one SQL value. It is a plain struct rather than an interface so
// that integers and floats travel without allocation; only one of its
// fields is meaningful, chosen by K.
//
// Datums are immutable once built: functions never modify Vec, Arr or Dec
// in place, so datums can be shared between rows without copying.
type Datum struct {
	K   Kind
	I   int64
	F   float64
	S   string
	Dec *apd.Decimal
	Vec []float32
	Arr []Datum
	// Months and Days are the month and day fields of an interval
	// (KindInterval); I holds its time of day in microseconds.
	Months int32
	Days   int32
}

// Null is the SQL NULL value.
var Null = Datum{}

// IsNull reports whether d is SQL NULL.
func (d Datum) IsNull() bool { return d.K == KindNull }

// NewBool returns a boolean datum.
func NewBool(b bool) Datum {
	if b {
		return Datum{K: KindBool, I: 1}
	}
	return Datum{K: KindBool}
}

// NewInt returns an integer datum (any of int2/int4/int8/oid).
func NewInt(i int64) Datum { return Datum{K: KindInt, I: i} }

// NewFloat returns a float datum (float4 values are stored already rounded to float32).
func NewFloat(f float64) Datum { return Datum{K: KindFloat, F: f} }

// NewString returns a string datum.
func NewString(s string) Datum { return Datum{K: KindString, S: s} }

// NewDecimal returns a numeric datum; d must not be modified afterwards.
func NewDecimal(d *apd.Decimal) Datum { return Datum{K: KindDecimal, Dec: d} }

// NewVector returns a vector datum; v must not be modified afterwards.
func NewVector(v []float32) Datum { return Datum{K: KindVector, Vec: v} }

// NewArray returns an array datum; elems must not be modified afterwards.
func NewArray(elems []Datum) Datum { return Datum{K: KindArray, Arr: elems} }

// NewTime returns a timestamp datum in microseconds since 2000-01-01 UTC.
func NewTime(micros int64) Datum { return Datum{K: KindTime, I: micros} }

// Bool returns the value of a boolean datum (false for NULL).
func (d Datum) Bool() bool { return d.K == KindBool && d.I != 0 }

// NewInterval returns an interval datum.
func NewInterval(months, days int32, micros int64) Datum {
	return Datum{K: KindInterval, Months: months, Days: days, I: micros}
}

// NewBytes returns a bytea datum holding b's bytes.
func NewBytes(b []byte) Datum { return Datum{K: KindBytes, S: string(b)} }

// NewDate returns a date datum for the given days since 2000-01-01.
func NewDate(days int64) Datum { return Datum{K: KindTime, I: days * MicrosPerDay} }
