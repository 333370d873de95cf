package annoy

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
//	L1:     store raw;        rank Σ|q-x|;        report rank
type space struct {
	metric vindex.Metric
}

// supported reports whether the index serves m (float metrics only).
func supported(m vindex.Metric) bool {
	switch m {
	case vindex.L2, vindex.InnerProduct, vindex.Cosine, vindex.L1:
		return true
	}
	return false
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

// exact returns the ranking distance between a prepared query and a stored
// vector.
func (s space) exact(q, x []float32) float32 {
	switch s.metric {
	case vindex.L2:
		return distance.L2Squared(q, x)
	case vindex.InnerProduct:
		return -distance.Dot(q, x)
	case vindex.Cosine:
		return 1 - distance.Dot(q, x)
	default:
		return distance.L1(q, x)
	}
}

// batch computes ranking distances from the prepared query q to the n
// vectors in data into out[:n].
func (s space) batch(q, data []float32, dims int, out []float32) {
	switch s.metric {
	case vindex.L2:
		distance.L2SquaredBatch(q, data, dims, out)
	case vindex.InnerProduct:
		distance.DotBatch(q, data, dims, out)
		for i, d := range out {
			out[i] = -d
		}
	case vindex.Cosine:
		distance.DotBatch(q, data, dims, out)
		for i, d := range out {
			out[i] = 1 - d
		}
	case vindex.L1:
		for i := range out {
			out[i] = distance.L1(q, data[i*dims:(i+1)*dims])
		}
	}
}

// gather computes ranking distances from the prepared query q to the
// stored vectors of the given slots into out[:len(slots)]. NB: one
// prefetching gather call instead of a kernel call per slot: candidates
// are scattered over the array, and their cache misses, not arithmetic,
// bound the ranking.
func (s space) gather(q, vecs []float32, dims int, slots []uint32, out []float32) {
	out = out[:len(slots)]
	switch s.metric {
	case vindex.L2:
		distance.L2SquaredGather(q, vecs, dims, slots, out)
	case vindex.InnerProduct:
		distance.DotGather(q, vecs, dims, slots, out)
		for i, d := range out {
			out[i] = -d
		}
	case vindex.Cosine:
		distance.DotGather(q, vecs, dims, slots, out)
		for i, d := range out {
			out[i] = 1 - d
		}
	default:
		for i, slot := range slots {
			out[i] = distance.L1(q, vecs[int(slot)*dims:int(slot+1)*dims])
		}
	}
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
