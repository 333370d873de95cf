package pgwire

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vecgres/vecgres/sql"
)

// pgAddr runs the wire scripts (*.pgt) against a real PostgreSQL instead of
// an in-process vecgres, to tell a bug from a known difference:
//
//	go test ./pgwire -run TestPGTest -pg-addr 127.0.0.1:5432
var pgAddr = flag.String("pg-addr", "", "run pgwire/testdata/*.pgt against the PostgreSQL at host:port (user postgres, trust auth)")

// testServer is an in-process vecgres: an Engine on a temporary directory
// served on 127.0.0.1:0.
type testServer struct {
	addr   string
	srv    *Server
	engine *sql.Engine
	// shutdown stops the server and closes the engine; nil once done.
	shutdown func(testing.TB)
}

// startTestServer starts a server for t; it is shut down when t ends.
func startTestServer(t testing.TB) *testServer {
	t.Helper()
	return startTestServerAt(t, t.TempDir())
}

// startTestServerAt starts a server on data directory dir; it is shut down
// when t ends, or earlier by stop (to restart on the same directory).
func startTestServerAt(t testing.TB, dir string) *testServer {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := sql.Open(sql.Config{DataDir: dir, Logger: logger})
	if err != nil {
		t.Fatalf("open engine: %v", err)
	}
	srv := New(Config{Engine: eng, Logger: logger})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	ts := &testServer{addr: ln.Addr().String(), srv: srv, engine: eng}
	ts.shutdown = func(t testing.TB) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
		if err := eng.Close(); err != nil {
			t.Errorf("close engine: %v", err)
		}
	}
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// stop shuts the server down and closes its engine (once).
func (ts *testServer) stop(t testing.TB) {
	if ts.shutdown != nil {
		ts.shutdown(t)
		ts.shutdown = nil
	}
}

// connect opens a pgx connection to the server as postgres, closed when
// the test ends.
func (ts *testServer) connect(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), ts.connString(""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// connString is a pgx/libpq URL for the server.
func (ts *testServer) connString(extra string) string {
	return "postgres://postgres@" + ts.addr + "/postgres?sslmode=disable" + extra
}
