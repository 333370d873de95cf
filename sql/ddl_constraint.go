package sql

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// CHECK and FOREIGN KEY constraints in DDL: CREATE TABLE, ALTER TABLE
// ADD/DROP CONSTRAINT, and what DROP TABLE / DROP COLUMN / RENAME COLUMN
// must do about them. Enforcement is in executor/constraint.go; the
// constraints a statement needs are bound in constraint_bind.go.

// invalidForeignKey is SQLSTATE 42830.
const invalidForeignKey = pgerr.Code("42830")

// createTableConstraints adds the column and table CHECK / FOREIGN KEY
// constraints of st to desc, in PostgreSQL's order (column constraints
// first, then table constraints, each in the order written).
func (s *Session) createTableConstraints(cat *catalogView, desc *storage.TableDesc, st *tree.CreateTable) error {
	for _, cd := range st.Columns {
		for _, c := range cd.Constraints {
			if err := s.addConstraint(cat, desc, c, cd.Name); err != nil {
				return err
			}
		}
	}
	for _, c := range st.Constraints {
		if err := s.addConstraint(cat, desc, c, ""); err != nil {
			return err
		}
	}
	return nil
}

// addConstraint validates c (a constraint of column column, or of the
// table when column is "") against desc and appends it to desc.
func (s *Session) addConstraint(cat *catalogView, desc *storage.TableDesc, c tree.Constraint, column string) error {
	if c.NotValid {
		return pgerr.New(pgerr.FeatureNotSupported, "NOT VALID constraints are not supported").
			WithHint("Add the constraint without NOT VALID: existing rows are validated.")
	}
	if c.IsCheck() {
		return s.addCheck(cat, desc, c, column)
	}
	return s.addForeignKey(cat, desc, c, column)
}

func (s *Session) addCheck(cat *catalogView, desc *storage.TableDesc, c tree.Constraint, column string) error {
	if c.NoInherit {
		return pgerr.New(pgerr.FeatureNotSupported, "NO INHERIT constraints are not supported").
			WithHint("vecgres has no table inheritance; leave NO INHERIT out.")
	}
	tmp, err := executor.NewTable(desc)
	if err != nil {
		return err
	}
	b := newBinder(s, cat, nil, "")
	if _, err := b.checkExpr(tmp, c.Check); err != nil {
		return err
	}
	cols := exprColumns(desc, c.Check)
	name := c.Name
	if name == "" {
		switch {
		case column != "":
			name = chooseConstraintName(desc, desc.Name+"_"+column, "check")
		case len(cols) == 1:
			name = chooseConstraintName(desc, desc.Name+"_"+desc.Columns[cols[0]].Name, "check")
		default:
			name = chooseConstraintName(desc, desc.Name, "check")
		}
	} else if constraintNameTaken(desc, name) {
		return pgerr.Newf(pgerr.DuplicateObject, "constraint %q for relation %q already exists", name, desc.Name)
	}
	desc.Checks = append(desc.Checks, storage.CheckDesc{Name: name, Expr: tree.FormatExpr(c.Check), Columns: cols})
	return nil
}

// checkExpr binds a CHECK expression over a row of t: boolean, no
// subqueries, aggregates or window functions, as PostgreSQL requires.
func (b *binder) checkExpr(t *executor.Table, e tree.Expr) (executor.Expr, error) {
	var bad error
	walkExpr(e, func(x tree.Expr) bool {
		switch x := x.(type) {
		case *tree.Subquery, *tree.Exists, *tree.InSubquery:
			bad = b.errPos(pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in check constraint"), exprPos(x))
		case *tree.FuncCall:
			if x.Over != nil {
				bad = b.errPos(pgerr.New(pgerr.WindowingError, "window functions are not allowed in check constraints"), exprPos(x))
			} else if b.lib.IsAggregate(lower(x.Name)) {
				bad = b.errPos(pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in check constraints"), exprPos(x))
			}
		}
		return bad == nil
	})
	if bad != nil {
		return nil, bad
	}
	return b.boolExpr(&scope{cols: tableColumns(t, t.Desc.Name)}, e, "CHECK")
}

// exprColumns returns the sorted ordinals of the columns of desc that e
// names.
func exprColumns(desc *storage.TableDesc, e tree.Expr) []int {
	seen := map[int]bool{}
	var out []int
	walkExpr(e, func(x tree.Expr) bool {
		if r, ok := x.(*tree.ColumnRef); ok && !r.Star {
			if i := descColumn(desc, r.Column); i >= 0 && !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
		return true
	})
	sort.Ints(out)
	return out
}

// constraintNameTaken reports whether desc already has a constraint
// (CHECK, FOREIGN KEY, or the primary key / unique index) called name.
func constraintNameTaken(desc *storage.TableDesc, name string) bool {
	for _, c := range desc.Checks {
		if c.Name == name {
			return true
		}
	}
	for _, f := range desc.ForeignKeys {
		if f.Name == name {
			return true
		}
	}
	for _, ix := range desc.Indexes {
		if ix.Name == name && (ix.Primary || ix.Unique) {
			return true
		}
	}
	return false
}

// chooseConstraintName is PostgreSQL's ChooseConstraintName: base_label,
// then base_label1, base_label2 ... until one is free.
func chooseConstraintName(desc *storage.TableDesc, base, label string) string {
	name := base + "_" + label
	for n := 1; constraintNameTaken(desc, name); n++ {
		name = base + "_" + label + strconv.Itoa(n)
	}
	return name
}

func (s *Session) addForeignKey(cat *catalogView, desc *storage.TableDesc, c tree.Constraint, column string) error {
	if c.Deferrable || c.InitiallyDeferred {
		return pgerr.New(pgerr.FeatureNotSupported, "DEFERRABLE foreign keys are not supported").
			WithHint("Leave out DEFERRABLE: the constraint is checked at the end of each statement.")
	}
	if c.Match == "PARTIAL" {
		return pgerr.New(pgerr.FeatureNotSupported, "MATCH PARTIAL not yet implemented")
	}
	if c.Match == "FULL" {
		return pgerr.New(pgerr.FeatureNotSupported, "MATCH FULL foreign keys are not supported").WithHint("Use MATCH SIMPLE (the default).")
	}
	names := c.Columns
	if column != "" {
		names = []string{column}
	}
	cols, err := fkColumns(desc, names)
	if err != nil {
		return err
	}
	var parent *storage.TableDesc
	if c.RefTable.Name == desc.Name && (c.RefTable.Schema == "" || c.RefTable.Schema == "public") {
		parent = desc
	} else {
		pt, err := cat.existingTable(c.RefTable)
		if err != nil {
			return err
		}
		parent = pt.Desc
	}
	var refCols []int
	if c.RefColumns == nil {
		if len(parent.PrimaryKey) == 0 {
			return pgerr.Newf(invalidForeignKey, "there is no primary key for referenced table %q", parent.Name)
		}
		refCols = append(refCols, parent.PrimaryKey...)
	} else if refCols, err = fkColumns(parent, c.RefColumns); err != nil {
		return err
	}
	if len(refCols) != len(cols) {
		return pgerr.New(invalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	if referencedIndex(parent, refCols) == nil {
		return pgerr.Newf(invalidForeignKey, "there is no unique constraint matching given keys for referenced table %q", parent.Name)
	}
	name := c.Name
	if name == "" {
		var parts []string
		for _, o := range cols {
			parts = append(parts, desc.Columns[o].Name)
		}
		name = chooseConstraintName(desc, desc.Name+"_"+strings.Join(parts, "_"), "fkey")
	} else if constraintNameTaken(desc, name) {
		return pgerr.Newf(pgerr.DuplicateObject, "constraint %q for relation %q already exists", name, desc.Name)
	}
	for i := range cols {
		ct, pt := colType(desc.Columns[cols[i]]), colType(parent.Columns[refCols[i]])
		if !fkTypesCompatible(ct, pt) {
			return pgerr.Newf(pgerr.DatatypeMismatch, "foreign key constraint %q cannot be implemented", name).
				WithDetail("Key columns \"" + desc.Columns[cols[i]].Name + "\" and \"" + parent.Columns[refCols[i]].Name +
					"\" are of incompatible types: " + ct.String() + " and " + pt.String() + ".")
		}
	}
	fk := storage.ForeignKeyDesc{Name: name, Columns: cols, RefTable: parent.ID, RefColumns: refCols,
		OnDelete: fkAction(c.OnDelete), OnUpdate: fkAction(c.OnUpdate), Match: storage.FKMatchSimple}
	desc.ForeignKeys = append(desc.ForeignKeys, fk)
	return nil
}

// fkColumns resolves the column names of a foreign key (42703, 42701).
func fkColumns(desc *storage.TableDesc, names []string) ([]int, error) {
	var out []int
	for _, n := range names {
		i := descColumn(desc, n)
		if i < 0 {
			return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q referenced in foreign key constraint does not exist", n)
		}
		for _, o := range out {
			if o == i {
				return nil, pgerr.Newf(pgerr.DuplicateColumn, "foreign key referenced-columns list must not contain duplicates")
			}
		}
		out = append(out, i)
	}
	return out, nil
}

// referencedIndex finds the primary key or unique btree index of t over
// exactly the columns cols (in any order), or nil.
func referencedIndex(t *storage.TableDesc, cols []int) *storage.IndexDesc {
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !(ix.Primary || ix.Unique) || len(ix.Columns) != len(cols) || (ix.Method != "" && ix.Method != "btree") {
			continue
		}
		if sameColumnSet(ix.Columns, cols) {
			return ix
		}
	}
	return nil
}

func sameColumnSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

// fkTypesCompatible reports whether a referencing column of type c can
// reference one of type p: the same type, or types of one family that
// share an equality operator (integers, floats, strings), as PostgreSQL's
// btree operator families allow.
func fkTypesCompatible(c, p types.T) bool {
	class := func(t types.T) string {
		switch t.Family {
		case types.Int2, types.Int4, types.Int8:
			return "int"
		case types.Float4, types.Float8:
			return "float"
		case types.Text, types.Varchar, types.Bpchar, types.Name:
			return "text"
		}
		return t.TypName()
	}
	return class(c) == class(p)
}

// fkAction maps a parsed referential action to pg_constraint's letter.
func fkAction(a string) string {
	switch a {
	case "RESTRICT":
		return storage.FKRestrict
	case "CASCADE":
		return storage.FKCascade
	case "SET NULL":
		return storage.FKSetNull
	case "SET DEFAULT":
		return storage.FKSetDefault
	}
	return storage.FKNoAction
}

// dropConstraint is ALTER TABLE DROP CONSTRAINT [IF EXISTS] name.
func (s *Session) dropConstraint(desc *storage.TableDesc, cmd tree.AlterCmd) error {
	name := cmd.Constraint.Name
	for i, c := range desc.Checks {
		if c.Name == name {
			desc.Checks = append(desc.Checks[:i:i], desc.Checks[i+1:]...)
			return nil
		}
	}
	for i, f := range desc.ForeignKeys {
		if f.Name == name {
			desc.ForeignKeys = append(desc.ForeignKeys[:i:i], desc.ForeignKeys[i+1:]...)
			return nil
		}
	}
	if constraintNameTaken(desc, name) {
		return pgerr.Newf(pgerr.FeatureNotSupported, "dropping the primary key or unique constraint %q is not supported", name).
			WithHint("DROP INDEX drops a unique index.")
	}
	if cmd.IfExists {
		s.notice(pgerr.SuccessfulCompletion, "constraint \""+name+"\" of relation \""+desc.Name+"\" does not exist, skipping")
		return nil
	}
	return pgerr.Newf(pgerr.UndefinedObject, "constraint %q of relation %q does not exist", name, desc.Name)
}

// referencingKeys lists the foreign keys of other tables of the database
// that reference table id, with the table holding each.
func referencingKeys(cat *catalogView, id uint32) []fkRef {
	var out []fkRef
	for _, t := range cat.cat.Tables(cat.db.ID) {
		if t.ID == id {
			continue
		}
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].RefTable == id {
				out = append(out, fkRef{t, &t.ForeignKeys[i]})
			}
		}
	}
	return out
}

type fkRef struct {
	table *storage.TableDesc
	fk    *storage.ForeignKeyDesc
}

// dropTableDependents handles the foreign keys of other tables that
// reference the tables being dropped: 2BP01 without CASCADE, else the
// constraints are dropped (with a notice each), as PostgreSQL does.
func (s *Session) dropTableDependents(cat *catalogView, dropped []*storage.TableDesc, cascade bool) error {
	gone := map[uint32]bool{}
	for _, d := range dropped {
		gone[d.ID] = true
	}
	changed := map[uint32]*storage.TableDesc{}
	var order []uint32
	var deps []string
	for _, d := range dropped {
		var mine []string
		for _, r := range referencingKeys(cat, d.ID) {
			if gone[r.table.ID] {
				continue
			}
			mine = append(mine, "constraint "+r.fk.Name+" on table "+r.table.Name+" depends on table "+d.Name)
			nd := changed[r.table.ID]
			if nd == nil {
				nd = r.table.Clone()
				changed[r.table.ID] = nd
				order = append(order, r.table.ID)
			}
			for i, f := range nd.ForeignKeys {
				if f.OID == r.fk.OID {
					nd.ForeignKeys = append(nd.ForeignKeys[:i:i], nd.ForeignKeys[i+1:]...)
					break
				}
			}
		}
		if len(mine) > 0 && !cascade {
			return pgerr.Newf(pgerr.DependentObjectsStillExist, "cannot drop table %s because other objects depend on it", d.Name).
				WithDetail(strings.Join(mine, "\n")).WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
		}
		deps = append(deps, mine...)
	}
	switch {
	case len(deps) == 1:
		s.notice(pgerr.SuccessfulCompletion, "drop cascades to "+deps[0][:strings.Index(deps[0], " depends on")])
	case len(deps) > 1:
		s.notice(pgerr.SuccessfulCompletion, "drop cascades to "+strconv.Itoa(len(deps))+" other objects")
	}
	for _, id := range order {
		if err := storage.PutTable(s.txn, changed[id]); err != nil {
			return err
		}
	}
	return nil
}

// dropColumnConstraints removes the constraints of desc that use column
// col and renumbers the others' ordinals past it. It runs before the
// column leaves desc.Columns.
func dropColumnConstraints(desc *storage.TableDesc, col int) {
	shift := func(ords []int) ([]int, bool) {
		out := make([]int, len(ords))
		for i, o := range ords {
			if o == col {
				return nil, true
			}
			out[i] = o
			if o > col {
				out[i] = o - 1
			}
		}
		return out, false
	}
	checks := desc.Checks[:0:0]
	for _, c := range desc.Checks {
		if cols, uses := shift(c.Columns); !uses {
			c.Columns = cols
			checks = append(checks, c)
		}
	}
	fks := desc.ForeignKeys[:0:0]
	for _, f := range desc.ForeignKeys {
		cols, uses := shift(f.Columns)
		if uses {
			continue
		}
		f.Columns = cols
		if f.RefTable == desc.ID {
			if f.RefColumns, uses = shift(f.RefColumns); uses {
				continue
			}
		}
		fks = append(fks, f)
	}
	desc.Checks, desc.ForeignKeys = checks, fks
}

// columnReferenced returns 2BP01 when another table's foreign key
// references column col of desc.
func columnReferenced(cat *catalogView, desc *storage.TableDesc, col int) error {
	for _, r := range referencingKeys(cat, desc.ID) {
		for _, o := range r.fk.RefColumns {
			if o == col {
				return pgerr.Newf(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it",
					desc.Columns[col].Name, desc.Name).
					WithDetail("constraint " + r.fk.Name + " on table " + r.table.Name + " depends on column " + desc.Columns[col].Name + " of table " + desc.Name).
					WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
			}
		}
	}
	return nil
}

// renameColumnInChecks rewrites the CHECK expressions of desc that name
// column from so they name to.
func renameColumnInChecks(desc *storage.TableDesc, from, to string) error {
	for i := range desc.Checks {
		e, err := parseExpr(desc.Checks[i].Expr)
		if err != nil {
			return err
		}
		walkExpr(e, func(x tree.Expr) bool {
			if r, ok := x.(*tree.ColumnRef); ok && r.Column == from && (r.Table == "" || r.Table == desc.Name) {
				r.Column = to
			}
			return true
		})
		desc.Checks[i].Expr = tree.FormatExpr(e)
	}
	return nil
}
