package ivfflat

import (
	"fmt"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex/coarse"
	"github.com/vecgres/vecgres/vindex/kmeans"
	"github.com/vecgres/vecgres/vindex/space"
)

// Train learns the list centroids from sample (rows of Dims() values) with
// k-means (k-means++ seeding, fixed seed, on at most
// max(64*lists, 10000) rows). The sample is read, not stored: vectors
// enter the index only through Add. Vectors already in the index (pending
// or in lists of an earlier training) are redistributed to the new lists.
// Errors: 22000 for a ragged sample or NaN/Inf values, 22023 for an empty
// sample.
func (ix *Index) Train(sample []float32) error {
	if len(sample)%ix.dims != 0 {
		return pgerr.Newf(pgerr.DataException, "ivfflat: sample length %d is not a multiple of %d dimensions", len(sample), ix.dims)
	}
	if len(sample) == 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "ivfflat: cannot train on an empty sample")
	}
	if err := space.CheckFinite(sample); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.trainLocked(sample)
}

// trainLocked runs k-means on sample and redistributes stored vectors.
// Caller holds mu exclusively.
func (ix *Index) trainLocked(sample []float32) error {
	start := time.Now()
	// NB: spherical k-means normalises its own copy of the sample, so the
	// cosine and inner-product cases need no preparation here.
	res, err := kmeans.Train(sample, ix.dims, kmeans.Config{
		K:         ix.lists,
		Seed:      ix.seed,
		Spherical: coarse.Spherical(ix.sp.Metric),
		Progress:  ix.progress,
	})
	if err != nil {
		return fmt.Errorf("ivfflat: training %d lists: %w", ix.lists, err)
	}
	ix.centroids = res.Centroids
	ix.trained = true
	ix.redistribute()
	ix.buildTime += time.Since(start)
	return nil
}

// redistribute moves every stored vector (pending or in old lists) to the
// list of its nearest centroid. Caller holds mu exclusively.
func (ix *Index) redistribute() {
	old := ix.l
	ix.l = make([]list, ix.lists+2)
	ix.l[ix.zeroList()] = old[ix.zeroList()]
	total := 0
	for i := 0; i <= ix.pendingList(); i++ {
		total += len(old[i].ids)
	}
	done := 0
	tmp := make([]float32, ix.dims)
	for i := 0; i <= ix.pendingList(); i++ {
		for j, id := range old[i].ids {
			v := old[i].vecs[j*ix.dims : (j+1)*ix.dims]
			ix.appendTo(ix.nearestList(v, tmp), id, v)
			done++
			if ix.progress != nil && done%10000 == 0 {
				ix.progress("ivfflat.assign", done, total)
			}
		}
	}
	if ix.progress != nil && total > 0 {
		ix.progress("ivfflat.assign", total, total)
	}
}
