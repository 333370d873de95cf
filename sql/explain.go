package sql

import (
	"context"
	"fmt"
	"time"

	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// explain runs EXPLAIN [ANALYZE]: the plan as PostgreSQL's text format,
// one row per line. With ANALYZE the statement is executed (its writes
// stay in the transaction, as in PostgreSQL) and the actual row count and
// time are appended.
func (s *Session) explain(ctx context.Context, ex *tree.Explain, p *Prepared, params []types.Datum) (*Result, error) {
	plan := p.plan
	lines := planner.Explain(plan)
	if ex.Analyze {
		start := time.Now()
		r, err := s.runPlan(ctx, plan, params, "SELECT")
		if err != nil {
			return nil, err
		}
		var n int64
		for {
			_, ok, err := r.Next(ctx)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			n++
		}
		el := time.Since(start)
		lines[0] += fmt.Sprintf(" (actual rows=%d loops=1)", n)
		lines = append(lines, fmt.Sprintf("Execution Time: %.3f ms", float64(el.Microseconds())/1000))
	}
	rows := make([][]types.Datum, len(lines))
	for i, l := range lines {
		rows[i] = []types.Datum{types.NewString(l)}
	}
	r := rowsResult(s, []Column{{Name: "QUERY PLAN", Type: types.TextType}}, rows, "EXPLAIN")
	return r, nil
}
