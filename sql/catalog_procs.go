package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// The functions pg_type names as each type's input and output (typinput,
// typoutput, of type regproc). Only these are known by name to
// 'name'::regproc: drivers compare them, as pgjdbc's type cache does with
// typinput = 'pg_catalog.array_in'::regproc to find array types.

// PostgreSQL's OIDs of array_in and array_out; the per-type functions get
// OIDs derived from their type's (typeIOProcBase + 2·oid, +1 for output),
// stable across restarts and distinct from these.
const (
	oidArrayIn     = 750
	oidArrayOut    = 751
	typeIOProcBase = 1 << 24
)

// typeIOProc returns the name and OID of t's input (out false) or output
// function.
func typeIOProc(t types.T, out bool) (string, uint32) {
	if t.Family == types.Array {
		if out {
			return "array_out", oidArrayOut
		}
		return "array_in", oidArrayIn
	}
	suffix, off := "in", uint32(0)
	if out {
		suffix, off = "out", 1
	}
	return t.TypName() + suffix, typeIOProcBase + 2*t.OID() + off
}

// procOID resolves a function name, optionally qualified with pg_catalog
// and double-quoted, among the type input/output functions.
func procOID(name string) (uint32, error) {
	n := strings.Trim(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(name)), "pg_catalog."), `"`)
	for _, t := range catalogTypes() {
		for _, out := range []bool{false, true} {
			if pn, oid := typeIOProc(t, out); pn == n {
				return oid, nil
			}
		}
	}
	return 0, pgerr.Newf(pgerr.UndefinedFunction, "function %q does not exist", name)
}
