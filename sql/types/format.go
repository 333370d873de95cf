package types

import "time"

// FormatOptions are the session settings that change how values are
// printed as text: extra_float_digits (PostgreSQL 12+ prints floats in
// shortest-exact form when it is > 0, the default 1), TimeZone and DateStyle.
// The zero value means PostgreSQL's defaults (extra_float_digits 1, UTC, ISO).
type FormatOptions struct {
	ExtraFloatDigits int // 1 by default; <= 0 selects the older rounded output
	Location         *time.Location
	// DateStyleMDY selects "ISO, MDY" (default) vs "ISO, DMY"; output is ISO either way.
	DateStyleDMY bool
	// Explicit marks ExtraFloatDigits as set (otherwise the zero value means 1).
	Explicit bool
}
