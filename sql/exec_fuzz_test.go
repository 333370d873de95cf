package sql

import (
	"context"
	"testing"
	"time"

	"github.com/vecgres/vecgres/sql/types"
)

// FuzzExecute runs arbitrary statement text through the whole engine —
// parse, bind, plan, execute — on a session with a small vector table. No
// input may panic; every failure is a *pgerr.Error, and the session stays
// usable afterwards.
func FuzzExecute(f *testing.F) {
	for _, seed := range []string{
		"SELECT id, embedding <-> '[1,2,3]' FROM v WHERE cat = 1 ORDER BY 2 LIMIT 3",
		"SELECT cat, count(*), avg(embedding), sum(id) FROM v GROUP BY cat HAVING count(*) > 1 ORDER BY cat",
		"SELECT a.id FROM v a LEFT JOIN v b ON a.id = b.id + 1 WHERE b.id IS NULL",
		"SELECT (SELECT max(id) FROM v w WHERE w.cat = v.cat) FROM v",
		"UPDATE v SET embedding = embedding + '[1,1,1]' WHERE id IN (SELECT id FROM v WHERE cat = 2) RETURNING id",
		"INSERT INTO v VALUES (100, '[1,2,3]', 4) ON CONFLICT (id) DO UPDATE SET cat = excluded.cat RETURNING *",
		"DELETE FROM v WHERE embedding <=> '[0,0,1]' < 0.5",
		"SELECT subvector(embedding, 2, 2), l2_normalize(embedding), vector_dims(embedding)::text FROM v",
		"SELECT x, y FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y) UNION ALL SELECT id, 'c' FROM v ORDER BY 1 DESC OFFSET 1",
		"SELECT * FROM generate_series(1, 5) g(i) WHERE i = ANY(ARRAY[1, 3]) AND i BETWEEN 1 AND 4",
		"SELECT CASE WHEN cat > 1 THEN 'x' ELSE NULL END, coalesce(NULL, cat), greatest(id, cat) FROM v",
		"SELECT id FROM v ORDER BY embedding <#> $1 LIMIT $2",
		"SELECT * FROM v a FULL JOIN v b USING (id) NATURAL FULL JOIN v c ORDER BY 1",
		"SELECT id, rank() OVER (PARTITION BY cat ORDER BY embedding <-> '[1,1,1]') FROM v",
	} {
		f.Add(seed)
	}
	eng, err := Open(Config{DataDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	ctx := context.Background()
	s, err := eng.NewSession(ctx, map[string]string{"user": "postgres", "database": "postgres"})
	if err != nil {
		f.Fatal(err)
	}
	exec := func(sql string) error {
		// NB: a statement may legitimately run long (generate_series up to
		// 2^31); a deadline, as statement_timeout or a CancelRequest, must
		// stop it, so a hang here is a query that ignores cancellation.
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		ps, err := Parse(sql)
		if err != nil {
			return err
		}
		for _, p := range ps {
			prep, err := s.Prepare(ctx, p, nil)
			if err != nil {
				return err
			}
			params := make([]types.Datum, len(prep.ParamTypes))
			r, err := s.Execute(ctx, prep, params)
			if err != nil {
				return err
			}
			for {
				_, ok, err := r.Next(ctx)
				if err != nil {
					return err
				}
				if !ok {
					break
				}
			}
		}
		return nil
	}
	for _, setup := range []string{
		"CREATE TABLE v (id int PRIMARY KEY, embedding vector(3), cat int)",
		"INSERT INTO v SELECT i, ARRAY[i, i % 3, 1]::vector, i % 4 FROM generate_series(1, 30) g(i)",
		"CREATE INDEX ON v USING hnsw (embedding)",
		"CREATE INDEX ON v (cat)",
	} {
		if err := exec(setup); err != nil {
			f.Fatalf("%s: %v", setup, err)
		}
		if err := s.Sync(); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if len(sql) > 2000 {
			return
		}
		_ = exec(sql)
		// Undo whatever it did (and leave any transaction block).
		s.Fail()
		_ = s.Sync()
		if s.TxnStatus() != TxnIdle {
			_ = exec("ROLLBACK")
			_ = s.Sync()
		}
		if err := exec("SELECT count(*) FROM v"); err != nil {
			// DROP/ALTER in the input may legitimately remove the table.
			_ = s.Sync()
		}
		_ = s.Sync()
	})
}
