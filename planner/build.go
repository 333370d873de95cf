package planner

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// Build turns an optimised logical plan into executor operators. The
// returned operator tree is fresh: build once per execution, because
// operators hold per-run state.
func Build(n Node) (executor.Operator, error) { return build(n, nil) }

// BuildAnalyzed is Build for EXPLAIN ANALYZE: every node's operator is
// wrapped in an executor.Instrument, returned by node for ExplainAnalyzed.
func BuildAnalyzed(n Node) (executor.Operator, map[Node]*executor.Instrument, error) {
	m := map[Node]*executor.Instrument{}
	op, err := build(n, m)
	return op, m, err
}

// PlannedStrategies asks every ANN scan operator of a BuildAnalyzed tree
// which strategy it would run with ctx (executor.AnnScan.Plan), for
// ExplainPlanned and ExplainAnalyzed. A scan whose choice cannot be
// worked out before running (e.g. its LIMIT reads an outer row) keeps the
// plan's static label.
func PlannedStrategies(ctx *executor.Ctx, m map[Node]*executor.Instrument) map[Node]executor.AnnStrategy {
	planned := map[Node]executor.AnnStrategy{}
	for n, in := range m {
		if a, ok := in.Input.(*executor.AnnScan); ok {
			if s, err := a.Plan(ctx); err == nil {
				planned[n] = s
			}
		}
	}
	return planned
}

// build builds n, instrumenting it (and below) when m is non-nil.
func build(n Node, m map[Node]*executor.Instrument) (executor.Operator, error) {
	op, err := buildNode(n, m)
	if err != nil || m == nil {
		return op, err
	}
	in := &executor.Instrument{Input: op}
	m[n] = in
	return in, nil
}

func buildNode(n Node, m map[Node]*executor.Instrument) (executor.Operator, error) {
	switch n := n.(type) {
	case *Scan:
		var op executor.Operator
		if n.Index != nil {
			op = &executor.BtreeScan{Table: n.Table, Bounds: n.Index.Bounds, WithKey: n.WithKey}
		} else {
			op = &executor.TableScan{Table: n.Table, WithKey: n.WithKey}
		}
		if n.Filter != nil {
			op = &executor.Filter{Input: op, Pred: n.Filter}
		}
		return op, nil
	case *AnnScan:
		var oid uint32
		if n.Index != nil {
			oid = n.Index.OID
		}
		var bounds *executor.BtreeBounds
		if n.Scan.Index != nil {
			bounds = n.Scan.Index.Bounds
		}
		return &executor.AnnScan{Table: n.Scan.Table, IndexOID: oid, Metric: n.Metric, Column: n.Column,
			Key: n.Key, Query: n.Query, Count: n.Count, Offset: n.Offset, Filter: n.Scan.Filter, WithKey: n.Scan.WithKey,
			Strategy: n.Strategy, Stats: n.Stats, Btree: bounds, KeyOnly: n.KeyOnly}, nil
	case *Values:
		return &executor.Values{Rows: n.Rows}, nil
	case *Series:
		return &executor.SeriesScan{Start: n.Start, Stop: n.Stop, Step: n.Step}, nil
	case *Unnest:
		return &executor.UnnestScan{Arrays: n.Arrays}, nil
	case *Filter:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Filter{Input: in, Pred: n.Pred}, nil
	case *Project:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Project{Input: in, Exprs: n.Exprs}, nil
	case *Aggregate:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.HashAggregate{Input: in, GroupBy: n.GroupBy, Aggs: n.Aggs}, nil
	case *Window:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Window{Input: in, PartitionBy: n.PartitionBy, OrderBy: n.OrderBy, Frame: n.Frame, Funcs: n.Funcs}, nil
	case *Sort:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Sort{Input: in, Keys: n.Keys}, nil
	case *TopK:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.TopK{Input: in, Keys: n.Keys, Count: n.Count, Offset: n.Offset}, nil
	case *Limit:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Limit{Input: in, Count: n.Count, Offset: n.Offset}, nil
	case *Distinct:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		cols := n.Input.Columns()
		d := &executor.Distinct{Input: in, On: n.On}
		for _, c := range cols {
			d.Types = append(d.Types, c.Type)
		}
		return d, nil
	case *Join:
		l, err := build(n.Left, m)
		if err != nil {
			return nil, err
		}
		r, err := build(n.Right, m)
		if err != nil {
			return nil, err
		}
		if h := n.Hash; h != nil {
			hj := &executor.HashJoin{Left: l, Right: r, Kind: n.Kind, Residual: n.On, BuildLeft: h.BuildLeft,
				LeftWidth: len(n.Left.Columns()), RightWidth: len(n.Right.Columns())}
			for _, k := range h.Keys {
				hj.LeftKeys = append(hj.LeftKeys, k.Left)
				hj.RightKeys = append(hj.RightKeys, k.Right)
				hj.KeyTypes = append(hj.KeyTypes, k.Type)
				hj.NullSafe = append(hj.NullSafe, k.NullSafe)
			}
			return hj, nil
		}
		return &executor.NestedLoopJoin{Input: l, Right: r, Kind: n.Kind, On: n.On,
			LeftWidth: len(n.Left.Columns()), RightWidth: len(n.Right.Columns())}, nil
	case *Append:
		a := &executor.Append{}
		for _, c := range n.Inputs {
			op, err := build(c, m)
			if err != nil {
				return nil, err
			}
			a.Inputs = append(a.Inputs, op)
		}
		return a, nil
	case *Insert:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Insert{Input: in, Table: n.Table, Returning: n.Returning,
			OnConflictDoNothing: n.OnConflictDoNothing, OnConflictUpdate: n.OnConflictUpdate,
			OnConflictWhere: n.OnConflictWhere}, nil
	case *Update:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Update{Input: in, Table: n.Table, Set: n.Set, Returning: n.Returning}, nil
	case *Delete:
		in, err := build(n.Input, m)
		if err != nil {
			return nil, err
		}
		return &executor.Delete{Input: in, Table: n.Table, Returning: n.Returning}, nil
	}
	return nil, pgerr.Newf(pgerr.InternalError, "planner: cannot build %T", n)
}
