package distance

import "github.com/vecgres/vecgres/vindex"

// ForMetric returns the ranking distance for a float-vector metric: smaller
// is closer, and it orders pairs exactly as the reported distance does but
// is cheaper to compute.
//
//	L2           → squared L2 (Report takes the square root)
//	InnerProduct → -a·b (already the reported form, as pgvector's <#>)
//	Cosine       → 1 - cos(a, b) as float32 (NaN for a zero vector)
//	L1           → Σ|a-b|
//
// It returns nil for Hamming, Jaccard and unknown metrics (bit vectors use
// Hamming and Jaccard directly). The function is safe for concurrent use.
func ForMetric(m vindex.Metric) func(a, b []float32) float32 {
	switch m {
	case vindex.L2:
		return L2Squared
	case vindex.InnerProduct:
		return negDot
	case vindex.Cosine:
		return cosine32
	case vindex.L1:
		return L1
	}
	return nil
}

func negDot(a, b []float32) float32 { return -Dot(a, b) }

func cosine32(a, b []float32) float32 { return float32(CosineDistance(a, b)) }

// Report converts a ranking distance from ForMetric(m) to the distance SQL
// reports: the square root for L2, unchanged for every other metric (the
// same as vindex.ToReported). Example: Report(vindex.L2, 25) = 5.
func Report(m vindex.Metric, rank float32) float32 { return vindex.ToReported(m, rank) }
