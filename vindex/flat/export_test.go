package flat

import (
	"bytes"
	"fmt"

	"github.com/vecgres/vecgres/vindex/distance"
)

// Test hooks for the quantized L2 scan (quant.go, quant_search.go).

// SetQuantizedScan sets when Search uses the quantized scan: "auto" (the
// default), "off" or "force" (any size, k and survivor count).
func (x *Index) SetQuantizedScan(mode string) {
	m := map[string]quantMode{"auto": quantAuto, "off": quantOff, "force": quantForce}[mode]
	x.quantMode.Store(int32(m))
}

// QuantStats returns how many searches the quantized scan answered and
// their pass-1 survivors in total.
func (x *Index) QuantStats() (queries, candidates int64) {
	return x.quantQueries.Load(), x.quantCands.Load()
}

// QuantBuiltN returns the vector count the quantized copy was built from,
// or -1 when there is no copy.
func (x *Index) QuantBuiltN() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if qc := x.quant.Load(); qc != nil {
		return qc.builtN
	}
	return -1
}

// QuantCheck verifies the copy against the float data: every slot's codes,
// row term and residual bound re-derived from its vector must match, and
// the block bounds must cover the residuals. It returns "" when consistent.
func (x *Index) QuantCheck() string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	qc := x.quant.Load()
	if qc == nil {
		return ""
	}
	return qc.check(x.data, len(x.ids))
}

// check re-encodes the n vectors of data and reports the first difference
// from the copy ("" when none): the invariant Add and Delete maintain.
func (qc *quantCodes) check(data []float32, n int) string {
	d := qc.dims
	if len(qc.codes) != n*d || len(qc.terms) != n || len(qc.resid) != n || len(qc.blockResid) != (n+blockRows-1)/blockRows {
		return fmt.Sprintf("lengths: codes %d terms %d resid %d blocks %d for %d slots", len(qc.codes), len(qc.terms), len(qc.resid), len(qc.blockResid), n)
	}
	row := make([]uint8, d)
	for i := range n {
		r, _, m := qc.encode(data[i*d:(i+1)*d], row)
		switch {
		case !bytes.Equal(row, qc.codes[i*d:(i+1)*d]):
			return fmt.Sprintf("slot %d: codes differ from its vector", i)
		case qc.terms[i] != distance.U8L2RowTerm(row):
			return fmt.Sprintf("slot %d: row term differs", i)
		case qc.resid[i] != r:
			return fmt.Sprintf("slot %d: residual %v, re-derived %v", i, qc.resid[i], r)
		case qc.blockResid[i/blockRows] < r:
			return fmt.Sprintf("slot %d: block bound %v below residual %v", i, qc.blockResid[i/blockRows], r)
		case m > qc.maxAbs:
			return fmt.Sprintf("slot %d: |x| %v above maxAbs %v", i, m, qc.maxAbs)
		}
	}
	return ""
}
