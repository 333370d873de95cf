package hnsw

import "sync/atomic"

// Delete removes ids; unknown ids are ignored. Deleted vectors become
// tombstones: searches still walk through them (the graph stays
// navigable) but never return them. When tombstones exceed
// RepairFraction of the stored vectors, Delete runs Repair before
// returning. Serialised with Add; searches are excluded only while the
// tombstone flags are set (microseconds), not during the repair.
func (ix *Index) Delete(ids []uint64) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.Lock()
	for _, id := range ids {
		if s, ok := ix.idSlot[id]; ok {
			delete(ix.idSlot, id)
			ix.tombstone(s)
		}
	}
	need := ix.RepairFraction > 0 && ix.dead > 0 &&
		float64(ix.dead) > ix.RepairFraction*float64(ix.live+ix.dead)
	ix.mu.Unlock()
	if need {
		ix.repairLocked()
	}
	return nil
}

// Repair removes every tombstone from the graph now and makes their slots
// reusable: each live node that links to a deleted node gets a new
// neighbour list chosen with the heuristic (Algorithm 4) among its live
// neighbours and the live neighbours of its deleted ones (the approach of
// hnswlib's and pgvector's repair), the entry point moves to a live node
// if it was deleted, and nodes left with no links are re-inserted by a
// search from the entry point. Searches run concurrently except during
// the final, short step that frees the slots. Serialised with Add/Delete.
func (ix *Index) Repair() {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.repairLocked()
}

// repairLocked is Repair; caller holds writeMu (so flags, levels, nslots
// and the slices do not change under it).
func (ix *Index) repairLocked() {
	if ix.dead == 0 {
		return
	}
	sc := ix.getScratch()
	defer ix.putScratch(sc)
	ix.moveEntryOffDead()

	// Phase 1: rewrite the lists of live nodes that point at tombstones.
	var isolated []uint32
	for si := 0; si < ix.nslots; si++ {
		s := uint32(si)
		if ix.flags[s] != 0 {
			continue
		}
		for l := 0; l <= int(ix.levels[s]); l++ {
			if ix.repairList(s, l, sc) == 0 && l == 0 {
				isolated = append(isolated, s)
			}
		}
	}

	// Phase 2: no live list references a tombstone now; free them.
	ix.mu.Lock()
	for si := 0; si < ix.nslots; si++ {
		s := uint32(si)
		if ix.flags[s]&flagDead == 0 {
			continue
		}
		ix.flags[s] = flagFree
		ix.levels[s] = 0
		ix.upper[s] = nil
		clear(ix.links(s, 0))
		ix.ids[s] = 0
		ix.free = append(ix.free, s)
	}
	ix.dead = 0
	ix.gen++
	ix.mu.Unlock()

	// Phase 3: reconnect nodes whose whole neighbourhood was deleted.
	for _, s := range isolated {
		e := ix.entry.Load()
		if e == noEntry {
			break
		}
		ep, top := unpackEntry(e)
		if ep == s {
			continue
		}
		ix.link(s, int(ix.levels[s]), ep, top, sc)
	}
	ix.fixOrphans()
}

// moveEntryOffDead replaces a tombstoned entry point by the live linked
// node with the highest level (or clears it when none is left).
func (ix *Index) moveEntryOffDead() {
	e := ix.entry.Load()
	if e == noEntry {
		return
	}
	if ep, _ := unpackEntry(e); ix.flags[ep] == 0 {
		return
	}
	best, bestL := -1, -1
	for s := 0; s < ix.nslots; s++ {
		if ix.flags[s] == 0 && int(ix.levels[s]) > bestL {
			best, bestL = s, int(ix.levels[s])
		}
	}
	ix.epMu.Lock()
	if best < 0 {
		ix.entry.Store(noEntry)
	} else {
		ix.entry.Store(packEntry(uint32(best), bestL))
	}
	ix.epMu.Unlock()
}

// repairList rebuilds s's list at level l if it links to a tombstone, and
// returns the list's new length.
func (ix *Index) repairList(s uint32, l int, sc *scratch) int {
	nl := ix.links(s, l)
	cnt := int(nl[0])
	hasDead := false
	for _, x := range nl[1 : cnt+1] {
		if ix.flags[x] != 0 {
			hasDead = true
			break
		}
	}
	if !hasDead {
		return cnt
	}
	sc.visited.reset(len(ix.levels))
	sc.visited.visit(s)
	vs := ix.vec(s)
	buf := sc.nbuf[:0]
	add := func(x uint32) {
		if ix.flags[x] == 0 && !sc.visited.visit(x) {
			buf = append(buf, cand{ix.dist(vs, ix.vec(x)), x})
		}
	}
	for _, x := range nl[1 : cnt+1] {
		if ix.flags[x] == 0 {
			add(x)
			continue
		}
		xl := ix.links(x, l)
		for _, y := range xl[1 : int(xl[0])+1] {
			add(y)
		}
	}
	sortCands(buf)
	mmax := ix.m
	if l == 0 {
		mmax = ix.m0
	}
	sel := ix.selectNeighbors(s, buf, mmax, sc.sel[:0])
	mu := &ix.nodeMu[s%lockStripes]
	mu.Lock()
	for i, c := range sel {
		atomic.StoreUint32(&nl[i+1], c.slot)
	}
	atomic.StoreUint32(&nl[0], uint32(len(sel)))
	mu.Unlock()
	sc.nbuf, sc.sel = buf, sel
	return len(sel)
}
