package sql

import (
	"context"
	"fmt"
	"testing"

	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/vindextest"
)

// newBenchSession opens an engine in a temporary directory and returns a
// session and an exec helper that runs one statement with parameters to
// completion, as the wire server would (Execute, drain, Sync), preparing
// each statement text once.
func newBenchSession(b *testing.B) (*Session, func(sql string, params ...types.Datum) int) {
	eng, err := Open(Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { eng.Close() })
	ctx := context.Background()
	s, err := eng.NewSession(ctx, map[string]string{"user": "postgres", "database": "postgres"})
	if err != nil {
		b.Fatal(err)
	}
	prepared := map[string]*Prepared{}
	exec := func(sql string, params ...types.Datum) int {
		prep := prepared[sql]
		if prep == nil {
			ps, err := Parse(sql)
			if err != nil {
				b.Fatal(err)
			}
			if prep, err = s.Prepare(ctx, ps[0], nil); err != nil {
				b.Fatal(err)
			}
			prepared[sql] = prep
		}
		n := 0
		drain(b, s, prep, params, func([]types.Datum) { n++ })
		return n
	}
	return s, exec
}

// benchSession is newBenchSession with ds loaded into
// items(id bigint PRIMARY KEY, embedding vector(D), cat int) (cat = id %
// 100).
func benchSession(b *testing.B, ds *dataset.Dataset) (*Session, func(sql string, params ...types.Datum) int) {
	s, exec := newBenchSession(b)
	exec(fmt.Sprintf("CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(%d), cat int)", ds.Dims))
	exec("BEGIN")
	for i := 0; i < ds.N; i++ {
		exec("INSERT INTO items VALUES ($1, $2, $3)", types.NewInt(int64(i)),
			types.NewVector(ds.Base[i*ds.Dims:(i+1)*ds.Dims]), types.NewInt(int64(i%100)))
	}
	exec("COMMIT")
	exec("ANALYZE items")
	return s, exec
}

// BenchmarkANNStatement measures one ANN statement through the engine
// (bind parameters, plan, execute, fetch rows, end the implicit
// transaction) without the network: the per-query cost the wire adds to
// is this. Recall@10 against the dataset's ground truth is reported.
func BenchmarkANNStatement(b *testing.B) {
	b.Run("siftsmall", func(b *testing.B) { benchANNStatement(b, vindextest.SharedDataset(b, "siftsmall", "l2")) })
	b.Run("synthetic50k", func(b *testing.B) { benchANNStatement(b, dataset.Synthetic(50000, 128, vindex.L2)) })
}

func benchANNStatement(b *testing.B, ds *dataset.Dataset) {
	s, exec := benchSession(b, ds)
	const q = "SELECT id FROM items ORDER BY embedding <-> $1 LIMIT 10"
	const fq = "SELECT id FROM items WHERE cat = $2 ORDER BY embedding <-> $1 LIMIT 10"
	// filtered is the 1 % filter case (cat = 7): its answers are checked
	// against an exact scan over the matching rows.
	filtered := func(b *testing.B) {
		recall := 0.0
		for i := 0; i < ds.NQ; i++ {
			got := queryIDs(b, s, fq, types.NewVector(ds.Query(i)), types.NewInt(7))
			want := queryIDs(b, s, "SELECT id FROM items WHERE cat = $2 ORDER BY embedding <-> $1, id LIMIT 10", types.NewVector(ds.Query(i)), types.NewInt(7))
			for _, id := range got {
				for _, w := range want {
					if w == id {
						recall++
						break
					}
				}
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			exec(fq, types.NewVector(ds.Query(i%ds.NQ)), types.NewInt(7))
		}
		b.StopTimer()
		b.ReportMetric(recall/float64(10*ds.NQ), "recall@10")
	}
	run := func(b *testing.B) {
		var ids []int64
		recall := 0.0
		for i := 0; i < ds.NQ; i++ {
			ids = ids[:0]
			rows := queryIDs(b, s, q, types.NewVector(ds.Query(i)))
			ids = append(ids, rows...)
			truth := ds.TruthRow(i)[:10]
			for _, id := range ids {
				for _, t := range truth {
					if int64(t) == id {
						recall++
						break
					}
				}
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			exec(q, types.NewVector(ds.Query(i%ds.NQ)))
		}
		b.StopTimer()
		b.ReportMetric(recall/float64(10*ds.NQ), "recall@10")
	}
	b.Run("exact", run)
	b.Run("exact_filter1pct", filtered)
	exec("CREATE INDEX ON items USING hnsw (embedding) WITH (m = 16, ef_construction = 200)")
	exec("SET hnsw.ef_search = 40")
	b.Run("hnsw_ef40", run)
	b.Run("hnsw_ef40_filter1pct", filtered)
}

// queryIDs runs q with parameters and returns the id column.
func queryIDs(b *testing.B, s *Session, q string, params ...types.Datum) []int64 {
	ctx := context.Background()
	ps, err := Parse(q)
	if err != nil {
		b.Fatal(err)
	}
	prep, err := s.Prepare(ctx, ps[0], nil)
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	drain(b, s, prep, params, func(row []types.Datum) { ids = append(ids, row[0].I) })
	return ids
}

// drain executes prep with params, hands each result row to row and ends
// the implicit transaction, as the wire server's Execute and Sync do.
func drain(b *testing.B, s *Session, prep *Prepared, params []types.Datum, row func([]types.Datum)) {
	ctx := context.Background()
	r, err := s.Execute(ctx, prep, params)
	if err != nil {
		b.Fatal(err)
	}
	for {
		vals, ok, err := r.Next(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if !ok {
			break
		}
		row(vals)
	}
	if err := s.Sync(); err != nil {
		b.Fatal(err)
	}
}
