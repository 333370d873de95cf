package planner

import "github.com/vecgres/vecgres/executor"

// pushFilterIntoScan merges a Filter directly above a Scan into the scan,
// so the predicate runs as rows are decoded and later rules (primary-key
// lookups, filtered vector search) see it next to the table.
func pushFilterIntoScan(_ *Optimizer, n Node) Node {
	f, ok := n.(*Filter)
	if !ok {
		return n
	}
	s, ok := f.Input.(*Scan)
	if !ok {
		return n
	}
	// NB: a copy, because a scan may be shared (a WITH query referenced
	// twice) while the filter pushed onto it belongs to one reference.
	c := *s
	if c.Filter == nil {
		c.Filter = f.Pred
	} else {
		c.Filter = &executor.And{Left: c.Filter, Right: f.Pred}
	}
	return &c
}

// conjuncts splits a predicate into its AND-ed parts.
func conjuncts(e executor.Expr) []executor.Expr {
	if a, ok := e.(*executor.And); ok {
		return append(conjuncts(a.Left), conjuncts(a.Right)...)
	}
	if e == nil {
		return nil
	}
	return []executor.Expr{e}
}

// conjoin joins predicates with AND (nil for none).
func conjoin(es []executor.Expr) executor.Expr {
	var out executor.Expr
	for _, e := range es {
		if out == nil {
			out = e
		} else {
			out = &executor.And{Left: out, Right: e}
		}
	}
	return out
}
