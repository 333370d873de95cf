package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/storage"
)

// A Rule rewrites one node (its children already rewritten) and returns
// the node to use instead, or the same node when its preconditions fail.
type Rule struct {
	Name  string
	Apply func(o *Optimizer, n Node) Node
}

// rules is the ordered list of rewrite rules; this slice is the only place
// their order is decided. WHERE and ON conjuncts are pushed below joins
// first, so that they reach the scans and equalities reach the joins.
// Filters are pushed into scans before access paths
// are chosen; an index read in sort order replaces a Sort under a Limit
// before top-k forms, which consumes the Sort+Limit pairs left in place.
var rules = []Rule{
	{Name: "push_predicates", Apply: pushPredicates},
	{Name: "push_filter_into_scan", Apply: pushFilterIntoScan},
	{Name: "hash_join", Apply: hashJoin},
	{Name: "index_range", Apply: indexRange},
	{Name: "index_order", Apply: indexOrder},
	{Name: "sort_limit_to_topk", Apply: sortLimitToTopK},
	{Name: "ann_topk", Apply: annTopK},
	{Name: "ann_ordered_output", Apply: annOrderedOutput},
}

// Optimizer applies the rules to a plan. It carries what rules may consult.
type Optimizer struct {
	// Stats returns a table's statistics (nil when unknown).
	Stats func(t *executor.Table) *executor.TableStats
	// IndexKey returns the bound key expression of the expression index
	// ix of t (storage.IndexDesc.Expr), over t's row; nil when it cannot
	// be bound (the index is then not used) or IndexKey itself is nil.
	IndexKey func(t *executor.Table, ix *storage.IndexDesc) executor.Expr
}

// Optimize rewrites the plan with every rule in order.
func (o *Optimizer) Optimize(n Node) Node {
	for _, r := range rules {
		n = transformUp(n, func(x Node) Node { return r.Apply(o, x) })
	}
	return n
}
