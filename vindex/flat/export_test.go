package flat

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Test hooks for the quantized scans (quant.go, quant_search.go, quant_ip.go).

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
	nb := (n + blockRows - 1) / blockRows
	if len(qc.codes) != n*d || len(qc.terms) != n || len(qc.resid) != n || len(qc.blockResid) != nb || len(qc.blockOut) != nb {
		return fmt.Sprintf("lengths: codes %d terms %d resid %d blocks %d/%d for %d slots", len(qc.codes), len(qc.terms), len(qc.resid), len(qc.blockResid), len(qc.blockOut), n)
	}
	if ip := qc.metric == vindex.InnerProduct; ip != (qc.sqNorm != nil) || len(qc.sqNorm) != n && ip || len(qc.blockNorm) != nb && ip {
		return fmt.Sprintf("norms: %d for %d slots, %d blocks, metric %v", len(qc.sqNorm), n, len(qc.blockNorm), qc.metric)
	}
	row, unit := make([]uint8, d), make([]float32, d)
	out := make([]int32, nb)
	for i := range n {
		b := i / blockRows
		r, _, m, sq := qc.encodeVec(data[i*d:(i+1)*d], row, unit)
		switch {
		case !bytes.Equal(row, qc.codes[i*d:(i+1)*d]):
			return fmt.Sprintf("slot %d: codes differ from its vector", i)
		case qc.terms[i] != distance.U8L2RowTerm(row):
			return fmt.Sprintf("slot %d: row term differs", i)
		case qc.resid[i] != r:
			return fmt.Sprintf("slot %d: residual %v, re-derived %v", i, qc.resid[i], r)
		case !isOut(r) && qc.blockResid[b] < r:
			return fmt.Sprintf("slot %d: block bound %v below residual %v", i, qc.blockResid[b], r)
		case m > qc.maxAbs:
			return fmt.Sprintf("slot %d: |x| %v above maxAbs %v", i, m, qc.maxAbs)
		case qc.sqNorm != nil && (qc.sqNorm[i] != sq || qc.blockNorm[b] < sq):
			return fmt.Sprintf("slot %d: squared norm %v (block %v), re-derived %v", i, qc.sqNorm[i], qc.blockNorm[b], sq)
		}
		if isOut(r) {
			out[b]++
		}
	}
	if !slices.Equal(out, qc.blockOut) {
		return fmt.Sprintf("slots left out per block %v, re-derived %v", qc.blockOut, out)
	}
	return ""
}

// QuantOut returns how many slots the quantized copy leaves out of the
// prefilter (Cosine vectors without a unit vector), or -1 when there is no
// copy.
func (x *Index) QuantOut() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	qc := x.quant.Load()
	if qc == nil {
		return -1
	}
	var n int32
	for _, c := range qc.blockOut {
		n += c
	}
	return int(n)
}
