package planner

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/types"
)

// Explain renders an optimised plan as PostgreSQL's EXPLAIN text format:
// one line per node, children indented under "->", node details below
// their node. Costs are not printed (vecgres has no cost model to show).
func Explain(n Node) []string {
	var lines []string
	explainNode(n, 0, true, &lines, &explainCtx{})
	return lines
}

// ExplainPlanned is Explain with the filtered-search strategy of each ANN
// scan replaced by the one its operator would run (executor.AnnScan.Plan,
// which weighs the actual parameters, settings and statistics); planned
// maps plan nodes to those strategies (see BuildAnalyzed for the nodes'
// operators).
func ExplainPlanned(n Node, planned map[Node]executor.AnnStrategy) []string {
	var lines []string
	explainNode(n, 0, true, &lines, &explainCtx{planned: planned})
	return lines
}

// explainCtx is what a rendering knows besides the plan: m, for EXPLAIN
// ANALYZE, the instrumented operators of the run; planned the strategies
// ANN scans would run or ran.
type explainCtx struct {
	m       map[Node]*executor.Instrument
	planned map[Node]executor.AnnStrategy
}

// ExplainAnalyzed is Explain after a run of the operators BuildAnalyzed
// returned with m: each node's line gets PostgreSQL's "(actual time=
// startup..total rows=N loops=L)", per-loop averages in milliseconds, and
// ANN scans a line with the strategy that ran and its work.
func ExplainAnalyzed(n Node, m map[Node]*executor.Instrument, planned map[Node]executor.AnnStrategy) []string {
	var lines []string
	explainNode(n, 0, true, &lines, &explainCtx{m: m, planned: planned})
	return lines
}

// actual is the " (actual ...)" suffix of n's line ("" without m).
func actual(x *explainCtx, n Node) string {
	in := x.m[n]
	if in == nil {
		return ""
	}
	if in.Loops == 0 {
		return " (never executed)"
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(in.Loops) }
	rows := math.Round(float64(in.Rows) / float64(in.Loops))
	return fmt.Sprintf(" (actual time=%.3f..%.3f rows=%.0f loops=%d)", ms(in.Startup), ms(in.Total), rows, in.Loops)
}

// vectorSearch is the EXPLAIN ANALYZE line of an ANN scan's work.
func vectorSearch(x *explainCtx, n Node) (string, bool) {
	in := x.m[n]
	if in == nil || in.Loops == 0 {
		return "", false
	}
	a, ok := in.Input.(*executor.AnnScan)
	if !ok {
		return "", false
	}
	s := fmt.Sprintf("Vector Search: %s, rows returned %d, distances computed %d", a.Used, a.Returned, a.Distances)
	if a.Visited > 0 {
		s += fmt.Sprintf(", nodes visited %d", a.Visited)
	}
	return s, true
}

func explainNode(n Node, depth int, top bool, lines *[]string, x *explainCtx) {
	indent := strings.Repeat(" ", depth)
	head := indent
	detail := indent + "  "
	if !top {
		head = indent + "->  "
		detail = indent + "      "
	}
	add := func(s string) { *lines = append(*lines, head+s+actual(x, n)) }
	info := func(format string, args ...any) { *lines = append(*lines, detail+fmt.Sprintf(format, args...)) }
	childDepth := depth + 2
	if !top {
		childDepth = depth + 6
	}
	child := func(c Node) { explainNode(c, childDepth, false, lines, x) }

	switch n := n.(type) {
	case *Scan:
		cols := n.Columns()
		rel := n.Table.Desc.Name + aliasSuffix(n.Alias, n.Table.Desc.Name)
		filter := n.Filter
		if n.Index != nil {
			kind := "Index Scan"
			if n.Index.Bounds.Reverse {
				kind = "Index Scan Backward"
			}
			add(fmt.Sprintf("%s using %s on %s", kind, n.Index.Bounds.Index.Name, rel))
			if len(n.Index.Conds) > 0 {
				info("Index Cond: %s", indexCond(n.Index.Conds, cols))
			}
			// NB: the executor re-checks the whole filter; EXPLAIN shows
			// only the part the index does not answer, as PostgreSQL does.
			filter = residual(n.Filter, n.Index.Conds)
		} else {
			add("Seq Scan on " + rel)
		}
		if filter != nil {
			info("Filter: %s", paren(FormatExpr(filter, cols)))
		}
	case *AnnScan:
		if n.Index != nil {
			add(fmt.Sprintf("Index Scan using %s on %s%s", n.Index.Name, n.Scan.Table.Desc.Name, aliasSuffix(n.Scan.Alias, n.Scan.Table.Desc.Name)))
		} else {
			add(fmt.Sprintf("Exact Vector Scan on %s%s", n.Scan.Table.Desc.Name, aliasSuffix(n.Scan.Alias, n.Scan.Table.Desc.Name)))
		}
		cols := n.Columns()
		key := ""
		if n.Key != nil {
			key = FormatExpr(n.Key, cols)
		} else {
			key = cols[n.Column].Name
		}
		info("Order By: (%s %s %s)", key, n.Op, FormatExpr(n.Query, cols))
		if n.Scan.Filter != nil {
			info("Filter: %s", paren(FormatExpr(n.Scan.Filter, cols)))
			if n.Index != nil {
				strategy := n.Strategy
				if s, ok := x.planned[n]; ok {
					strategy = s
				}
				info("Filtered Search: %s", strategy)
			}
		}
		if s, ok := vectorSearch(x, n); ok {
			info("%s", s)
		}
	case *Values:
		if len(n.Rows) == 1 && len(n.Rows[0]) == 0 {
			add("Result")
		} else {
			add("Values Scan on \"*VALUES*\"")
		}
	case *Series:
		add("Function Scan on generate_series")
	case *Unnest:
		add("Function Scan on unnest")
	case *Filter:
		if j, ok := n.Input.(*Join); ok {
			// NB: PostgreSQL shows a condition evaluated above a join (a
			// WHERE on an outer join's nullable side) as the join's Filter.
			explainJoin(j, n, head, detail, childDepth, lines, x)
			return
		}
		add("Filter")
		info("Filter: %s", paren(FormatExpr(n.Pred, n.Input.Columns())))
		child(n.Input)
	case *Project:
		// PostgreSQL folds projections into the node below; so do we,
		// except above a plain VALUES-less Result.
		if v, ok := n.Input.(*Values); ok && len(v.Rows) == 1 && len(v.Rows[0]) == 0 {
			add("Result")
			return
		}
		explainNode(n.Input, depth, top, lines, x)
	case *Aggregate:
		if len(n.GroupBy) == 0 {
			add("Aggregate")
		} else {
			add("HashAggregate")
			keys := make([]string, len(n.GroupBy))
			for i, g := range n.GroupBy {
				keys[i] = FormatExpr(g, n.Input.Columns())
			}
			info("Group Key: %s", strings.Join(keys, ", "))
		}
		child(n.Input)
	case *Window:
		add("WindowAgg")
		child(n.Input)
	case *Sort:
		add("Sort")
		info("Sort Key: %s", sortKeys(n.Keys, n.Input))
		child(n.Input)
	case *TopK:
		if p, ok := n.Input.(*Project); ok {
			if _, ok := p.Input.(*AnnScan); ok {
				// NB: the index returns rows in order; the TopK above only
				// re-checks k rows, so the plan reads as PostgreSQL's does.
				add("Limit")
				child(p.Input)
				return
			}
		}
		add("Limit")
		*lines = append(*lines, detail+"->  Top-K Sort"+actual(x, n))
		*lines = append(*lines, detail+"      Sort Key: "+sortKeys(n.Keys, n.Input))
		explainNode(n.Input, childDepth+6, false, lines, x)
	case *Limit:
		add("Limit")
		child(n.Input)
	case *Distinct:
		add("HashAggregate")
		child(n.Input)
	case *Join:
		explainJoin(n, nil, head, detail, childDepth, lines, x)
	case *Append:
		add("Append")
		for _, c := range n.Inputs {
			child(c)
		}
	case *Insert:
		add("Insert on " + n.Table.Desc.Name)
		child(n.Input)
	case *Update:
		add("Update on " + n.Table.Desc.Name)
		child(n.Input)
	case *Delete:
		add("Delete on " + n.Table.Desc.Name)
		child(n.Input)
	default:
		add(fmt.Sprintf("%T", n))
	}
}

func aliasSuffix(alias, name string) string {
	if alias == "" || alias == name {
		return ""
	}
	return " " + alias
}

func sortKeys(keys []executor.SortKey, input Node) string {
	cols := input.Columns()
	parts := make([]string, len(keys))
	for i, k := range keys {
		s := FormatExpr(k.Expr, cols)
		// NB: a key on a projected column shows the projected expression,
		// as PostgreSQL prints "Sort Key: (embedding <-> '[...]'::vector)".
		if p, ok := input.(*Project); ok {
			if c, ok := k.Expr.(*executor.ColRef); ok && c.Idx < len(p.Exprs) {
				s = FormatExpr(p.Exprs[c.Idx], p.Input.Columns())
			}
		}
		if k.Desc {
			s += " DESC"
		}
		if k.NullsFirst != k.Desc {
			if k.NullsFirst {
				s += " NULLS FIRST"
			} else {
				s += " NULLS LAST"
			}
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

func paren(s string) string {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return s
	}
	return "(" + s + ")"
}

// FormatExpr prints a bound expression the way PostgreSQL's EXPLAIN does,
// naming columns from cols (the input row of the node it belongs to).
func FormatExpr(e executor.Expr, cols []Column) string {
	switch e := e.(type) {
	case *executor.ColRef:
		if e.Idx < len(cols) {
			if c := cols[e.Idx]; c.Name != "" && !c.Hidden {
				return c.Name
			}
		}
		if e.Name != "" {
			return e.Name
		}
		return fmt.Sprintf("$col%d", e.Idx+1)
	case *executor.OuterRef:
		return e.Name
	case *executor.ParamRef:
		return fmt.Sprintf("$%d", e.N)
	case *executor.Const:
		if e.Value.IsNull() {
			return "NULL"
		}
		txt := string(types.AppendText(nil, e.Typ, e.Value, types.FormatOptions{}))
		switch e.Typ.Family {
		case types.Int2, types.Int4, types.Int8, types.Float8, types.Numeric, types.Bool:
			if e.Typ.Family == types.Bool {
				if e.Value.Bool() {
					return "true"
				}
				return "false"
			}
			return txt
		}
		return "'" + strings.ReplaceAll(txt, "'", "''") + "'::" + constTypeName(e.Typ)
	case *executor.Call:
		if e.Op != "" && len(e.Args) == 2 {
			return "(" + FormatExpr(e.Args[0], cols) + " " + e.Op + " " + FormatExpr(e.Args[1], cols) + ")"
		}
		if e.Op != "" && len(e.Args) == 1 {
			return "(" + e.Op + FormatExpr(e.Args[0], cols) + ")"
		}
		args := make([]string, len(e.Args))
		for i, a := range e.Args {
			args[i] = FormatExpr(a, cols)
		}
		return e.Fn.Name + "(" + strings.Join(args, ", ") + ")"
	case *executor.CastExpr:
		return "(" + FormatExpr(e.Expr, cols) + ")::" + e.Typ.String()
	case *executor.And:
		return "(" + FormatExpr(e.Left, cols) + " AND " + FormatExpr(e.Right, cols) + ")"
	case *executor.Or:
		return "(" + FormatExpr(e.Left, cols) + " OR " + FormatExpr(e.Right, cols) + ")"
	case *executor.Not:
		return "(NOT " + FormatExpr(e.Expr, cols) + ")"
	case *executor.IsNullExpr:
		if e.Not {
			return "(" + FormatExpr(e.Expr, cols) + " IS NOT NULL)"
		}
		return "(" + FormatExpr(e.Expr, cols) + " IS NULL)"
	case *executor.Subquery:
		plan := "(SubPlan 1)"
		if e.Hashed {
			plan = "(hashed SubPlan 1)"
		}
		if e.Not && (e.Mode == executor.InSubquery || e.Mode == executor.ExistsSubquery) {
			return "(NOT " + plan + ")"
		}
		return plan
	case *executor.Coalesce:
		return "COALESCE(" + formatList(e.Args, cols) + ")"
	case *executor.Greatest:
		if e.Least {
			return "LEAST(" + formatList(e.Args, cols) + ")"
		}
		return "GREATEST(" + formatList(e.Args, cols) + ")"
	case *executor.ArrayExpr:
		return "ARRAY[" + formatList(e.Elems, cols) + "]"
	case *executor.AnyArray:
		q := "ANY"
		if e.All {
			q = "ALL"
		}
		return "(" + FormatExpr(e.Left, cols) + " " + e.Cmp.Name + " " + q + " (" + FormatExpr(e.Right, cols) + "))"
	case *executor.DistinctFrom:
		op := " IS DISTINCT FROM "
		if e.Not {
			op = " IS NOT DISTINCT FROM "
		}
		return "(" + FormatExpr(e.Left, cols) + op + FormatExpr(e.Right, cols) + ")"
	case *executor.CaseExpr:
		var sb strings.Builder
		sb.WriteString("CASE")
		for _, w := range e.Whens {
			sb.WriteString(" WHEN " + FormatExpr(w.Cond, cols) + " THEN " + FormatExpr(w.Result, cols))
		}
		if e.Else != nil {
			sb.WriteString(" ELSE " + FormatExpr(e.Else, cols))
		}
		sb.WriteString(" END")
		return sb.String()
	case *executor.InList:
		return formatInList(e, cols)
	}
	return fmt.Sprintf("%T", e)
}

func formatList(es []executor.Expr, cols []Column) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = FormatExpr(e, cols)
	}
	return strings.Join(parts, ", ")
}

// indexCond prints the conditions an index scan's bounds come from, each
// with the column on the left ("5 > id" as "(id < 5)"), as PostgreSQL's
// "Index Cond" does.
func indexCond(conds []executor.Expr, cols []Column) string {
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = FormatExpr(c, cols)
		call, ok := c.(*executor.Call)
		if !ok || len(call.Args) != 2 {
			continue
		}
		col, v, op := call.Args[0], call.Args[1], call.Op
		if !isColumn(col) {
			col, v, op = v, col, commuted[op]
		}
		val := FormatExpr(v, cols)
		if cast, ok := col.(*executor.CastExpr); ok {
			col = cast.Expr
			// NB: a widened column (int4 against an int8 constant) shows
			// the constant with its type, as PostgreSQL's cross-type
			// operator does: (id < '3000000000'::bigint).
			if k, ok := v.(*executor.Const); ok && !k.Value.IsNull() {
				val = "'" + string(types.AppendText(nil, k.Typ, k.Value, types.FormatOptions{})) + "'::" + constTypeName(k.Typ)
			}
		}
		parts[i] = "(" + FormatExpr(col, cols) + " " + op + " " + val + ")"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

// isColumn reports whether e is a column, possibly under a cast.
func isColumn(e executor.Expr) bool {
	if c, ok := e.(*executor.CastExpr); ok {
		e = c.Expr
	}
	_, ok := e.(*executor.ColRef)
	return ok
}

// residual returns the conjuncts of filter other than conds.
func residual(filter executor.Expr, conds []executor.Expr) executor.Expr {
	var rest []executor.Expr
	for _, c := range conjuncts(filter) {
		if !slices.Contains(conds, c) {
			rest = append(rest, c)
		}
	}
	return conjoin(rest)
}

// formatInList prints "x IN (...)" as PostgreSQL prints its ScalarArrayOpExpr:
// an array literal of the constants, ARRAY[...] when any item is not one.
func formatInList(e *executor.InList, cols []Column) string {
	op := "= ANY"
	if e.Not {
		op = "<> ALL"
	}
	items := make([]string, len(e.List))
	consts := true
	for i, it := range e.List {
		c, ok := it.(*executor.Const)
		if !ok {
			consts = false
			break
		}
		items[i] = arrayElem(c)
	}
	var arr string
	if consts {
		lit := "{" + strings.Join(items, ",") + "}"
		arr = "'" + strings.ReplaceAll(lit, "'", "''") + "'::" + e.Expr.Type().String() + "[]"
	} else {
		arr = "ARRAY[" + formatList(e.List, cols) + "]"
	}
	return "(" + FormatExpr(e.Expr, cols) + " " + op + " (" + arr + "))"
}

// arrayElem prints a constant as an element of an array literal, quoted
// where PostgreSQL's array output quotes it.
func arrayElem(c *executor.Const) string {
	if c.Value.IsNull() {
		return "NULL"
	}
	txt := string(types.AppendText(nil, c.Typ, c.Value, types.FormatOptions{}))
	if txt != "" && !strings.EqualFold(txt, "NULL") && !strings.ContainsAny(txt, " \t\n\",{}\\") {
		return txt
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(txt) + `"`
}

// constTypeName is the type name ruleutils prints after a constant
// (format_type_with_typemod): as T.String, except that bit without a
// modifier is quoted, "bit", since plain bit would mean bit(1).
func constTypeName(t types.T) string {
	if t.Family == types.Bit && t.Typmod < 0 {
		return `"bit"`
	}
	return t.String()
}
