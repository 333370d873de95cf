package executor

import (
	"cmp"
	"errors"
	"slices"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/hnsw"
	"github.com/vecgres/vecgres/vindex/ivfflat"
)

// iterativeMinSelectivity is the estimated share of passing rows from
// which a filtered hnsw scan, when the user enabled hnsw.iterative_scan,
// post-filters the batches of an iterative scan instead of testing the
// predicate during traversal. At 20 % it needs about five batches of ef
// rows; below, most of every batch is rejected and steering the walk with
// the filter (filter-aware traversal) does less work.
const iterativeMinSelectivity = 0.2

// useIterative reports whether a filtered scan of li should run as an
// iterative index scan (pgvector 0.8's hnsw.iterative_scan and
// ivfflat.iterative_scan), when the setting is relaxed_order or
// strict_order: for hnsw only for filters estimated to pass at least
// iterativeMinSelectivity; for ivfflat always (ivfIterativeSearch).
func (a *AnnScan) useIterative(ctx *Ctx, li *LiveIndex, sel float64) bool {
	if a.Filter == nil || ctx.Builtin == nil || ctx.Builtin.Setting == nil {
		return false
	}
	switch {
	case li.Method == "hnsw" && sel >= iterativeMinSelectivity:
	case li.Method == "ivfflat":
	default:
		return false
	}
	mode, _ := ctx.Builtin.Setting(li.Method + ".iterative_scan")
	return mode == "relaxed_order" || mode == "strict_order"
}

// ivfIterativeSearch is ivfflat's iterative scan: probe ivfflat.probes
// lists divided by the filter's estimated selectivity, testing the filter
// on each row, and while fewer than k rows passed, probe twice as many,
// up to ivfflat.max_probes and the number of lists. Still short while more rows may match: the exact answer, as for
// every index strategy.
//
// NB: each round searches its lists from scratch (the index has no
// resumable scan); doubling bounds the repeated work by the final round's.
func (a *AnnScan) ivfIterativeSearch(ctx *Ctx, ix *ivfflat.Index, p *vindex.SearchParams, q []float32, k int, sel float64) error {
	a.Used = AnnIterative
	var st vindex.SearchStats
	if ctx.Analyze {
		p.Stats = &st
	}
	limit := ix.Lists()
	if mp := setting(ctx, "ivfflat.max_probes"); mp > 0 {
		limit = min(limit, mp)
	}
	probes := float64(max(setting(ctx, "ivfflat.probes"), 1))
	if sel > 0 && sel < 1 {
		// NB: stopping at the first k passing rows of ivfflat.probes lists
		// keeps rows near the query in lists not probed out of the answer
		// (siftsmall, 10 % filter, probes 10: recall 0.92). Starting from
		// probes/sel lists sees as many passing rows as an unfiltered
		// search sees rows, so recall stays the unfiltered one.
		probes /= sel
	}
	p.Probes = min(int(probes+0.5), limit)
	seen := map[uint64][]types.Datum{}
	var ferr func() error
	p.Filter, ferr = a.candidateFilter(ctx, seen)
	var res []vindex.Result
	for {
		var err error
		res, err = ix.Search(q, k, p, res[:0])
		if err := ferr(); err != nil {
			return err
		}
		if err != nil {
			return pgerr.Wrap(err, pgerr.InternalError, "searching index")
		}
		if len(res) >= k || p.Probes >= limit {
			break
		}
		p.Probes = min(2*p.Probes, limit)
	}
	a.Distances, a.Visited = a.Distances+st.Distances, a.Visited+st.Visited
	if err := a.collect(ctx, res, seen); err != nil {
		return err
	}
	if a.owedMore(sel, k) {
		a.out = nil
		return a.exact(ctx, q, k)
	}
	return nil
}

// iterativeSearch takes batches of the graph's nearest rows, closest
// first, and tests the filter on each, until ef_search rows passed (as
// filter-aware traversal collects ef passing rows before the k nearest
// are taken: the first k to pass in batch order are not always the k
// nearest), the graph is exhausted, or hnsw.max_scan_tuples distances
// were computed. The passing rows are then sorted, so the order is
// strict whichever order mode was set. Fewer than k rows while more may
// match: the exact answer, as for every index strategy.
func (a *AnnScan) iterativeSearch(ctx *Ctx, hx *hnsw.Index, p *vindex.SearchParams, q []float32, k int, sel float64) error {
	a.Used = AnnIterative
	var st vindex.SearchStats
	if ctx.Analyze {
		p.Stats = &st
	}
	p.Filter = nil // NB: the filter is applied to each batch here.
	p.MaxCandidates = setting(ctx, "hnsw.max_scan_tuples")
	it, err := hx.NewIterator(q, p)
	if err != nil {
		return pgerr.Wrap(err, pgerr.InternalError, "searching index")
	}
	defer it.Close()
	seen := map[uint64][]types.Datum{}
	pass, ferr := a.candidateFilter(ctx, seen)
	want := max(k, p.EfSearch)
	var kept, batch []vindex.Result
	for len(kept) < want {
		batch, err = it.Next(batch)
		if errors.Is(err, hnsw.ErrStale) {
			// NB: the graph changed under the scan (slots reused);
			// answer exactly rather than risk a missed row.
			a.Distances, a.Visited = a.Distances+st.Distances, a.Visited+st.Visited
			return a.exact(ctx, q, k)
		}
		if err != nil {
			return pgerr.Wrap(err, pgerr.InternalError, "searching index")
		}
		if len(batch) == 0 {
			break
		}
		for _, r := range batch {
			if pass(r.ID) {
				kept = append(kept, r)
			}
		}
		if err := ferr(); err != nil {
			return err
		}
	}
	a.Distances, a.Visited = a.Distances+st.Distances, a.Visited+st.Visited
	slices.SortFunc(kept, func(x, y vindex.Result) int {
		if c := cmp.Compare(x.Distance, y.Distance); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	if err := a.collect(ctx, kept[:min(k, len(kept))], seen); err != nil {
		return err
	}
	if a.owedMore(sel, k) {
		a.out = nil
		return a.exact(ctx, q, k)
	}
	return nil
}

// owedMore reports whether a filtered index scan that produced a.out
// came back short while more rows may pass: then the exact answer is owed.
func (a *AnnScan) owedMore(sel float64, k int) bool {
	return len(a.out) < k && (sel < 0 || a.Stats == nil || sel*float64(a.Stats.Rows) > float64(len(a.out)))
}
