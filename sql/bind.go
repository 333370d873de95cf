package sql

import (
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// binder turns syntax trees into typed logical plans: it resolves names
// against the catalog, resolves operators and functions through the
// built-in library, coerces untyped literals and parameters, and infers
// parameter types. One binder binds one statement.
type binder struct {
	s      *Session
	cat    *catalogView
	lib    *builtin.Library
	params []types.T
	// paramRefs lists every reference to each parameter so a type inferred
	// late (from a later use) reaches earlier references too.
	paramRefs map[int][]*executor.ParamRef
	sqlText   string
	// inAggArgs is set while an aggregate's arguments are bound, so a
	// nested aggregate call gets PostgreSQL's 42803 message.
	inAggArgs bool
	// inWinArgs is set while a window function's arguments and window are
	// bound, so a nested window function gets 42P20.
	inWinArgs bool
	// readsSystemViews is set when the statement reads a system relation
	// (pg_catalog, information_schema), whose rows are baked into the plan.
	readsSystemViews bool
}

func newBinder(s *Session, cat *catalogView, paramTypes []types.T, sqlText string) *binder {
	return &binder{s: s, cat: cat, lib: s.e.lib, params: paramTypes, paramRefs: map[int][]*executor.ParamRef{}, sqlText: sqlText}
}

// scope is the set of columns visible to expressions at one query level.
type scope struct {
	cols   []planner.Column
	parent *scope
	// correlated is set when an inner query referenced this scope's
	// columns through an OuterRef.
	correlated bool
	// boundary marks the scope a subquery is bound under: crossing it
	// moves one level up the executor's stack of outer rows.
	boundary bool
	// agg is non-nil while binding the select list, HAVING and ORDER BY of
	// an aggregating query.
	agg *aggContext
	// win is non-nil where window functions are allowed (the select list
	// and ORDER BY); it collects them.
	win *winContext
	// outputs are the select list's output names and expressions, visible
	// to ORDER BY by name.
	ctes map[string]*cteDef
}

type cteDef struct {
	node planner.Node
}

// resolveColumn finds a column by (optional) table qualifier and name.
// A hidden column is found only by its table's name: the sides of a JOIN
// ... USING merged into one visible column stay reachable as t.col, as in
// PostgreSQL.
func (sc *scope) resolveColumn(table, name string) (int, *planner.Column, error) {
	found := -1
	for i := range sc.cols {
		c := &sc.cols[i]
		if c.Name != name || (c.Hidden && (table == "" || c.Table == "")) {
			continue
		}
		if table != "" && c.Table != table {
			continue
		}
		if found >= 0 {
			return 0, nil, pgerr.Newf(pgerr.AmbiguousColumn, "column reference %q is ambiguous", name)
		}
		found = i
	}
	if found < 0 {
		return -1, nil, nil
	}
	return found, &sc.cols[found], nil
}

func (sc *scope) hasTable(name string) bool {
	for _, c := range sc.cols {
		if c.Table == name {
			return true
		}
	}
	return false
}

// errPos attaches the 1-based character position of a syntax node at byte
// offset pos to err, when err has none.
func (b *binder) errPos(err error, pos int) error {
	pe := pgerr.From(err)
	if pe.Position != 0 || pos < 0 || pos > len(b.sqlText) {
		return err
	}
	return pe.WithPosition(len([]rune(b.sqlText[:pos])) + 1)
}

// finishParams gives parameters whose type nothing determined the type
// text, as PostgreSQL does for e.g. "SELECT $1".
func (b *binder) finishParams() []types.T {
	out := make([]types.T, len(b.params))
	for i, t := range b.params {
		if t.Family == types.Unknown {
			t = types.TextType
			for _, r := range b.paramRefs[i+1] {
				r.Typ = t
			}
		}
		out[i] = t
	}
	return out
}

// lookupTable resolves a table name for the current database.
func (b *binder) lookupTable(schema, name string) (*executor.Table, error) {
	t, err := b.cat.table(schema, name)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", qualified(schema, name))
	}
	return t, nil
}

func qualified(schema, name string) string {
	if schema == "" || schema == "public" {
		return name
	}
	return schema + "." + name
}

func tableColumns(t *executor.Table, alias string) []planner.Column {
	cols := make([]planner.Column, len(t.Desc.Columns))
	for i, c := range t.Desc.Columns {
		cols[i] = planner.Column{Name: c.Name, Type: t.Types[i], TableOID: t.Desc.ID, ColNum: int16(i + 1), Table: alias}
	}
	return cols
}

func lower(s string) string { return strings.ToLower(s) }

// buildPlan optimises and builds a nested plan (subqueries).
func (b *binder) buildPlan(n planner.Node) (executor.Operator, error) {
	return planner.Build(b.s.e.optimizer(b.cat).Optimize(n))
}

// regCast resolves 'name'::regclass, 'name'::regtype or 'name'::regproc
// to an OID constant.
func (b *binder) regCast(name string, t types.T) (executor.Expr, error) {
	if t.Family == types.Regproc {
		oid, err := procOID(name)
		if err != nil {
			return nil, err
		}
		return &executor.Const{Value: types.NewInt(int64(oid)), Typ: t}, nil
	}
	if t.Family == types.Regtype {
		typ, err := types.ParseTypeName(strings.TrimPrefix(strings.ToLower(name), "pg_catalog."), nil, 0)
		if err != nil {
			return nil, err
		}
		return &executor.Const{Value: types.NewInt(int64(typ.OID())), Typ: t}, nil
	}
	if oid, err := strconv.ParseUint(name, 10, 32); err == nil {
		// NB: a numeric string is an OID, as PostgreSQL's regclassin takes
		// it ('16385'::regclass in psql's \d queries).
		return &executor.Const{Value: types.NewInt(int64(oid)), Typ: t}, nil
	}
	schema, rel := "", strings.ToLower(name)
	if i := strings.IndexByte(rel, '.'); i >= 0 {
		schema, rel = rel[:i], rel[i+1:]
	}
	rel = strings.Trim(rel, `"`)
	if oid, ok := b.relationOID(schema, rel); ok {
		return &executor.Const{Value: types.NewInt(int64(oid)), Typ: t}, nil
	}
	return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", name)
}

// relationOID finds the OID of a table or index by name.
func (b *binder) relationOID(schema, name string) (uint32, bool) {
	if t, _ := b.cat.table(schema, name); t != nil {
		return t.Desc.ID, true
	}
	if _, ix := b.cat.indexByName(name); ix != nil {
		return ix.OID, true
	}
	if seq := b.cat.sequence(schema, name); seq != nil {
		return seq.ID, true
	}
	if schema == "" || schema == "pg_catalog" {
		if oid, ok := catalogRelOIDs[name]; ok {
			return oid, true
		}
	}
	return 0, false
}

// optimizer returns the planner configured with the engine's statistics
// and the expression index keys of the tables in cat.
func (e *Engine) optimizer(cat *catalogView) *planner.Optimizer {
	return &planner.Optimizer{Stats: e.stats, IndexKey: e.plannerIndexKey(cat)}
}
