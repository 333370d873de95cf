package sql

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// clientQueries extracts the SQL text of every Query and Parse message in
// the client captures (../../shared/clients/*.md, relative to this package).
func clientQueries(t *testing.T) map[string][]string {
	files, err := filepath.Glob("../../shared/clients/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("client captures not found in ../../shared/clients (CI clones shared/ next to the repo): %v", err)
	}
	out := map[string][]string{}
	for _, fn := range files {
		data, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			var q string
			switch {
			case strings.HasPrefix(l, "C> Query "):
				q = strings.TrimPrefix(l, "C> Query ")
			case strings.HasPrefix(l, "C> Parse ") && strings.Contains(l, " query="):
				q = l[strings.Index(l, " query=")+7:]
			default:
				continue
			}
			for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "C>") && !strings.HasPrefix(lines[i+1], "S<") &&
				!strings.HasPrefix(lines[i+1], "```") && !strings.HasPrefix(lines[i+1], "#") {
				i++
				q += "\n" + lines[i]
			}
			out[filepath.Base(fn)] = append(out[filepath.Base(fn)], q)
		}
	}
	return out
}

// TestClientQueries parses every statement real clients sent in the
// captures. Each must parse; the few that PostgreSQL itself rejects in the
// capture are listed in clientRejects with the SQLSTATE expected.
func TestClientQueries(t *testing.T) {
	total := 0
	for file, qs := range clientQueries(t) {
		for _, q := range qs {
			total++
			_, err := Parse(q)
			if err == nil {
				continue
			}
			var pe *pgerr.Error
			if !errors.As(err, &pe) {
				t.Errorf("%s: non-pgerr error %v for %q", file, err, q)
				continue
			}
			if code, ok := clientRejects[strings.TrimSpace(q)]; ok && code == pe.Code {
				continue
			}
			t.Errorf("%s: %s at %d: %s\n%s", file, pe.Code, pe.Position, pe.Message, q)
		}
	}
	if total < 100 {
		t.Fatalf("only %d client statements found; extraction is broken", total)
	}
}

// clientRejects are captured statements that are errors by design.
var clientRejects = map[string]pgerr.Code{}
