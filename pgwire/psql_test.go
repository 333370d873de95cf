package pgwire

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPSQLTranscript runs the real psql binary against an in-process server
// with testdata/psql_transcript.sql on stdin and compares everything psql
// prints (echoed statements, aligned tables, errors) with
// testdata/psql_transcript.expected. -rewrite regenerates the .expected file.
func TestPSQLTranscript(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Fatalf("psql not found (apt-get install postgresql-client): %v", err)
	}
	script, err := os.ReadFile("testdata/psql_transcript.sql")
	if err != nil {
		t.Fatal(err)
	}
	ts := startTestServer(t)
	host, port, _ := net.SplitHostPort(ts.addr)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, "-X", "-a", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-f", "-")
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGSSLMODE=prefer", "PAGER=", "PSQL_PAGER=", "LC_ALL=C.UTF-8", "PGCLIENTENCODING=UTF8")
	cmd.Stdin = bytes.NewReader(script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("psql: %v\n%s", err, out.String())
	}
	const golden = "testdata/psql_transcript.expected"
	if rewriteFlag() {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -rewrite to create it)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("psql transcript differs from %s\n--- got\n%s\n--- want\n%s", golden, got, want)
		diffLines(t, string(want), got)
	}
}

// diffLines reports the first differing line, to make failures readable.
func diffLines(t *testing.T, want, got string) {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			t.Errorf("first difference at line %d:\n got %q\nwant %q", i+1, gl, wl)
			return
		}
	}
}
