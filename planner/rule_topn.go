package planner

// sortLimitToTopK replaces "Limit over Sort" with a TopK node: ORDER BY x
// LIMIT k keeps k rows in a bounded heap instead of sorting everything.
// This is what makes exact nearest-neighbour search (ORDER BY embedding
// <-> $1 LIMIT k) O(n log k).
func sortLimitToTopK(_ *Optimizer, n Node) Node {
	l, ok := n.(*Limit)
	if !ok || l.Count == nil {
		return n
	}
	s, ok := l.Input.(*Sort)
	if !ok {
		return n
	}
	return &TopK{Input: s.Input, Keys: s.Keys, Count: l.Count, Offset: l.Offset}
}
