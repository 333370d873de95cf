package annoy

import "github.com/vecgres/vecgres/vindex/space"

// Add stores vecs (len(ids)*Dims() values) under ids, replacing ids already
// present (the old slot becomes a tombstone). New vectors go to the buffer,
// which Search scans exactly, so they are visible at once; when the buffer
// reaches max(build_threshold, built/10) vectors, Add rebuilds the forest
// over every live vector before returning. Errors (22000: wrong length,
// NaN/Inf) leave the index unchanged.
func (ix *Index) Add(ids []uint64, vecs []float32) error {
	if err := space.CheckAdd(ix.dims, len(ids), vecs); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i, id := range ids {
		ix.forget(id)
		s := len(ix.ids)
		ix.vecs = append(ix.vecs, vecs[i*ix.dims:(i+1)*ix.dims]...)
		if ix.sp.Prepare(ix.vecs[s*ix.dims:], vecs[i*ix.dims:(i+1)*ix.dims]) {
			ix.vecs = ix.vecs[:s*ix.dims]
			ix.zeros[id] = struct{}{}
			continue
		}
		ix.ids = append(ix.ids, id)
		ix.dead = append(ix.dead, false)
		ix.loc[id] = uint32(s)
	}
	if len(ix.ids)-ix.f.built >= max(ix.buildThreshold, ix.f.built/10) {
		ix.rebuildLocked()
	}
	return nil
}

// forget removes id if present: tombstones its slot or drops it from the
// zero set. Caller holds mu exclusively.
func (ix *Index) forget(id uint64) {
	if s, ok := ix.loc[id]; ok {
		ix.dead[s] = true
		ix.ndead++
		delete(ix.loc, id)
		return
	}
	delete(ix.zeros, id)
}
