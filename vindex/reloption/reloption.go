package reloption

import (
	"fmt"
	"strconv"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Int parses the value v of the integer option name and checks lo <= n <=
// hi. Errors (22023): "invalid value for integer option "name": v" when v
// is not an integer, "value n out of bounds for option "name"" with the
// detail "Valid values are between "lo" and "hi"." when it is outside.
func Int(name, v string, lo, hi int) (int, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for integer option %q: %s", name, v)
	}
	if n < int64(lo) || n > int64(hi) {
		return 0, pgerr.Newf(pgerr.InvalidParameterValue, "value %d out of bounds for option %q", n, name).
			WithDetail(fmt.Sprintf("Valid values are between \"%d\" and \"%d\".", lo, hi))
	}
	return int(n), nil
}

// Uint64 parses an unsigned 64-bit option such as a seed. Error (22023):
// "invalid value for integer option "name": v".
func Uint64(name, v string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for integer option %q: %s", name, v)
	}
	return n, nil
}

// Unrecognized is the error (22023) for an option name the index type
// does not know: "unrecognized parameter "name"".
func Unrecognized(name string) error {
	return pgerr.Newf(pgerr.InvalidParameterValue, "unrecognized parameter %q", name)
}
