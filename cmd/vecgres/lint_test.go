package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// House rules as tests (style.md practice 12): review comments that
// became failing tests. The walk covers every non-test Go file of the
// repository.

// importRules: which packages may import a path. pgproto3/v2 is frozen
// upstream; keeping it inside pgwire makes a move to pgx/v5's pgproto3 a
// one-package change. Dependencies point one way: pgwire → sql → planner →
// executor → (vindex, storage).
var importRules = []struct {
	imported string   // an import path, or a prefix when it ends in "/"
	allowed  []string // directory prefixes
}{
	{"github.com/jackc/pgproto3/", []string{"pgwire"}},
	{"github.com/vecgres/vecgres/pgwire", []string{"cmd"}},
	{"github.com/vecgres/vecgres/sql", []string{"cmd", "pgwire"}},
	{"github.com/vecgres/vecgres/planner", []string{"cmd", "pgwire", "sql"}},
	{"github.com/vecgres/vecgres/executor", []string{"cmd", "pgwire", "sql", "planner", "executor"}},
}

func matchesImport(path, rule string) bool {
	if strings.HasSuffix(rule, "/") {
		return strings.HasPrefix(path, rule)
	}
	return path == rule
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s", root)
	}
	return root
}

func goFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestImportRules(t *testing.T) {
	root := repoRoot(t)
	fset := token.NewFileSet()
	for _, f := range goFiles(t, root) {
		rel, _ := filepath.Rel(root, f)
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, r := range importRules {
				if !matchesImport(path, r.imported) {
					continue
				}
				ok := false
				for _, a := range r.allowed {
					if strings.HasPrefix(rel, a+string(filepath.Separator)) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("%s imports %s; only %v may", rel, path, r.allowed)
				}
			}
		}
	}
}

// TestNoBareErrorsOrStubs: errors in sql/ carry a SQLSTATE (no bare
// fmt.Errorf), and no code panics with a "not implemented"-style string.
func TestNoBareErrorsOrStubs(t *testing.T) {
	root := repoRoot(t)
	for _, f := range goFiles(t, root) {
		rel, _ := filepath.Rel(root, f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if strings.HasPrefix(rel, "sql"+string(filepath.Separator)) && strings.Contains(src, "fmt.Errorf(") {
			t.Errorf("%s uses fmt.Errorf: return a *pgerr.Error with a SQLSTATE", rel)
		}
		// NB: built from parts so this file does not match itself.
		for _, what := range []string{"not implemented", "TODO", "unimplemented"} {
			bad := "panic(" + strconv.Quote(what)[:len(what)+1]
			if strings.Contains(src, bad) {
				t.Errorf("%s contains %s", rel, bad)
			}
		}
	}
}
