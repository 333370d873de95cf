package vindex

import (
	"fmt"
	"math"
	"strings"
)

// String returns the metric's name as used by vecgres bench and index
// options: "l2", "ip", "cosine", "l1", "hamming", "jaccard".
func (m Metric) String() string {
	switch m {
	case L2:
		return "l2"
	case InnerProduct:
		return "ip"
	case Cosine:
		return "cosine"
	case L1:
		return "l1"
	case Hamming:
		return "hamming"
	case Jaccard:
		return "jaccard"
	}
	return fmt.Sprintf("metric(%d)", uint8(m))
}

// ParseMetric is the inverse of String; it also accepts "euclidean",
// "inner_product", "dot" and pgvector operator-class names such as
// "vector_l2_ops", "vector_ip_ops", "vector_cosine_ops", "vector_l1_ops".
func ParseMetric(s string) (Metric, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "l2", "euclidean", "vector_l2_ops":
		return L2, nil
	case "ip", "inner_product", "dot", "vector_ip_ops":
		return InnerProduct, nil
	case "cosine", "vector_cosine_ops":
		return Cosine, nil
	case "l1", "taxicab", "vector_l1_ops":
		return L1, nil
	case "hamming", "bit_hamming_ops":
		return Hamming, nil
	case "jaccard", "bit_jaccard_ops":
		return Jaccard, nil
	}
	return 0, fmt.Errorf("unknown metric %q (want l2, ip, cosine or l1)", s)
}

// Valid reports whether m is a metric for float vectors (the metrics an
// Index supports: L2, InnerProduct, Cosine, L1).
func (m Metric) Valid() bool { return m >= L2 && m <= L1 }

// ToReported converts a ranking distance (the value an index orders by, as
// returned by distance.ForMetric) to the distance reported in Result and by
// SQL: the square root for L2, unchanged otherwise.
// Example: ToReported(L2, 25) = 5; ToReported(InnerProduct, -3) = -3.
func ToReported(m Metric, rank float32) float32 {
	if m == L2 {
		return float32(math.Sqrt(float64(rank)))
	}
	return rank
}
