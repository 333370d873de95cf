package main

import (
	"github.com/vecgres/vecgres/vindex/dataset"
	"github.com/vecgres/vecgres/vindex/distance"
)

// filteredTruth computes, for every query of ds, the exact k nearest base
// vectors among those whose 0-based index passes match, nearest first, ties
// broken by the smaller id (as the dataset's ground-truth files are). Rows
// with fewer than k matches are padded with -1, which never counts as a hit.
//
// NB: a brute-force scan over the matching rows with the vindex/distance
// kernels, on purpose independent of the server's filtered search paths
// that it judges. Cost: NQ × N × dims, a fraction of a second on siftsmall.
func filteredTruth(ds *dataset.Dataset, match func(id int) bool, k int) []int32 {
	dist := distance.ForMetric(ds.Metric)
	var ids []int
	for i := range ds.N {
		if match(i) {
			ids = append(ids, i)
		}
	}
	out := make([]int32, 0, ds.NQ*k)
	top := make([]scored, 0, k+1)
	for q := range ds.NQ {
		query := ds.Query(q)
		top = top[:0]
		for _, id := range ids {
			d := dist(query, ds.Base[id*ds.Dims:(id+1)*ds.Dims])
			top = pushTopK(top, scored{id: int32(id), d: d}, k)
		}
		for _, s := range top {
			out = append(out, s.id)
		}
		for range k - len(top) {
			out = append(out, -1)
		}
	}
	return out
}

// scored is a candidate of filteredTruth.
type scored struct {
	id int32
	d  float32
}

// pushTopK inserts c into top (sorted by distance, at most k long) unless it
// is no closer than the k-th. Candidates must arrive in increasing id order:
// a candidate goes after every equal distance, so the smaller id wins ties.
func pushTopK(top []scored, c scored, k int) []scored {
	if len(top) == k && c.d >= top[k-1].d {
		return top
	}
	i := len(top)
	for i > 0 && c.d < top[i-1].d {
		i--
	}
	if len(top) < k {
		top = append(top, scored{})
	}
	copy(top[i+1:], top[i:len(top)-1])
	top[i] = c
	return top
}
