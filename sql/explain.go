package sql

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vecgres/vecgres/executor"
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
		op, err := planner.Build(plan)
		if err != nil {
			return nil, err
		}
		ectx := s.execCtx(ctx, params)
		ectx.Stats = &executor.Stats{}
		if err := op.Open(ectx); err != nil {
			op.Close()
			return nil, err
		}
		var n int64
		for {
			row, err := op.Next(ectx)
			if err != nil {
				op.Close()
				return nil, err
			}
			if row == nil {
				break
			}
			n++
		}
		el := time.Since(start)
		lines[0] += fmt.Sprintf(" (actual rows=%d loops=1)", n)
		executor.Walk(op, func(o executor.Operator) {
			a, ok := o.(*executor.AnnScan)
			if !ok {
				return
			}
			for i, l := range lines {
				if strings.Contains(l, "Index Scan using") || strings.Contains(l, "Exact Vector Scan") {
					indent := strings.Repeat(" ", len(l)-len(strings.TrimLeft(l, " ->"))+2)
					extra := fmt.Sprintf("%sVector Search: %s, rows returned %d, distances computed %d", indent, a.Used, len(a.Rows()), a.Distances)
					// NB: after the node's own detail lines, which share
					// the indent.
					j := i + 1
					for j < len(lines) && strings.HasPrefix(lines[j], indent) && !strings.HasPrefix(strings.TrimLeft(lines[j], " "), "->") {
						j++
					}
					lines = append(lines[:j], append([]string{extra}, lines[j:]...)...)
					break
				}
			}
		})
		op.Close()
		lines = append(lines, fmt.Sprintf("Execution Time: %.3f ms", float64(el.Microseconds())/1000))
	}
	rows := make([][]types.Datum, len(lines))
	for i, l := range lines {
		rows[i] = []types.Datum{types.NewString(l)}
	}
	r := rowsResult(s, []Column{{Name: "QUERY PLAN", Type: types.TextType}}, rows, "EXPLAIN")
	return r, nil
}
