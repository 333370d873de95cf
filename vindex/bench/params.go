package bench

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/vindex"
)

// searchParamNames maps search-parameter names (as in SQL's SET
// hnsw.ef_search, ivfflat.probes) to the SearchParams field they set.
var searchParamNames = map[string]func(p *vindex.SearchParams, v int){
	"ef_search":      func(p *vindex.SearchParams, v int) { p.EfSearch = v },
	"ef":             func(p *vindex.SearchParams, v int) { p.EfSearch = v },
	"probes":         func(p *vindex.SearchParams, v int) { p.Probes = v },
	"nprobe":         func(p *vindex.SearchParams, v int) { p.Probes = v },
	"rerank":         func(p *vindex.SearchParams, v int) { p.Rerank = v },
	"search_k":       func(p *vindex.SearchParams, v int) { p.SearchK = v },
	"max_candidates": func(p *vindex.SearchParams, v int) { p.MaxCandidates = v },
}

// DefaultSweep returns the swept parameter and values used when the user
// gives no --sweep for an index type ("", nil for flat: one measurement).
func DefaultSweep(indexType string) (string, []int) {
	switch indexType {
	case "hnsw":
		return "ef_search", []int{10, 20, 40, 80, 160}
	case "ivf_flat", "ivf_pq":
		return "probes", []int{1, 2, 4, 8, 16, 32}
	case "annoy":
		return "search_k", []int{500, 1000, 2000, 5000, 10000}
	}
	return "", nil
}

// ParseSweep parses "ef_search=10,20,40" into a name and values. The name
// must be a known search parameter and the values positive integers.
func ParseSweep(s string) (string, []int, error) {
	name, list, ok := strings.Cut(s, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if !ok || name == "" {
		return "", nil, fmt.Errorf("sweep %q: want name=v1,v2,... (e.g. ef_search=10,20,40)", s)
	}
	if _, known := searchParamNames[name]; !known {
		return "", nil, fmt.Errorf("sweep %q: unknown search parameter %q (known: %s)", s, name, knownSearchParams())
	}
	var vals []int
	for _, f := range strings.Split(list, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 {
			return "", nil, fmt.Errorf("sweep %q: value %q is not a positive integer", s, f)
		}
		vals = append(vals, v)
	}
	return name, vals, nil
}

// ParseSearchParams parses fixed search parameters ("rerank=8,probes=4")
// into a map of known names to positive values.
func ParseSearchParams(s string) (map[string]int, error) {
	raw, err := vindex.ParseParams(s)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for k, v := range raw {
		if _, known := searchParamNames[k]; !known {
			return nil, fmt.Errorf("unknown search parameter %q (known: %s)", k, knownSearchParams())
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("search parameter %s=%q: want a positive integer", k, v)
		}
		out[k] = n
	}
	return out, nil
}

func knownSearchParams() string {
	names := make([]string, 0, len(searchParamNames))
	for n := range searchParamNames {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// toSearchParams builds the SearchParams for a set of named values (all
// names already validated).
func toSearchParams(vals map[string]int) *vindex.SearchParams {
	p := &vindex.SearchParams{}
	for k, v := range vals {
		searchParamNames[k](p, v)
	}
	return p
}
