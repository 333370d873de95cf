package vindextest

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Clustered returns n vectors of dims float32s, flat, drawn around
// `clusters` Gaussian centres (spread 1, centres uniform in [-5, 5]) from a
// PCG generator seeded with seed: the same arguments always give the same
// data. Realistic enough that ANN indexes must work for their recall.
func Clustered(seed uint64, n, dims, clusters int) []float32 {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	centres := make([]float32, clusters*dims)
	for i := range centres {
		centres[i] = float32(r.Float64()*10 - 5)
	}
	out := make([]float32, n*dims)
	for i := range n {
		c := r.IntN(clusters)
		for j := range dims {
			out[i*dims+j] = centres[c*dims+j] + float32(r.NormFloat64())
		}
	}
	return out
}

// ScaledClustered is Clustered with each vector then scaled by a factor
// drawn uniformly from [0.1, 3) (same seed, same data): norms vary
// thirtyfold, so the best vectors by inner product are not the nearest by
// position. An index that partitions by position alone (trees, lists)
// loses recall for inner product here while doing well on Clustered.
func ScaledClustered(seed uint64, n, dims, clusters int) []float32 {
	out := Clustered(seed, n, dims, clusters)
	r := rand.New(rand.NewPCG(seed, 0x5ca1ed))
	for i := range n {
		f := float32(0.1 + 2.9*r.Float64())
		for j := range dims {
			out[i*dims+j] *= f
		}
	}
	return out
}

// SeqIDs returns ids base, base+1, ..., base+n-1.
func SeqIDs(base uint64, n int) []uint64 {
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = base + uint64(i)
	}
	return ids
}

// ReportedDistance is the distance SQL reports between a and b under m
// (float64 reference: √ for L2, negative dot for InnerProduct, 1-cos, L1).
func ReportedDistance(m vindex.Metric, a, b []float32) float64 {
	switch m {
	case vindex.L2:
		var s float64
		for i := range a {
			d := float64(a[i]) - float64(b[i])
			s += d * d
		}
		return math.Sqrt(s)
	case vindex.InnerProduct:
		var s float64
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		return -s
	case vindex.Cosine:
		return distance.CosineDistance(a, b)
	case vindex.L1:
		var s float64
		for i := range a {
			s += math.Abs(float64(a[i]) - float64(b[i]))
		}
		return s
	}
	return math.NaN()
}

// RecallAtK returns |got ∩ want[:k]| / min(k, len(want)), counting ids only.
// It is 1 when want is empty.
func RecallAtK(got, want []vindex.Result, k int) float64 {
	want = want[:min(k, len(want))]
	if len(want) == 0 {
		return 1
	}
	hit := 0
	for _, g := range got[:min(k, len(got))] {
		if slices.ContainsFunc(want, func(w vindex.Result) bool { return w.ID == g.ID }) {
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}
