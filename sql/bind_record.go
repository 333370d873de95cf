package sql

import (
	"strconv"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// Composite (record) values: a row of fields held as a KindArray datum
// (one element per field) whose type is types.Record, with field names and
// types in T.Fields when they are known. They exist so far for
// information_schema._pg_expandarray's (x, n) results (pgjdbc's
// getPrimaryKeys and getIndexInfo): built by the select-list SRF expansion
// (bind_srf.go), passed through subqueries as ordinary columns, read with
// (expr).field, and printed as PostgreSQL's record_out does.
//
// NB: a ROW(...) written in SQL is an anonymous record: it binds, prints
// and passes through, and its fields are f1, f2, ... as in PostgreSQL.

// rowValue binds ROW(a, b, ...) into a composite value.
func (b *binder) rowValue(sc *scope, e *tree.Row) (executor.Expr, error) {
	elems := make([]executor.Expr, len(e.Elems))
	fields := make([]types.Field, len(e.Elems))
	for i, x := range e.Elems {
		v, err := b.expr(sc, x)
		if err != nil {
			return nil, err
		}
		elems[i] = b.defaultUnknown(v)
		// NB: an anonymous record's fields are f1, f2, ... as PostgreSQL
		// names them for (ROW(...)).f1, and keep their types, which
		// printing a nested record or array field needs.
		fields[i] = types.Field{Name: "f" + strconv.Itoa(i+1), Type: elems[i].Type()}
		if len(e.Names) == len(e.Elems) {
			fields[i].Name = e.Names[i]
		}
	}
	return &rowExpr{elems: elems, typ: types.RecordOf(fields)}, nil
}

// fieldAccess binds (x).field. Errors as PostgreSQL's: 42809 when x is not
// a composite, 42703 when it has no such field.
func (b *binder) fieldAccess(sc *scope, e *tree.FieldAccess) (executor.Expr, error) {
	x, err := b.expr(sc, e.Expr)
	if err != nil {
		return nil, err
	}
	name := lower(e.Field)
	t := x.Type()
	if t.Family != types.Record {
		return nil, pgerr.Newf(pgerr.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", name, t)
	}
	i, ok := t.FieldIndex(name)
	if !ok {
		return nil, pgerr.Newf(pgerr.UndefinedColumn, "could not identify column %q in record data type", name)
	}
	return &fieldExpr{rec: x, idx: i, name: name, typ: (*t.Fields)[i].Type}, nil
}

// rowExpr builds a composite value from its fields.
type rowExpr struct {
	elems []executor.Expr
	typ   types.T
}

func (r *rowExpr) Type() types.T { return r.typ }

func (r *rowExpr) Eval(ctx *executor.Ctx, row []types.Datum) (types.Datum, error) {
	out := make([]types.Datum, len(r.elems))
	for i, e := range r.elems {
		v, err := e.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		out[i] = v
	}
	return types.NewArray(out), nil
}

// fieldExpr reads field idx of a composite value; a NULL composite gives
// NULL.
type fieldExpr struct {
	rec  executor.Expr
	idx  int
	name string
	typ  types.T
}

func (f *fieldExpr) Type() types.T { return f.typ }

func (f *fieldExpr) Eval(ctx *executor.Ctx, row []types.Datum) (types.Datum, error) {
	v, err := f.rec.Eval(ctx, row)
	if err != nil || v.IsNull() || f.idx >= len(v.Arr) {
		return types.Null, err
	}
	return v.Arr[f.idx], nil
}
