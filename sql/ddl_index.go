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

func (s *Session) createIndex(ctx context.Context, st *tree.CreateIndex) (*Result, error) {
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
	for _, el := range st.Elems {
		if el.Expr != nil {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "expression indexes are not supported yet")
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
		if err := validateVectorIndex(t, &ix, st); err != nil {
			return nil, err
		}
	} else if len(st.With) > 0 {
		for _, o := range st.With {
			if o.Name != "fillfactor" && o.Name != "deduplicate_items" {
				return nil, pgerr.Newf(pgerr.InvalidParameterValue, "unrecognized parameter %q", o.Name)
			}
		}
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
		err = s.buildVectorIndex(ctx, nt, built, true)
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
// does: one vector column, a matching operator class, options in range.
func validateVectorIndex(t *executor.Table, ix *storage.IndexDesc, st *tree.CreateIndex) error {
	if len(ix.Columns) != 1 {
		return pgerr.Newf(pgerr.FeatureNotSupported, "access method %q does not support multicolumn indexes", ix.Method)
	}
	if st.Unique {
		return pgerr.Newf(pgerr.FeatureNotSupported, "access method %q does not support unique indexes", ix.Method)
	}
	col := ix.Columns[0]
	ct := t.Types[col]
	if ct.Family != types.Vector {
		return pgerr.Newf(pgerr.UndefinedObject, "data type %s has no default operator class for access method %q", ct, ix.Method).
			WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
	}
	if ix.Opclasses[0] == "" {
		ix.Opclasses[0] = "vector_l2_ops"
	}
	if !vectorOpclasses[ix.Opclasses[0]] {
		return pgerr.Newf(pgerr.UndefinedObject, "operator class %q does not exist for access method %q", ix.Opclasses[0], ix.Method)
	}
	if ct.Typmod < 1 {
		return pgerr.New(pgerr.DataException, "column does not have dimensions")
	}
	opts, err := vectorIndexOptions(ix.Method, st.With)
	if err != nil {
		return err
	}
	ix.Options = opts
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

func vectorIndexOptions(method string, with []tree.Option) ([]storage.IndexOption, error) {
	specs := indexOptionSpecs[method]
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
		v, err := strconv.Atoi(strings.TrimSpace(o.Value))
		if err != nil {
			return nil, pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for integer option %q: %s", name, o.Value)
		}
		if v < spec.min || v > spec.max {
			return nil, pgerr.Newf(pgerr.InvalidParameterValue, "value %d out of bounds for option %q", v, name).
				WithDetail(fmt.Sprintf("Valid values are between \"%d\" and \"%d\".", spec.min, spec.max))
		}
		vals[name] = v
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

func (s *Session) dropIndex(st *tree.DropIndex) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	for _, n := range st.Names {
		td, ix := cat.indexByName(n.Name)
		if ix == nil {
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
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	var targets []*storage.IndexDesc
	var td *storage.TableDesc
	if strings.EqualFold(st.Kind, "TABLE") {
		t, err := cat.table(st.Name.Schema, st.Name.Name)
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", st.Name.Name)
		}
		td = t.Desc
		for i := range td.Indexes {
			targets = append(targets, &td.Indexes[i])
		}
	} else {
		var ix *storage.IndexDesc
		td, ix = cat.indexByName(st.Name.Name)
		if ix == nil {
			return nil, pgerr.Newf(pgerr.UndefinedObject, "index %q does not exist", st.Name.Name)
		}
		targets = append(targets, ix)
	}
	t, err := s.e.table(td)
	if err != nil {
		return nil, err
	}
	for _, ix := range targets {
		if executor.IsVectorIndex(ix) {
			if err := s.buildVectorIndex(ctx, t, ix, true); err != nil {
				return nil, err
			}
			continue
		}
		if !executor.IsBtree(ix) {
			continue
		}
		p := storage.IndexPrefix(td.ID, ix.ID)
		if err := s.txn.DeleteRange(p, storage.PrefixEnd(p)); err != nil {
			return nil, err
		}
		if err := s.buildBtree(ctx, t, ix); err != nil {
			return nil, err
		}
	}
	return tagResult(s, "REINDEX"), nil
}
