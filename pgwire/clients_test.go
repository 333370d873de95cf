package pgwire

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The client scenarios in testdata/clients run real drivers (psycopg2,
// SQLAlchemy, node-postgres, pgjdbc) against an in-process server. Each
// script replays the pgvector scenario captured in ../shared/clients and
// asserts its results, exiting non-zero on the first mismatch; a missing
// interpreter or library fails the test with the package to install
// (.ci/run installs them all).

// debianPython is the interpreter that sees Debian's python3-psycopg2 and
// python3-sqlalchemy (a python3 earlier on PATH may not).
const debianPython = "/usr/bin/python3"

// runClientScenario runs argv with the server's host and port appended and
// fails t with the script's output if it exits non-zero.
func runClientScenario(t *testing.T, dir string, argv ...string) {
	t.Helper()
	ts := startTestServer(t)
	host, port, _ := net.SplitHostPort(ts.addr)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], host, port)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "LC_ALL=C.UTF-8", "PYTHONDONTWRITEBYTECODE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v\n%s", argv, err, out.String())
	}
	t.Logf("%s", out.String())
}

// requirePython fails t unless /usr/bin/python3 can import module.
func requirePython(t *testing.T, module, pkg string) {
	t.Helper()
	if _, err := os.Stat(debianPython); err != nil {
		t.Fatalf("%s not found: apt-get install python3 %s", debianPython, pkg)
	}
	if out, err := exec.Command(debianPython, "-c", "import "+module).CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import %s (apt-get install %s): %v\n%s", debianPython, module, pkg, err, out)
	}
}

func TestClientPsycopg2(t *testing.T) {
	requirePython(t, "psycopg2", "python3-psycopg2")
	runClientScenario(t, "testdata/clients", debianPython, "psycopg2_scenario.py")
}

func TestClientSQLAlchemy(t *testing.T) {
	requirePython(t, "psycopg2", "python3-psycopg2")
	requirePython(t, "sqlalchemy", "python3-sqlalchemy")
	runClientScenario(t, "testdata/clients", debianPython, "sqlalchemy_scenario.py")
}

// npmOnce installs the node scenario's locked dependencies once per test
// binary (npm ci when node_modules is missing or older than the lock file).
var npmOnce struct {
	sync.Once
	err error
	out []byte
}

func TestClientNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not found (install Node.js 20, e.g. apt-get install nodejs npm): %v", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("npm not found (apt-get install npm): %v", err)
	}
	dir := filepath.Join("testdata", "clients", "node")
	npmOnce.Do(func() {
		lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
		if err != nil {
			npmOnce.err = err
			return
		}
		if mods, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil && !mods.ModTime().Before(lock.ModTime()) {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		npmOnce.out, npmOnce.err = cmd.CombinedOutput()
	})
	if npmOnce.err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, npmOnce.err, npmOnce.out)
	}
	runClientScenario(t, dir, node, "scenario.js")
}

// pgjdbc is Debian's libpostgresql-jdbc-java.
const pgjdbcJar = "/usr/share/java/postgresql.jar"

func TestClientJDBC(t *testing.T) {
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatalf("java not found (apt-get install default-jdk-headless): %v", err)
	}
	if _, err := exec.LookPath("javac"); err != nil {
		t.Fatalf("javac not found; the scenario is compiled at run time (apt-get install default-jdk-headless): %v", err)
	}
	if _, err := os.Stat(pgjdbcJar); err != nil {
		t.Fatalf("%s not found (apt-get install libpostgresql-jdbc-java): %v", pgjdbcJar, err)
	}
	// Source-file mode: java compiles Scenario.java in memory, nothing is written.
	runClientScenario(t, filepath.Join("testdata", "clients", "jdbc"), java, "-cp", pgjdbcJar, "Scenario.java")
}
