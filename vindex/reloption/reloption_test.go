package reloption

import (
	"errors"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name        string
		got         any
		err         error
		want        any
		msg, detail string
	}{
		{"int ok", must(Int("lists", "7", 1, 10)), nil, 7, "", ""},
		{"int low", 0, second(Int("lists", "0", 1, 10)), nil, `value 0 out of bounds for option "lists"`, `Valid values are between "1" and "10".`},
		{"int high", 0, second(Int("m", "99", 1, 10)), nil, `value 99 out of bounds for option "m"`, `Valid values are between "1" and "10".`},
		{"int text", 0, second(Int("m", "x", 1, 10)), nil, `invalid value for integer option "m": x`, ""},
		{"uint ok", must(Uint64("seed", "18446744073709551615")), nil, uint64(1<<64 - 1), "", ""},
		{"uint neg", 0, second(Uint64("seed", "-1")), nil, `invalid value for integer option "seed": -1`, ""},
		{"unknown", 0, Unrecognized("foo"), nil, `unrecognized parameter "foo"`, ""},
	} {
		if tc.msg == "" {
			if tc.got != tc.want {
				t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
			}
			continue
		}
		var pe *pgerr.Error
		if !errors.As(tc.err, &pe) || pe.Code != pgerr.InvalidParameterValue || pe.Message != tc.msg || pe.Detail != tc.detail {
			t.Errorf("%s: got %#v, want 22023 %q detail %q", tc.name, tc.err, tc.msg, tc.detail)
		}
	}
}

func must[T any](v T, err error) any {
	if err != nil {
		panic(err)
	}
	return v
}

func second[T any](_ T, err error) error { return err }
