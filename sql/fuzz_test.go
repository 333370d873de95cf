package sql

import (
	"errors"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// FuzzParse checks that any input either parses or fails with a
// *pgerr.Error carrying a position inside the query, and never panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT 1 - (e <=> $1) AS sim FROM items ORDER BY e <-> $2 LIMIT 5",
		"INSERT INTO t (a) VALUES (1), (DEFAULT) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a RETURNING *",
		"CREATE INDEX ON items USING hnsw (embedding vector_l2_ops) WITH (m = 16)",
		"COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true)",
		"SET hnsw.ef_search = 100; SHOW transaction isolation level; BEGIN; COMMIT",
		"SELECT x::int8[], ARRAY[1,2][1], (f(x)).n, 'a' COLLATE \"C\" FROM generate_series(1,3) s(r)",
		"SELECT $$a;b$$, E'\\x41', /* c /* d */ */ 1",
		"UPDATE t SET a = u.b FROM u WHERE t.id = u.id",
		"SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x NATURAL FULL JOIN c FULL JOIN d USING (x, \"Y\")",
		"SELECT row_number() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
		"COPY (SELECT (information_schema._pg_expandarray(k)).n FROM t) TO STDOUT (FORMAT csv, HEADER)",
		"SELECT ROW(), ROW(1), (a, b) >= ($1, $2), (1, 2) NOT IN ((1, 3), ROW(2, 4)) FROM t",
		// Regression inputs found by fuzzing: invalid UTF-8 reaching TiDB's
		// scanner (hang), an unterminated call in FROM (loop), COPY () (panic).
		"CREATE INDEX ON A USING A(A00000(\xd3",
		"SELECT, (t(x)x::int8[], ARRAY[1,2][1], (t(x)).n, 'a' COLLATE \"C\" FROM generate_series(1,3",
		"COPY()",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ps, err := Parse(q)
		if err != nil {
			var pe *pgerr.Error
			if !errors.As(err, &pe) {
				t.Fatalf("non-pgerr error %T %v for %q", err, err, q)
			}
			if pe.Position < 0 || pe.Position > len(q)+1 {
				t.Fatalf("position %d outside query of %d bytes: %q", pe.Position, len(q), q)
			}
			return
		}
		for _, p := range ps {
			if p.Stmt == nil || p.Offset < 0 || p.Offset+len(p.SQL) > len(q) || q[p.Offset:p.Offset+len(p.SQL)] != p.SQL {
				t.Fatalf("bad Parsed %+v for %q", p, q)
			}
		}
	})
}
