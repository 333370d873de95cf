package coarse

import (
	"cmp"
	"slices"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/space"
)

// Spherical reports whether k-means runs on the unit sphere for metric m
// (cosine and inner product).
func Spherical(m vindex.Metric) bool {
	return m == vindex.Cosine || m == vindex.InnerProduct
}

// Rank ranks the centroids (len(out) rows of dims values in cent) for the
// prepared query q into out: ‖q-c‖² for L2 and L1, -q·c for IP and cosine.
func Rank(m vindex.Metric, q, cent []float32, dims int, out []float32) {
	if Spherical(m) {
		distance.DotBatch(q, cent, dims, out)
		for i, d := range out {
			out[i] = -d
		}
		return
	}
	distance.L2SquaredBatch(q, cent, dims, out)
}

// rankOne is Rank for a single centroid.
func rankOne(m vindex.Metric, q, c []float32) float32 {
	if Spherical(m) {
		return -distance.Dot(q, c)
	}
	return distance.L2Squared(q, c)
}

// Nearest returns the index of the centroid (rows of dims values in cent)
// nearest to the prepared vector v, the first on ties. For inner product v
// is normalised first (spherical k-means) into tmp, which must hold dims
// values; v itself is not modified.
func Nearest(m vindex.Metric, v, tmp, cent []float32, dims int) int {
	if m == vindex.InnerProduct {
		copy(tmp, v)
		space.Normalize(tmp)
		v = tmp
	}
	best, bd := 0, float32(0)
	for c := 0; c < len(cent)/dims; c++ {
		d := rankOne(m, v, cent[c*dims:(c+1)*dims])
		if c == 0 || d < bd {
			best, bd = c, d
		}
	}
	return best
}

// Select appends to dst[:0] the indices of the n smallest values of d, in
// ascending order (ties by index), using a bounded max-heap:
// O(len(d) log n) and no allocation when dst has capacity n.
func Select(d []float32, n int, dst []int32) []int32 {
	h := dst[:0]
	less := func(a, b int32) bool { return d[a] < d[b] || (d[a] == d[b] && a < b) }
	down := func(i, m int) {
		for {
			l := 2*i + 1
			if l >= m {
				return
			}
			if r := l + 1; r < m && less(h[l], h[r]) {
				l = r
			}
			if !less(h[i], h[l]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for c := range d {
		ci := int32(c)
		if len(h) < n {
			h = append(h, ci)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(h[p], h[i]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if less(ci, h[0]) {
			h[0] = ci
			down(0, len(h))
		}
	}
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		down(0, end)
	}
	return h
}

// AppendRest appends to order (the lists already probed, as Select
// returned them) every other list index 0..len(d)-1, ordered by d then
// index, and returns the extended slice: the order in which a search widens
// past its probes. It is the rare path (a selective filter left fewer than
// k results): O(len(d) · len(order)) and it sorts.
func AppendRest(order []int32, d []float32) []int32 {
	probed := len(order)
	for c := 0; c < len(d); c++ {
		if !slices.Contains(order[:probed], int32(c)) {
			order = append(order, int32(c))
		}
	}
	rest := order[probed:]
	slices.SortFunc(rest, func(a, b int32) int {
		return cmp.Or(cmp.Compare(d[a], d[b]), cmp.Compare(a, b))
	})
	return order
}
