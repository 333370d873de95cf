package ivfflat

// Delete removes ids; unknown ids are ignored. The space is reclaimed at
// once (the last vector of the list moves into the hole), so IVF_FLAT
// keeps no tombstones. Never returns an error.
func (ix *Index) Delete(ids []uint64) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range ids {
		if _, ok := ix.loc[id]; ok {
			ix.removeLocked(id)
		}
	}
	return nil
}

// removeLocked deletes a present id. Caller holds mu exclusively.
func (ix *Index) removeLocked(id uint64) {
	at := ix.loc[id]
	li, pos := int(at>>32), int(uint32(at))
	l := &ix.l[li]
	last := len(l.ids) - 1
	if pos != last {
		moved := l.ids[last]
		l.ids[pos] = moved
		copy(l.vecs[pos*ix.dims:(pos+1)*ix.dims], l.vecs[last*ix.dims:])
		ix.loc[moved] = uint64(li)<<32 | uint64(pos)
	}
	l.ids = l.ids[:last]
	l.vecs = l.vecs[:last*ix.dims]
	delete(ix.loc, id)
}
