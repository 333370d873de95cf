package executor

import (
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Expression indexes: a vector index whose key is an expression over the
// row (pgvector's binary quantization, "USING hnsw
// ((binary_quantize(embedding)::bit(3)) bit_hamming_ops)") rather than a
// column. The SQL layer binds the stored expression text
// (storage.IndexDesc.Expr) into an Expr over the table's row and hands it
// to Build and Open; every place that reads an indexed value (build, the
// commit-time changes, the replay of dirty markers, exact fallbacks of a
// scan) goes through keyValue, so an expression index and a column index
// differ only there.

// keyCtx is the context an index key expression is evaluated in.
// NB: key expressions are immutable (the binder rejects volatile
// functions), so they need no session state: no parameters, no
// settings, no transaction time.
func keyCtx() *Ctx { return &Ctx{Builtin: &builtin.Ctx{}} }

// KeyType is the type of the values index key (column col, or the
// expression key when not nil) holds for rows of t.
func KeyType(t *Table, col int, key Expr) types.T {
	if key != nil {
		return key.Type()
	}
	return t.Types[col]
}

// keyValue returns the value a vector index keyed by col or key indexes
// for row: the expression evaluated on the row, or the column. A value
// whose length is not the key type's dims fails with pgvector's errors,
// so that an index never holds a vector of another length.
func keyValue(ctx *Ctx, col int, key Expr, row []types.Datum) (types.Datum, error) {
	if key == nil {
		return row[col], nil
	}
	v, err := key.Eval(ctx, row)
	if err != nil || v.IsNull() {
		return v, err
	}
	dims := int(key.Type().Typmod)
	switch v.K {
	case types.KindVector:
		if len(v.Vec) != dims {
			return types.Null, pgerr.Newf(pgerr.DataException, "expected %d dimensions, not %d", dims, len(v.Vec))
		}
	case types.KindBit:
		if v.BitLen() != dims {
			return types.Null, pgerr.Newf(pgerr.Code("22026"), "bit string length %d does not match type bit(%d)", v.BitLen(), dims)
		}
	default:
		return types.Null, pgerr.Newf(pgerr.DatatypeMismatch, "index expression of type %s cannot be indexed", key.Type())
	}
	return v, nil
}

// value is keyValue for the index li.
func (li *LiveIndex) value(ctx *Ctx, row []types.Datum) (types.Datum, error) {
	return keyValue(ctx, li.Column, li.Key, row)
}

// keyColumn checks that ix and key agree (an expression index needs its
// bound key, a column index has none) and returns the key column (-1 for
// an expression index).
func keyColumn(ix *storage.IndexDesc, key Expr) (int, error) {
	switch {
	case ix.Expr != "" && key == nil:
		return -1, pgerr.Newf(pgerr.InternalError, "expression index %q opened without its key expression", ix.Name)
	case ix.Expr == "" && key != nil:
		return -1, pgerr.Newf(pgerr.InternalError, "column index %q opened with a key expression", ix.Name)
	case key != nil:
		return -1, nil
	}
	return ix.Columns[0], nil
}

// hasVectorIndex reports whether t has a vector index (an expression
// index may read only columns that are not vectors, e.g. a float8[]
// cast to vector(n)).
func hasVectorIndex(t *storage.TableDesc) bool {
	for i := range t.Indexes {
		if IsVectorIndex(&t.Indexes[i]) {
			return true
		}
	}
	return false
}
