package sql

import (
	"sync"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Expression indexes (vector methods only): CREATE INDEX ... USING hnsw
// ((binary_quantize(embedding)::bit(3)) bit_hamming_ops). The descriptor
// keeps the key as SQL text (storage.IndexDesc.Expr, rendered by
// tree.FormatExpr) and the columns it reads (IndexDesc.Columns); every
// user binds the text again against the table: the build and REINDEX
// (buildVectorIndex), start-up (openVectorIndexes) and the planner
// (Optimizer.IndexKey, which compares the bound key with the ORDER BY
// expression structurally, executor.SameExpr).

// indexKeyExpr validates and binds the key expression e of a new index
// on t, with PostgreSQL's errors: 0A000 for a subquery, 42803 for an
// aggregate, 42P20 for a window function, 42P02 for a parameter, 42P17
// for a volatile function. It returns the bound key, its SQL text and
// the sorted ordinals of the columns it reads.
func (s *Session) indexKeyExpr(cat *catalogView, t *executor.Table, e tree.Expr) (executor.Expr, string, []int, error) {
	var bad error
	walkExpr(e, func(x tree.Expr) bool {
		switch x := x.(type) {
		case *tree.Subquery, *tree.Exists, *tree.InSubquery:
			bad = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in index expression")
		case *tree.Param:
			bad = pgerr.Newf(pgerr.UndefinedParameter, "there is no parameter $%d", x.N)
		case *tree.FuncCall:
			if x.Over != nil {
				bad = pgerr.New(pgerr.WindowingError, "window functions are not allowed in index expressions")
			} else if s.e.lib.IsAggregate(lower(x.Name)) {
				bad = pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in index expressions")
			}
		}
		return bad == nil
	})
	if bad != nil {
		return nil, "", nil, bad
	}
	text := tree.FormatExpr(e)
	key, err := bindIndexKey(s, cat, t, e)
	if err != nil {
		return nil, "", nil, err
	}
	if volatileExpr(key) {
		return nil, "", nil, pgerr.New(pgerr.InvalidObjectDefinition, "functions in index expression must be marked IMMUTABLE")
	}
	return key, text, exprColumns(t.Desc, e), nil
}

// bindIndexKey binds a key expression over the columns of t.
func bindIndexKey(s *Session, cat *catalogView, t *executor.Table, e tree.Expr) (executor.Expr, error) {
	b := newBinder(s, cat, nil, "")
	return b.expr(&scope{cols: tableColumns(t, t.Desc.Name)}, e)
}

// volatileExpr reports whether a bound expression calls a volatile
// function (random(), now(), nextval()).
func volatileExpr(e executor.Expr) bool {
	switch x := e.(type) {
	case *executor.Call:
		if x.Fn.Volatile {
			return true
		}
		return anyVolatile(x.Args)
	case *executor.CastExpr:
		return volatileExpr(x.Expr)
	case *executor.Coalesce:
		return anyVolatile(x.Args)
	case *executor.Greatest:
		return anyVolatile(x.Args)
	case *executor.ArrayExpr:
		return anyVolatile(x.Elems)
	case *executor.And:
		return volatileExpr(x.Left) || volatileExpr(x.Right)
	case *executor.Or:
		return volatileExpr(x.Left) || volatileExpr(x.Right)
	case *executor.Not:
		return volatileExpr(x.Expr)
	case *executor.IsNullExpr:
		return volatileExpr(x.Expr)
	case *executor.CaseExpr:
		for _, w := range x.Whens {
			if volatileExpr(w.Cond) || volatileExpr(w.Result) {
				return true
			}
		}
		return x.Else != nil && volatileExpr(x.Else)
	}
	return false
}

func anyVolatile(es []executor.Expr) bool {
	for _, e := range es {
		if volatileExpr(e) {
			return true
		}
	}
	return false
}

// indexExprName is the column name PostgreSQL's FigureIndexColname gives
// an index expression, the middle of the default index name
// (<table>_<name>_idx): a function's name, a column's name, through casts
// (the cast's type name when the operand has none), else "expr".
func indexExprName(e tree.Expr) string {
	switch x := e.(type) {
	case *tree.FuncCall:
		return lower(x.Name)
	case *tree.ColumnRef:
		if !x.Star {
			return x.Column
		}
	case *tree.Cast:
		if n := indexExprName(x.Expr); n != "expr" {
			return n
		}
		return x.Type.Name
	}
	return "expr"
}

// indexKeys caches the bound keys of expression indexes by descriptor
// (descriptors are immutable; a catalog change makes new ones).
type indexKeys struct {
	m sync.Map // *storage.IndexDesc → executor.Expr
}

// indexKey returns the bound key of expression index ix of t (nil for a
// column index). cat names the database the table is in.
func (e *Engine) indexKey(cat *catalogView, t *executor.Table, ix *storage.IndexDesc) (executor.Expr, error) {
	if ix.Expr == "" {
		return nil, nil
	}
	if k, ok := e.keys.m.Load(ix); ok {
		return k.(executor.Expr), nil
	}
	parsed, err := parseExpr(ix.Expr)
	if err != nil {
		return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "expression of index "+ix.Name)
	}
	// NB: binding needs a session for its settings; key expressions are
	// immutable, so a fresh one with default settings binds them the same
	// in every session.
	s := &Session{e: e, user: "postgres", dbName: cat.db.Name, settings: newSettings(), prepared: map[string]*Prepared{}}
	key, err := bindIndexKey(s, cat, t, parsed)
	if err != nil {
		return nil, pgerr.Wrap(err, pgerr.From(err).Code, "expression of index "+ix.Name)
	}
	e.keys.m.Store(ix, key)
	return key, nil
}

// plannerIndexKey adapts indexKey to planner.Optimizer.IndexKey: a key
// that no longer binds leaves the index unused rather than failing the
// query.
func (e *Engine) plannerIndexKey(cat *catalogView) func(*executor.Table, *storage.IndexDesc) executor.Expr {
	return func(t *executor.Table, ix *storage.IndexDesc) executor.Expr {
		key, err := e.indexKey(cat, t, ix)
		if err != nil {
			return nil
		}
		return key
	}
}

// indexKeyCount is the number of key columns of ix (pg_index.indnatts).
func indexKeyCount(ix *storage.IndexDesc) int {
	if ix.Expr != "" {
		return 1
	}
	return len(ix.Columns)
}

// indexExprText is an expression key as pg_get_indexdef prints it. A
// function call prints as is, "lower(name)". Otherwise pretty (psql's
// \d) parenthesises the key, "(binary_quantize(embedding)::bit(3))";
// the plain form also parenthesises the operand of a cast, as
// PostgreSQL's deparser does: "((binary_quantize(embedding))::bit(3))".
// NB: the plain form is PostgreSQL's only for a cast of a function call
// or a column (the keys vector indexes take); other keys print as pretty.
func indexExprText(ix *storage.IndexDesc, pretty bool) string {
	e, err := parseExpr(ix.Expr)
	if err != nil {
		return "(" + ix.Expr + ")"
	}
	switch x := e.(type) {
	case *tree.FuncCall:
		return ix.Expr
	case *tree.Cast:
		switch x.Expr.(type) {
		case *tree.FuncCall, *tree.ColumnRef:
			if !pretty {
				return "((" + tree.FormatExpr(x.Expr) + ")::" + tree.FormatTypeName(x.Type) + ")"
			}
		}
	}
	return "(" + ix.Expr + ")"
}

// indexExprAttr is the pg_attribute name and type of an expression key:
// the name PostgreSQL derives (indexExprName) and the type of its
// outermost cast, which every accepted key has (vector and bit keys need
// a length, which only a cast gives); unknown otherwise.
// NB: binding the key here would make the system catalogs depend on the
// binder, which depends on them.
func indexExprAttr(ix *storage.IndexDesc) (string, types.T) {
	e, err := parseExpr(ix.Expr)
	if err != nil {
		return "expr", types.UnknownType
	}
	if c, ok := e.(*tree.Cast); ok {
		if t, err := types.ParseTypeName(c.Type.Name, c.Type.Mods, c.Type.ArrayDims); err == nil {
			return indexExprName(e), t
		}
	}
	return indexExprName(e), types.UnknownType
}

// renameColumnInIndexes rewrites the expression keys of desc's indexes
// for a column renamed from → to (the keys are stored by column name;
// PostgreSQL's, by attribute number, follow a rename by themselves).
func renameColumnInIndexes(desc *storage.TableDesc, from, to string) error {
	for i := range desc.Indexes {
		ix := &desc.Indexes[i]
		if ix.Expr == "" {
			continue
		}
		e, err := parseExpr(ix.Expr)
		if err != nil {
			return pgerr.Wrap(err, pgerr.DataCorrupted, "expression of index "+ix.Name)
		}
		walkExpr(e, func(x tree.Expr) bool {
			if r, ok := x.(*tree.ColumnRef); ok && r.Column == from && (r.Table == "" || r.Table == desc.Name) {
				r.Column = to
			}
			return true
		})
		ix.Expr = tree.FormatExpr(e)
	}
	return nil
}
