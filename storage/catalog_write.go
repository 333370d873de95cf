package storage

import (
	"errors"
	"fmt"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// The catalog write functions change descriptors inside a caller's
// transaction. Each bumps the catalog version (so concurrent DDL conflicts
// at commit, see bumpCatalogVersion) and validates what it writes; errors
// about names carry PostgreSQL's SQLSTATEs (42P04, 42P07, 42P01, 3D000,
// 42701, 42P16) so the SQL layer can pass them through.

// CreateDatabase creates the database name with a fresh ID and returns its
// descriptor. It fails with 42P04 if the name is taken.
func CreateDatabase(txn Txn, name string) (*DatabaseDesc, error) {
	if name == "" {
		return nil, pgerr.New(pgerr.InvalidCatalogName, "database name must not be empty")
	}
	c, err := LoadCatalog(txn)
	if err != nil {
		return nil, err
	}
	if c.Database(name) != nil {
		return nil, pgerr.Newf(pgerr.DuplicateDatabase, "database %q already exists", name)
	}
	id, err := allocateID(txn)
	if err != nil {
		return nil, err
	}
	db := &DatabaseDesc{ID: id, Name: name}
	if err := putDesc(txn, DatabaseDescKey(id), db); err != nil {
		return nil, err
	}
	return db, bumpCatalogVersion(txn)
}

// PutDatabase overwrites an existing database's descriptor (installed
// extensions, a new name). It fails with 3D000 if db.ID does not exist and
// 42P04 if a rename collides.
func PutDatabase(txn Txn, db *DatabaseDesc) error {
	c, err := LoadCatalog(txn)
	if err != nil {
		return err
	}
	if c.DatabaseByID(db.ID) == nil {
		return pgerr.Newf(pgerr.InvalidCatalogName, "database %q (id %d) does not exist", db.Name, db.ID)
	}
	if other := c.Database(db.Name); db.Name == "" || (other != nil && other.ID != db.ID) {
		return pgerr.Newf(pgerr.DuplicateDatabase, "database %q already exists", db.Name)
	}
	if err := putDesc(txn, DatabaseDescKey(db.ID), db); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// DropDatabase removes a database and every table in it (with their rows,
// index entries, vector index images, statistics and sequences). It fails
// with 3D000 if the database does not exist.
func DropDatabase(txn Txn, db *DatabaseDesc) error {
	c, err := LoadCatalog(txn)
	if err != nil {
		return err
	}
	if c.DatabaseByID(db.ID) == nil {
		return pgerr.Newf(pgerr.InvalidCatalogName, "database %q does not exist", db.Name)
	}
	for _, t := range c.Tables(db.ID) {
		if err := dropTableData(txn, t); err != nil {
			return err
		}
	}
	if err := dropSequencesWhere(txn, func(s *SequenceDesc) bool { return s.DBID == db.ID }); err != nil {
		return err
	}
	if err := txn.Delete(DatabaseDescKey(db.ID)); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// CreateTable validates desc, assigns desc.ID, desc.NextIndexID and the ID
// and OID of every index in place, and stores it. An empty Schema becomes
// "public". It fails with 3D000 for an unknown database, 42P07 when the name
// of the table or of one of its indexes is taken in the schema, 42701 for a
// duplicate column and 42P16 for a malformed definition.
func CreateTable(txn Txn, desc *TableDesc) error {
	c, err := LoadCatalog(txn)
	if err != nil {
		return err
	}
	if c.DatabaseByID(desc.DBID) == nil {
		return pgerr.Newf(pgerr.InvalidCatalogName, "database with id %d does not exist", desc.DBID)
	}
	if desc.Schema == "" {
		desc.Schema = "public"
	}
	desc.ID, desc.NextIndexID = 0, 1
	for i := range desc.Indexes {
		desc.Indexes[i].ID, desc.Indexes[i].OID = 0, 0
	}
	if err := validateTable(c, desc, nil); err != nil {
		return err
	}
	if desc.ID, err = allocateID(txn); err != nil {
		return err
	}
	if err := assignIndexIDs(txn, desc); err != nil {
		return err
	}
	if err := assignConstraintOIDs(txn, desc); err != nil {
		return err
	}
	if err := putDesc(txn, TableDescKey(desc.ID), desc); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// PutTable stores a changed table descriptor (ALTER TABLE, CREATE INDEX,
// DROP INDEX). Indexes with ID 0 are new: PutTable assigns their ID and OID
// in place. The entries and vector images of indexes that disappeared are
// deleted. It fails with 42P01 if the table does not exist and like
// CreateTable for an invalid definition.
func PutTable(txn Txn, desc *TableDesc) error {
	c, err := LoadCatalog(txn)
	if err != nil {
		return err
	}
	old := c.Table(desc.ID)
	if old == nil {
		return pgerr.Newf(pgerr.UndefinedTable, "relation %q (id %d) does not exist", desc.Name, desc.ID)
	}
	if desc.DBID != old.DBID {
		return pgerr.Newf(pgerr.FeatureNotSupported, "cannot move table %q to another database", desc.Name)
	}
	if desc.Schema == "" {
		desc.Schema = "public"
	}
	if desc.NextIndexID < old.NextIndexID {
		desc.NextIndexID = old.NextIndexID
	}
	if err := validateTable(c, desc, old); err != nil {
		return err
	}
	if err := assignIndexIDs(txn, desc); err != nil {
		return err
	}
	if err := assignConstraintOIDs(txn, desc); err != nil {
		return err
	}
	kept := map[uint32]bool{}
	for _, ix := range desc.Indexes {
		kept[ix.ID] = true
	}
	for _, ix := range old.Indexes {
		if !kept[ix.ID] {
			if err := deletePrefix(txn, IndexPrefix(old.ID, ix.ID)); err != nil {
				return err
			}
			if err := deletePrefix(txn, VectorBlobPrefix(old.ID, ix.ID)); err != nil {
				return err
			}
		}
	}
	if err := putDesc(txn, TableDescKey(desc.ID), desc); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// DropTable removes the table desc.ID: its descriptor, rows, index entries,
// vector index images, statistics, row-id sequence and the sequences of its
// serial columns. It fails with 42P01 if the table does not exist.
func DropTable(txn Txn, desc *TableDesc) error {
	var stored TableDesc
	if err := getDesc(txn, TableDescKey(desc.ID), &stored); err != nil {
		if errors.Is(err, ErrNotFound) {
			return pgerr.Newf(pgerr.UndefinedTable, "table %q does not exist", desc.Name)
		}
		return err
	}
	if err := dropTableData(txn, &stored); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// dropTableData deletes everything stored for table t, descriptor included.
func dropTableData(txn Txn, t *TableDesc) error {
	prefixes := [][]byte{
		TableRowPrefix(t.ID),
		tableScopedPrefix(prefixIndex, t.ID),
		tableScopedPrefix(prefixVectorBlob, t.ID),
	}
	for _, p := range prefixes {
		if err := deletePrefix(txn, p); err != nil {
			return fmt.Errorf("storage: drop table %q: %w", t.Name, err)
		}
	}
	keys := [][]byte{TableDescKey(t.ID), TableStatsKey(t.ID), RowIDSequenceKey(t.ID)}
	for _, col := range t.Columns {
		if col.Serial != "" {
			keys = append(keys, SequenceKey(col.Serial))
		}
	}
	for _, k := range keys {
		if err := txn.Delete(k); err != nil {
			return fmt.Errorf("storage: drop table %q: %w", t.Name, err)
		}
	}
	return dropSequencesWhere(txn, func(s *SequenceDesc) bool { return s.OwnerTable == t.ID })
}

// validateTable checks d against the catalog c; old is d's stored version
// (nil for a new table), whose own names do not count as taken.
func validateTable(c *Catalog, d *TableDesc, old *TableDesc) error {
	if d.Name == "" {
		return pgerr.New(pgerr.InvalidTableDefinition, "table name must not be empty")
	}
	taken := func(name string) bool {
		rn := relName{d.DBID, d.Schema, name}
		if t := c.tableByName[rn]; t != nil && (old == nil || t.ID != old.ID) {
			return true
		}
		if r, ok := c.indexByName[rn]; ok && (old == nil || r.table.ID != old.ID) {
			return true
		}
		return c.seqByName[rn] != nil
	}
	if taken(d.Name) {
		return pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", d.Name)
	}
	cols := map[string]bool{}
	for _, col := range d.Columns {
		if col.Name == "" {
			return pgerr.Newf(pgerr.InvalidTableDefinition, "table %q has a column without a name", d.Name)
		}
		if cols[col.Name] {
			return pgerr.Newf(pgerr.DuplicateColumn, "column %q specified more than once", col.Name)
		}
		cols[col.Name] = true
	}
	if err := checkOrdinals(d, "primary key", d.PrimaryKey); err != nil {
		return err
	}
	if err := validateConstraints(d); err != nil {
		return err
	}
	names := map[string]bool{d.Name: true}
	ids := map[uint32]bool{}
	for _, ix := range d.Indexes {
		if ix.Name == "" {
			return pgerr.Newf(pgerr.InvalidTableDefinition, "an index of table %q has no name", d.Name)
		}
		if names[ix.Name] || taken(ix.Name) {
			return pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", ix.Name)
		}
		names[ix.Name] = true
		if err := checkOrdinals(d, "index "+ix.Name, ix.Columns); err != nil {
			return err
		}
		if ix.ID != 0 {
			if ids[ix.ID] || ix.ID >= d.NextIndexID {
				return pgerr.Newf(pgerr.InvalidTableDefinition,
					"index %q of table %q has an invalid ID %d (next free %d)", ix.Name, d.Name, ix.ID, d.NextIndexID)
			}
			ids[ix.ID] = true
		}
	}
	return nil
}

func checkOrdinals(d *TableDesc, what string, ords []int) error {
	seen := map[int]bool{}
	for _, o := range ords {
		if o < 0 || o >= len(d.Columns) || seen[o] {
			return pgerr.Newf(pgerr.InvalidTableDefinition,
				"%s of table %q names column ordinal %d, which is invalid or repeated", what, d.Name, o)
		}
		seen[o] = true
	}
	return nil
}

// assignIndexIDs gives every index with ID 0 the next index ID of the table
// and a fresh OID.
func assignIndexIDs(txn Txn, d *TableDesc) error {
	if d.NextIndexID == 0 {
		d.NextIndexID = 1
	}
	for i := range d.Indexes {
		ix := &d.Indexes[i]
		if ix.ID != 0 {
			continue
		}
		oid, err := allocateID(txn)
		if err != nil {
			return err
		}
		ix.ID, ix.OID = d.NextIndexID, oid
		d.NextIndexID++
	}
	return nil
}

// bootstrapDatabases are the databases Bootstrap creates in a new store.
// NB: template1 costs one descriptor and keeps tools that connect to it
// (createdb, some GUI clients) working.
var bootstrapDatabases = []string{"postgres", "template1"}

// Bootstrap prepares a new store: it creates the databases "postgres" and
// "template1". On a store that already has a catalog it does nothing, so it
// is called on every start.
func Bootstrap(e Engine) error {
	txn, err := e.Begin()
	if err != nil {
		return err
	}
	defer txn.Rollback()
	v, err := CatalogVersion(txn)
	if err != nil {
		return err
	}
	if v != 0 {
		return nil
	}
	for _, name := range bootstrapDatabases {
		if _, err := CreateDatabase(txn, name); err != nil {
			return fmt.Errorf("storage: bootstrap: %w", err)
		}
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("storage: bootstrap: %w", err)
	}
	return nil
}
