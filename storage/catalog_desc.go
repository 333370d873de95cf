package storage

// Catalog descriptors: the schema as stored. They use PostgreSQL's own
// vocabulary (type OID plus typmod, as pg_attribute has them) so that the
// storage layer needs no knowledge of SQL types, and so catalog views such as
// pg_attribute are a direct projection of them. Descriptors are encoded as
// JSON under the catalog prefix (see keys.go); fields may be added but never
// renamed or reused, because the encoding is durable.

// DatabaseDesc describes a database.
type DatabaseDesc struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	// Extensions lists the installed extensions ("vector").
	Extensions []string `json:"extensions,omitempty"`
}

// TableDesc describes a table. ID is also its OID as clients see it in
// pg_class and in RowDescription.
type TableDesc struct {
	ID      uint32       `json:"id"`
	DBID    uint32       `json:"db_id"`
	Schema  string       `json:"schema"` // "public"
	Name    string       `json:"name"`
	Columns []ColumnDesc `json:"columns"`
	// PrimaryKey lists column ordinals (indexes into Columns). When the
	// table has no primary key it is empty and rows are keyed by a hidden
	// row id taken from the table's row-id sequence.
	PrimaryKey []int       `json:"primary_key,omitempty"`
	Indexes    []IndexDesc `json:"indexes,omitempty"`
	// NextIndexID is the next free IndexDesc.ID within this table.
	NextIndexID uint32 `json:"next_index_id"`
	// Checks and ForeignKeys are the table's CHECK and FOREIGN KEY
	// constraints (catalog_constraint.go).
	Checks      []CheckDesc      `json:"checks,omitempty"`
	ForeignKeys []ForeignKeyDesc `json:"foreign_keys,omitempty"`
}

// ColumnDesc describes a column. Ordinal positions are the slice index;
// attnum as clients see it is index+1.
type ColumnDesc struct {
	Name    string `json:"name"`
	TypeOID uint32 `json:"type_oid"`
	Typmod  int32  `json:"typmod"`
	NotNull bool   `json:"not_null,omitempty"`
	// Default is the default expression as SQL text ("" when none);
	// serial columns have "nextval('t_id_seq'::regclass)".
	Default string `json:"default,omitempty"`
	// Serial names the legacy counter of a serial column made before
	// catalog sequences existed; MigrateSerialSequences clears it. Serial
	// columns now own a SequenceDesc and keep only their Default.
	Serial string `json:"serial,omitempty"`
	// Identity is "a" (GENERATED ALWAYS AS IDENTITY), "d" (BY DEFAULT) or
	// "" (pg_attribute.attidentity); the column's sequence is the one it
	// owns (Catalog.OwnedSequence). An identity column has no Default.
	Identity string `json:"identity,omitempty"`
	// Missing is the text value rows stored before the column was added
	// (ALTER TABLE ADD COLUMN with a constant default) read for it; ""
	// with MissingSet false means NULL. Rows encode columns in order, so a
	// row shorter than the descriptor lacks only trailing columns.
	Missing    string `json:"missing,omitempty"`
	MissingSet bool   `json:"missing_set,omitempty"`
}

// IndexDesc describes a secondary index (btree or vector). ID is unique
// within the table; OID is the index's OID as clients see it in pg_class.
type IndexDesc struct {
	ID   uint32 `json:"id"`
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
	// Columns are the ordinals of the key columns; for an expression
	// index (Expr set) they are instead the columns the expression
	// reads, so that dropping one of them drops the index.
	Columns []int `json:"columns"`
	// Expr, when set, is the one key of an expression index as SQL text
	// over the table's column names (a vector index only), e.g.
	// "binary_quantize(embedding)::bit(3)". Descriptors written before
	// expression indexes existed decode with Expr "".
	Expr   string `json:"expr,omitempty"`
	Unique bool   `json:"unique,omitempty"`
	// Primary marks the index that enforces the primary key (it has no
	// entries of its own: the rows are keyed by it).
	Primary bool `json:"primary,omitempty"`
	// Method is the access method: "btree", "hnsw", "ivfflat", "ivf_pq", "annoy".
	Method string `json:"method"`
	// Opclass per column, e.g. "vector_l2_ops"; "" for btree defaults.
	Opclasses []string `json:"opclasses,omitempty"`
	// Options are the WITH (...) options as given, validated, in order.
	Options []IndexOption `json:"options,omitempty"`
}

// IndexOption is one WITH (name = value) option of an index.
type IndexOption struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
