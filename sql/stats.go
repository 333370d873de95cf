package sql

import (
	"sync"

	"github.com/vecgres/vecgres/executor"
)

// tableStatsCache holds each table's planner statistics, loaded from
// storage on first use and refreshed when enough rows changed since they
// were taken (the auto-analyze rule: 10 % of the rows plus 500).
type tableStatsCache struct {
	mu      sync.Mutex
	entries map[uint32]*statsEntry
}

type statsEntry struct {
	stats    *executor.TableStats
	modified int64 // rows changed since stats were taken
}

// stats returns t's statistics, computing them when missing or stale.
// Errors degrade to "no statistics": plans stay correct without them.
func (e *Engine) stats(t *executor.Table) *executor.TableStats {
	c := &e.statsCache
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[uint32]*statsEntry{}
	}
	ent := c.entries[t.Desc.ID]
	c.mu.Unlock()
	if ent != nil && ent.modified <= ent.stats.Rows/10+500 {
		return ent.stats
	}
	txn, err := e.store.Begin()
	if err != nil {
		return nil
	}
	defer txn.Rollback()
	var st *executor.TableStats
	if ent == nil {
		if b, err := txn.Get(executor.StatsKey(t)); err == nil {
			st, _ = executor.DecodeTableStats(t, b)
		}
	}
	if st == nil {
		if st, err = executor.Analyze(&executor.Ctx{Txn: txn, Store: e.store}, t); err != nil {
			return nil
		}
	}
	c.mu.Lock()
	c.entries[t.Desc.ID] = &statsEntry{stats: st}
	c.mu.Unlock()
	return st
}

// noteModified counts changed rows toward the auto-analyze threshold.
func (e *Engine) noteModified(tableID uint32, n int64) {
	c := &e.statsCache
	c.mu.Lock()
	if ent := c.entries[tableID]; ent != nil {
		ent.modified += n
	}
	c.mu.Unlock()
}

// analyzeTable computes and stores t's statistics within txn (ANALYZE).
func (s *Session) analyzeTable(t *executor.Table) error {
	st, err := executor.Analyze(s.execCtx(nil, nil), t)
	if err != nil {
		return err
	}
	if err := s.txn.Put(executor.StatsKey(t), st.Encode(t)); err != nil {
		return err
	}
	c := &s.e.statsCache
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[uint32]*statsEntry{}
	}
	c.entries[t.Desc.ID] = &statsEntry{stats: st}
	c.mu.Unlock()
	return nil
}
