package sql

import (
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Regression test for issue 2: negative LIMIT/OFFSET constants get
// PostgreSQL's SQLSTATEs, not "not supported".
func TestNegativeLimitOffset(t *testing.T) {
	for _, c := range []struct {
		sql  string
		code pgerr.Code
	}{
		{"SELECT 1 LIMIT -1", pgerr.InvalidRowCountInLimitClause},
		{"SELECT 1 OFFSET -1", pgerr.InvalidRowCountInResultOffsetClause},
		{"SELECT 1 LIMIT 1 OFFSET -5", pgerr.InvalidRowCountInResultOffsetClause},
	} {
		_, err := Parse(c.sql)
		if got := pgerr.CodeOf(err); got != c.code {
			t.Errorf("%s: got %v (%v), want %s", c.sql, got, err, c.code)
		}
	}
}
