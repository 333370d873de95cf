package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// Catalog is an immutable snapshot of the schema: every database and table
// descriptor as of one transaction's view, indexed for lookups.
//
// A Catalog is safe for concurrent use. The descriptors it returns are
// shared and must not be modified: to change one, copy it (TableDesc.Clone)
// and write the copy with PutTable.
type Catalog struct {
	// Version is the catalog version counter as of this snapshot. Every
	// catalog write bumps it, so a cached Catalog is current as long as
	// CatalogVersion returns the same number.
	Version uint64

	dbByID      map[uint32]*DatabaseDesc
	dbByName    map[string]*DatabaseDesc
	tableByID   map[uint32]*TableDesc
	tableByName map[relName]*TableDesc
	indexByOID  map[uint32]indexRef
	indexByName map[relName]indexRef
	tablesOfDB  map[uint32][]*TableDesc  // sorted by schema, name
	seqByID     map[uint32]*SequenceDesc // catalog_sequence.go
	seqByName   map[relName]*SequenceDesc
}

// relName is a relation's qualified name: tables and indexes share the
// namespace of a schema, as in pg_class.
type relName struct {
	dbID         uint32
	schema, name string
}

type indexRef struct {
	table *TableDesc
	index *IndexDesc
}

// LoadCatalog reads every descriptor visible to r. It returns an error
// wrapping the key when a descriptor does not decode.
func LoadCatalog(r Reader) (*Catalog, error) {
	c := &Catalog{
		dbByID:      map[uint32]*DatabaseDesc{},
		dbByName:    map[string]*DatabaseDesc{},
		tableByID:   map[uint32]*TableDesc{},
		tableByName: map[relName]*TableDesc{},
		indexByOID:  map[uint32]indexRef{},
		indexByName: map[relName]indexRef{},
		tablesOfDB:  map[uint32][]*TableDesc{},
		seqByID:     map[uint32]*SequenceDesc{},
		seqByName:   map[relName]*SequenceDesc{},
	}
	prefix := CatalogPrefix()
	it, err := r.NewIter(prefix, PrefixEnd(prefix))
	if err != nil {
		return nil, fmt.Errorf("storage: load catalog: %w", err)
	}
	defer it.Close()
	for it.Next() {
		if err := c.add(it.Key(), it.Value()); err != nil {
			return nil, fmt.Errorf("storage: load catalog: key %x: %w", it.Key(), err)
		}
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("storage: load catalog: %w", err)
	}
	for id, ts := range c.tablesOfDB {
		sort.Slice(ts, func(i, j int) bool {
			if ts[i].Schema != ts[j].Schema {
				return ts[i].Schema < ts[j].Schema
			}
			return ts[i].Name < ts[j].Name
		})
		c.tablesOfDB[id] = ts
	}
	return c, nil
}

// add indexes one catalog key/value pair.
func (c *Catalog) add(key, value []byte) error {
	if len(key) < 2 {
		return errKeyDecode
	}
	switch key[1] {
	case tagCatalogVersion:
		v, err := decodeUint64(value)
		c.Version = v
		return err
	case tagIDAllocator:
		return nil
	case tagDatabaseDesc:
		db := &DatabaseDesc{}
		if err := json.Unmarshal(value, db); err != nil {
			return err
		}
		c.dbByID[db.ID] = db
		c.dbByName[db.Name] = db
	case tagTableDesc:
		t := &TableDesc{}
		if err := json.Unmarshal(value, t); err != nil {
			return err
		}
		c.tableByID[t.ID] = t
		c.tableByName[relName{t.DBID, t.Schema, t.Name}] = t
		c.tablesOfDB[t.DBID] = append(c.tablesOfDB[t.DBID], t)
		for i := range t.Indexes {
			ref := indexRef{t, &t.Indexes[i]}
			c.indexByOID[t.Indexes[i].OID] = ref
			c.indexByName[relName{t.DBID, t.Schema, t.Indexes[i].Name}] = ref
		}
	case tagSequenceDesc:
		return c.addSequence(value)
	default:
		return fmt.Errorf("%w: unknown catalog tag %#x", errKeyDecode, key[1])
	}
	return nil
}

// Database returns the database called name, or nil.
func (c *Catalog) Database(name string) *DatabaseDesc { return c.dbByName[name] }

// DatabaseByID returns the database with the given ID, or nil.
func (c *Catalog) DatabaseByID(id uint32) *DatabaseDesc { return c.dbByID[id] }

// Databases returns every database, ordered by name. The slice is new.
func (c *Catalog) Databases() []*DatabaseDesc {
	out := make([]*DatabaseDesc, 0, len(c.dbByID))
	for _, db := range c.dbByID {
		out = append(out, db)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Table returns the table with the given ID (its OID), or nil.
func (c *Catalog) Table(id uint32) *TableDesc { return c.tableByID[id] }

// TableByName returns the table schema.name of database dbID, or nil.
func (c *Catalog) TableByName(dbID uint32, schema, name string) *TableDesc {
	return c.tableByName[relName{dbID, schema, name}]
}

// Tables returns the tables of database dbID ordered by schema and name.
// The slice is shared: do not modify it.
func (c *Catalog) Tables(dbID uint32) []*TableDesc { return c.tablesOfDB[dbID] }

// IndexByOID returns the index with the given OID and its table, or nils.
func (c *Catalog) IndexByOID(oid uint32) (*TableDesc, *IndexDesc) {
	r := c.indexByOID[oid]
	return r.table, r.index
}

// IndexByName returns the index schema.name of database dbID and its table,
// or nils.
func (c *Catalog) IndexByName(dbID uint32, schema, name string) (*TableDesc, *IndexDesc) {
	r := c.indexByName[relName{dbID, schema, name}]
	return r.table, r.index
}

// CatalogVersion returns the catalog version visible to r (0 before
// Bootstrap): one point read, for checking whether a cached Catalog is
// still current.
func CatalogVersion(r Reader) (uint64, error) {
	v, err := r.Get(CatalogVersionKey())
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("storage: catalog version: %w", err)
	}
	return decodeUint64(v)
}

// Clone returns a deep copy of d, safe to modify.
func (d *TableDesc) Clone() *TableDesc {
	c := *d
	c.Columns = append([]ColumnDesc(nil), d.Columns...)
	c.PrimaryKey = append([]int(nil), d.PrimaryKey...)
	c.Indexes = make([]IndexDesc, len(d.Indexes))
	for i, ix := range d.Indexes {
		ix.Columns = append([]int(nil), ix.Columns...)
		ix.Opclasses = append([]string(nil), ix.Opclasses...)
		ix.Options = append([]IndexOption(nil), ix.Options...)
		c.Indexes[i] = ix
	}
	cloneConstraints(&c)
	return &c
}

// bumpCatalogVersion increments the catalog version inside txn.
// NB: every catalog write goes through it, so two concurrent transactions
// that both change the catalog always conflict on this key (first committer
// wins): DDL is serialised, and checks made against a transaction's own
// catalog snapshot (name uniqueness) stay valid at commit.
func bumpCatalogVersion(txn Txn) error {
	v, err := CatalogVersion(txn)
	if err != nil {
		return err
	}
	return txn.Put(CatalogVersionKey(), encodeUint64(v+1))
}

// allocateID returns the next ID from the catalog allocator, inside txn.
// NB: transactional, so a rolled-back DDL statement gives its IDs back; that
// is safe because nothing outside the transaction can have recorded them.
func allocateID(txn Txn) (uint32, error) {
	last := FirstID - 1
	v, err := txn.Get(IDAllocatorKey())
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return 0, fmt.Errorf("storage: ID allocator: %w", err)
	default:
		if last, err = decodeUint32(v); err != nil {
			return 0, fmt.Errorf("storage: ID allocator: %w", err)
		}
	}
	if last == ^uint32(0) {
		return 0, errors.New("storage: ID allocator exhausted")
	}
	return last + 1, txn.Put(IDAllocatorKey(), binary.BigEndian.AppendUint32(nil, last+1))
}

func putDesc(txn Txn, key []byte, desc any) error {
	v, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("storage: encode descriptor: %w", err)
	}
	return txn.Put(key, v)
}

func getDesc(txn Txn, key []byte, desc any) error {
	v, err := txn.Get(key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(v, desc); err != nil {
		return fmt.Errorf("storage: descriptor %x: %w", key, err)
	}
	return nil
}

func deletePrefix(txn Txn, prefix []byte) error {
	return txn.DeleteRange(prefix, PrefixEnd(prefix))
}
