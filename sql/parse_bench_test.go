package sql

import (
	"strings"
	"testing"
)

// BenchmarkParse measures the front layer plus the TiDB parser on a k-NN
// query, with a short and with a 128-d vector literal inlined as clients
// without parameters (psycopg2) send it.
func BenchmarkParse(b *testing.B) {
	vec := "[" + strings.TrimSuffix(strings.Repeat("12.5,", 128), ",") + "]"
	for _, c := range []struct{ name, sql string }{
		{"short_literal", "SELECT id FROM items ORDER BY embedding <-> '[1,2]' LIMIT 10"},
		{"vector128_literal", "SELECT id FROM items ORDER BY embedding <-> '" + vec + "' LIMIT 10"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Parse(c.sql); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
