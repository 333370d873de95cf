package space

import "github.com/vecgres/vecgres/sql/pgerr"

// CheckAdd validates an Add batch of nids vectors of dims values, flat in
// vecs, before anything is stored. It returns nil or a *pgerr.Error with
// SQLSTATE 22000: "expected D dimensions, not N" for a ragged batch (N is
// the per-row length the batch suggests) or "NaN or infinity not allowed
// in vector", as pgvector words them.
func CheckAdd(dims, nids int, vecs []float32) error {
	if len(vecs) != nids*dims {
		n := len(vecs)
		if nids > 0 {
			n /= nids
		}
		return pgerr.Newf(pgerr.DataException, "expected %d dimensions, not %d", dims, n)
	}
	return CheckFinite(vecs)
}

// CheckQuery validates a search query for an index of dims dimensions: nil
// or a *pgerr.Error with SQLSTATE 22000 ("different vector dimensions D
// and N", or the NaN/infinity message of CheckFinite).
func CheckQuery(dims int, q []float32) error {
	if len(q) != dims {
		return pgerr.Newf(pgerr.DataException, "different vector dimensions %d and %d", dims, len(q))
	}
	return CheckFinite(q)
}

// CheckFinite returns nil when every value of v is finite, otherwise a
// *pgerr.Error with SQLSTATE 22000 "NaN or infinity not allowed in vector".
func CheckFinite(v []float32) error {
	if !Finite(v) {
		return pgerr.New(pgerr.DataException, "NaN or infinity not allowed in vector")
	}
	return nil
}
