package sql

import "testing"

// BenchmarkSemiJoin compares WHERE subqueries run as semi/anti joins
// (bind_where.go) with the same predicates written so that they stay
// subqueries ("coalesce(..., false)" is not a bare IN/EXISTS conjunct,
// and keeps the same rows in WHERE). IN reads 10,000 outer rows against
// 10,000 subquery rows, with duplicate keys and NULLs on both sides; its
// subquery form is a hashed subplan, as is NOT IN, which has no join
// form. The EXISTS cases read only the first 200 outer rows, because
// their subquery form runs the subquery once per outer row. Each pair
// must return the same number of rows.
func BenchmarkSemiJoin(b *testing.B) {
	_, run := newBenchSession(b)
	run("CREATE TABLE outr (id int PRIMARY KEY, x int)")
	run("CREATE TABLE innr (id int PRIMARY KEY, y int)")
	run("INSERT INTO outr SELECT i, CASE WHEN i % 97 = 0 THEN NULL ELSE i % 20000 END FROM generate_series(1, 10000) i")
	run("INSERT INTO innr SELECT i, CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 3) % 15000 END FROM generate_series(1, 10000) i")
	run("ANALYZE outr")
	run("ANALYZE innr")
	cases := []struct{ name, join, perRow string }{
		{"in",
			"SELECT id FROM outr WHERE x IN (SELECT y FROM innr)",
			"SELECT id FROM outr WHERE coalesce(x IN (SELECT y FROM innr), false)"},
		{"exists",
			"SELECT id FROM outr WHERE outr.id <= 200 AND EXISTS (SELECT 1 FROM innr WHERE innr.y = outr.x)",
			"SELECT id FROM outr WHERE outr.id <= 200 AND coalesce(EXISTS (SELECT 1 FROM innr WHERE innr.y = outr.x), false)"},
		{"not_exists",
			"SELECT id FROM outr WHERE outr.id <= 200 AND NOT EXISTS (SELECT 1 FROM innr WHERE innr.y = outr.x)",
			"SELECT id FROM outr WHERE outr.id <= 200 AND coalesce(NOT EXISTS (SELECT 1 FROM innr WHERE innr.y = outr.x), false)"},
		{"not_in", "",
			"SELECT id FROM outr WHERE x NOT IN (SELECT y FROM innr WHERE y IS NOT NULL)"},
	}
	for _, c := range cases {
		want := -1
		for _, v := range []struct{ name, q string }{{"join", c.join}, {"subquery", c.perRow}} {
			if v.q == "" {
				continue
			}
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				n := 0
				for b.Loop() {
					n = run(v.q)
				}
				if want >= 0 && n != want {
					b.Fatalf("%s: %d rows, the join returned %d", v.q, n, want)
				}
				want = n
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}
