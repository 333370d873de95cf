// Package distance holds the distance kernels every vector index and the
// SQL vector functions share.
//
// The exported functions are the API; they dispatch to the fastest
// implementation the CPU supports (chosen once at start-up).
package distance

import "math"

// L2Squared returns Σ (a[i]-b[i])². len(a) must equal len(b).
func L2Squared(a, b []float32) float32 { return l2SquaredGeneric(a, b) }

// Dot returns Σ a[i]*b[i]. len(a) must equal len(b).
func Dot(a, b []float32) float32 { return dotGeneric(a, b) }

// L1 returns Σ |a[i]-b[i]|. len(a) must equal len(b).
func L1(a, b []float32) float32 { return l1Generic(a, b) }

// CosineDistance returns 1 - a·b / (|a| |b|), clamped to [0, 2]; NaN when
// either vector is all zeros (as pgvector's <=>).
func CosineDistance(a, b []float32) float64 {
	var dot, na, nb float32
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	sim := float64(dot) / math.Sqrt(float64(na)*float64(nb))
	if sim > 1 {
		sim = 1
	} else if sim < -1 {
		sim = -1
	}
	return 1 - sim
}

func l2SquaredGeneric(a, b []float32) float32 {
	var s float32
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

func dotGeneric(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func l1Generic(a, b []float32) float32 {
	var s float32
	for i := range a {
		d := a[i] - b[i]
		if d < 0 {
			d = -d
		}
		s += d
	}
	return s
}
