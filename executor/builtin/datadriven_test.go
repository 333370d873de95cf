package builtin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// The golden files in testdata/ hold calls and their results:
//
//	eval
//	numeric '1' / int4 '3'
//	----
//	0.33333333333333333333 numeric
//
// An argument is "type 'literal'" (unknown 'x' is an untyped literal) or
// "NULL::type". The output is the value as PostgreSQL prints it and the
// result type as pg_typeof names it, or "ERROR <sqlstate>: <message>".
// "agg" takes an aggregate name and one row of arguments per line.
// "resolve" prints the chosen signature without evaluating.
//
// Regenerate with -rewrite, then check the file against a real
// PostgreSQL 15 with -pg 'host=/tmp/pgbuiltin port=5498 user=postgres':
// every case without "pg=skip" (vector cases: pgvector is not packaged)
// must give PostgreSQL's exact output.
var pgConn = flag.String("pg", "", "connection string of a PostgreSQL 15 to check the golden files against")

func TestDataDriven(t *testing.T) {
	lib := NewLibrary()
	var conn *pgx.Conn
	if *pgConn != "" {
		c, err := pgx.Connect(context.Background(), *pgConn)
		if err != nil {
			t.Fatalf("connect to %s: %v", *pgConn, err)
		}
		defer c.Close(context.Background())
		conn = c
	}
	checked := 0
	var mismatches []string
	defer func() {
		if conn != nil {
			t.Logf("compared %d cases with PostgreSQL", checked)
			for _, m := range mismatches {
				t.Error(m)
			}
		}
	}()
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			got := runCase(t, lib, d)
			if conn != nil && !skipPG(d) && d.Cmd != "resolve" {
				want := runPG(t, conn, d)
				checked++
				// NB: collected, not reported here: datadriven stops a file
				// at its first failure, and the point is to see them all.
				if want != got {
					mismatches = append(mismatches, fmt.Sprintf("%s: %s\nvecgres:    %q\npostgresql: %q", d.Pos, d.Input, got, want))
				}
			}
			return got
		})
	})
}

func testCtx() *Ctx {
	return &Ctx{
		Now:           time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC),
		Database:      "postgres",
		User:          "postgres",
		Schema:        "public",
		ServerVersion: "PostgreSQL 15.0 (vecgres)",
		Setting: func(name string) (string, bool) {
			if name == "search_path" {
				return `"$user", public`, true
			}
			return "", false
		},
	}
}

func runCase(t *testing.T, lib *Library, d *datadriven.TestData) string {
	switch d.Cmd {
	case "eval", "resolve":
		e, err := parseCall(strings.TrimSpace(d.Input))
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		f, err := e.resolve(lib)
		if err != nil {
			return errString(err)
		}
		if d.Cmd == "resolve" {
			return signature(e, f)
		}
		return evalCall(testCtx(), e, f)
	case "agg":
		lines := strings.Split(strings.TrimSpace(d.Input), "\n")
		name := strings.TrimSpace(lines[0])
		var rows [][]arg
		for _, l := range lines[1:] {
			args, err := parseArgs(strings.TrimSpace(l))
			if err != nil {
				d.Fatalf(t, "%v", err)
			}
			rows = append(rows, args)
		}
		return evalAgg(testCtx(), lib, name, rows)
	}
	d.Fatalf(t, "unknown command %s", d.Cmd)
	return ""
}

func errString(err error) string {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return "ERROR (no SQLSTATE): " + err.Error()
	}
	return fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
}

// arg is one argument of a test call.
type arg struct {
	t    types.T
	name string // as written, for the SQL form
	lit  string
	null bool
}

func (a arg) sql() string {
	if a.null {
		return "NULL::" + a.name
	}
	q := "'" + strings.ReplaceAll(a.lit, "'", "''") + "'"
	if a.t.Family == types.Unknown {
		return q
	}
	return q + "::" + a.name
}

// call is a parsed test expression: a function call, a binary or a
// prefix operator.
type call struct {
	fn   string // function name, or "" for operators
	op   string
	args []arg
}

func (c call) sql() string {
	switch {
	case c.fn != "":
		parts := make([]string, len(c.args))
		for i, a := range c.args {
			parts[i] = a.sql()
		}
		name := c.fn
		if name == "extract" || name == "position" {
			// NB: keywords in PostgreSQL's grammar; qualified they are plain calls.
			name = "pg_catalog." + name
		}
		return name + "(" + strings.Join(parts, ", ") + ")"
	case len(c.args) == 1:
		return c.op + " " + c.args[0].sql()
	}
	return c.args[0].sql() + " " + c.op + " " + c.args[1].sql()
}

func (c call) types() []types.T {
	ts := make([]types.T, len(c.args))
	for i, a := range c.args {
		ts[i] = a.t
	}
	return ts
}

func (c call) resolve(lib *Library) (*Func, error) {
	ts := c.types()
	switch {
	case c.fn != "":
		return lib.ResolveFunc(c.fn, ts)
	case len(ts) == 1:
		return lib.ResolveUnary(c.op, ts[0])
	}
	return lib.ResolveBinary(c.op, ts[0], ts[1])
}

func signature(c call, f *Func) string {
	ps := make([]string, len(f.Params))
	for i, p := range f.Params {
		ps[i] = p.String()
	}
	return fmt.Sprintf("(%s) -> %s", strings.Join(ps, ", "), f.ResultType(c.types()).String())
}

// castArgs turns the test's literals into datums of the resolved
// parameter types, as the binder's casts would.
func castArgs(args []arg, params []types.T) ([]types.Datum, error) {
	out := make([]types.Datum, len(args))
	for i, a := range args {
		if a.null {
			continue
		}
		from := a.t
		d := types.NewString(a.lit)
		if from.Family != types.Unknown {
			var err error
			if d, err = types.ParseText(from, a.lit); err != nil {
				return nil, err
			}
		}
		v, err := types.Cast(d, from, params[i], false)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func evalCall(ctx *Ctx, c call, f *Func) string {
	vals, err := castArgs(c.args, f.Params)
	if err != nil {
		return errString(err)
	}
	rt := f.ResultType(c.types())
	if !f.NullCall {
		for _, v := range vals {
			if v.IsNull() {
				return "NULL " + typeName(rt)
			}
		}
	}
	r, err := f.Eval(ctx, vals)
	if err != nil {
		return errString(err)
	}
	return formatResult(rt, r)
}

func formatResult(t types.T, d types.Datum) string {
	if d.IsNull() {
		return "NULL " + typeName(t)
	}
	return types.FormatText(t, d, types.FormatOptions{}) + " " + typeName(t)
}

func evalAgg(ctx *Ctx, lib *Library, name string, rows [][]arg) string {
	var argTypes []types.T
	star := false
	if len(rows) > 0 && len(rows[0]) == 1 && rows[0][0].name == "*" {
		star = true
	} else if len(rows) > 0 {
		for _, a := range rows[0] {
			argTypes = append(argTypes, a.t)
		}
	}
	agg, err := lib.ResolveAggregate(name, argTypes, star)
	if err != nil {
		return errString(err)
	}
	st := agg.New()
	for _, r := range rows {
		var vals []types.Datum
		if !star {
			if vals, err = castArgs(r, agg.Params); err != nil {
				return errString(err)
			}
		}
		if err := st.Add(ctx, vals); err != nil {
			return errString(err)
		}
	}
	res, err := st.Result(ctx)
	if err != nil {
		return errString(err)
	}
	return formatResult(agg.ResultType(argTypes), res)
}

// runPG evaluates the same case on PostgreSQL and formats it alike.
func runPG(t *testing.T, conn *pgx.Conn, d *datadriven.TestData) string {
	var expr, from string
	switch d.Cmd {
	case "eval":
		c, err := parseCall(strings.TrimSpace(d.Input))
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		expr = c.sql()
	case "agg":
		lines := strings.Split(strings.TrimSpace(d.Input), "\n")
		name := strings.TrimSpace(lines[0])
		var rows, cols []string
		for _, l := range lines[1:] {
			args, _ := parseArgs(strings.TrimSpace(l))
			if len(args) == 1 && args[0].name == "*" {
				rows = append(rows, "(1)")
				continue
			}
			parts := make([]string, len(args))
			for i, a := range args {
				parts[i] = a.sql()
			}
			rows = append(rows, "("+strings.Join(parts, ", ")+")")
			if cols == nil {
				for i := range args {
					cols = append(cols, fmt.Sprintf("c%d", i))
				}
			}
		}
		if cols == nil {
			expr = name + "(*)"
			cols = []string{"c0"}
		} else {
			expr = name + "(" + strings.Join(cols, ", ") + ")"
		}
		from = " FROM (VALUES " + strings.Join(rows, ", ") + ") v(" + strings.Join(cols, ", ") + ")"
		if len(rows) == 0 {
			from = " FROM (SELECT 1 WHERE false) v(c0)"
			if len(cols) > 1 || cols[0] != "c0" {
				from = ""
			}
		}
	}
	ctx := context.Background()
	q := "SELECT " + expr + ", pg_typeof(" + expr + ")::text" + from
	rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return pgErrString(err)
	}
	defer rows.Close()
	var out string
	for rows.Next() {
		// NB: the simple protocol returns text, exactly as psql shows it.
		raw := rows.RawValues()
		if raw[0] == nil {
			out = "NULL " + string(raw[1])
		} else {
			out = string(raw[0]) + " " + string(raw[1])
		}
	}
	if err := rows.Err(); err != nil {
		return pgErrString(err)
	}
	return out
}

func pgErrString(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
	}
	return "ERROR (no SQLSTATE): " + err.Error()
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}

// skipPG reports whether a case says pg=skip (PostgreSQL cannot run it:
// vector cases, as pgvector is not packaged, or vecgres-only spellings).
func skipPG(d *datadriven.TestData) bool {
	for _, a := range d.CmdArgs {
		if a.Key == "pg" && len(a.Vals) > 0 && a.Vals[0] == "skip" {
			return true
		}
	}
	return false
}
