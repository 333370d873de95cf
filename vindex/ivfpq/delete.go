package ivfpq

// Delete removes ids; unknown ids are ignored. Space is reclaimed at once
// (the list's last entry moves into the hole): no tombstones. Never
// returns an error.
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
		copy(l.raw[pos*ix.dims:(pos+1)*ix.dims], l.raw[last*ix.dims:])
		if len(l.codes) > 0 {
			copy(l.codes[pos*ix.m:(pos+1)*ix.m], l.codes[last*ix.m:])
		}
		if len(l.extra) > 0 {
			l.extra[pos] = l.extra[last]
		}
		ix.loc[moved] = uint64(li)<<32 | uint64(pos)
	}
	l.ids = l.ids[:last]
	l.raw = l.raw[:last*ix.dims]
	if len(l.codes) > 0 {
		l.codes = l.codes[:last*ix.m]
	}
	if len(l.extra) > 0 {
		l.extra = l.extra[:last]
	}
	delete(ix.loc, id)
}
