package sql

import (
	"context"
	"fmt"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// markCatalogWrite records that this transaction changed the catalog.
func (s *Session) markCatalogWrite() { s.catDirty = true }

func (s *Session) createTable(st *tree.CreateTable) (*Result, error) {
	if st.AsSelect != nil {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "CREATE TABLE AS is not supported yet")
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	if st.Table.Schema != "" && st.Table.Schema != "public" {
		return nil, pgerr.Newf(pgerr.InvalidSchemaName, "schema %q does not exist", st.Table.Schema)
	}
	name := st.Table.Name
	if existing, _ := cat.table("", name); existing != nil || indexExists(cat, name) {
		if st.IfNotExists {
			s.notice(pgerr.DuplicateTable, fmt.Sprintf("relation %q already exists, skipping", name))
			return tagResult(s, "CREATE TABLE"), nil
		}
		return nil, pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", name)
	}
	desc := &storage.TableDesc{DBID: cat.db.ID, Schema: "public", Name: name}
	var pk []string
	var uniques [][]string
	for _, cd := range st.Columns {
		for _, c := range desc.Columns {
			if c.Name == cd.Name {
				return nil, pgerr.Newf(pgerr.DuplicateColumn, "column %q specified more than once", cd.Name)
			}
		}
		col, err := s.columnDesc(cat.db.ID, name, cd)
		if err != nil {
			return nil, err
		}
		desc.Columns = append(desc.Columns, col)
		if cd.PrimaryKey {
			if pk != nil {
				return nil, pgerr.Newf(pgerr.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", name)
			}
			pk = []string{cd.Name}
		}
		if cd.Unique {
			uniques = append(uniques, []string{cd.Name})
		}
	}
	if st.PrimaryKey != nil {
		if pk != nil {
			return nil, pgerr.Newf(pgerr.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", name)
		}
		pk = st.PrimaryKey
	}
	uniques = append(uniques, st.Uniques...)
	ordinals := func(cols []string) ([]int, error) {
		var out []int
		for _, c := range cols {
			i := descColumn(desc, c)
			if i < 0 {
				return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q named in key does not exist", c)
			}
			out = append(out, i)
		}
		return out, nil
	}
	if pk != nil {
		ords, err := ordinals(pk)
		if err != nil {
			return nil, err
		}
		desc.PrimaryKey = ords
		for _, o := range ords {
			desc.Columns[o].NotNull = true
		}
		desc.Indexes = append(desc.Indexes, storage.IndexDesc{Name: name + "_pkey", Columns: ords, Unique: true, Primary: true, Method: "btree"})
	}
	for _, u := range uniques {
		ords, err := ordinals(u)
		if err != nil {
			return nil, err
		}
		desc.Indexes = append(desc.Indexes, storage.IndexDesc{Name: name + "_" + strings.Join(u, "_") + "_key", Columns: ords, Unique: true, Method: "btree"})
	}
	if err := s.createTableConstraints(cat, desc, st); err != nil {
		return nil, err
	}
	// Defaults must bind against the new table's types.
	tmp, err := executor.NewTable(desc)
	if err != nil {
		return nil, err
	}
	b := newBinder(s, cat, nil, "")
	seqNames, err := nameColumnSequences(cat, desc, st.Columns)
	if err != nil {
		return nil, err
	}
	for i := range desc.Columns {
		if _, owned := seqNames[i]; desc.Columns[i].Default != "" && !owned {
			if _, err := b.columnDefault(tmp, i); err != nil {
				return nil, err
			}
		}
	}
	if err := storage.CreateTable(s.txn, desc); err != nil {
		return nil, err
	}
	if err := s.createColumnSequences(cat, desc, st.Columns, seqNames); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return tagResult(s, "CREATE TABLE"), nil
}

func descColumn(t *storage.TableDesc, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// columnDesc turns a column definition into its stored form; serial types
// become NOT NULL integer columns, whose sequence and default
// createTable adds, as in PostgreSQL.
func (s *Session) columnDesc(dbID uint32, table string, cd tree.ColumnDef) (storage.ColumnDesc, error) {
	tn := cd.Type
	base, serial := serialTypes[tn.Name]
	if serial {
		tn.Name = base
	}
	t, err := types.ParseTypeName(tn.Name, tn.Mods, tn.ArrayDims)
	if err != nil {
		return storage.ColumnDesc{}, err
	}
	col := storage.ColumnDesc{Name: cd.Name, TypeOID: t.OID(), Typmod: t.Typmod, NotNull: cd.NotNull || cd.PrimaryKey}
	if t.Family == types.Array {
		col.Typmod = -1
	}
	if serial || cd.Identity != "" {
		// NB: the sequence and a serial column's default are made by
		// nameColumnSequences/createColumnSequences (ddl_sequence.go).
		col.NotNull, col.Identity = true, cd.Identity
	} else if cd.Default != nil {
		col.Default = tree.FormatExpr(cd.Default)
	}
	return col, nil
}

// indexByName finds an index of the current database by name.
func (c *catalogView) indexByName(name string) (*storage.TableDesc, *storage.IndexDesc) {
	for _, t := range c.cat.Tables(c.db.ID) {
		for i := range t.Indexes {
			if t.Indexes[i].Name == name {
				return t, &t.Indexes[i]
			}
		}
	}
	return nil, nil
}

func (s *Session) dropTable(st *tree.DropTable) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	var descs []*storage.TableDesc
	for _, tn := range st.Tables {
		t, err := cat.table(tn.Schema, tn.Name)
		if err != nil {
			return nil, err
		}
		if t == nil {
			if st.IfExists {
				s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("table %q does not exist, skipping", tn.Name))
				continue
			}
			return nil, pgerr.Newf(pgerr.UndefinedTable, "table %q does not exist", tn.Name)
		}
		descs = append(descs, t.Desc)
	}
	if err := s.dropTableDependents(cat, descs, st.Cascade); err != nil {
		return nil, err
	}
	for _, d := range descs {
		if err := storage.DropTable(s.txn, d); err != nil {
			return nil, err
		}
		for i := range d.Indexes {
			if executor.IsVectorIndex(&d.Indexes[i]) {
				s.changes.DropAtCommit(d.Indexes[i].OID)
			}
		}
		s.changes.ResetTableAtCommit(d.ID)
	}
	if len(descs) > 0 {
		s.markCatalogWrite()
	}
	return tagResult(s, "DROP TABLE"), nil
}

func (s *Session) truncate(st *tree.Truncate) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	for _, tn := range st.Tables {
		t, err := cat.table(tn.Schema, tn.Name)
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", tn.Name)
		}
		p := storage.TableRowPrefix(t.Desc.ID)
		if err := s.txn.DeleteRange(p, storage.PrefixEnd(p)); err != nil {
			return nil, err
		}
		for i := range t.Desc.Indexes {
			ix := &t.Desc.Indexes[i]
			p := storage.IndexPrefix(t.Desc.ID, ix.ID)
			if err := s.txn.DeleteRange(p, storage.PrefixEnd(p)); err != nil {
				return nil, err
			}
			if executor.IsVectorIndex(ix) {
				// NB: rows vanish without row changes, so the index is
				// rebuilt (empty) and replaces the old one at commit.
				if err := s.buildVectorIndex(context.Background(), t, ix, ""); err != nil {
					return nil, err
				}
			}
		}
		s.changes.ResetTableAtCommit(t.Desc.ID)
	}
	return tagResult(s, "TRUNCATE TABLE"), nil
}

func (s *Session) createExtension(st *tree.CreateExtension) (*Result, error) {
	if st.Name != "vector" {
		return nil, pgerr.Newf(pgerr.FeatureNotSupported, "extension %q is not available", st.Name).
			WithHint("vecgres provides the \"vector\" extension (pgvector) built in.")
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	if cat.hasExtension(st.Name) {
		if st.IfNotExists {
			s.notice(pgerr.DuplicateObject, fmt.Sprintf("extension %q already exists, skipping", st.Name))
			return tagResult(s, "CREATE EXTENSION"), nil
		}
		return nil, pgerr.Newf(pgerr.DuplicateObject, "extension %q already exists", st.Name)
	}
	db := *cat.db
	db.Extensions = append(append([]string(nil), db.Extensions...), st.Name)
	if err := storage.PutDatabase(s.txn, &db); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return tagResult(s, "CREATE EXTENSION"), nil
}

func (s *Session) dropExtension(st *tree.DropExtension) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	if !cat.hasExtension(st.Name) {
		if st.IfExists {
			s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("extension %q does not exist, skipping", st.Name))
			return tagResult(s, "DROP EXTENSION"), nil
		}
		return nil, pgerr.Newf(pgerr.UndefinedObject, "extension %q does not exist", st.Name)
	}
	db := *cat.db
	db.Extensions = nil
	for _, x := range cat.db.Extensions {
		if x != st.Name {
			db.Extensions = append(db.Extensions, x)
		}
	}
	if err := storage.PutDatabase(s.txn, &db); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return tagResult(s, "DROP EXTENSION"), nil
}

func (s *Session) createDatabase(st *tree.CreateDatabase) (*Result, error) {
	if s.explicit {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "CREATE DATABASE cannot run inside a transaction block")
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	if cat.cat.Database(st.Name) != nil {
		return nil, pgerr.Newf(pgerr.DuplicateDatabase, "database %q already exists", st.Name)
	}
	if _, err := storage.CreateDatabase(s.txn, st.Name); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return tagResult(s, "CREATE DATABASE"), nil
}

func (s *Session) dropDatabase(st *tree.DropDatabase) (*Result, error) {
	if s.explicit {
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "DROP DATABASE cannot run inside a transaction block")
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	db := cat.cat.Database(st.Name)
	if db == nil {
		if st.IfExists {
			s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("database %q does not exist, skipping", st.Name))
			return tagResult(s, "DROP DATABASE"), nil
		}
		return nil, pgerr.Newf(pgerr.InvalidCatalogName, "database %q does not exist", st.Name)
	}
	if db.ID == cat.db.ID {
		return nil, pgerr.New(pgerr.ObjectInUse, "cannot drop the currently open database")
	}
	if err := storage.DropDatabase(s.txn, db); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	return tagResult(s, "DROP DATABASE"), nil
}

// analyze is ANALYZE [table]: it samples each table's rows for the
// planner's selectivity estimates and stores the statistics.
func (s *Session) analyze(st *tree.Analyze) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	var tables []*executor.Table
	if st.Table != nil {
		t, err := cat.existingTable(*st.Table)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	} else {
		for _, d := range cat.cat.Tables(cat.db.ID) {
			t, err := s.e.table(d)
			if err != nil {
				return nil, err
			}
			tables = append(tables, t)
		}
	}
	for _, t := range tables {
		if err := s.analyzeTable(t); err != nil {
			return nil, err
		}
	}
	return tagResult(s, "ANALYZE"), nil
}

func indexExists(cat *catalogView, name string) bool {
	_, ix := cat.indexByName(name)
	return ix != nil
}

// eachRow calls f for every row of t visible to the transaction (with the
// row key as a trailing column when withKey), until f returns false or an
// error. Rows are reused between calls: f copies what it keeps.
func (s *Session) eachRow(ctx context.Context, t *executor.Table, withKey bool, f func(row []types.Datum) (bool, error)) error {
	scan := &executor.TableScan{Table: t, WithKey: withKey}
	ectx := s.execCtx(ctx, nil)
	if err := scan.Open(ectx); err != nil {
		return err
	}
	defer scan.Close()
	for {
		row, err := scan.Next(ectx)
		if err != nil || row == nil {
			return err
		}
		if more, err := f(row); err != nil || !more {
			return err
		}
	}
}
