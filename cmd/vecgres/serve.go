package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/vecgres/vecgres/pgwire"
	"github.com/vecgres/vecgres/sql"
)

const serveUsage = `Usage: vecgres serve [flags]

Serve PostgreSQL clients (psql, any Postgres driver) from the database in
--data. Authentication is trust (no password); the superuser "postgres"
and the database "postgres" exist from the start, and CREATE DATABASE
makes more. Unknown roles and databases are refused (28000, 3D000).
SIGINT or SIGTERM shuts down gracefully: running queries are cancelled and
clients get FATAL 57P01 before their connection closes.

Flags:
`

// shutdownGrace is how long a graceful shutdown waits for connections to
// finish before closing their sockets.
const shutdownGrace = 10 * time.Second

// runServe parses the serve flags, opens the engine and serves until a
// signal arrives.
func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:5433", "`HOST:PORT` to listen on (port 0 picks a free one)")
	data := fs.String("data", "./data", "`DIR`ectory of the database (created if missing)")
	logLevel := fs.String("log-level", "info", "log verbosity: debug, info, warn or error")
	maxMsg := fs.Int("max-message-size", 64<<20, "largest Query, Parse, Bind or CopyData message accepted, in `bytes`")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to `FILE` (for go tool pprof)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see vecgres serve --help)", fs.Arg(0))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(*logLevel))); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", *logLevel)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	eng, err := sql.Open(sql.Config{DataDir: *data, Logger: logger})
	if err != nil {
		return fmt.Errorf("open data directory %s: %w", *data, err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		eng.Close()
		return fmt.Errorf("listen: %w", err)
	}
	srv := pgwire.New(pgwire.Config{Engine: eng, Logger: logger, MaxMessageSize: *maxMsg})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Printf("vecgres listening on %s (data %s)\n", ln.Addr(), *data)

	select {
	case err = <-served:
	case <-ctx.Done():
		logger.Info("shutting down", "grace", shutdownGrace)
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = srv.Shutdown(sctx)
		cancel()
		if serr := <-served; err == nil && !errors.Is(serr, pgwire.ErrServerClosed) {
			err = serr
		}
	}
	if cerr := eng.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, pgwire.ErrServerClosed) {
		err = nil
	}
	return err
}
