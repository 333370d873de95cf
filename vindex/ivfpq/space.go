package ivfpq

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// space holds the per-metric arithmetic: how stored vectors are prepared,
// which kernel ranks candidates, and how a ranking distance is reported.
//
//	L2:     store raw;        rank ‖q-x‖²;        report √rank
//	IP:     store raw;        rank -q·x;          report rank
//	Cosine: store x/‖x‖;      rank 1 - q̂·x̂;      report rank
type space struct {
	metric vindex.Metric
}

// supported reports whether the index serves m (L1 does not decompose over
// the inner-product lookup tables).
func supported(m vindex.Metric) bool {
	switch m {
	case vindex.L2, vindex.InnerProduct, vindex.Cosine:
		return true
	}
	return false
}

// spherical reports whether k-means runs on the unit sphere.
func (s space) spherical() bool {
	return s.metric == vindex.Cosine || s.metric == vindex.InnerProduct
}

// prepare copies v into dst (len(v) values) in stored form and reports
// whether the vector is a cosine zero vector (not indexable).
func (s space) prepare(dst, v []float32) (zero bool) {
	copy(dst, v)
	if s.metric != vindex.Cosine {
		return false
	}
	return normalize(dst) == 0
}

// exact returns the ranking distance between a prepared query and a
// stored (prepared) vector.
func (s space) exact(q, x []float32) float32 {
	switch s.metric {
	case vindex.L2:
		return distance.L2Squared(q, x)
	case vindex.InnerProduct:
		return -distance.Dot(q, x)
	default: // cosine, both unit length
		return 1 - distance.Dot(q, x)
	}
}

// coarse ranks centroids for the query: ‖q-c‖² for L2, -q·c for IP and
// cosine (spherical centroids).
func (s space) coarse(q, cent []float32, dims int, out []float32) {
	if s.spherical() {
		distance.DotBatch(q, cent, dims, out)
		for i, d := range out {
			out[i] = -d
		}
		return
	}
	distance.L2SquaredBatch(q, cent, dims, out)
}

// assignQuery is the vector used to pick a list for a stored vector: for
// inner product the vector is normalised (spherical k-means), otherwise
// the prepared vector as is. tmp must have dims capacity.
func (s space) assignVec(v, tmp []float32) []float32 {
	if s.metric != vindex.InnerProduct {
		return v
	}
	copy(tmp, v)
	normalize(tmp)
	return tmp
}

// report converts a ranking distance to the reported one.
func (s space) report(d float32) float32 {
	if s.metric == vindex.L2 {
		return float32(math.Sqrt(float64(d)))
	}
	return d
}

// normalize scales v to unit length in place and returns its former norm
// (0 leaves v unchanged).
func normalize(v []float32) float32 {
	n := distance.Norm(v)
	if n == 0 || math.IsInf(float64(n), 0) {
		return n
	}
	inv := 1 / n
	for i := range v {
		v[i] *= inv
	}
	return n
}

// checkFinite reports whether every value of v is finite.
func checkFinite(v []float32) bool {
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return false
		}
	}
	return true
}

// coarseOne is coarse for a single centroid.
func (s space) coarseOne(q, c []float32) float32 {
	if s.spherical() {
		return -distance.Dot(q, c)
	}
	return distance.L2Squared(q, c)
}
