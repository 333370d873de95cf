package types

import (
	"errors"
	"fmt"
	"sort"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// errString renders an error as "CODE: message (detail)", "" for nil, and
// marks errors that are not *pgerr.Error.
func errString(err error) string {
	if err == nil {
		return ""
	}
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return fmt.Sprintf("NOT A PGERR: %v", err)
	}
	s := fmt.Sprintf("%s: %s", pe.Code, pe.Message)
	if pe.Detail != "" {
		s += " (" + pe.Detail + ")"
	}
	return s
}

func sortDatums(t T, ds []Datum) {
	sort.SliceStable(ds, func(i, j int) bool { return Compare(t, ds[i], ds[j]) < 0 })
}

func nan() float64 {
	var zero float64
	return zero / zero
}
