package ivfflat

import (
	"time"

	"github.com/vecgres/vecgres/vindex/coarse"
	"github.com/vecgres/vecgres/vindex/space"
)

// Add stores vecs (len(ids)*Dims() values) under ids; an id already present
// is replaced. Before training, vectors go to the pending list (searched
// exactly); when it reaches AutoTrainPerList*lists vectors, Add trains the
// index on them. The whole batch is validated before anything is stored:
// errors are 22000 (wrong length, NaN or Inf) and leave the index unchanged.
func (ix *Index) Add(ids []uint64, vecs []float32) error {
	if err := space.CheckAdd(ix.dims, len(ids), vecs); err != nil {
		return err
	}
	start := time.Now()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	tmp := make([]float32, 2*ix.dims)
	prep, atmp := tmp[:ix.dims], tmp[ix.dims:]
	for i, id := range ids {
		if _, ok := ix.loc[id]; ok {
			ix.removeLocked(id)
		}
		zero := ix.sp.Prepare(prep, vecs[i*ix.dims:(i+1)*ix.dims])
		target := ix.pendingList()
		switch {
		case zero:
			target = ix.zeroList()
		case ix.trained:
			target = ix.nearestList(prep, atmp)
		}
		ix.appendTo(target, id, prep)
	}
	var err error
	if !ix.trained && len(ix.l[ix.pendingList()].ids) >= AutoTrainPerList*ix.lists {
		err = ix.trainLocked(ix.l[ix.pendingList()].vecs)
	}
	ix.buildTime += time.Since(start)
	return err
}

// nearestList returns the list for a prepared vector. tmp (Dims() values)
// is scratch. Caller holds mu; the index is trained.
func (ix *Index) nearestList(v, tmp []float32) int {
	return coarse.Nearest(ix.sp.Metric, v, tmp, ix.centroids, ix.dims)
}

// appendTo stores a prepared vector at the end of list li.
func (ix *Index) appendTo(li int, id uint64, v []float32) {
	l := &ix.l[li]
	ix.loc[id] = uint64(li)<<32 | uint64(len(l.ids))
	l.ids = append(l.ids, id)
	l.vecs = append(l.vecs, v...)
}
