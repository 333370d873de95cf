package executor

import (
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Bit-string columns in vector indexes (pgvector's bit_hamming_ops and
// bit_jaccard_ops).
//
// NB: vindex.Index takes float32 vectors, so a bit(n) value is indexed as
// n floats of 0 or 1 (types.BitsToFloats). Over such vectors L1 is exactly
// the Hamming distance (so bit_hamming_ops indexes are L1 indexes and
// report the Hamming distance unchanged), and Jaccard is
// distance.JaccardBinary, which hnsw supports as vindex.Jaccard. This
// keeps every index type unchanged at the cost of 32 bits of memory per
// bit; SQL-level distances (<~>, <%>, the exact strategies of AnnScan)
// work on the packed bits.

// indexMetric returns the metric the vindex.Index serving an operator
// class's metric is built with: L1 for Hamming (see above), the metric
// itself otherwise.
func indexMetric(m vindex.Metric) vindex.Metric {
	if m == vindex.Hamming {
		return vindex.L1
	}
	return m
}

// isBitMetric reports whether m orders bit strings.
func isBitMetric(m vindex.Metric) bool { return m == vindex.Hamming || m == vindex.Jaccard }

// indexVector returns the vector an index keeps for a non-NULL column
// value: the vector itself, or a bit string's bits as 0/1 floats (freshly
// allocated).
func indexVector(d types.Datum) []float32 {
	if d.K == types.KindBit {
		return types.BitsToFloats(d, make([]float32, d.BitLen()))
	}
	return d.Vec
}

// bitQuery converts the query value of a scan ordered by a bit metric to
// bit and checks its length against the column's dims, with pgvector's
// error (22000 "different bit lengths").
func bitQuery(qv types.Datum, from types.T, dims int) (types.Datum, error) {
	if qv.K != types.KindBit {
		var err error
		if qv, err = types.Cast(qv, from, types.BitType, false); err != nil {
			return types.Null, err
		}
	}
	if qv.BitLen() != dims {
		return types.Null, pgerr.Newf(pgerr.DataException, "different bit lengths %d and %d", dims, qv.BitLen())
	}
	return qv, nil
}

// bitDistance is the SQL distance (<~> or <%>) between the query bits q
// and a row's bits v, and false when their lengths differ.
func bitDistance(m vindex.Metric, q, v types.Datum) (float64, bool) {
	if q.BitLen() != v.BitLen() {
		return 0, false
	}
	if m == vindex.Jaccard {
		return distance.JaccardPacked(q.S, v.S), true
	}
	return float64(distance.HammingPacked(q.S, v.S)), true
}
