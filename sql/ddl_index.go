package sql

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// vectorMethods maps the access methods vecgres accepts to their canonical
// name ("ivfflat" is pgvector's spelling of ivf_flat).
var vectorMethods = map[string]string{
	"hnsw": "hnsw", "ivfflat": "ivfflat", "ivf_flat": "ivfflat", "ivf_pq": "ivf_pq", "ivfpq": "ivf_pq", "annoy": "annoy",
}

// vectorOpclasses are pgvector's operator classes for the vector type.
var vectorOpclasses = map[string]bool{
	"vector_l2_ops": true, "vector_ip_ops": true, "vector_cosine_ops": true, "vector_l1_ops": true,
}

// halfvecOpclasses are pgvector's operator classes for halfvec, with the
// access methods that have each: pgvector's ivfflat has no
// halfvec_l1_ops; vecgres's own ivf_pq and annoy take the classes they
// take for vector.
var halfvecOpclasses = map[string]map[string]bool{
	"halfvec_l2_ops":     {"hnsw": true, "ivfflat": true, "ivf_pq": true, "annoy": true},
	"halfvec_ip_ops":     {"hnsw": true, "ivfflat": true, "ivf_pq": true, "annoy": true},
	"halfvec_cosine_ops": {"hnsw": true, "ivfflat": true, "ivf_pq": true, "annoy": true},
	"halfvec_l1_ops":     {"hnsw": true, "ivf_pq": true, "annoy": true},
}

// bitOpclasses are pgvector's operator classes for bit, with the access
// methods pgvector defines each for (ivfflat has no bit_jaccard_ops).
var bitOpclasses = map[string]map[string]bool{
	"bit_hamming_ops": {"hnsw": true, "ivfflat": true},
	"bit_jaccard_ops": {"hnsw": true},
}

// maxBitIndexDims is the longest bit column pgvector's hnsw and ivfflat
// index (HNSW_MAX_DIM and IVFFLAT_MAX_DIM times 32).
const maxBitIndexDims = 64000

func (s *Session) createIndex(ctx context.Context, st *tree.CreateIndex) (*Result, error) {
	if st.Concurrently {
		if err := s.preventInTxnBlock("CREATE INDEX CONCURRENTLY"); err != nil {
			return nil, err
		}
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	t, err := cat.existingTable(st.Table)
	if err != nil {
		return nil, err
	}
	method := strings.ToLower(st.Method)
	if method == "" {
		method = "btree"
	}
	if method != "btree" {
		m, ok := vectorMethods[method]
		if !ok {
			return nil, pgerr.Newf(pgerr.UndefinedObject, "access method %q does not exist", st.Method)
		}
		method = m
	}
	ix := storage.IndexDesc{Name: st.Name, Unique: st.Unique, Method: method}
	var colNames []string
	var key executor.Expr
	for _, el := range st.Elems {
		if el.Expr != nil {
			if method == "btree" {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "expression indexes are not supported yet").
					WithHint("Expression indexes are supported for the vector access methods (hnsw, ivfflat, ivf_pq, annoy).")
			}
			if len(st.Elems) != 1 {
				return nil, pgerr.Newf(pgerr.FeatureNotSupported, "access method %q does not support multicolumn indexes", method)
			}
			k, text, cols, err := s.indexKeyExpr(cat, t, el.Expr)
			if err != nil {
				return nil, err
			}
			key, ix.Expr, ix.Columns = k, text, cols
			ix.Opclasses = append(ix.Opclasses, strings.ToLower(el.Opclass))
			colNames = append(colNames, indexExprName(el.Expr))
			continue
		}
		i := columnIndex(t, el.Column)
		if i < 0 {
			return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q does not exist", el.Column)
		}
		ix.Columns = append(ix.Columns, i)
		ix.Opclasses = append(ix.Opclasses, strings.ToLower(el.Opclass))
		colNames = append(colNames, el.Column)
	}
	if method != "btree" {
		if err := validateVectorIndex(t, &ix, key, st); err != nil {
			return nil, err
		}
	} else if err := validateBtreeOptions(st.With); err != nil {
		return nil, err
	}
	if ix.Name == "" {
		ix.Name = s.indexName(cat, t.Desc.Name, colNames)
	} else if _, other := cat.indexByName(ix.Name); other != nil || mustTable(cat, ix.Name) {
		if st.IfNotExists {
			s.notice(pgerr.DuplicateTable, fmt.Sprintf("relation %q already exists, skipping", ix.Name))
			return tagResult(s, "CREATE INDEX"), nil
		}
		return nil, pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", ix.Name)
	}
	desc := copyTableDesc(t.Desc)
	desc.Indexes = append(desc.Indexes, ix)
	if err := storage.PutTable(s.txn, desc); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	// NB: PutTable assigned the new index its ID and OID; read them back.
	fresh, err := s.catalog()
	if err != nil {
		return nil, err
	}
	nt, err := fresh.table(st.Table.Schema, st.Table.Name)
	if err != nil {
		return nil, err
	}
	built := &nt.Desc.Indexes[len(nt.Desc.Indexes)-1]
	if method == "btree" {
		err = s.buildBtree(ctx, nt, built)
	} else {
		cmd := cmdCreateIndex
		if st.Concurrently {
			cmd = cmdCreateIndexConcurrently
		}
		err = s.buildVectorIndex(ctx, nt, built, cmd)
	}
	if err != nil {
		return nil, err
	}
	return tagResult(s, "CREATE INDEX"), nil
}

func mustTable(cat *catalogView, name string) bool {
	t, _ := cat.table("", name)
	return t != nil
}

// indexName picks PostgreSQL's default name <table>_<cols>_idx, adding a
// number when taken.
func (s *Session) indexName(cat *catalogView, table string, cols []string) string {
	base := table + "_" + strings.Join(cols, "_") + "_idx"
	name := base
	for n := 1; ; n++ {
		if _, ix := cat.indexByName(name); ix == nil && !mustTable(cat, name) {
			return name
		}
		name = base + strconv.Itoa(n)
	}
}

func copyTableDesc(d *storage.TableDesc) *storage.TableDesc {
	return d.Clone()
}

// validateVectorIndex checks a vector index definition the way pgvector
// does: one vector column (or key expression, key), a matching operator
// class, options in range.
func validateVectorIndex(t *executor.Table, ix *storage.IndexDesc, key executor.Expr, st *tree.CreateIndex) error {
	if ix.Expr == "" && len(ix.Columns) != 1 {
		return pgerr.Newf(pgerr.FeatureNotSupported, "access method %q does not support multicolumn indexes", ix.Method)
	}
	if st.Unique {
		return pgerr.Newf(pgerr.FeatureNotSupported, "access method %q does not support unique indexes", ix.Method)
	}
	col := -1
	if ix.Expr == "" {
		col = ix.Columns[0]
	}
	ct := executor.KeyType(t, col, key)
	isBit := ct.Family == types.Bit || ct.Family == types.VarBit
	if ix.Opclasses[0] == "" && ct.Family == types.Vector {
		ix.Opclasses[0] = "vector_l2_ops"
	}
	if err := checkVectorOpclass(ix.Method, ix.Opclasses[0], ct); err != nil {
		return err
	}
	if ct.Typmod < 1 {
		return pgerr.New(pgerr.DataException, "column does not have dimensions")
	}
	if isBit && ct.Typmod > maxBitIndexDims {
		return pgerr.Newf(pgerr.ProgramLimitExceeded, "column cannot have more than %d dimensions for %s index", maxBitIndexDims, ix.Method)
	}
	opts, err := vectorIndexOptions(ix.Method, st.With)
	if err != nil {
		return err
	}
	ix.Options = opts
	return nil
}

// checkVectorOpclass checks that opclass exists for method and accepts
// the column type ct, with PostgreSQL's errors: 42704 for no default
// operator class or an operator class the method lacks, 42804 for one of
// another data type; 0A000 for a bit varying column, which vecgres cannot
// index (its values may be shorter than the column's length).
func checkVectorOpclass(method, opclass string, ct types.T) error {
	isBit := ct.Family == types.Bit || ct.Family == types.VarBit
	if opclass == "" {
		return pgerr.Newf(pgerr.UndefinedObject, "data type %s has no default operator class for access method %q", ct.WithTypmod(-1), method).
			WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
	}
	var forType string
	switch {
	case vectorOpclasses[opclass]:
		forType = "vector"
	case bitOpclasses[opclass][method]:
		forType = "bit"
	case halfvecOpclasses[opclass][method]:
		forType = "halfvec"
	default:
		return pgerr.Newf(pgerr.UndefinedObject, "operator class %q does not exist for access method %q", opclass, method)
	}
	if (forType == "bit") != isBit || (forType == "vector" && ct.Family != types.Vector) ||
		(forType == "halfvec" && ct.Family != types.HalfVec) {
		return pgerr.Newf(pgerr.DatatypeMismatch, "operator class %q does not accept data type %s", opclass, ct.WithTypmod(-1))
	}
	if ct.Family == types.VarBit {
		// NB: an index keeps every value at the column's length
		// (executor/vector_bits.go); bit varying values may be shorter.
		return pgerr.Newf(pgerr.FeatureNotSupported, "operator class %q needs a bit(n) column, not bit varying", opclass).
			WithHint("Declare the column as bit(n), or index the expression (col::bit(n)).")
	}
	return nil
}

// optionSpec is one index option: its default and valid range.
type optionSpec struct {
	name string
	def  int
	min  int
	max  int
}

// indexOptionSpecs are the WITH (...) options per access method, with
// pgvector's defaults and ranges where pgvector has the method.
var indexOptionSpecs = map[string][]optionSpec{
	"hnsw":    {{"m", 16, 2, 100}, {"ef_construction", 64, 4, 1000}},
	"ivfflat": {{"lists", 100, 1, 32768}},
	"ivf_pq":  {{"lists", 100, 1, 32768}, {"m", 16, 1, 4096}, {"nbits", 8, 4, 8}},
	"annoy":   {{"n_trees", 10, 1, 1000}},
}

// btreeOptionSpecs are the integer WITH (...) options of a btree index.
var btreeOptionSpecs = []optionSpec{{"fillfactor", 90, 10, 100}}

// validateBtreeOptions checks a btree index's WITH (...) list as
// PostgreSQL does (fillfactor 10..100, deduplicate_items a boolean).
func validateBtreeOptions(with []tree.Option) error {
	var rest []tree.Option
	for _, o := range with {
		if strings.EqualFold(o.Name, "deduplicate_items") {
			if _, err := checkBool(o.Value); err != nil {
				return pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for boolean option %q: %s", "deduplicate_items", o.Value)
			}
			continue
		}
		rest = append(rest, o)
	}
	_, err := parseIndexOptions(btreeOptionSpecs, rest)
	return err
}

// parseIndexOptions checks a WITH (...) list against specs the way
// PostgreSQL's reloptions do: every option known, given once, an integer
// in range. The messages and SQLSTATE (22023) are PostgreSQL's.
// NB: options are checked in the order written, as PostgreSQL's
// parseRelOptionsInternal does, so the first bad one is the one reported.
func parseIndexOptions(specs []optionSpec, with []tree.Option) (map[string]int, error) {
	vals := map[string]int{}
	for _, o := range with {
		name := strings.ToLower(o.Name)
		var spec *optionSpec
		for i := range specs {
			if specs[i].name == name {
				spec = &specs[i]
			}
		}
		if spec == nil {
			return nil, pgerr.Newf(pgerr.InvalidParameterValue, "unrecognized parameter %q", o.Name)
		}
		if _, dup := vals[name]; dup {
			return nil, pgerr.Newf(pgerr.InvalidParameterValue, "parameter %q specified more than once", name)
		}
		value := o.Value
		if value == "" {
			// NB: PostgreSQL reads a bare "WITH (m)" as m = true.
			value = "true"
		}
		v, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return nil, pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for integer option %q: %s", name, value)
		}
		if v < spec.min || v > spec.max {
			return nil, pgerr.Newf(pgerr.InvalidParameterValue, "value %d out of bounds for option %q", v, name).
				WithDetail(fmt.Sprintf("Valid values are between \"%d\" and \"%d\".", spec.min, spec.max))
		}
		vals[name] = v
	}
	return vals, nil
}

func vectorIndexOptions(method string, with []tree.Option) ([]storage.IndexOption, error) {
	specs := indexOptionSpecs[method]
	vals, err := parseIndexOptions(specs, with)
	if err != nil {
		return nil, err
	}
	if method == "hnsw" {
		m, ef := 16, 64
		if v, ok := vals["m"]; ok {
			m = v
		}
		if v, ok := vals["ef_construction"]; ok {
			ef = v
		}
		if ef < 2*m {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "ef_construction must be greater than or equal to 2 * m")
		}
	}
	// NB: only the options the user gave are stored, as PostgreSQL keeps
	// them in reloptions; the index type applies its own defaults (the
	// same values as the defaults listed above).
	var out []storage.IndexOption
	for _, sp := range specs {
		if x, ok := vals[sp.name]; ok {
			out = append(out, storage.IndexOption{Name: sp.name, Value: strconv.Itoa(x)})
		}
	}
	return out, nil
}

// buildBtree writes the entries of a new btree index for existing rows,
// checking uniqueness.
func (s *Session) buildBtree(ctx context.Context, t *executor.Table, ix *storage.IndexDesc) error {
	return s.eachRow(ctx, t, true, func(row []types.Datum) (bool, error) {
		pk := t.PKFromRowKey([]byte(row[len(row)-1].S))
		key := t.IndexEntry(nil, ix, row, pk)
		if ix.Unique {
			if _, err := s.txn.Get(key); err == nil {
				return false, pgerr.Newf(pgerr.UniqueViolation, "could not create unique index %q", ix.Name).
					WithDetail("Key is duplicated.")
			} else if err != storage.ErrNotFound {
				return false, err
			}
		}
		return true, s.txn.Put(key, pk)
	})
}

// preventInTxnBlock is PostgreSQL's PreventInTransactionBlock: what (a
// statement that commits its own work, like CREATE INDEX CONCURRENTLY)
// fails with 25001 inside BEGIN ... COMMIT.
func (s *Session) preventInTxnBlock(what string) error {
	if s.explicit {
		return pgerr.Newf(pgerr.ActiveSQLTransaction, "%s cannot run inside a transaction block", what)
	}
	return nil
}

// notIndexError is PostgreSQL's error for DROP INDEX / REINDEX INDEX on a
// relation that exists but is not an index; nil when name is not one.
func notIndexError(cat *catalogView, name tree.TableName, drop bool) error {
	kind := cat.relationKind(name.Schema, name.Name)
	if kind == "" || kind == "index" {
		return nil
	}
	e := pgerr.Newf(pgerr.WrongObjectType, "%q is not an index", name.Name)
	if drop {
		e = e.WithHint(fmt.Sprintf("Use DROP %s to remove a %s.", strings.ToUpper(kind), kind))
	}
	return e
}

func (s *Session) dropIndex(st *tree.DropIndex) (*Result, error) {
	if st.Concurrently {
		if err := s.preventInTxnBlock("DROP INDEX CONCURRENTLY"); err != nil {
			return nil, err
		}
		if len(st.Names) > 1 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "DROP INDEX CONCURRENTLY does not support dropping multiple objects")
		}
		if st.Cascade {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "DROP INDEX CONCURRENTLY does not support CASCADE")
		}
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	for _, n := range st.Names {
		td, ix := cat.indexByName(n.Name)
		if ix == nil {
			if err := notIndexError(cat, n, true); err != nil {
				return nil, err
			}
			if st.IfExists {
				s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("index %q does not exist, skipping", n.Name))
				continue
			}
			return nil, pgerr.Newf(pgerr.UndefinedObject, "index %q does not exist", n.Name)
		}
		if ix.Primary || (ix.Unique && strings.HasSuffix(ix.Name, "_key")) {
			return nil, pgerr.Newf(pgerr.Code("2BP01"), "cannot drop index %s because constraint %s on table %s requires it", ix.Name, ix.Name, td.Name).
				WithHint(fmt.Sprintf("You can drop constraint %s on table %s instead.", ix.Name, td.Name))
		}
		p := storage.IndexPrefix(td.ID, ix.ID)
		if err := s.txn.DeleteRange(p, storage.PrefixEnd(p)); err != nil {
			return nil, err
		}
		if executor.IsVectorIndex(ix) {
			s.changes.DropAtCommit(ix.OID)
		}
		desc := copyTableDesc(td)
		desc.Indexes = desc.Indexes[:0]
		for _, x := range td.Indexes {
			if x.Name != ix.Name {
				desc.Indexes = append(desc.Indexes, x)
			}
		}
		if err := storage.PutTable(s.txn, desc); err != nil {
			return nil, err
		}
		s.markCatalogWrite()
		if cat, err = s.catalog(); err != nil {
			return nil, err
		}
	}
	return tagResult(s, "DROP INDEX"), nil
}

func (s *Session) reindex(ctx context.Context, st *tree.Reindex) (*Result, error) {
	if st.Kind == "SYSTEM" && st.Concurrently {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot reindex system catalogs concurrently")
	}
	if st.Kind != "INDEX" && st.Kind != "TABLE" {
		if err := s.preventInTxnBlock("REINDEX " + st.Kind); err != nil {
			return nil, err
		}
	} else if st.Concurrently {
		if err := s.preventInTxnBlock("REINDEX CONCURRENTLY"); err != nil {
			return nil, err
		}
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	tables, err := reindexTargets(cat, s.dbName, st)
	if err != nil {
		return nil, err
	}
	cmd := cmdReindex
	if st.Concurrently {
		cmd = cmdReindexConcurrently
	}
	for _, tt := range tables {
		t, err := s.e.table(tt.table)
		if err != nil {
			return nil, err
		}
		for _, ix := range tt.indexes {
			if err := s.rebuildIndex(ctx, t, ix, cmd); err != nil {
				return nil, err
			}
		}
	}
	return tagResult(s, "REINDEX"), nil
}

// reindexTarget is a table and the indexes of it a REINDEX rebuilds.
type reindexTarget struct {
	table   *storage.TableDesc
	indexes []*storage.IndexDesc
}

// reindexTargets resolves what a REINDEX names, with PostgreSQL's errors:
// 42P01 for a missing relation, 42809 for a relation of the wrong kind,
// 3F000 for a missing schema, 0A000 for another database.
func reindexTargets(cat *catalogView, dbName string, st *tree.Reindex) ([]reindexTarget, error) {
	all := func(td *storage.TableDesc) reindexTarget {
		r := reindexTarget{table: td}
		for i := range td.Indexes {
			r.indexes = append(r.indexes, &td.Indexes[i])
		}
		return r
	}
	switch st.Kind {
	case "INDEX":
		td, ix := cat.indexByName(st.Name.Name)
		if ix == nil || (st.Name.Schema != "" && st.Name.Schema != "public") {
			if err := notIndexError(cat, st.Name, false); err != nil {
				return nil, err
			}
			return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", st.Name.Name)
		}
		return []reindexTarget{{table: td, indexes: []*storage.IndexDesc{ix}}}, nil
	case "TABLE":
		t, err := cat.table(st.Name.Schema, st.Name.Name)
		if err != nil {
			return nil, err
		}
		if t == nil {
			if kind := cat.relationKind(st.Name.Schema, st.Name.Name); kind != "" {
				return nil, pgerr.Newf(pgerr.WrongObjectType, "%q is not a table or materialized view", st.Name.Name)
			}
			return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", st.Name.Name)
		}
		return []reindexTarget{all(t.Desc)}, nil
	case "SCHEMA":
		switch st.Name.Name {
		case "public":
		case "pg_catalog", "information_schema", "pg_toast":
			// NB: the system catalogs are views over the catalog, with no
			// index to rebuild.
			return nil, nil
		default:
			return nil, pgerr.Newf(pgerr.InvalidSchemaName, "schema %q does not exist", st.Name.Name)
		}
	default: // DATABASE, SYSTEM
		if st.Name.Name != dbName {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "can only reindex the currently open database")
		}
		if st.Kind == "SYSTEM" {
			return nil, nil
		}
	}
	var out []reindexTarget
	for _, td := range cat.cat.Tables(cat.db.ID) {
		out = append(out, all(td))
	}
	return out, nil
}

// rebuildIndex rebuilds one index of t from its rows for command (see
// buildVectorIndex).
func (s *Session) rebuildIndex(ctx context.Context, t *executor.Table, ix *storage.IndexDesc, command string) error {
	if executor.IsVectorIndex(ix) {
		return s.buildVectorIndex(ctx, t, ix, command)
	}
	if !executor.IsBtree(ix) {
		return nil
	}
	p := storage.IndexPrefix(t.Desc.ID, ix.ID)
	if err := s.txn.DeleteRange(p, storage.PrefixEnd(p)); err != nil {
		return err
	}
	return s.buildBtree(ctx, t, ix)
}
