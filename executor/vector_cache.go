package executor

import (
	"sync"

	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/flat"
)

// Exact vector caches: for exact nearest-neighbour queries on a vector
// column without a matching index, VectorIndexes keeps an in-memory flat
// copy of the column (per metric), so an exact top-k is one SIMD scan over
// contiguous memory instead of decoding every row from storage. Caches are
// built on first use, kept current by committed changes exactly like the
// indexes, and not persisted (a restart rebuilds them on demand).
//
// Why a build cannot miss a concurrent commit: every commit that changes a
// table's vector columns bumps the table's generation while holding
// applyMu, after its storage commit. A build reads the generation, then
// takes its snapshot, and publishes (under applyMu) only if the generation
// is unchanged; otherwise it is discarded and the query runs the slow path.

type cacheKey struct {
	table  uint32
	column int
	metric vindex.Metric
}

type exactCaches struct {
	mu      sync.RWMutex // mirrors and caches; read-only users take it shared
	caches  map[cacheKey]*LiveIndex
	mirrors map[uint32]*rowMirror
	gen     map[uint32]uint64 // per table, guarded by applyMu for writes
	genMu   sync.Mutex
}

func (v *VectorIndexes) tableGen(table uint32) uint64 {
	v.exact.genMu.Lock()
	defer v.exact.genMu.Unlock()
	return v.exact.gen[table]
}

// bumpGen is called with applyMu held after a commit changed table.
func (v *VectorIndexes) bumpGen(table uint32) {
	v.exact.genMu.Lock()
	if v.exact.gen == nil {
		v.exact.gen = map[uint32]uint64{}
	}
	v.exact.gen[table]++
	v.exact.genMu.Unlock()
}

// cachesOf returns the exact caches of a table.
func (v *VectorIndexes) cachesOf(table uint32) []*LiveIndex {
	v.exact.mu.Lock()
	defer v.exact.mu.Unlock()
	var out []*LiveIndex
	for k, li := range v.exact.caches {
		if k.table == table {
			out = append(out, li)
		}
	}
	return out
}

// DropCaches forgets a table's caches (DROP TABLE, TRUNCATE).
func (v *VectorIndexes) DropCaches(table uint32) {
	v.exact.mu.Lock()
	delete(v.exact.mirrors, table)
	for k := range v.exact.caches {
		if k.table == table {
			delete(v.exact.caches, k)
		}
	}
	v.exact.mu.Unlock()
	v.applyMu.Lock()
	v.bumpGen(table)
	v.applyMu.Unlock()
}

// ExactCache returns the exact cache of column col of t under metric m,
// building it when missing; nil when the table cannot have one (its key is
// not an integer) or a concurrent commit raced the build.
func (v *VectorIndexes) ExactCache(t *Table, col int, m vindex.Metric) *LiveIndex {
	key := cacheKey{t.Desc.ID, col, m}
	v.exact.mu.Lock()
	li := v.exact.caches[key]
	v.exact.mu.Unlock()
	if li != nil {
		return li
	}
	if CheckIndexable(t) != nil || !isFloatVector(t.Types[col]) || t.Types[col].Typmod < 1 {
		return nil
	}
	g0 := v.tableGen(t.Desc.ID)
	txn, err := v.store.Begin()
	if err != nil {
		return nil
	}
	defer txn.Rollback()
	idx := flat.New(int(t.Types[col].Typmod), m)
	li = &LiveIndex{TableID: t.Desc.ID, Name: t.Desc.Name + " exact cache", Column: col, Method: "flat", Metric: m, Index: idx}
	if err := fillFromRows(&Ctx{Txn: txn, Store: v.store}, t, col, idx); err != nil {
		return nil
	}
	v.applyMu.Lock()
	defer v.applyMu.Unlock()
	if v.tableGen(t.Desc.ID) != g0 {
		return nil
	}
	v.exact.mu.Lock()
	if v.exact.caches == nil {
		v.exact.caches = map[cacheKey]*LiveIndex{}
	}
	v.exact.caches[key] = li
	v.exact.mu.Unlock()
	return li
}

// fillFromRows adds every row's vector in column col to idx.
func fillFromRows(ctx *Ctx, t *Table, col int, idx vindex.Index) error {
	scan := &TableScan{Table: t, WithKey: true}
	if err := scan.Open(ctx); err != nil {
		return err
	}
	defer scan.Close()
	dims := int(t.Types[col].Typmod)
	ids := make([]uint64, 0, 4096)
	vecs := make([]float32, 0, 4096*dims)
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		err := idx.Add(ids, vecs)
		ids, vecs = ids[:0], vecs[:0]
		return err
	}
	for {
		row, err := scan.Next(ctx)
		if err != nil {
			return err
		}
		if row == nil {
			return flush()
		}
		if row[col].IsNull() {
			continue
		}
		id, _ := VectorID(t, t.PKFromRowKey([]byte(row[len(row)-1].S)))
		ids = append(ids, id)
		vecs = append(vecs, row[col].Vec...)
		if len(ids) == cap(ids) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// tableOp is a committed row change, applied to the exact caches.
type tableOp struct {
	table uint32
	id    uint64
	row   []types.Datum // nil: deleted
}

// applyToCaches applies committed row changes to the exact caches and
// bumps the generations of the tables they touched. applyMu is held.
func (v *VectorIndexes) applyToCaches(ops []tableOp, tables map[uint32]bool) {
	for t := range tables {
		v.bumpGen(t)
	}
	if len(ops) == 0 {
		return
	}
	byTable := map[uint32][]*LiveIndex{}
	for _, op := range ops {
		v.applyToMirror(op)
		lis, ok := byTable[op.table]
		if !ok {
			lis = v.cachesOf(op.table)
			byTable[op.table] = lis
		}
		for _, li := range lis {
			if op.row == nil || op.row[li.Column].IsNull() {
				_ = li.Index.Delete([]uint64{op.id})
			} else {
				_ = li.Index.Add([]uint64{op.id}, op.row[li.Column].Vec)
			}
		}
	}
}

// hasVectorColumn reports whether t has a column a vector index can
// cover (vector, halfvec, bit, bit varying).
func hasVectorColumn(t *storage.TableDesc) bool {
	for _, c := range t.Columns {
		switch c.TypeOID {
		case types.VectorOID, types.HalfVecOID, types.OidBit, types.OidVarBit:
			return true
		}
	}
	return false
}

// isFloatVector reports whether t is vector or halfvec, whose values
// (float32 elements; halves are exact floats) vector indexes hold as is.
func isFloatVector(t types.T) bool { return t.Family == types.Vector || t.Family == types.HalfVec }
