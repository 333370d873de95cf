package executor

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
	"github.com/vecgres/vecgres/vindex"
)

// VectorIndexes owns the live vector indexes of one engine: in-memory
// vindex.Index values kept current with committed rows, persisted in
// Pebble so a restart does not rebuild them.
//
// Durability protocol (why a restart never loses or invents a change):
//   - Every row write that touches an indexed vector also writes a dirty
//     marker (the index's key space, keyed by the vector id) in the same
//     storage transaction, so markers exist exactly for committed changes.
//   - Commits that change vectors apply their changes to the live index
//     while holding applyMu, right after the storage commit.
//   - A checkpoint holds applyMu, serialises the index into blob chunks and
//     deletes the dirty markers in one storage transaction: every marker it
//     deletes belongs to a change already inside the image.
//   - On open, the image is loaded and each remaining marker is replayed
//     from the row (re-added if the row exists, deleted otherwise).
//
// Vector ids are the row's integer primary key (or hidden row id), so id
// and row address each other without a mapping table.
type VectorIndexes struct {
	store storage.Engine
	reg   *vindex.Registry

	mu   sync.RWMutex
	live map[uint32]*LiveIndex // by index OID

	applyMu sync.Mutex

	// exact holds the exact-search caches (vector_cache.go).
	exact exactCaches
}

// LiveIndex is one vector index in memory.
type LiveIndex struct {
	OID     uint32
	TableID uint32
	IndexID uint32
	Name    string
	Column  int
	// Key, when not nil, is the key expression of an expression index
	// (evaluated on the table row; Column is then unused).
	Key     Expr
	Method  string
	Opclass string
	Metric  vindex.Metric
	Index   vindex.Index

	// changes counts vector changes applied since the last checkpoint.
	changes int
}

// CheckpointEvery is how many applied changes trigger a checkpoint.
const CheckpointEvery = 20000

// NewVectorIndexes returns an empty manager.
func NewVectorIndexes(store storage.Engine, reg *vindex.Registry) *VectorIndexes {
	return &VectorIndexes{store: store, reg: reg, live: map[uint32]*LiveIndex{}}
}

// Get returns the live index with the given OID, or nil.
func (v *VectorIndexes) Get(oid uint32) *LiveIndex {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.live[oid]
}

// OpclassMetric maps a pgvector operator class to its metric.
func OpclassMetric(opclass string) (vindex.Metric, bool) {
	switch opclass {
	case "vector_l2_ops", "halfvec_l2_ops", "":
		return vindex.L2, true
	case "vector_ip_ops", "halfvec_ip_ops":
		return vindex.InnerProduct, true
	case "vector_cosine_ops", "halfvec_cosine_ops":
		return vindex.Cosine, true
	case "vector_l1_ops", "halfvec_l1_ops":
		return vindex.L1, true
	case "bit_hamming_ops":
		return vindex.Hamming, true
	case "bit_jaccard_ops":
		return vindex.Jaccard, true
	}
	return 0, false
}

// registryName maps an access method to its vindex type name.
func registryName(method string) string {
	if method == "ivfflat" {
		return "ivf_flat"
	}
	return method
}

// IsVectorIndex reports whether ix is a vector index.
func IsVectorIndex(ix *storage.IndexDesc) bool {
	switch ix.Method {
	case "hnsw", "ivfflat", "ivf_pq", "annoy":
		return true
	}
	return false
}

// VectorID returns the vector id of the row with primary key bytes pk, and
// whether the table's key can serve as one (an integer key or hidden row id).
func VectorID(t *Table, pk []byte) (uint64, bool) {
	typ := types.Int8Type
	if !t.HiddenRowID {
		if len(t.Desc.PrimaryKey) != 1 {
			return 0, false
		}
		typ = t.Types[t.Desc.PrimaryKey[0]]
		switch typ.Family {
		case types.Int2, types.Int4, types.Int8:
		default:
			return 0, false
		}
	}
	d, _, err := types.DecodeKey(pk, typ, false)
	if err != nil || d.IsNull() {
		return 0, false
	}
	return uint64(d.I), true
}

// PKForID is the inverse of VectorID.
func PKForID(t *Table, id uint64) []byte {
	typ := types.Int8Type
	if !t.HiddenRowID {
		typ = t.Types[t.Desc.PrimaryKey[0]]
	}
	return types.AppendKey(nil, typ, types.NewInt(int64(id)), false)
}

// CheckIndexable returns an error when t cannot carry a vector index.
func CheckIndexable(t *Table) error {
	if t.HiddenRowID {
		return nil
	}
	if len(t.Desc.PrimaryKey) == 1 {
		switch t.Types[t.Desc.PrimaryKey[0]].Family {
		case types.Int2, types.Int4, types.Int8:
			return nil
		}
	}
	return pgerr.New(pgerr.FeatureNotSupported, "vector indexes need a table whose primary key is one integer column (or no primary key)").
		WithHint("Add an id bigserial PRIMARY KEY column, as pgvector examples do.")
}

func (v *VectorIndexes) newIndex(ix *storage.IndexDesc, dims int, metric vindex.Metric) (vindex.Index, error) {
	params := map[string]string{}
	for _, o := range ix.Options {
		params[o.Name] = o.Value
	}
	idx, err := v.reg.New(registryName(ix.Method), dims, indexMetric(metric), params)
	if err != nil {
		return nil, pgerr.Wrap(err, pgerr.InvalidParameterValue, "creating index "+ix.Name)
	}
	return idx, nil
}

// buildPhases names the phases a build of method reports through
// vindex.Progress: reading the rows, training, and adding the vectors.
// NB: they are the access method's sub-phases as pgvector names them
// (PostgreSQL's view shows them as "building index: <name>"): hnsw
// reports one phase, "loading tuples", for reading and inserting; ivfflat
// reports "performing k-means" while it samples the table and trains, then
// "assigning tuples". ivf_pq follows ivfflat; annoy, which pgvector lacks,
// reads rows as hnsw does and then builds its trees.
func buildPhases(method string) (scan, train, add string) {
	switch method {
	case "ivfflat", "ivf_pq":
		return "performing k-means", "performing k-means", "assigning tuples"
	case "annoy":
		return "loading tuples", "", "building trees"
	default: // hnsw
		return "loading tuples", "", "loading tuples"
	}
}

// Build creates the index ix of table t from the rows visible to ctx.Txn,
// reporting each phase through progress (phase names from buildPhases;
// done and total count rows, total 0 while unknown). key is the bound key
// expression of an expression index (ix.Expr set), nil for a column
// index. The index is not visible to queries until Publish.
func (v *VectorIndexes) Build(ctx *Ctx, t *Table, ix *storage.IndexDesc, key Expr, progress vindex.Progress) (*LiveIndex, error) {
	if err := CheckIndexable(t); err != nil {
		return nil, err
	}
	col, err := keyColumn(ix, key)
	if err != nil {
		return nil, err
	}
	dims := int(KeyType(t, col, key).Typmod)
	metric, ok := OpclassMetric(ix.Opclasses[0])
	if !ok {
		return nil, pgerr.Newf(pgerr.UndefinedObject, "operator class %q does not exist", ix.Opclasses[0])
	}
	idx, err := v.newIndex(ix, dims, metric)
	if err != nil {
		return nil, err
	}
	li := &LiveIndex{OID: ix.OID, TableID: t.Desc.ID, IndexID: ix.ID, Name: ix.Name, Column: col, Key: key, Method: ix.Method,
		Opclass: ix.Opclasses[0], Metric: metric, Index: idx}
	scanPhase, trainPhase, addPhase := buildPhases(ix.Method)
	// Phase 1: read the vectors.
	if progress != nil {
		progress(scanPhase, 0, 0)
	}
	scan := &TableScan{Table: t, WithKey: true}
	if err := scan.Open(ctx); err != nil {
		return nil, err
	}
	var ids []uint64
	var vecs []float32
	kctx := keyCtx()
	for {
		row, err := scan.Next(ctx)
		if err != nil {
			scan.Close()
			return nil, err
		}
		if row == nil {
			break
		}
		vec, err := li.value(kctx, row)
		if err != nil {
			scan.Close()
			return nil, err
		}
		if vec.IsNull() {
			continue // NULL vectors are not indexed, as in pgvector
		}
		id, _ := VectorID(t, t.PKFromRowKey([]byte(row[len(row)-1].S)))
		ids = append(ids, id)
		vecs = append(vecs, indexVector(vec)...)
		if progress != nil && len(ids)%10000 == 0 {
			progress(scanPhase, len(ids), 0)
		}
	}
	scan.Close()
	// Phase 2: train (IVF k-means) on the rows.
	if len(ids) > 0 {
		if progress != nil && trainPhase != "" {
			progress(trainPhase, len(ids), len(ids))
		}
		if err := idx.Train(vecs); err != nil {
			return nil, pgerr.Wrap(err, pgerr.InternalError, "training index "+ix.Name)
		}
	}
	// Phase 3: insert in batches so progress moves.
	if progress != nil {
		progress(addPhase, 0, len(ids))
	}
	batch := 4096
	if ix.Method == "annoy" {
		// NB: annoy rebuilds its whole forest whenever its buffer of new
		// vectors reaches a tenth of the forest; fed 4,096 at a time it
		// would rebuild after every batch up to ~41k vectors (about ten
		// forests for a 50k table). One Add builds one forest.
		batch = max(len(ids), 1)
	}
	for i := 0; i < len(ids); i += batch {
		if err := ctx.checkCancelNow(); err != nil {
			return nil, err
		}
		j := min(i+batch, len(ids))
		if err := idx.Add(ids[i:j], vecs[i*dims:j*dims]); err != nil {
			return nil, pgerr.Wrap(err, pgerr.InternalError, "building index "+ix.Name)
		}
		if progress != nil {
			progress(addPhase, j, len(ids))
		}
	}
	return li, nil
}

// Publish makes a built (or loaded) index visible to queries.
func (v *VectorIndexes) Publish(li *LiveIndex) {
	v.mu.Lock()
	v.live[li.OID] = li
	v.mu.Unlock()
}

// Drop forgets an index (after DROP INDEX or DROP TABLE committed).
func (v *VectorIndexes) Drop(oid uint32) {
	v.mu.Lock()
	delete(v.live, oid)
	v.mu.Unlock()
}

// Checkpoint persists li's current state and clears its dirty markers.
func (v *VectorIndexes) Checkpoint(li *LiveIndex) error {
	v.applyMu.Lock()
	defer v.applyMu.Unlock()
	return v.checkpointLocked(li)
}

func (v *VectorIndexes) checkpointLocked(li *LiveIndex) error {
	var buf bytes.Buffer
	if err := li.Index.Save(&buf); err != nil {
		return pgerr.Wrap(err, pgerr.IOError, "saving index "+li.Name)
	}
	txn, err := v.store.Begin()
	if err != nil {
		return err
	}
	defer txn.Rollback()
	if err := storage.WriteVectorImage(txn, li.TableID, li.IndexID, buf.Bytes()); err != nil {
		return err
	}
	p := storage.IndexPrefix(li.TableID, li.IndexID)
	if err := txn.DeleteRange(p, storage.PrefixEnd(p)); err != nil {
		return err
	}
	if err := txn.Commit(); err != nil {
		return err
	}
	li.changes = 0
	return nil
}

// dirtyKey is the marker of a changed vector id in the index's key space.
func dirtyKey(tableID, indexID uint32, id uint64) []byte {
	return storage.IndexKey(nil, tableID, indexID, binary.BigEndian.AppendUint64(nil, id))
}

// OpenReport says how Open brought an index back.
type OpenReport struct {
	// Rebuilt is set when no image was saved and the index was built
	// from the rows; otherwise the image was loaded.
	Rebuilt bool
	// Replayed counts the dirty markers (changes committed after the
	// image was saved) replayed from the rows onto the loaded image.
	Replayed int
}

// Open loads index ix of table t at start-up: its image if one was
// saved, then every dirty marker replayed from the rows; without an image
// it is rebuilt from the rows. The loaded index is published. The report
// tells which happened (the server logs it). key is as for Build.
func (v *VectorIndexes) Open(t *Table, ix *storage.IndexDesc, key Expr) (OpenReport, error) {
	var rep OpenReport
	txn, err := v.store.Begin()
	if err != nil {
		return rep, err
	}
	defer txn.Rollback()
	img, err := storage.ReadVectorImage(txn, t.Desc.ID, ix.ID)
	if err != nil && err != storage.ErrNotFound {
		return rep, pgerr.Wrap(err, pgerr.DataCorrupted, "reading index "+ix.Name)
	}
	if err == storage.ErrNotFound {
		rep.Rebuilt = true
		li, err := v.Build(&Ctx{Txn: txn, Store: v.store}, t, ix, key, nil)
		if err != nil {
			return rep, err
		}
		v.Publish(li)
		return rep, v.Checkpoint(li)
	}
	idx, err := v.reg.Load(registryName(ix.Method), bytes.NewReader(img))
	if err != nil {
		return rep, pgerr.Wrap(err, pgerr.DataCorrupted, "loading index "+ix.Name)
	}
	metric, _ := OpclassMetric(ix.Opclasses[0])
	col, err := keyColumn(ix, key)
	if err != nil {
		return rep, err
	}
	li := &LiveIndex{OID: ix.OID, TableID: t.Desc.ID, IndexID: ix.ID, Name: ix.Name, Column: col, Key: key, Method: ix.Method,
		Opclass: ix.Opclasses[0], Metric: metric, Index: idx}
	p := storage.IndexPrefix(t.Desc.ID, ix.ID)
	it, err := txn.NewIter(p, storage.PrefixEnd(p))
	if err != nil {
		return rep, err
	}
	var replay []uint64
	for it.Next() {
		k := it.Key()
		replay = append(replay, binary.BigEndian.Uint64(k[len(k)-8:]))
	}
	if err := it.Err(); err != nil {
		it.Close()
		return rep, err
	}
	it.Close()
	row := make([]types.Datum, len(t.Types))
	kctx := keyCtx()
	for _, id := range replay {
		val, err := txn.Get(t.RowKey(nil, PKForID(t, id)))
		if err == storage.ErrNotFound {
			if err := idx.Delete([]uint64{id}); err != nil {
				return rep, err
			}
			continue
		}
		if err != nil {
			return rep, err
		}
		if err := t.DecodeValue(val, row); err != nil {
			return rep, err
		}
		kv, err := li.value(kctx, row)
		if err != nil {
			return rep, err
		}
		if kv.IsNull() {
			if err := idx.Delete([]uint64{id}); err != nil {
				return rep, err
			}
			continue
		}
		if err := idx.Add([]uint64{id}, indexVector(kv)); err != nil {
			return rep, err
		}
	}
	rep.Replayed = len(replay)
	v.Publish(li)
	if len(replay) > 0 {
		return rep, v.Checkpoint(li)
	}
	return rep, nil
}

// CheckpointAll persists every live index with unsaved changes (clean
// shutdown).
func (v *VectorIndexes) CheckpointAll() error {
	v.mu.RLock()
	var all []*LiveIndex
	for _, li := range v.live {
		all = append(all, li)
	}
	v.mu.RUnlock()
	for _, li := range all {
		if li.changes > 0 {
			if err := v.Checkpoint(li); err != nil {
				return fmt.Errorf("checkpoint of %s: %w", li.Name, err)
			}
		}
	}
	return nil
}
