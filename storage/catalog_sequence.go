package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// SequenceDesc describes a sequence (CREATE SEQUENCE, or the sequence of a
// serial or identity column). ID is its OID as clients see it in pg_class;
// its state lives under SequenceValueKey(ID). Field meanings follow
// pg_sequence.
type SequenceDesc struct {
	ID     uint32 `json:"id"`
	DBID   uint32 `json:"db_id"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// TypeOID is the sequence's data type: int2 (21), int4 (23) or int8 (20).
	TypeOID   uint32 `json:"type_oid"`
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle,omitempty"`
	// OwnerTable and OwnerColumn name the column the sequence is OWNED BY
	// (0 and "" when none): dropping the table or column drops it.
	OwnerTable  uint32 `json:"owner_table,omitempty"`
	OwnerColumn string `json:"owner_column,omitempty"`
	// Identity marks the sequence of an identity column.
	Identity bool `json:"identity,omitempty"`
}

// Options returns the options NextSequenceValue steps d by.
func (d *SequenceDesc) Options() SequenceOptions {
	return SequenceOptions{Start: d.Start, Increment: d.Increment, Min: d.Min, Max: d.Max, Cycle: d.Cycle}
}

// Sequence returns the sequence with the given OID, or nil.
func (c *Catalog) Sequence(oid uint32) *SequenceDesc { return c.seqByID[oid] }

// SequenceByName returns the sequence schema.name of database dbID, or nil.
func (c *Catalog) SequenceByName(dbID uint32, schema, name string) *SequenceDesc {
	return c.seqByName[relName{dbID, schema, name}]
}

// Sequences returns the sequences of database dbID ordered by OID. The
// slice is new; the descriptors are shared.
func (c *Catalog) Sequences(dbID uint32) []*SequenceDesc {
	var out []*SequenceDesc
	for _, s := range c.seqByID {
		if s.DBID == dbID {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// OwnedSequence returns the sequence owned by column col of table tableID
// (the serial or identity sequence), or nil.
func (c *Catalog) OwnedSequence(tableID uint32, col string) *SequenceDesc {
	for _, s := range c.seqByID {
		if s.OwnerTable == tableID && s.OwnerColumn == col {
			return s
		}
	}
	return nil
}

// addSequence indexes a sequence descriptor read from the catalog.
func (c *Catalog) addSequence(value []byte) error {
	s := &SequenceDesc{}
	if err := json.Unmarshal(value, s); err != nil {
		return err
	}
	if c.seqByID == nil {
		c.seqByID, c.seqByName = map[uint32]*SequenceDesc{}, map[relName]*SequenceDesc{}
	}
	c.seqByID[s.ID] = s
	c.seqByName[relName{s.DBID, s.Schema, s.Name}] = s
	return nil
}

// relationTaken reports whether name is used by a table, index or sequence
// of schema in database dbID (they share pg_class's namespace).
func (c *Catalog) relationTaken(dbID uint32, schema, name string) bool {
	rn := relName{dbID, schema, name}
	_, isIndex := c.indexByName[rn]
	return c.tableByName[rn] != nil || isIndex || c.seqByName[rn] != nil
}

// CreateSequence validates desc, assigns desc.ID and stores it; the
// sequence starts unused (its first nextval returns Start). It fails with
// 3D000 for an unknown database, 42P07 when the name is taken and 22023
// for inconsistent options.
func CreateSequence(txn Txn, desc *SequenceDesc) error {
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
	if desc.Name == "" {
		return pgerr.New(pgerr.InvalidTableDefinition, "sequence name must not be empty")
	}
	if c.relationTaken(desc.DBID, desc.Schema, desc.Name) {
		return pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", desc.Name)
	}
	if err := ValidateSequence(desc); err != nil {
		return err
	}
	if desc.ID, err = allocateID(txn); err != nil {
		return err
	}
	if err := putDesc(txn, SequenceDescKey(desc.ID), desc); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// PutSequence stores a changed sequence descriptor (ALTER SEQUENCE, OWNED
// BY, a renamed owner column). It fails with 42P01 if the sequence does not
// exist, 42P07 if a new name is taken.
func PutSequence(txn Txn, desc *SequenceDesc) error {
	c, err := LoadCatalog(txn)
	if err != nil {
		return err
	}
	old := c.Sequence(desc.ID)
	if old == nil {
		return pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", desc.Name)
	}
	if desc.Name != old.Name && c.relationTaken(desc.DBID, desc.Schema, desc.Name) {
		return pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", desc.Name)
	}
	if err := ValidateSequence(desc); err != nil {
		return err
	}
	if err := putDesc(txn, SequenceDescKey(desc.ID), desc); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

// DropSequence removes a sequence's descriptor and state. It fails with
// 42P01 if it does not exist.
func DropSequence(txn Txn, desc *SequenceDesc) error {
	if _, err := txn.Get(SequenceDescKey(desc.ID)); err != nil {
		if errors.Is(err, ErrNotFound) {
			return pgerr.Newf(pgerr.UndefinedTable, "sequence %q does not exist", desc.Name)
		}
		return err
	}
	if err := dropSequenceData(txn, desc.ID); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

func dropSequenceData(txn Txn, oid uint32) error {
	if err := txn.Delete(SequenceDescKey(oid)); err != nil {
		return fmt.Errorf("storage: drop sequence %d: %w", oid, err)
	}
	if err := txn.Delete(SequenceValueKey(oid)); err != nil {
		return fmt.Errorf("storage: drop sequence %d: %w", oid, err)
	}
	return nil
}

// dropSequencesWhere drops every sequence for which match is true (those
// owned by a dropped table, or of a dropped database).
func dropSequencesWhere(txn Txn, match func(*SequenceDesc) bool) error {
	prefix := SequenceDescPrefix()
	it, err := txn.NewIter(prefix, PrefixEnd(prefix))
	if err != nil {
		return err
	}
	var drop []uint32
	for it.Next() {
		var s SequenceDesc
		if err := json.Unmarshal(it.Value(), &s); err != nil {
			it.Close()
			return fmt.Errorf("storage: sequence descriptor %x: %w", it.Key(), err)
		}
		if match(&s) {
			drop = append(drop, s.ID)
		}
	}
	err = it.Err()
	it.Close()
	if err != nil {
		return err
	}
	for _, oid := range drop {
		if err := dropSequenceData(txn, oid); err != nil {
			return err
		}
	}
	return nil
}

// DropOwnedSequences drops the sequences owned by column col of table
// tableID (ALTER TABLE DROP COLUMN, DROP IDENTITY); col "" means every
// column. It bumps the catalog version when it dropped one.
func DropOwnedSequences(txn Txn, tableID uint32, col string) error {
	n := 0
	err := dropSequencesWhere(txn, func(s *SequenceDesc) bool {
		if s.OwnerTable == tableID && (col == "" || s.OwnerColumn == col) {
			n++
			return true
		}
		return false
	})
	if err != nil || n == 0 {
		return err
	}
	return bumpCatalogVersion(txn)
}

// ValidateSequence checks options as PostgreSQL's init_params does, with
// its errors (22023); the caller has filled in defaults. CREATE and ALTER
// SEQUENCE call it before other checks so the first error is PostgreSQL's.
func ValidateSequence(d *SequenceDesc) error {
	typeName := map[uint32]string{21: "smallint", 23: "integer", 20: "bigint"}[d.TypeOID]
	if typeName == "" {
		return pgerr.New(pgerr.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
	}
	bits := map[uint32]int{21: 16, 23: 32, 20: 64}[d.TypeOID]
	lo, _ := SequenceBounds(bits, false)
	_, hi := SequenceBounds(bits, true)
	switch {
	case d.Increment == 0:
		return pgerr.New(pgerr.InvalidParameterValue, "INCREMENT must not be zero")
	case d.Max < lo || d.Max > hi:
		return pgerr.Newf(pgerr.InvalidParameterValue, "MAXVALUE (%d) is out of range for sequence data type %s", d.Max, typeName)
	case d.Min < lo || d.Min > hi:
		return pgerr.Newf(pgerr.InvalidParameterValue, "MINVALUE (%d) is out of range for sequence data type %s", d.Min, typeName)
	case d.Min >= d.Max:
		return pgerr.Newf(pgerr.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", d.Min, d.Max)
	case d.Start < d.Min:
		return pgerr.Newf(pgerr.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", d.Start, d.Min)
	case d.Start > d.Max:
		return pgerr.Newf(pgerr.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", d.Start, d.Max)
	case d.Cache <= 0:
		return pgerr.Newf(pgerr.InvalidParameterValue, "CACHE (%d) must be greater than zero", d.Cache)
	}
	return nil
}

// MigrateSerialSequences moves the serial columns of stores written before
// catalog sequences existed onto them: each column with a legacy Serial
// counter gets an owned SequenceDesc named as before, whose state is the
// legacy counter's value; the legacy key is deleted and Serial cleared. It
// does nothing when no table has a legacy serial column, so it is called on
// every start (after Bootstrap).
func MigrateSerialSequences(e Engine) error {
	txn, err := e.Begin()
	if err != nil {
		return err
	}
	defer txn.Rollback()
	c, err := LoadCatalog(txn)
	if err != nil {
		return err
	}
	changed := false
	for _, db := range c.Databases() {
		for _, t := range c.Tables(db.ID) {
			if err := migrateTableSerials(txn, c, t, &changed); err != nil {
				return fmt.Errorf("storage: migrate serial sequences of %q: %w", t.Name, err)
			}
		}
	}
	if !changed {
		return nil
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("storage: migrate serial sequences: %w", err)
	}
	return nil
}

func migrateTableSerials(txn Txn, c *Catalog, t *TableDesc, changed *bool) error {
	var nt *TableDesc
	for i, col := range t.Columns {
		if col.Serial == "" {
			continue
		}
		if nt == nil {
			nt = t.Clone()
		}
		name := col.Serial[strings.LastIndexByte(col.Serial, '.')+1:]
		bits := map[uint32]int{21: 16, 23: 32}[col.TypeOID]
		if bits == 0 {
			bits = 64
		}
		typ := map[int]uint32{16: 21, 32: 23, 64: 20}[bits]
		_, hi := SequenceBounds(bits, true)
		sd := &SequenceDesc{DBID: t.DBID, Schema: t.Schema, Name: name, TypeOID: typ, Start: 1, Increment: 1, Min: 1, Max: hi,
			Cache: 1, OwnerTable: t.ID, OwnerColumn: col.Name}
		for c.relationTaken(sd.DBID, sd.Schema, sd.Name) {
			sd.Name += "_"
		}
		var err error
		if sd.ID, err = allocateID(txn); err != nil {
			return err
		}
		if err := putDesc(txn, SequenceDescKey(sd.ID), sd); err != nil {
			return err
		}
		c.addSequence(mustJSON(sd))
		v, err := txn.Get(SequenceKey(col.Serial))
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			last, err := DecodeSequenceValue(v)
			if err != nil {
				return err
			}
			if err := txn.Put(SequenceValueKey(sd.ID), EncodeSequenceState(last, true)); err != nil {
				return err
			}
		}
		if err := txn.Delete(SequenceKey(col.Serial)); err != nil {
			return err
		}
		nt.Columns[i].Serial = ""
		nt.Columns[i].Default = "nextval('" + sd.Name + "'::regclass)"
	}
	if nt == nil {
		return nil
	}
	*changed = true
	if err := putDesc(txn, TableDescKey(nt.ID), nt); err != nil {
		return err
	}
	return bumpCatalogVersion(txn)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
