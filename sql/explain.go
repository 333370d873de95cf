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
// one row per line, ANN scans showing the filtered-search strategy they
// would run with these parameters. With ANALYZE the statement is executed (its writes
// stay in the transaction, as in PostgreSQL) with every operator
// instrumented: each node's line shows its actual time, rows and loops,
// ANN scans their work, and the total Execution Time ends the output.
func (s *Session) explain(ctx context.Context, ex *tree.Explain, p *Prepared, params []types.Datum) (*Result, error) {
	plan := p.plan
	start := time.Now()
	op, instr, err := planner.BuildAnalyzed(plan)
	if err != nil {
		return nil, err
	}
	ectx := s.execCtx(ctx, params)
	// NB: the filtered-search strategy is chosen at run time from the
	// actual parameters; EXPLAIN prints the one the scan would run now.
	planned := planner.PlannedStrategies(ectx, instr)
	if !ex.Analyze {
		return explainResult(s, planner.ExplainPlanned(plan, planned)), nil
	}
	ectx.Analyze = true
	if err := op.Open(ectx); err != nil {
		op.Close()
		return nil, err
	}
	for {
		row, err := op.Next(ectx)
		if err != nil {
			op.Close()
			return nil, err
		}
		if row == nil {
			break
		}
	}
	op.Close()
	el := time.Since(start)
	lines := planner.ExplainAnalyzed(plan, instr, planned)
	lines = append(lines, fmt.Sprintf("Execution Time: %.3f ms", float64(el.Microseconds())/1000))
	return explainResult(s, lines), nil
}

// explainResult is EXPLAIN's one-column result, a row per line.
func explainResult(s *Session, lines []string) *Result {
	rows := make([][]types.Datum, len(lines))
	for i, l := range lines {
		rows[i] = []types.Datum{types.NewString(l)}
	}
	return rowsResult(s, []Column{{Name: "QUERY PLAN", Type: types.TextType}}, rows, "EXPLAIN")
}
