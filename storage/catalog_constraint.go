package storage

// Constraint descriptors: CHECK and FOREIGN KEY constraints are stored
// inside their table's descriptor (TableDesc.Checks, TableDesc.ForeignKeys),
// so they are written, versioned and dropped with it. PRIMARY KEY and
// UNIQUE constraints are their indexes (IndexDesc) and are not repeated.

// CheckDesc is a CHECK constraint.
type CheckDesc struct {
	// OID is the constraint's OID as pg_constraint shows it (assigned by
	// CreateTable/PutTable when 0).
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
	// Expr is the boolean expression as SQL text over the table's column
	// names; renaming a column rewrites it.
	Expr string `json:"expr"`
	// Columns are the ordinals of the columns Expr uses (conkey).
	Columns []int `json:"columns,omitempty"`
}

// Referential actions and match types, as pg_constraint's confupdtype,
// confdeltype and confmatchtype spell them.
const (
	FKNoAction    = "a"
	FKRestrict    = "r"
	FKCascade     = "c"
	FKSetNull     = "n"
	FKSetDefault  = "d"
	FKMatchSimple = "s"
)

// ForeignKeyDesc is a FOREIGN KEY constraint of the table holding it (the
// referencing, child table).
type ForeignKeyDesc struct {
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
	// Columns are the referencing column ordinals of this table (conkey).
	Columns []int `json:"columns"`
	// RefTable is the referenced table's ID (confrelid); RefColumns its
	// column ordinals (confkey), in the order matching Columns. They are
	// the columns of its primary key or of one of its unique indexes.
	// CreateTable turns RefTable 0 into the new table's own ID.
	RefTable   uint32 `json:"ref_table"`
	RefColumns []int  `json:"ref_columns"`
	// OnDelete and OnUpdate are FKNoAction, FKRestrict, FKCascade,
	// FKSetNull or FKSetDefault.
	OnDelete string `json:"on_delete"`
	OnUpdate string `json:"on_update"`
	// Match is FKMatchSimple.
	Match string `json:"match"`
}

// cloneConstraints deep-copies the constraint slices of c (a shallow copy).
func cloneConstraints(c *TableDesc) {
	checks := make([]CheckDesc, len(c.Checks))
	for i, ch := range c.Checks {
		ch.Columns = append([]int(nil), ch.Columns...)
		checks[i] = ch
	}
	fks := make([]ForeignKeyDesc, len(c.ForeignKeys))
	for i, fk := range c.ForeignKeys {
		fk.Columns = append([]int(nil), fk.Columns...)
		fk.RefColumns = append([]int(nil), fk.RefColumns...)
		fks[i] = fk
	}
	if c.Checks != nil {
		c.Checks = checks
	}
	if c.ForeignKeys != nil {
		c.ForeignKeys = fks
	}
}

// assignConstraintOIDs gives every constraint of d with OID 0 a fresh OID,
// and points foreign keys with RefTable 0 (self-references made before the
// table had an ID) at d.
func assignConstraintOIDs(txn Txn, d *TableDesc) error {
	for i := range d.ForeignKeys {
		if d.ForeignKeys[i].RefTable == 0 {
			d.ForeignKeys[i].RefTable = d.ID
		}
	}
	for i := range d.Checks {
		if d.Checks[i].OID == 0 {
			oid, err := allocateID(txn)
			if err != nil {
				return err
			}
			d.Checks[i].OID = oid
		}
	}
	for i := range d.ForeignKeys {
		if d.ForeignKeys[i].OID == 0 {
			oid, err := allocateID(txn)
			if err != nil {
				return err
			}
			d.ForeignKeys[i].OID = oid
		}
	}
	return nil
}

// validateConstraints checks the column ordinals of d's constraints.
func validateConstraints(d *TableDesc) error {
	for _, ch := range d.Checks {
		if err := checkOrdinals(d, "check constraint "+ch.Name, ch.Columns); err != nil {
			return err
		}
	}
	for _, fk := range d.ForeignKeys {
		if err := checkOrdinals(d, "foreign key "+fk.Name, fk.Columns); err != nil {
			return err
		}
	}
	return nil
}
