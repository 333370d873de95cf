// Command vecgres is the vecgres server and its tools.
//
//	vecgres serve [--listen HOST:PORT] [--data DIR] [--log-level LEVEL]
//	vecgres bench --data DIR --index TYPE [...]
//	vecgres bench-sql --data DIR [--spawn | --addr HOST:PORT] [...]
//
// Run "vecgres help" or "vecgres SUBCOMMAND --help" for every flag.
package main

import (
	"fmt"
	"os"
)

const usage = `vecgres: a SQL vector database that speaks the PostgreSQL wire protocol.

Usage:
  vecgres serve [flags]   serve PostgreSQL clients (default 127.0.0.1:5433)
  vecgres bench [flags]   build a vector index on an fvecs dataset and measure recall and speed
  vecgres bench-sql [flags]
                          load an fvecs dataset over the wire, build indexes with SQL and measure
                          recall, QPS and latency with 1..N clients (--spawn runs a server in-process)
  vecgres help            show this text

Serve flags:
  --listen HOST:PORT      address to listen on (default 127.0.0.1:5433; port 0 picks a free one)
  --data DIR              database directory, created if missing (default ./data)
  --log-level LEVEL       debug, info, warn or error (default info)
  --max-message-size N    largest Query/Parse/Bind/CopyData message in bytes (default 64 MiB)

Run "vecgres serve --help", "vecgres bench --help" or "vecgres bench-sql --help" for details.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = runServe(os.Args[2:])
	case "bench":
		err = runBench(os.Args[2:])
	case "bench-sql":
		err = runBenchSQL(os.Args[2:])
	case "help", "-h", "--help", "-help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "vecgres: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "vecgres %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
