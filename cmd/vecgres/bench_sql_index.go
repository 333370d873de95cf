package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// defaultBuildParams returns the CREATE INDEX options used when --with does
// not name the type: hnsw as in the pgvector comparison of issue 4, lists
// = √N for the IVF types, 8-dimension PQ sub-vectors, Annoy's 20 trees.
func (r *benchRun) defaultBuildParams(method string) string {
	lists := max(1, int(math.Round(math.Sqrt(float64(r.ds.N)))))
	switch method {
	case "hnsw":
		return "m=16,ef_construction=200"
	case "ivfflat":
		return "lists=" + strconv.Itoa(lists)
	case "ivf_pq":
		p := "lists=" + strconv.Itoa(lists) + ",nbits=8"
		if r.ds.Dims%8 == 0 {
			p += ",m=" + strconv.Itoa(r.ds.Dims/8)
		}
		return p
	}
	return "n_trees=20"
}

// buildParams returns the options for method, from --with or the defaults.
func (r *benchRun) buildParams(method string) string {
	if p, ok := r.cfg.with[method]; ok {
		return p
	}
	if p, ok := r.cfg.with[""]; ok {
		return p
	}
	return r.defaultBuildParams(method)
}

// sweepPoints expands the --sweep specs for method (or its default) into
// the cross product of its settings: each point is a list of "name=value"
// with the name qualified by the method ("hnsw.ef_search=40").
func (r *benchRun) sweepPoints(method string) ([][]string, error) {
	specs := r.cfg.sweeps[method]
	if len(specs) == 0 {
		specs = r.cfg.sweeps[""]
	}
	if len(specs) == 0 {
		for _, t := range benchIndexTypes {
			if t.method == method {
				specs = []string{t.sweep}
			}
		}
	}
	points := [][]string{nil}
	for _, spec := range specs {
		name, vals, ok := strings.Cut(strings.TrimSpace(spec), "=")
		if !ok || name == "" || vals == "" {
			return nil, fmt.Errorf("--sweep %q: want name=v1,v2,...", spec)
		}
		var next [][]string
		for _, p := range points {
			for _, v := range strings.Split(vals, ",") {
				next = append(next, append(slices.Clone(p), method+"."+name+"="+strings.TrimSpace(v)))
			}
		}
		points = next
	}
	return points, nil
}

// indexPhase builds one index, checks EXPLAIN uses it, sweeps its search
// settings over every client count and filter, then drops it (so the next
// type's index is the only candidate for the planner).
func (r *benchRun) indexPhase(ctx context.Context, method string) error {
	points, err := r.sweepPoints(method)
	if err != nil {
		return err
	}
	conns, err := r.connectN(ctx, slices.Max(r.cfg.clients))
	if err != nil {
		return err
	}
	defer closeAll(ctx, conns)
	name := r.cfg.table + "_embedding_" + method + "_idx"
	params := r.buildParams(method)
	build, err := r.buildIndex(ctx, conns[0], method, name, params)
	if err != nil {
		return err
	}
	for _, f := range r.filters() {
		iter := "off"
		if f != nil {
			iter = r.cfg.filterIterative
		}
		if err := setAll(ctx, conns, []string{method + ".iterative_scan=" + iter}); err != nil {
			return err
		}
		plan, used, err := r.explain(ctx, conns[0], f, name)
		if err != nil {
			return err
		}
		if !used {
			fmt.Fprintf(r.progress, "bench-sql: warning: %s: EXPLAIN does not use index %s: %s\n", method, name, plan)
		} else {
			fmt.Fprintf(r.progress, "bench-sql: plan (filter %d %%): %s\n", filterPct(f), plan)
		}
		for _, p := range points {
			if err := r.sweepPoint(ctx, conns, f, p, benchResult{Phase: "index", Index: method, BuildParams: params,
				BuildSeconds: ptr(round3(build.Seconds())), IndexUsed: ptr(used), Plan: plan}, iter); err != nil {
				return err
			}
		}
	}
	_, err = conns[0].Exec(ctx, "DROP INDEX "+pgx.Identifier{name}.Sanitize())
	return err
}

// buildIndex creates the index and returns how long CREATE INDEX took.
func (r *benchRun) buildIndex(ctx context.Context, conn *pgx.Conn, method, name, params string) (time.Duration, error) {
	idx, t := pgx.Identifier{name}.Sanitize(), pgx.Identifier{r.cfg.table}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP INDEX IF EXISTS "+idx); err != nil {
		return 0, err
	}
	with := ""
	if params != "" {
		with = " WITH (" + strings.ReplaceAll(params, ",", ", ") + ")"
	}
	stmt := fmt.Sprintf("CREATE INDEX %s ON %s USING %s (embedding %s)%s", idx, t, method, r.opclass, with)
	fmt.Fprintf(r.progress, "bench-sql: %s\n", stmt)
	start := time.Now()
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return 0, fmt.Errorf("%s: %w", stmt, err)
	}
	el := time.Since(start)
	fmt.Fprintf(r.progress, "bench-sql: built %s in %s\n", name, seconds(el))
	return el, nil
}

// sweepPoint measures one setting point for every client count.
func (r *benchRun) sweepPoint(ctx context.Context, conns []*pgx.Conn, f *benchFilter, point []string, base benchResult, iter string) error {
	if err := setAll(ctx, conns, point); err != nil {
		return err
	}
	search := strings.Join(point, ",")
	if f != nil {
		search += "," + base.Index + ".iterative_scan=" + iter
	}
	for _, c := range r.cfg.clients {
		res, err := r.measure(ctx, conns[:c], f)
		if err != nil {
			return err
		}
		res.Phase, res.Index, res.BuildParams, res.BuildSeconds = base.Phase, base.Index, base.BuildParams, base.BuildSeconds
		res.IndexUsed, res.Plan, res.SearchParams = base.IndexUsed, base.Plan, search
		r.out.add(res)
	}
	return nil
}

// setAll runs SET name = value for each "name=value" on every connection.
func setAll(ctx context.Context, conns []*pgx.Conn, settings []string) error {
	for _, s := range settings {
		name, val, _ := strings.Cut(s, "=")
		stmt := "SET " + name + " = " + val
		for _, c := range conns {
			if _, err := c.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("%s: %w", stmt, err)
			}
		}
	}
	return nil
}
