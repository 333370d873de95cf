package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// buildOnce builds the vecgres binary once per test run.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func vecgresBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vecgres-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "vecgres")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

// server is a running "vecgres serve" process.
type server struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

// startServer runs vecgres serve on a free port with data in dir and waits
// for its "listening on" line.
func startServer(t *testing.T, dir string) *server {
	t.Helper()
	return startServerLog(t, dir, "warn", os.Stderr)
}

// startServerLog is startServer with the server's log at level written to
// stderr.
func startServerLog(t *testing.T, dir, level string, stderr io.Writer) *server {
	t.Helper()
	cmd := exec.Command(vecgresBinary(t), "serve", "--listen", "127.0.0.1:0", "--data", dir, "--log-level", level)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case l := <-lines:
		// "vecgres listening on 127.0.0.1:PORT (data DIR)"
		f := strings.Fields(l)
		if len(f) < 4 || f[1] != "listening" {
			t.Fatalf("unexpected first line %q", l)
		}
		s.addr = f[3]
	case err := <-s.done:
		t.Fatalf("vecgres serve exited at start: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("vecgres serve did not report listening within 60s")
	}
	return s
}

func (s *server) connect(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), "postgres://postgres@"+s.addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// stop sends sig and waits for the process to exit.
func (s *server) stop(t *testing.T, sig syscall.Signal) error {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("vecgres did not exit within 30s of %v", sig)
		return nil
	}
}

const schema = `CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(3) NOT NULL, label text)`

// checkRows verifies the committed rows 1..n are back with their values,
// and the schema with them: the vector(3) typmod still rejects 2 dims and
// the primary key still rejects a duplicate.
func checkRows(t *testing.T, conn *pgx.Conn, n int) {
	t.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, "SELECT id, embedding::text, label FROM items ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for rows.Next() {
		i++
		var id int64
		var vec, label string
		if err := rows.Scan(&id, &vec, &label); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("[%d,%d,%d]", i, i+1, i+2); id != int64(i) || vec != want || label != fmt.Sprintf("row %d", i) {
			t.Fatalf("row %d: got (%d, %s, %s)", i, id, vec, label)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Fatalf("got %d rows, want %d", i, n)
	}
	var pe *pgconn.PgError
	_, err = conn.Exec(ctx, "INSERT INTO items VALUES (1000, '[1,2]', 'x')")
	if !errors.As(err, &pe) || pe.Code != "22000" {
		t.Fatalf("vector(3) after restart: got %v, want 22000", err)
	}
	_, err = conn.Exec(ctx, "INSERT INTO items VALUES (1, '[1,2,3]', 'dup')")
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("primary key after restart: got %v, want 23505", err)
	}
}

func insertRows(t *testing.T, conn *pgx.Conn, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		_, err := conn.Exec(context.Background(), "INSERT INTO items VALUES ($1, $2, $3)",
			i, fmt.Sprintf("[%d,%d,%d]", i, i+1, i+2), fmt.Sprintf("row %d", i))
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRestart stops the server gracefully (SIGTERM), restarts it on the
// same data directory and finds schema and rows again.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	conn := s.connect(t)
	if _, err := conn.Exec(context.Background(), schema); err != nil {
		t.Fatal(err)
	}
	insertRows(t, conn, 1, 20)
	if err := s.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("graceful shutdown exited with %v", err)
	}
	// The client was told why: FATAL 57P01.
	_, err := conn.Exec(context.Background(), "SELECT 1")
	if err == nil {
		t.Fatal("query succeeded on a shut-down server")
	}
	conn.Close(context.Background())

	s = startServer(t, dir)
	conn = s.connect(t)
	defer conn.Close(context.Background())
	checkRows(t, conn, 20)
	if err := s.stop(t, syscall.SIGINT); err != nil {
		t.Fatalf("SIGINT shutdown exited with %v", err)
	}
}

// TestKill9 kills the server with SIGKILL while a transaction is open: on
// restart every committed row is back and the uncommitted one is not.
func TestKill9(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	ctx := context.Background()
	conn := s.connect(t)
	if _, err := conn.Exec(ctx, schema); err != nil {
		t.Fatal(err)
	}
	insertRows(t, conn, 1, 30)
	// An explicit transaction that commits, then one left open.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 31; i <= 35; i++ {
		if _, err := tx.Exec(ctx, "INSERT INTO items VALUES ($1, $2, $3)", i, fmt.Sprintf("[%d,%d,%d]", i, i+1, i+2), fmt.Sprintf("row %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	open := s.connect(t)
	if _, err := open.Exec(ctx, "BEGIN; INSERT INTO items VALUES (99, '[9,9,9]', 'uncommitted')"); err != nil {
		t.Fatal(err)
	}
	_ = s.stop(t, syscall.SIGKILL)

	s = startServer(t, dir)
	conn2 := s.connect(t)
	defer conn2.Close(ctx)
	checkRows(t, conn2, 35)
}
