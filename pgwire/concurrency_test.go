package pgwire

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Concurrent writers and vector searchers on one table with an HNSW index:
// every committed row is found afterwards through the index, searches
// never fail, and write conflicts surface as 40001 (retried here).
// Run under -race by `make test-race`.
func TestConcurrentWritesAndSearches(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	connect := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, ts.connString(""))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	setup := connect()
	defer setup.Close(ctx)
	for _, s := range []string{
		"CREATE TABLE cw (id bigint PRIMARY KEY, embedding vector(4), writer int)",
		"CREATE INDEX ON cw USING hnsw (embedding vector_l2_ops)",
	} {
		if _, err := setup.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	const writers, perWriter, searchers = 3, 60, 2
	var wg sync.WaitGroup
	errs := make(chan error, writers+searchers)
	done := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := connect()
			defer c.Close(ctx)
			for i := 0; i < perWriter; i++ {
				id := w*1000 + i
				for {
					_, err := c.Exec(ctx, "INSERT INTO cw VALUES ($1, $2, $3)", id, fmt.Sprintf("[%d,%d,%d,%d]", id, i, w, 1), w)
					var pe *pgconn.PgError
					if errors.As(err, &pe) && pe.Code == "40001" {
						continue
					}
					if err != nil {
						errs <- fmt.Errorf("writer %d: %w", w, err)
						return
					}
					break
				}
			}
		}(w)
	}
	var sg sync.WaitGroup
	for s := 0; s < searchers; s++ {
		sg.Add(1)
		go func() {
			defer sg.Done()
			c := connect()
			defer c.Close(ctx)
			for {
				select {
				case <-done:
					return
				default:
				}
				rows, err := c.Query(ctx, "SELECT id FROM cw WHERE writer <> 99 ORDER BY embedding <-> '[5,5,1,1]' LIMIT 5")
				if err != nil {
					errs <- fmt.Errorf("searcher: %w", err)
					return
				}
				for rows.Next() {
				}
				if err := rows.Err(); err != nil {
					errs <- fmt.Errorf("searcher: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	sg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every committed row is reachable through the index: nearest to its
	// own vector is itself.
	for w := 0; w < writers; w++ {
		for _, i := range []int{0, perWriter / 2, perWriter - 1} {
			id := w*1000 + i
			var got int64
			err := setup.QueryRow(ctx, "SELECT id FROM cw ORDER BY embedding <-> $1 LIMIT 1", fmt.Sprintf("[%d,%d,%d,%d]", id, i, w, 1)).Scan(&got)
			if err != nil || got != int64(id) {
				t.Fatalf("row %d: nearest = %d, %v", id, got, err)
			}
		}
	}
	var n int
	if err := setup.QueryRow(ctx, "SELECT count(*) FROM cw").Scan(&n); err != nil || n != writers*perWriter {
		t.Fatalf("count = %d, %v; want %d", n, err, writers*perWriter)
	}
}
