package sql

import (
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Catalog functions: the pg_catalog helpers clients call in metadata
// queries. They need the catalog, which built-in functions cannot see, so
// the binder builds them here over the statement's catalog view.

// catalogCall evaluates a catalog function over its arguments.
type catalogCall struct {
	args []executor.Expr
	typ  types.T
	fn   func(args []types.Datum) (types.Datum, error)
	// strict functions return NULL when any argument is NULL.
	strict bool
}

func (c *catalogCall) Type() types.T { return c.typ }

func (c *catalogCall) Eval(ctx *executor.Ctx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(c.args))
	for i, a := range c.args {
		v, err := a.Eval(ctx, row)
		if err != nil {
			return types.Null, err
		}
		if v.IsNull() && c.strict {
			return types.Null, nil
		}
		vals[i] = v
	}
	return c.fn(vals)
}

type catalogFuncSpec struct {
	params []types.T
	ret    types.T
	fn     func(b *binder, args []types.Datum) (types.Datum, error)
	strict bool
}

func constTrue(*binder, []types.Datum) (types.Datum, error) { return types.NewBool(true), nil }
func constNull(*binder, []types.Datum) (types.Datum, error) { return types.Null, nil }

var catalogFuncs = map[string][]catalogFuncSpec{
	"to_regtype": {{params: []types.T{tText}, ret: types.RegtypeType, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
		name := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(a[0].S)), "pg_catalog.")
		name = strings.TrimPrefix(name, "public.")
		if strings.HasPrefix(name, "_") {
			t, err := types.ParseTypeName(name[1:], nil, 1)
			if err != nil {
				return types.Null, nil
			}
			return dOid(t.OID()), nil
		}
		if name == "sparsevec" {
			return types.Null, nil // not provided (pgvector-go handles their absence)
		}
		t, err := types.ParseTypeName(name, nil, 0)
		if err != nil {
			return types.Null, nil
		}
		return dOid(t.OID()), nil
	}}},
	"to_regclass": {{params: []types.T{tText}, ret: types.RegclassType, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
		name := strings.ToLower(strings.TrimSpace(a[0].S))
		schema := ""
		if i := strings.IndexByte(name, '.'); i >= 0 {
			schema, name = name[:i], name[i+1:]
		}
		if oid, ok := b.relationOID(schema, strings.Trim(name, `"`)); ok {
			return dOid(oid), nil
		}
		return types.Null, nil
	}}},
	"format_type": {{params: []types.T{tOid, tInt4}, ret: tText, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
		if a[0].IsNull() {
			return types.Null, nil
		}
		mod := int32(-1)
		if !a[1].IsNull() {
			mod = int32(a[1].I)
		}
		t, ok := types.FromOID(uint32(a[0].I), mod)
		if !ok {
			return dStr("???"), nil
		}
		if t.Family == types.Bit && mod < 0 && !a[1].IsNull() {
			// NB: bit with no modifier is not BIT (which means bit(1)), so
			// format_type quotes it when a modifier argument is given.
			return dStr(`"bit"`), nil
		}
		return dStr(t.String()), nil
	}}},
	"pg_get_indexdef": {
		{params: []types.T{tOid}, ret: tText, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
			t, ix := b.indexByOID(uint32(a[0].I))
			if ix == nil {
				return types.Null, nil
			}
			return dStr(indexDef(t, ix, false)), nil
		}},
		{params: []types.T{tOid, tInt4, tBool}, ret: tText, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
			t, ix := b.indexByOID(uint32(a[0].I))
			if ix == nil {
				return types.Null, nil
			}
			col := int(a[1].I)
			pretty := a[2].Bool()
			if col == 0 {
				return dStr(indexDef(t, ix, pretty)), nil
			}
			if ix.Expr != "" {
				if col != 1 {
					return dStr(""), nil
				}
				return dStr(indexExprText(ix, pretty)), nil
			}
			if col < 1 || col > len(ix.Columns) {
				return dStr(""), nil
			}
			return dStr(t.Columns[ix.Columns[col-1]].Name), nil
		}},
	},
	"pg_get_constraintdef": {
		{params: []types.T{tOid}, ret: tText, strict: true, fn: constraintDef},
		{params: []types.T{tOid, tBool}, ret: tText, strict: true, fn: constraintDef},
	},
	"pg_partition_ancestors": {{params: []types.T{types.RegclassType}, ret: types.RegclassType, strict: true, fn: partitionAncestors}},
	"pg_get_expr": {
		{params: []types.T{tText, tOid}, ret: tText, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) { return a[0], nil }},
		{params: []types.T{tText, tOid, tBool}, ret: tText, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) { return a[0], nil }},
	},
	"pg_table_is_visible":    {{params: []types.T{tOid}, ret: tBool, strict: true, fn: constTrue}},
	"pg_type_is_visible":     {{params: []types.T{tOid}, ret: tBool, strict: true, fn: constTrue}},
	"pg_function_is_visible": {{params: []types.T{tOid}, ret: tBool, strict: true, fn: constTrue}},
	"pg_get_userbyid": {{params: []types.T{tOid}, ret: tName, strict: true, fn: func(*binder, []types.Datum) (types.Datum, error) {
		return dStr("postgres"), nil
	}}},
	"pg_encoding_to_char": {{params: []types.T{tInt4}, ret: tName, strict: true, fn: func(*binder, []types.Datum) (types.Datum, error) {
		return dStr("UTF8"), nil
	}}},
	"obj_description": {
		{params: []types.T{tOid}, ret: tText, fn: constNull},
		{params: []types.T{tOid, tName}, ret: tText, fn: constNull},
	},
	"col_description":   {{params: []types.T{tOid, tInt4}, ret: tText, fn: constNull}},
	"shobj_description": {{params: []types.T{tOid, tName}, ret: tText, fn: constNull}},
	"current_schemas": {{params: []types.T{tBool}, ret: types.ArrayOf(tName), strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
		if a[0].Bool() {
			return types.NewArray([]types.Datum{dStr("pg_catalog"), dStr("public")}), nil
		}
		return types.NewArray([]types.Datum{dStr("public")}), nil
	}}},
	"pg_get_statisticsobjdef_columns": {{params: []types.T{tOid}, ret: tText, fn: constNull}},
	"pg_relation_is_publishable": {{params: []types.T{tOid}, ret: tBool, strict: true, fn: func(*binder, []types.Datum) (types.Datum, error) {
		return types.NewBool(false), nil
	}}},
	"pg_get_serial_sequence": {{params: []types.T{tText, tText}, ret: tText, strict: true, fn: func(b *binder, a []types.Datum) (types.Datum, error) {
		schema, name, err := splitRegclass(a[0].S)
		if err != nil {
			return types.Null, err
		}
		t, _ := b.cat.table(schema, name)
		if t == nil {
			return types.Null, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", a[0].S)
		}
		if sd := b.cat.cat.OwnedSequence(t.Desc.ID, a[1].S); sd != nil {
			return dStr("public." + sd.Name), nil
		}
		return types.Null, nil
	}}},
	"has_table_privilege":    {{params: []types.T{tText, tText}, ret: tBool, fn: constTrue}},
	"has_schema_privilege":   {{params: []types.T{tText, tText}, ret: tBool, fn: constTrue}},
	"pg_relation_size":       {{params: []types.T{tOid}, ret: tInt8, strict: true, fn: relationSize}},
	"pg_table_size":          {{params: []types.T{tOid}, ret: tInt8, strict: true, fn: relationSize}},
	"pg_total_relation_size": {{params: []types.T{tOid}, ret: tInt8, strict: true, fn: relationSize}},
	"pg_indexes_size":        {{params: []types.T{tOid}, ret: tInt8, strict: true, fn: relationSize}},
	"pg_size_pretty": {{params: []types.T{tInt8}, ret: tText, strict: true, fn: func(_ *binder, a []types.Datum) (types.Datum, error) {
		return dStr(sizePretty(a[0].I)), nil
	}}},
}

func constraintDef(b *binder, a []types.Datum) (types.Datum, error) {
	if def, ok := checkOrForeignKeyDef(b, uint32(a[0].I), len(a) > 1 && a[1].Bool()); ok {
		return dStr(def), nil
	}
	oid := uint32(a[0].I) - 1<<30
	t, ix := b.indexByOID(oid)
	if ix == nil {
		return types.Null, nil
	}
	names := make([]string, len(ix.Columns))
	for i, c := range ix.Columns {
		names[i] = t.Columns[c].Name
	}
	kind := "UNIQUE"
	if ix.Primary {
		kind = "PRIMARY KEY"
	}
	return dStr(kind + " (" + strings.Join(names, ", ") + ")"), nil
}

func (b *binder) indexByOID(oid uint32) (*storage.TableDesc, *storage.IndexDesc) {
	for _, t := range b.tables() {
		for i := range t.Indexes {
			if t.Indexes[i].OID == oid {
				return t, &t.Indexes[i]
			}
		}
	}
	return nil, nil
}

// catalogFunc binds a catalog function call; ok is false for other names.
func (b *binder) catalogFunc(sc *scope, e *tree.FuncCall) (executor.Expr, bool, error) {
	specs, ok := catalogFuncs[lower(e.Name)]
	if !ok {
		return nil, false, nil
	}
	for _, sp := range specs {
		if len(sp.params) != len(e.Args) {
			continue
		}
		args, err := b.exprList(sc, e.Args)
		if err != nil {
			return nil, true, err
		}
		for i, a := range args {
			// NB: PostgreSQL declares these oid parameters as regclass, so a
			// quoted name ('items') resolves to the relation's OID.
			if c, ok := a.(*executor.Const); ok && isUnknown(a) && !c.Value.IsNull() && sp.params[i].Family == types.Oid {
				if _, err := strconv.ParseUint(c.Value.S, 10, 32); err != nil {
					if a, err = b.regCast(c.Value.S, types.RegclassType); err != nil {
						return nil, true, err
					}
				}
			}
			if args[i], err = b.coerceCtx(a, sp.params[i], types.CastExplicit); err != nil {
				return nil, true, err
			}
		}
		spec := sp
		return &catalogCall{args: args, typ: sp.ret, strict: sp.strict, fn: func(v []types.Datum) (types.Datum, error) {
			return spec.fn(b, v)
		}}, true, nil
	}
	return nil, false, nil
}

// relationSize reports a vector index's in-memory size; other relations
// live in Pebble's shared files and report 0.
func relationSize(b *binder, a []types.Datum) (types.Datum, error) {
	if li := b.s.e.vec.Get(uint32(a[0].I)); li != nil {
		return dInt(li.Index.Stats().Bytes), nil
	}
	return dInt(0), nil
}

// sizePretty formats a byte count as pg_size_pretty does.
func sizePretty(n int64) string {
	units := []string{"bytes", "kB", "MB", "GB", "TB"}
	v := n
	i := 0
	for i < len(units)-1 && (v >= 10240 || v <= -10240) {
		v = (v + 512) / 1024
		i++
	}
	return strconv.FormatInt(v, 10) + " " + units[i]
}
