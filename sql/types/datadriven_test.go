package types

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// parseTypeForTest turns "numeric(10,2)", "varchar(2)[]", `"char"` into a T
// through ParseTypeName, as the front layer would call it.
func parseTypeForTest(t testing.TB, s string) T {
	t.Helper()
	dims := 0
	for strings.HasSuffix(s, "[]") {
		s = strings.TrimSuffix(s, "[]")
		dims++
	}
	var mods []int
	if i := strings.IndexByte(s, '('); i >= 0 {
		for _, m := range strings.Split(strings.TrimSuffix(s[i+1:], ")"), ",") {
			n, err := strconv.Atoi(strings.TrimSpace(m))
			if err != nil {
				t.Fatalf("bad modifier in %q", s)
			}
			mods = append(mods, n)
		}
		s = s[:i]
	}
	s = strings.Trim(s, `"`)
	typ, err := ParseTypeName(s, mods, dims)
	if err != nil {
		t.Fatalf("ParseTypeName(%q): %v", s, err)
	}
	return typ
}

// formatErr prints an error as the golden files expect: "error CODE: msg"
// and a "detail" line when there is one. It fails the test for errors
// that are not *pgerr.Error.
func formatErr(t testing.TB, err error) string {
	t.Helper()
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *pgerr.Error", err, err)
	}
	s := fmt.Sprintf("error %s: %s", pe.Code, pe.Message)
	if pe.Detail != "" {
		s += "\ndetail " + pe.Detail
	}
	return s
}

// TestTextIO checks text input and output against what PostgreSQL 15
// printed for the same literal (testdata/text_io.ddt was produced by
// running `SELECT '<input>'::<type>` on a real server).
func TestTextIO(t *testing.T) {
	datadriven.RunTest(t, "testdata/text_io.ddt", func(t *testing.T, d *datadriven.TestData) string {
		switch d.Cmd {
		case "parse":
			var typName string
			d.ScanArgs(t, "type", &typName)
			typ := parseTypeForTest(t, typName)
			var v Datum
			var err error
			if d.HasArg("explicit") {
				// 'x'::varchar(3) is an explicit cast: parse, then cast.
				base := typ.WithTypmod(-1)
				if v, err = ParseText(base, d.Input); err == nil {
					v, err = Cast(v, base, typ, true)
				}
			} else {
				v, err = ParseText(typ, d.Input)
			}
			if err != nil {
				return formatErr(t, err)
			}
			out := FormatText(typ, v, FormatOptions{})
			if out == "" {
				return "<empty>"
			}
			return out
		}
		t.Fatalf("unknown command %s", d.Cmd)
		return ""
	})
}
