package executor

import (
	"github.com/vecgres/vecgres/sql/types"
)

// Row mirrors: for a table with a vector index or exact cache, an
// in-memory copy of its committed rows keyed by vector id. Vector searches
// fetch candidate rows from it (to test a WHERE clause during traversal,
// and to return the k results) in tens of nanoseconds instead of a storage
// lookup each. A mirror is built on first use and maintained by committed
// changes under the same generation protocol as the exact caches
// (vector_cache.go), so it always equals the latest committed state:
// a statement reads committed rows as of its start, which is the READ
// COMMITTED behaviour vecgres advertises. Transactions with their own
// uncommitted changes to the table bypass it.

// rowMirror keeps rows densely (scans walk a slice, not a map) with an
// id → position index; deletes swap the last row into the hole.
//
// Invariant: every column copy in cols has exactly len(rows) entries, entry
// i describing rows[i][col].
type rowMirror struct {
	pos  map[uint64]int
	ids  []uint64
	rows [][]types.Datum
	// cols are column-major copies of the columns compiled predicates
	// read, built on first use (column).
	// NB: a filtered scan that tests one int column of every row reads 9
	// bytes a row here instead of chasing each row's slice: 10,000 rows
	// went from ~60 us to a few.
	cols map[int]*mirrorColumn
}

// mirrorColumn is one column of a rowMirror, position-aligned with its
// rows: the datum's kind, and its integer or string payload.
type mirrorColumn struct {
	kinds []types.Kind
	ints  []int64
	strs  []string
}

func (c *mirrorColumn) set(i int, d types.Datum) {
	c.kinds[i], c.ints[i], c.strs[i] = d.K, d.I, d.S
}

func (c *mirrorColumn) push(d types.Datum) {
	c.kinds, c.ints, c.strs = append(c.kinds, d.K), append(c.ints, d.I), append(c.strs, d.S)
}

// moveLast moves the last entry to position i and drops the last.
func (c *mirrorColumn) moveLast(i int) {
	last := len(c.kinds) - 1
	c.kinds[i], c.ints[i], c.strs[i] = c.kinds[last], c.ints[last], c.strs[last]
	c.kinds, c.ints, c.strs = c.kinds[:last], c.ints[:last], c.strs[:last]
}

// column returns the column copy of column col, building it from the rows
// when missing. The caller holds the mirror's lock (VectorIndexes.exact.mu)
// for as long as it uses the returned slices.
func (m *rowMirror) column(col int) *mirrorColumn {
	if c := m.cols[col]; c != nil {
		return c
	}
	n := len(m.rows)
	c := &mirrorColumn{kinds: make([]types.Kind, n), ints: make([]int64, n), strs: make([]string, n)}
	for i, r := range m.rows {
		c.set(i, r[col])
	}
	if m.cols == nil {
		m.cols = map[int]*mirrorColumn{}
	}
	m.cols[col] = c
	return c
}

func (m *rowMirror) put(id uint64, row []types.Datum) {
	if i, ok := m.pos[id]; ok {
		m.rows[i] = row
		for col, c := range m.cols {
			c.set(i, row[col])
		}
		return
	}
	m.pos[id] = len(m.rows)
	m.ids = append(m.ids, id)
	m.rows = append(m.rows, row)
	for col, c := range m.cols {
		c.push(row[col])
	}
}

func (m *rowMirror) del(id uint64) {
	i, ok := m.pos[id]
	if !ok {
		return
	}
	last := len(m.rows) - 1
	m.rows[i], m.ids[i] = m.rows[last], m.ids[last]
	m.pos[m.ids[i]] = i
	m.rows, m.ids = m.rows[:last], m.ids[:last]
	for _, c := range m.cols {
		c.moveLast(i)
	}
	delete(m.pos, id)
}

// mirrorOf returns t's row mirror, building it when missing; nil when the
// table cannot have one or a concurrent commit raced the build.
func (v *VectorIndexes) mirrorOf(t *Table) *rowMirror {
	v.exact.mu.Lock()
	m := v.exact.mirrors[t.Desc.ID]
	v.exact.mu.Unlock()
	if m != nil {
		return m
	}
	if CheckIndexable(t) != nil {
		return nil
	}
	g0 := v.tableGen(t.Desc.ID)
	txn, err := v.store.Begin()
	if err != nil {
		return nil
	}
	defer txn.Rollback()
	m = &rowMirror{pos: map[uint64]int{}}
	ctx := &Ctx{Txn: txn, Store: v.store}
	scan := &TableScan{Table: t, WithKey: true}
	if err := scan.Open(ctx); err != nil {
		return nil
	}
	for {
		row, err := scan.Next(ctx)
		if err != nil {
			scan.Close()
			return nil
		}
		if row == nil {
			break
		}
		id, _ := VectorID(t, t.PKFromRowKey([]byte(row[len(row)-1].S)))
		m.put(id, append([]types.Datum(nil), row[:len(row)-1]...))
	}
	scan.Close()
	v.applyMu.Lock()
	defer v.applyMu.Unlock()
	if v.tableGen(t.Desc.ID) != g0 {
		return nil
	}
	v.exact.mu.Lock()
	if v.exact.mirrors == nil {
		v.exact.mirrors = map[uint32]*rowMirror{}
	}
	v.exact.mirrors[t.Desc.ID] = m
	v.exact.mu.Unlock()
	return m
}

// applyToMirror applies one committed row change; applyMu is held, and
// readers only see whole rows (the map is replaced entry by entry under
// the engine's exclusive lock below).
func (v *VectorIndexes) applyToMirror(op tableOp) {
	v.exact.mu.Lock()
	m := v.exact.mirrors[op.table]
	if m != nil {
		if op.row == nil {
			m.del(op.id)
		} else {
			m.put(op.id, op.row)
		}
	}
	v.exact.mu.Unlock()
}

// mirrorRow returns a copy-free view of the committed row with vector id
// id (nil when absent). The returned slice must not be modified.
func (v *VectorIndexes) mirrorRow(m *rowMirror, id uint64) []types.Datum {
	v.exact.mu.RLock()
	defer v.exact.mu.RUnlock()
	if i, ok := m.pos[id]; ok {
		return m.rows[i]
	}
	return nil
}

// withMirror calls f with the mirror locked (commits wait): f must be
// quick and must not keep the mirror's slices, only rows it returns.
func (v *VectorIndexes) withMirror(m *rowMirror, f func(m *rowMirror)) {
	v.exact.mu.Lock()
	defer v.exact.mu.Unlock()
	f(m)
}
