package pgwire

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestSQLLogic runs every ../testdata/*.slt file over the wire with pgx,
// each file on a fresh in-process server and one connection. The format
// is described in ../testdata/README.md. With -rewrite the expected rows
// of every query are regenerated from the actual results; review the diff.
func TestSQLLogic(t *testing.T) {
	files, err := filepath.Glob("../testdata/*.slt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no ../testdata/*.slt files: the SQL logic suite is missing")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			runSLTFile(t, path)
		})
	}
}

// rewriteFlag returns -rewrite (registered by datadriven, shared here).
func rewriteFlag() bool {
	f := flag.Lookup("rewrite")
	if f == nil {
		return false
	}
	b, _ := strconv.ParseBool(f.Value.String())
	return b
}

// sltRecord is one statement or query of a .slt file.
type sltRecord struct {
	line     int      // 1-based line of the header
	header   string   // "statement ok", "query IT rowsort", ...
	sql      string   // the SQL text
	expected []string // expected result lines (query only)
	hasSep   bool     // whether a ---- separator was written
	subtest  string
	// raw is the text the record was read from (comments, blank lines and
	// subtest lines before it included); rewrite replaces only the result.
	pre []string
}

// parseSLT reads a .slt file into records. trailer holds what follows the
// last record (comments), kept verbatim on rewrite.
func parseSLT(text string) (recs []*sltRecord, trailer []string, err error) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	subtest := ""
	var pre []string
	for i := 0; i < len(lines); {
		l := lines[i]
		trim := strings.TrimSpace(l)
		switch {
		case trim == "" || strings.HasPrefix(trim, "#"):
			pre = append(pre, l)
			i++
			continue
		case strings.HasPrefix(trim, "subtest"):
			subtest = strings.TrimSpace(strings.TrimPrefix(trim, "subtest"))
			pre = append(pre, l)
			i++
			continue
		case strings.HasPrefix(trim, "statement ") || strings.HasPrefix(trim, "query "):
		case trim == "restart":
			// restart: the server stops and starts again on the same data
			// directory, and the connection is re-established.
			recs = append(recs, &sltRecord{line: i + 1, header: trim, subtest: subtest, pre: pre})
			pre = nil
			i++
			continue
		default:
			return nil, nil, fmt.Errorf("line %d: expected statement, query, subtest or a comment, got %q", i+1, l)
		}
		r := &sltRecord{line: i + 1, header: trim, subtest: subtest, pre: pre}
		pre = nil
		i++
		var sqlLines []string
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" && lines[i] != "----" {
			sqlLines = append(sqlLines, lines[i])
			i++
		}
		if len(sqlLines) == 0 {
			return nil, nil, fmt.Errorf("line %d: %q without SQL", r.line, r.header)
		}
		r.sql = strings.Join(sqlLines, "\n")
		if i < len(lines) && lines[i] == "----" {
			r.hasSep = true
			i++
			for i < len(lines) && lines[i] != "" {
				r.expected = append(r.expected, lines[i])
				i++
			}
		}
		recs = append(recs, r)
	}
	return recs, pre, nil
}

// render writes records back, with their (possibly rewritten) results.
func renderSLT(recs []*sltRecord, trailer []string) string {
	var b strings.Builder
	for _, r := range recs {
		for _, p := range r.pre {
			b.WriteString(p + "\n")
		}
		if r.header == "restart" {
			b.WriteString("restart\n")
			continue
		}
		b.WriteString(r.header + "\n" + r.sql + "\n")
		if r.hasSep {
			b.WriteString("----\n")
			for _, e := range r.expected {
				b.WriteString(e + "\n")
			}
		}
	}
	for _, p := range trailer {
		b.WriteString(p + "\n")
	}
	return b.String()
}

func runSLTFile(t *testing.T, path string) {
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, trailer, err := parseSLT(string(text))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	dir := t.TempDir()
	ts := startTestServerAt(t, dir)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ts.connString(""))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer func() { conn.Close(ctx) }()
	rewrite := rewriteFlag()
	for _, r := range recs {
		if r.header == "restart" {
			conn.Close(ctx)
			ts.stop(t)
			ts = startTestServerAt(t, dir)
			if conn, err = pgx.Connect(ctx, ts.connString("")); err != nil {
				t.Fatalf("%s:%d: connect after restart: %v", path, r.line, err)
			}
			continue
		}
		where := fmt.Sprintf("%s:%d", path, r.line)
		if r.subtest != "" {
			where += " (subtest " + r.subtest + ")"
		}
		if msg := runSLTRecord(ctx, conn.PgConn(), r, rewrite); msg != "" {
			t.Errorf("%s: %s\n%s", where, r.sql, msg)
		}
	}
	if rewrite {
		if err := os.WriteFile(path, []byte(renderSLT(recs, trailer)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runSLTRecord runs one record and returns a failure description, or "".
func runSLTRecord(ctx context.Context, pc *pgconn.PgConn, r *sltRecord, rewrite bool) string {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	f := strings.Fields(r.header)
	switch {
	case f[0] == "statement" && len(f) >= 2 && f[1] == "ok":
		_, err := pc.Exec(ctx, r.sql).ReadAll()
		if err != nil {
			return "unexpected error: " + describeErr(err)
		}
	case f[0] == "statement" && len(f) == 3 && f[1] == "count":
		res, err := pc.Exec(ctx, r.sql).ReadAll()
		if err != nil {
			return "unexpected error: " + describeErr(err)
		}
		want, _ := strconv.ParseInt(f[2], 10, 64)
		if got := res[len(res)-1].CommandTag.RowsAffected(); got != want {
			return fmt.Sprintf("rows affected: got %d, want %d", got, want)
		}
	case f[0] == "statement" && len(f) >= 2 && f[1] == "error":
		_, err := pc.Exec(ctx, r.sql).ReadAll()
		if msg := checkSLTError(err, f[2:], r.header); msg != "" {
			return msg
		}
		return checkSLTDetail(err, r)
	case f[0] == "query" && len(f) >= 2 && f[1] == "error":
		err := pc.ExecParams(ctx, r.sql, nil, nil, nil, nil).Read().Err
		return checkSLTError(err, f[2:], r.header)
	case f[0] == "query" && len(f) >= 2:
		return runSLTQuery(ctx, pc, r, f[1], f[2:], rewrite)
	default:
		return "unknown record header " + strconv.Quote(r.header)
	}
	return ""
}

// runSLTQuery runs a query with the extended protocol and text results.
func runSLTQuery(ctx context.Context, pc *pgconn.PgConn, r *sltRecord, typs string, opts []string, rewrite bool) string {
	// NB: pgconn's Result.Read only records the column descriptions when a
	// row arrives; read the ResultReader directly so that an empty result
	// still reports its columns.
	rr := pc.ExecParams(ctx, r.sql, nil, nil, nil, nil)
	var resRows [][][]byte
	for rr.NextRow() {
		vals := rr.Values()
		row := make([][]byte, len(vals))
		for i, v := range vals {
			if v != nil {
				row[i] = append([]byte{}, v...)
			}
		}
		resRows = append(resRows, row)
	}
	fds := rr.FieldDescriptions()
	if _, err := rr.Close(); err != nil {
		return "unexpected error: " + describeErr(err)
	}
	if len(fds) != len(typs) {
		return fmt.Sprintf("query has %d columns, header %q declares %d", len(fds), typs, len(typs))
	}
	got := make([]string, 0, len(resRows))
	for _, row := range resRows {
		vals := make([]string, len(row))
		for i, v := range row {
			switch {
			case v == nil:
				vals[i] = "NULL"
			case len(v) == 0:
				vals[i] = "·"
			default:
				vals[i] = string(v)
			}
		}
		got = append(got, strings.Join(vals, " "))
	}
	for _, o := range opts {
		switch o {
		case "rowsort":
			sort.Strings(got)
		case "mask-times":
			// EXPLAIN ANALYZE: times vary from run to run, rows and
			// loops do not.
			for i, g := range got {
				got[i] = analyzeTimes.ReplaceAllString(g, "${1}N${2}")
			}
		case "nosort":
		default:
			return "unknown query option " + strconv.Quote(o)
		}
	}
	if rewrite {
		r.expected, r.hasSep = got, true
		return ""
	}
	if !r.hasSep {
		return "query without ---- and expected rows (run with -rewrite to fill them in)"
	}
	if strings.Join(got, "\n") != strings.Join(r.expected, "\n") {
		return fmt.Sprintf("results differ\n--- expected\n%s\n--- got\n%s", strings.Join(r.expected, "\n"), strings.Join(got, "\n"))
	}
	return ""
}

// analyzeTimes matches the run-dependent times of EXPLAIN ANALYZE output.
var analyzeTimes = regexp.MustCompile(`(actual time=|Execution Time: )[0-9.]+(?:\.\.[0-9.]+)?( ms)?`)

// checkSLTError checks err against "[pgcode CODE] [regex]".
func checkSLTError(err error, spec []string, header string) string {
	if err == nil {
		return "expected an error, got success (" + header + ")"
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return "expected a PostgreSQL error, got " + err.Error()
	}
	if len(spec) >= 2 && spec[0] == "pgcode" {
		if pe.Code != spec[1] {
			return fmt.Sprintf("SQLSTATE: got %s, want %s (%s)", pe.Code, spec[1], pe.Message)
		}
		spec = spec[2:]
	}
	if pattern := strings.Join(spec, " "); pattern != "" {
		re, rerr := regexp.Compile(pattern)
		if rerr != nil {
			return "bad error regex: " + rerr.Error()
		}
		if !re.MatchString(pe.Message) {
			return fmt.Sprintf("error message %q does not match %q", pe.Message, pattern)
		}
	}
	return ""
}

// checkSLTDetail compares the error's DETAIL with the record's expected
// line "DETAIL: ..." (after ----), when it has one.
func checkSLTDetail(err error, r *sltRecord) string {
	if len(r.expected) == 0 {
		return ""
	}
	var pe *pgconn.PgError
	errors.As(err, &pe)
	if got := "DETAIL: " + pe.Detail; got != r.expected[0] {
		return fmt.Sprintf("detail: got %q, want %q", got, r.expected[0])
	}
	return ""
}

func describeErr(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s %s", pe.Code, pe.Message)
	}
	return err.Error()
}
