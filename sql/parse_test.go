package sql

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// TestParseGolden runs testdata/parse/*.ddt:
//
//	parse
//	SQL
//	----
//	<printed tree, one block per statement, or the error>
//
// Regenerate with go test ./sql/ -run TestParseGolden -rewrite.
func TestParseGolden(t *testing.T) {
	datadriven.Walk(t, "testdata/parse", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "parse":
				return parseAndDump(d.Input)
			default:
				return "unknown command " + d.Cmd
			}
		})
	})
}

// parseAndDump parses sql and renders every statement (or the error).
func parseAndDump(sql string) string {
	ps, err := Parse(sql)
	if err != nil {
		return dumpErr(err)
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "stmt off=%d params=%d sql=%q\n", p.Offset, p.NumParams, p.SQL)
		dump(&b, reflect.ValueOf(p.Stmt), 1)
	}
	return b.String()
}

func dumpErr(err error) string {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return fmt.Sprintf("non-pgerr error: %v\n", err)
	}
	return fmt.Sprintf("error %s at %d: %s\n", pe.Code, pe.Position, pe.Message)
}

// dump prints a tree node: one line per node, fields with zero values
// omitted, Pos shown as @n.
func dump(b *strings.Builder, v reflect.Value, depth int) {
	ind := strings.Repeat("  ", depth)
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString(ind + "nil\n")
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		fmt.Fprintf(b, "%s%v\n", ind, v.Interface())
		return
	}
	var scalars []string
	type sub struct {
		name string
		v    reflect.Value
	}
	var subs []sub
	pos := ""
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		fv := v.Field(i)
		if f.Name == "Pos" {
			pos = fmt.Sprintf(" @%d", fv.Int())
			continue
		}
		if fv.IsZero() {
			continue
		}
		switch fv.Kind() {
		case reflect.String:
			scalars = append(scalars, fmt.Sprintf("%s=%q", f.Name, fv.String()))
		case reflect.Bool:
			scalars = append(scalars, f.Name)
		case reflect.Int:
			scalars = append(scalars, fmt.Sprintf("%s=%d", f.Name, fv.Int()))
		case reflect.Map:
			keys := fv.MapKeys()
			var kv []string
			for _, k := range keys {
				kv = append(kv, fmt.Sprintf("%s=%q", k, fv.MapIndex(k)))
			}
			sort.Strings(kv)
			scalars = append(scalars, f.Name+"{"+strings.Join(kv, " ")+"}")
		case reflect.Slice:
			if fv.Type().Elem().Kind() == reflect.String || fv.Type().Elem().Kind() == reflect.Int {
				scalars = append(scalars, fmt.Sprintf("%s=%v", f.Name, fv.Interface()))
			} else {
				subs = append(subs, sub{f.Name, fv})
			}
		case reflect.Pointer:
			if fv.Type().Elem().Kind() == reflect.String {
				scalars = append(scalars, fmt.Sprintf("%s=%q", f.Name, fv.Elem().String()))
			} else {
				subs = append(subs, sub{f.Name, fv})
			}
		default:
			subs = append(subs, sub{f.Name, fv})
		}
	}
	fmt.Fprintf(b, "%s%s%s %s\n", ind, v.Type().Name(), pos, strings.Join(scalars, " "))
	for _, s := range subs {
		if s.v.Kind() == reflect.Slice {
			fmt.Fprintf(b, "%s  %s:\n", ind, s.name)
			for i := 0; i < s.v.Len(); i++ {
				e := s.v.Index(i)
				if e.Kind() == reflect.Slice {
					fmt.Fprintf(b, "%s    -\n", ind)
					for j := 0; j < e.Len(); j++ {
						dump(b, e.Index(j), depth+3)
					}
					continue
				}
				dump(b, e, depth+2)
			}
			continue
		}
		fmt.Fprintf(b, "%s  %s:\n", ind, s.name)
		dump(b, s.v, depth+2)
	}
}
