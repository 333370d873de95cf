package annoy

// Delete removes ids; unknown ids are ignored. Slots become tombstones that
// Search skips; once they exceed a quarter of all slots the forest is
// rebuilt without them (before Delete returns). Never returns an error.
func (ix *Index) Delete(ids []uint64) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range ids {
		ix.forget(id)
	}
	if ix.ndead > 0 && ix.ndead*4 > len(ix.ids) {
		if len(ix.loc) < ix.buildThreshold {
			// Too few left for a forest: compact into the buffer.
			ix.compact()
			ix.f = forest{}
			return nil
		}
		ix.rebuildLocked()
	}
	return nil
}
