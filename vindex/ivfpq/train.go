package ivfpq

import (
	"fmt"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/vindex/coarse"
	"github.com/vecgres/vecgres/vindex/kmeans"
	"github.com/vecgres/vecgres/vindex/space"
)

// Train learns the coarse centroids and the PQ codebooks from sample (rows
// of Dims() values): k-means for the lists, then k-means with 2^nbits
// codewords in each sub-space over the residuals of up to
// PQSamplePerCode*2^nbits sample rows. The sample is read, not stored.
// Vectors already in the index are re-assigned and re-encoded. Errors:
// 22000 for a ragged sample or NaN/Inf, 22023 for an empty one.
func (ix *Index) Train(sample []float32) error {
	if len(sample)%ix.dims != 0 {
		return pgerr.Newf(pgerr.DataException, "ivf_pq: sample length %d is not a multiple of %d dimensions", len(sample), ix.dims)
	}
	if len(sample) == 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "ivf_pq: cannot train on an empty sample")
	}
	if err := space.CheckFinite(sample); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.trainLocked(sample)
}

// trainLocked trains and re-encodes. Caller holds mu exclusively.
func (ix *Index) trainLocked(sample []float32) error {
	start := time.Now()
	cq, err := kmeans.Train(sample, ix.dims, kmeans.Config{
		K: ix.lists, Seed: ix.seed, Spherical: coarse.Spherical(ix.sp.Metric), Progress: ix.progress,
	})
	if err != nil {
		return fmt.Errorf("ivf_pq: training %d lists: %w", ix.lists, err)
	}
	ix.centroids = cq.Centroids
	resid := ix.residualSample(sample)
	ix.codebooks = make([]float32, ix.ksub*ix.dims)
	ns := len(resid) / ix.dims
	for j := 0; j < ix.m; j++ {
		lo, hi := ix.subOff[j], ix.subOff[j+1]
		w := hi - lo
		sub := make([]float32, 0, ns*w)
		for r := 0; r < ns; r++ {
			sub = append(sub, resid[r*ix.dims+lo:r*ix.dims+hi]...)
		}
		res, err := kmeans.Train(sub, w, kmeans.Config{
			K: ix.ksub, Seed: ix.seed + uint64(j) + 1, Init: kmeans.Random, Iters: 10, MaxSample: ns,
		})
		if err != nil {
			return fmt.Errorf("ivf_pq: training codebook %d: %w", j, err)
		}
		copy(ix.codebooks[ix.ksub*lo:], res.Centroids)
		if ix.progress != nil {
			ix.progress("ivfpq.codebooks", j+1, ix.m)
		}
	}
	ix.trained = true
	ix.redistribute()
	ix.buildTime += time.Since(start)
	return nil
}

// residualSample returns x̂ - c(x̂) for up to PQSamplePerCode*ksub rows of
// sample, spread evenly over it.
func (ix *Index) residualSample(sample []float32) []float32 {
	n := len(sample) / ix.dims
	ns := min(n, max(PQSamplePerCode*ix.ksub, 1000))
	out := make([]float32, ns*ix.dims)
	tmp := make([]float32, 2*ix.dims)
	for r := 0; r < ns; r++ {
		src := int(int64(r) * int64(n) / int64(ns))
		x := out[r*ix.dims : (r+1)*ix.dims]
		ix.sp.Prepare(x, sample[src*ix.dims:(src+1)*ix.dims])
		c := ix.nearestList(x, tmp[:ix.dims])
		cv := ix.centroids[c*ix.dims : (c+1)*ix.dims]
		for i := range x {
			x[i] -= cv[i]
		}
	}
	return out
}

// redistribute re-assigns and re-encodes every stored vector (pending or
// previously listed). Caller holds mu exclusively; the index is trained.
func (ix *Index) redistribute() {
	old := ix.l
	ix.l = make([]list, ix.lists+2)
	ix.l[ix.zeroList()] = old[ix.zeroList()]
	total := 0
	for i := 0; i <= ix.pendingList(); i++ {
		total += len(old[i].ids)
	}
	enc := ix.newEncoder()
	done := 0
	for i := 0; i <= ix.pendingList(); i++ {
		for j, id := range old[i].ids {
			ix.insertTrained(enc, id, old[i].raw[j*ix.dims:(j+1)*ix.dims])
			done++
			if ix.progress != nil && done%10000 == 0 {
				ix.progress("ivfpq.encode", done, total)
			}
		}
	}
	if ix.progress != nil && total > 0 {
		ix.progress("ivfpq.encode", total, total)
	}
}
