package tree

// Constraint is a CHECK or FOREIGN KEY constraint as written in CREATE
// TABLE (on a column or on the table) or ALTER TABLE ADD. Exactly one of
// Check and RefTable.Name is set.
type Constraint struct {
	Pos int
	// Name is the CONSTRAINT name, "" when PostgreSQL is to choose one.
	Name string
	// Check is the CHECK expression.
	Check Expr
	// NoInherit and NotValid record CHECK ... NO INHERIT and NOT VALID.
	NoInherit, NotValid bool

	// Columns are the referencing columns of a table-level FOREIGN KEY;
	// nil for a column constraint (the column itself).
	Columns []string
	// RefTable and RefColumns are what REFERENCES names; RefColumns is nil
	// when the referenced table's primary key is meant.
	RefTable   TableName
	RefColumns []string
	// OnDelete and OnUpdate are "NO ACTION" (default, ""), "RESTRICT",
	// "CASCADE", "SET NULL" or "SET DEFAULT". Match is "", "SIMPLE",
	// "FULL" or "PARTIAL".
	OnDelete, OnUpdate, Match string
	// Deferrable and InitiallyDeferred record DEFERRABLE / INITIALLY
	// DEFERRED.
	Deferrable, InitiallyDeferred bool
}

// IsCheck reports whether c is a CHECK constraint.
func (c *Constraint) IsCheck() bool { return c.Check != nil }
