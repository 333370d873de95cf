package planner

// inputs returns a node's children.
func inputs(n Node) []Node {
	switch n := n.(type) {
	case *Filter:
		return []Node{n.Input}
	case *Project:
		return []Node{n.Input}
	case *Aggregate:
		return []Node{n.Input}
	case *Window:
		return []Node{n.Input}
	case *Sort:
		return []Node{n.Input}
	case *Limit:
		return []Node{n.Input}
	case *TopK:
		return []Node{n.Input}
	case *Distinct:
		return []Node{n.Input}
	case *Join:
		return []Node{n.Left, n.Right}
	case *Append:
		return n.Inputs
	case *Insert:
		return []Node{n.Input}
	case *Update:
		return []Node{n.Input}
	case *Delete:
		return []Node{n.Input}
	}
	return nil
}

// setInputs replaces a node's children in place; the binder's tree is
// owned by the planner once handed over, so rules may mutate it.
func setInputs(n Node, in []Node) {
	switch n := n.(type) {
	case *Filter:
		n.Input = in[0]
	case *Project:
		n.Input = in[0]
	case *Aggregate:
		n.Input = in[0]
	case *Window:
		n.Input = in[0]
	case *Sort:
		n.Input = in[0]
	case *Limit:
		n.Input = in[0]
	case *TopK:
		n.Input = in[0]
	case *Distinct:
		n.Input = in[0]
	case *Join:
		n.Left, n.Right = in[0], in[1]
	case *Append:
		n.Inputs = in
	case *Insert:
		n.Input = in[0]
	case *Update:
		n.Input = in[0]
	case *Delete:
		n.Input = in[0]
	}
}

// transformUp applies f to every node bottom-up, replacing each node by
// f's result.
func transformUp(n Node, f func(Node) Node) Node {
	in := inputs(n)
	if len(in) > 0 {
		out := make([]Node, len(in))
		for i, c := range in {
			out[i] = transformUp(c, f)
		}
		setInputs(n, out)
	}
	return f(n)
}
