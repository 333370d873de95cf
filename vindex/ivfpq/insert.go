package ivfpq

import (
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/coarse"
	"github.com/vecgres/vecgres/vindex/distance"
	"github.com/vecgres/vecgres/vindex/kmeans"
	"github.com/vecgres/vecgres/vindex/space"
)

// Add stores vecs (len(ids)*Dims() values) under ids, replacing ids already
// present: each vector is assigned to its nearest list, PQ-encoded, and
// kept for re-ranking. Before training, vectors go to the pending list;
// Add trains once it holds AutoTrainPerList*lists vectors. Errors (22000:
// wrong length, NaN/Inf) leave the index unchanged.
func (ix *Index) Add(ids []uint64, vecs []float32) error {
	if err := space.CheckAdd(ix.dims, len(ids), vecs); err != nil {
		return err
	}
	start := time.Now()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	enc := ix.newEncoder()
	for i, id := range ids {
		if _, ok := ix.loc[id]; ok {
			ix.removeLocked(id)
		}
		v := vecs[i*ix.dims : (i+1)*ix.dims]
		zero := ix.sp.Prepare(enc.x, v)
		switch {
		case zero:
			ix.appendRaw(ix.zeroList(), id, enc.x)
		case ix.trained:
			ix.insertTrained(enc, id, enc.x)
		default:
			ix.appendRaw(ix.pendingList(), id, enc.x)
		}
	}
	var err error
	if !ix.trained && len(ix.l[ix.pendingList()].ids) >= AutoTrainPerList*ix.lists {
		err = ix.trainLocked(ix.l[ix.pendingList()].raw)
	}
	ix.buildTime += time.Since(start)
	return err
}

// encoder is scratch for encoding one vector at a time.
type encoder struct {
	x, tmp, r, dec []float32
	code           []uint8
}

func (ix *Index) newEncoder() *encoder {
	b := make([]float32, 4*ix.dims)
	return &encoder{x: b[:ix.dims], tmp: b[ix.dims : 2*ix.dims], r: b[2*ix.dims : 3*ix.dims], dec: b[3*ix.dims:], code: make([]uint8, ix.m)}
}

// insertTrained encodes the prepared vector x into its list. x may alias
// enc.x. Caller holds mu exclusively.
func (ix *Index) insertTrained(enc *encoder, id uint64, x []float32) {
	c := ix.nearestList(x, enc.tmp)
	cv := ix.centroids[c*ix.dims : (c+1)*ix.dims]
	for i := range x {
		enc.r[i] = x[i] - cv[i]
	}
	for j := 0; j < ix.m; j++ {
		lo, hi := ix.subOff[j], ix.subOff[j+1]
		w := hi - lo
		cb := ix.codebooks[ix.ksub*lo : ix.ksub*hi]
		best, _ := kmeans.Nearest(cb, w, enc.r[lo:hi])
		enc.code[j] = uint8(best)
		copy(enc.dec[lo:hi], cb[best*w:(best+1)*w])
	}
	l := &ix.l[c]
	ix.loc[id] = uint64(c)<<32 | uint64(len(l.ids))
	l.ids = append(l.ids, id)
	l.codes = append(l.codes, enc.code...)
	l.raw = append(l.raw, x...)
	if ix.sp.Metric == vindex.L2 {
		// e = ‖r̂‖² + 2 c·r̂ (see the package doc).
		e := distance.Dot(enc.dec, enc.dec) + 2*distance.Dot(cv, enc.dec)
		l.extra = append(l.extra, e)
	}
}

// appendRaw stores a prepared vector without a code (pending or zero list).
func (ix *Index) appendRaw(li int, id uint64, x []float32) {
	l := &ix.l[li]
	ix.loc[id] = uint64(li)<<32 | uint64(len(l.ids))
	l.ids = append(l.ids, id)
	l.raw = append(l.raw, x...)
}

// nearestList returns the list for a prepared vector; tmp (Dims() values)
// is scratch. Caller holds mu; the index is trained.
func (ix *Index) nearestList(v, tmp []float32) int {
	return coarse.Nearest(ix.sp.Metric, v, tmp, ix.centroids, ix.dims)
}
