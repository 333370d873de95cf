package space

import (
	"math"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Space is the per-metric arithmetic of an index that stores prepared
// vectors (see the package doc for the table). It is a small value, safe
// for concurrent use; the zero value has no metric and must not be used.
type Space struct {
	Metric vindex.Metric
}

// Prepare copies v into dst (len(v) values) in stored form and reports
// whether the vector is a cosine zero vector (not indexable: its distance
// to everything is undefined).
func (s Space) Prepare(dst, v []float32) (zero bool) {
	copy(dst, v)
	if s.Metric != vindex.Cosine {
		return false
	}
	return Normalize(dst) == 0
}

// Exact returns the ranking distance between a prepared query and a
// stored (prepared) vector.
func (s Space) Exact(q, x []float32) float32 {
	switch s.Metric {
	case vindex.L2:
		return distance.L2Squared(q, x)
	case vindex.InnerProduct:
		return -distance.Dot(q, x)
	case vindex.Cosine: // both unit length
		return 1 - distance.Dot(q, x)
	default:
		return distance.L1(q, x)
	}
}

// Batch computes ranking distances from the prepared query q to the n
// vectors in data (n*dims values) into out[:n].
func (s Space) Batch(q, data []float32, dims int, out []float32) {
	switch s.Metric {
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

// Gather computes ranking distances from the prepared query q to the
// stored vectors of the given slots (rows of vecs) into out[:len(slots)].
// NB: one prefetching gather call instead of a kernel call per slot:
// candidates are scattered over the array, and their cache misses, not
// arithmetic, bound the ranking.
func (s Space) Gather(q, vecs []float32, dims int, slots []uint32, out []float32) {
	out = out[:len(slots)]
	switch s.Metric {
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

// Report converts a ranking distance to the reported one (vindex.ToReported).
func (s Space) Report(d float32) float32 {
	if s.Metric == vindex.L2 {
		return float32(math.Sqrt(float64(d)))
	}
	return d
}

// ReportAll converts the distances of rs in place from ranking to
// reported form.
func (s Space) ReportAll(rs []vindex.Result) {
	for i := range rs {
		rs[i].Distance = s.Report(rs[i].Distance)
	}
}

// Normalize scales v to unit length in place and returns its former norm
// (distance.Norm). A zero or infinite norm leaves v unchanged.
func Normalize(v []float32) float32 {
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

// Finite reports whether every value of v is finite (no NaN, no ±Inf).
func Finite(v []float32) bool {
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return false
		}
	}
	return true
}
