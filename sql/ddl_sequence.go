package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// CREATE/ALTER/DROP SEQUENCE, and the sequences serial and identity
// columns own. Option defaults and checks follow PostgreSQL 15's
// init_params (sequence.c).

// seqTypeBits maps a sequence data type OID to its width.
var seqTypeBits = map[uint32]int{types.Int2Type.OID(): 16, types.Int4Type.OID(): 32, types.Int8Type.OID(): 64}

// applySeqOptions applies o to d: d is a fresh descriptor (ID 0, TypeOID
// set or 0) for CREATE, or a copy of the stored one for ALTER. It returns
// the value a RESTART asks for (restart false when none).
func (s *Session) applySeqOptions(cat *catalogView, d *storage.SequenceDesc, o tree.SeqOptions) (restart bool, restartWith int64, err error) {
	isNew := d.ID == 0
	oldBits := seqTypeBits[d.TypeOID]
	if o.As != "" {
		t, err := types.ParseTypeName(o.As, nil, 0)
		if err != nil {
			return false, 0, err
		}
		if seqTypeBits[t.OID()] == 0 {
			return false, 0, pgerr.New(pgerr.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
		}
		d.TypeOID = t.OID()
	}
	if d.TypeOID == 0 {
		d.TypeOID = types.Int8Type.OID()
	}
	bits := seqTypeBits[d.TypeOID]
	if o.Increment != nil {
		if *o.Increment == 0 {
			return false, 0, pgerr.New(pgerr.InvalidParameterValue, "INCREMENT must not be zero")
		}
		d.Increment = *o.Increment
	} else if isNew {
		d.Increment = 1
	}
	asc := d.Increment > 0
	lo, hi := storage.SequenceBounds(bits, asc)
	oldLo, oldHi := storage.SequenceBounds(oldBits, asc)
	switch {
	case o.Max != nil:
		d.Max = *o.Max
	case isNew || o.NoMax || (o.As != "" && d.Max == oldHi && oldBits != 0) || (o.As != "" && !asc && d.Max == -1):
		d.Max = hi
	}
	switch {
	case o.Min != nil:
		d.Min = *o.Min
	case isNew || o.NoMin || (o.As != "" && d.Min == oldLo && oldBits != 0):
		d.Min = lo
	}
	if o.Start != nil {
		d.Start = *o.Start
	} else if isNew {
		d.Start = d.Min
		if !asc {
			d.Start = d.Max
		}
	}
	if o.Cache != nil {
		d.Cache = *o.Cache
	} else if isNew {
		d.Cache = 1
	}
	if o.Cycle != nil {
		d.Cycle = *o.Cycle
	}
	if err := storage.ValidateSequence(d); err != nil {
		return false, 0, err
	}
	if o.OwnedNone {
		d.OwnerTable, d.OwnerColumn = 0, ""
	} else if o.OwnedBy != nil {
		if err := s.seqOwner(cat, d, o.OwnedBy); err != nil {
			return false, 0, err
		}
	}
	if o.Restart {
		restartWith = d.Start
		if o.RestartWith != nil {
			restartWith = *o.RestartWith
		}
		if restartWith < d.Min {
			return false, 0, pgerr.Newf(pgerr.InvalidParameterValue, "RESTART value (%d) cannot be less than MINVALUE (%d)", restartWith, d.Min)
		}
		if restartWith > d.Max {
			return false, 0, pgerr.Newf(pgerr.InvalidParameterValue, "RESTART value (%d) cannot be greater than MAXVALUE (%d)", restartWith, d.Max)
		}
	}
	return o.Restart, restartWith, nil
}

// seqOwner resolves OWNED BY [schema.]table.column.
func (s *Session) seqOwner(cat *catalogView, d *storage.SequenceDesc, parts []string) error {
	if len(parts) < 2 {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid OWNED BY option").
			WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
	}
	tname, col := parts[len(parts)-2], parts[len(parts)-1]
	schema := ""
	if len(parts) > 2 {
		schema = parts[len(parts)-3]
	}
	t, err := cat.table(schema, tname)
	if err != nil {
		return err
	}
	if t == nil {
		return pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", tname)
	}
	if descColumn(t.Desc, col) < 0 {
		return pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", col, tname)
	}
	d.OwnerTable, d.OwnerColumn = t.Desc.ID, col
	return nil
}

// relationKind names what a relation name in the current database is
// ("table", "index", "sequence"), "" when nothing.
func (c *catalogView) relationKind(schema, name string) string {
	if schema != "" && schema != "public" {
		return ""
	}
	switch {
	case c.cat.TableByName(c.db.ID, "public", name) != nil:
		return "table"
	case c.cat.SequenceByName(c.db.ID, "public", name) != nil:
		return "sequence"
	}
	if t, _ := c.cat.IndexByName(c.db.ID, "public", name); t != nil {
		return "index"
	}
	return ""
}

func (s *Session) createSequence(st *tree.CreateSequence) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	if st.Name.Schema != "" && st.Name.Schema != "public" {
		return nil, pgerr.Newf(pgerr.InvalidSchemaName, "schema %q does not exist", st.Name.Schema)
	}
	if cat.relationKind("", st.Name.Name) != "" {
		if st.IfNotExists {
			s.notice(pgerr.DuplicateTable, fmt.Sprintf("relation %q already exists, skipping", st.Name.Name))
			return tagResult(s, "CREATE SEQUENCE"), nil
		}
		return nil, pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", st.Name.Name)
	}
	d := &storage.SequenceDesc{DBID: cat.db.ID, Schema: "public", Name: st.Name.Name}
	if st.Opts.Restart {
		return nil, pgerr.New(pgerr.SyntaxError, "RESTART is not allowed in CREATE SEQUENCE")
	}
	if _, _, err := s.applySeqOptions(cat, d, st.Opts); err != nil {
		return nil, err
	}
	if err := storage.CreateSequence(s.txn, d); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return tagResult(s, "CREATE SEQUENCE"), nil
}

func (s *Session) alterSequence(st *tree.AlterSequence) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	old := cat.sequence(st.Name.Schema, st.Name.Name)
	if old == nil {
		if kind := cat.relationKind(st.Name.Schema, st.Name.Name); kind != "" {
			return nil, pgerr.Newf(pgerr.WrongObjectType, "%q is not a sequence", st.Name.Name)
		}
		if st.IfExists {
			s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("relation %q does not exist, skipping", st.Name.Name))
			return tagResult(s, "ALTER SEQUENCE"), nil
		}
		return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", st.Name.Name)
	}
	if err := s.alterSequenceDesc(cat, old, st.Opts); err != nil {
		return nil, err
	}
	return tagResult(s, "ALTER SEQUENCE"), nil
}

// alterSequenceDesc applies ALTER SEQUENCE options (also those of ALTER
// COLUMN ... SET/RESTART on an identity column) to sequence old.
// NB: RESTART is written in the transaction, as PostgreSQL's ALTER
// SEQUENCE RESTART is transactional; the engine drops its cached block
// when the transaction commits.
func (s *Session) alterSequenceDesc(cat *catalogView, old *storage.SequenceDesc, o tree.SeqOptions) error {
	d := *old
	restart, v, err := s.applySeqOptions(cat, &d, o)
	if err != nil {
		return err
	}
	if err := storage.PutSequence(s.txn, &d); err != nil {
		return err
	}
	if restart {
		if err := s.txn.Put(storage.SequenceValueKey(d.ID), storage.EncodeSequenceState(v, false)); err != nil {
			return err
		}
	}
	s.markCatalogWrite()
	return nil
}

func (s *Session) dropSequence(st *tree.DropSequence) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	var drop []*storage.SequenceDesc
	for _, n := range st.Names {
		d := cat.sequence(n.Schema, n.Name)
		if d == nil {
			if kind := cat.relationKind(n.Schema, n.Name); kind != "" {
				return nil, pgerr.Newf(pgerr.WrongObjectType, "%q is not a sequence", n.Name).
					WithHint("Use DROP " + strings.ToUpper(kind) + " to remove a " + kind + ".")
			}
			if st.IfExists {
				s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("sequence %q does not exist, skipping", n.Name))
				continue
			}
			return nil, pgerr.Newf(pgerr.UndefinedTable, "sequence %q does not exist", n.Name)
		}
		drop = append(drop, d)
	}
	for _, d := range drop {
		if err := s.dropSequenceDependents(cat, d, st.Cascade); err != nil {
			return nil, err
		}
		if err := storage.DropSequence(s.txn, d); err != nil {
			return nil, err
		}
	}
	if len(drop) > 0 {
		s.markCatalogWrite()
	}
	return tagResult(s, "DROP SEQUENCE"), nil
}

// dropSequenceDependents finds the columns that need sequence d: an
// identity column owning it always blocks the drop; defaults calling
// nextval on it block it without CASCADE and are dropped with it.
func (s *Session) dropSequenceDependents(cat *catalogView, d *storage.SequenceDesc, cascade bool) error {
	if d.Identity {
		if t := cat.cat.Table(d.OwnerTable); t != nil {
			return pgerr.Newf(pgerr.DependentObjectsStillExist, "cannot drop sequence %s because column %s of table %s requires it",
				d.Name, d.OwnerColumn, t.Name).WithHint(fmt.Sprintf("You can drop column %s of table %s instead.", d.OwnerColumn, t.Name))
		}
	}
	ref := "nextval(" + quoteLiteral(d.Name) + "::regclass)"
	for _, t := range cat.cat.Tables(cat.db.ID) {
		var nt *storage.TableDesc
		for i, c := range t.Columns {
			if c.Default != ref {
				continue
			}
			what := fmt.Sprintf("default value for column %s of table %s", c.Name, t.Name)
			if !cascade {
				return pgerr.Newf(pgerr.DependentObjectsStillExist, "cannot drop sequence %s because other objects depend on it", d.Name).
					WithDetail(what + " depends on sequence " + d.Name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
			s.notice(pgerr.SuccessfulCompletion, "drop cascades to "+what)
			if nt == nil {
				nt = copyTableDesc(t)
			}
			nt.Columns[i].Default = ""
		}
		if nt != nil {
			if err := storage.PutTable(s.txn, nt); err != nil {
				return err
			}
		}
	}
	return nil
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// serialTypes maps the serial pseudo-types to their integer types.
var serialTypes = map[string]string{"serial": "int4", "serial4": "int4", "bigserial": "int8", "serial8": "int8",
	"smallserial": "int2", "serial2": "int2"}

// ownedSequenceName picks the name PostgreSQL gives the sequence of column
// col of table: table_col_seq, then table_col_seq1, 2, ... while taken.
func ownedSequenceName(cat *catalogView, table, col string, taken map[string]bool) string {
	base := table + "_" + col + "_seq"
	name := base
	for n := 1; cat.relationKind("", name) != "" || taken[name]; n++ {
		name = base + strconv.Itoa(n)
	}
	return name
}

// nameColumnSequences checks the serial and identity columns of a table
// about to be created and names their sequences; serial columns get their
// nextval default. It returns the names by column ordinal.
func nameColumnSequences(cat *catalogView, desc *storage.TableDesc, cols []tree.ColumnDef) (map[int]string, error) {
	names := map[int]string{}
	taken := map[string]bool{}
	for i, cd := range cols {
		_, serial := serialTypes[cd.Type.Name]
		if !serial && cd.Identity == "" {
			continue
		}
		if cd.Identity != "" && (serial || cd.Default != nil) {
			return nil, pgerr.Newf(pgerr.SyntaxError, "both default and identity specified for column %q of table %q", cd.Name, desc.Name)
		}
		if seqTypeBits[desc.Columns[i].TypeOID] == 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
		}
		name := ""
		if cd.IdentityOpts.Name != nil {
			name = cd.IdentityOpts.Name.Name
		} else {
			name = ownedSequenceName(cat, desc.Name, cd.Name, taken)
		}
		taken[name], names[i] = true, name
		if serial {
			desc.Columns[i].Default = "nextval(" + quoteLiteral(name) + "::regclass)"
		}
	}
	return names, nil
}

// createColumnSequences creates the sequences named by nameColumnSequences
// once the table exists (desc.ID is set).
func (s *Session) createColumnSequences(cat *catalogView, desc *storage.TableDesc, cols []tree.ColumnDef, names map[int]string) error {
	for i, cd := range cols {
		if name, ok := names[i]; ok {
			if _, err := s.createColumnSequence(cat, desc, i, name, cd.IdentityOpts, cd.Identity != ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// createColumnSequence creates the sequence owned by column i of desc.
func (s *Session) createColumnSequence(cat *catalogView, desc *storage.TableDesc, i int, name string, o tree.SeqOptions,
	identity bool) (*storage.SequenceDesc, error) {
	col := desc.Columns[i]
	if seqTypeBits[col.TypeOID] == 0 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	}
	sd := &storage.SequenceDesc{DBID: desc.DBID, Schema: "public", Name: name, TypeOID: col.TypeOID, Identity: identity}
	if o.OwnedBy != nil || o.OwnedNone {
		return nil, pgerr.New(pgerr.SyntaxError, "OWNED BY is not allowed for an identity column sequence")
	}
	if _, _, err := s.applySeqOptions(cat, sd, o); err != nil {
		return nil, err
	}
	sd.OwnerTable, sd.OwnerColumn = desc.ID, col.Name
	if err := storage.CreateSequence(s.txn, sd); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return sd, nil
}
