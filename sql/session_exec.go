package sql

import (
	"context"
	"strconv"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// Prepared is a bound, planned statement. It may be executed many times,
// and survives the transaction it was prepared in: when the catalog changed
// since it was bound, Execute binds it again with the same parameter types.
type Prepared struct {
	Parsed
	// ParamTypes has one entry per $N.
	ParamTypes []types.T
	// Columns describes the result rows; nil when the statement returns
	// none (NoData).
	Columns []Column

	plan   planner.Node // queries and DML; nil for utility statements
	catGen uint64
	dirty  bool // bound against an uncommitted catalog
	// systemViews is set when the plan holds rows of system relations:
	// NB: they are computed at bind time and some change without a
	// catalog change (pg_settings after SET, the index build progress,
	// sequence values), so every execution binds again.
	systemViews bool
}

func errAborted() error {
	return pgerr.New(pgerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

// endsTxn reports whether stmt may run in a failed transaction.
func endsTxn(stmt tree.Statement) bool {
	switch st := stmt.(type) {
	case *tree.Commit:
		return true
	case *tree.Rollback:
		return true
	case *tree.Prepare:
		return endsTxn(st.Stmt)
	}
	return false
}

// Prepare binds a parsed statement against the catalog: resolves names,
// infers parameter types (paramOIDs gives the client's types; 0 or missing
// entries are inferred) and plans it. In a failed transaction it fails with
// 25P02 unless the statement ends the transaction.
func (s *Session) Prepare(ctx context.Context, p Parsed, paramOIDs []uint32) (*Prepared, error) {
	if s.failed && s.explicit && !endsTxn(p.Stmt) {
		return nil, errAborted()
	}
	pts := make([]types.T, max(p.NumParams, len(paramOIDs)))
	for i := range pts {
		pts[i] = types.UnknownType
		if i < len(paramOIDs) && paramOIDs[i] != 0 {
			t, ok := types.FromOID(paramOIDs[i], -1)
			if !ok {
				return nil, pgerr.Newf(pgerr.UndefinedObject, "type with OID %d does not exist", paramOIDs[i])
			}
			pts[i] = t
		}
	}
	prep, err := s.bind(p, pts)
	if err != nil {
		if s.txn != nil {
			s.fail()
		}
		return nil, err
	}
	return prep, nil
}

// bind binds p with the given parameter types.
func (s *Session) bind(p Parsed, pts []types.T) (*Prepared, error) {
	prep := &Prepared{Parsed: p, catGen: s.e.catGen.Load(), dirty: s.catDirty}
	stmt := p.Stmt
	if ex, ok := stmt.(*tree.Explain); ok {
		stmt = ex.Stmt
	}
	switch stmt.(type) {
	case *tree.Select, *tree.Insert, *tree.Update, *tree.Delete:
		cat, err := s.catalog()
		if err != nil {
			return nil, err
		}
		b := newBinder(s, cat, pts, p.SQL)
		var node planner.Node
		switch st := stmt.(type) {
		case *tree.Select:
			node, err = b.selectStmt(nil, st)
		case *tree.Insert:
			node, err = b.insertStmt(st)
		case *tree.Update:
			node, err = b.updateStmt(st)
		case *tree.Delete:
			node, err = b.deleteStmt(st)
		}
		if err != nil {
			return nil, s.positioned(err, p)
		}
		prep.ParamTypes = b.finishParams()
		prep.systemViews = b.readsSystemViews
		prep.plan = s.e.optimizer(b.cat).Optimize(node)
		prep.Columns = visibleColumns(prep.plan.Columns())
	case *tree.Execute:
		st := stmt.(*tree.Execute)
		target := s.prepared[st.Name]
		if target == nil {
			return nil, pgerr.Newf(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", st.Name)
		}
		prep.ParamTypes = pts
		prep.Columns = target.Columns
	default:
		prep.ParamTypes = pts
		for i, t := range prep.ParamTypes {
			if t.Family == types.Unknown {
				prep.ParamTypes[i] = types.TextType
			}
		}
		if sh, ok := stmt.(*tree.Show); ok {
			prep.Columns = []Column{{Name: showColumnName(sh.Name), Type: types.TextType}}
		}
	}
	if _, ok := p.Stmt.(*tree.Explain); ok {
		prep.Columns = []Column{{Name: "QUERY PLAN", Type: types.TextType}}
	}
	return prep, nil
}

// positioned converts a position relative to the statement into one
// relative to the query string the client sent. NB: Offset counts bytes;
// the text before a statement is almost always ASCII, so bytes and
// characters agree there.
func (s *Session) positioned(err error, p Parsed) error {
	pe := pgerr.From(err)
	if pe.Position == 0 || p.Offset == 0 {
		return err
	}
	return pe.WithPosition(pe.Position + p.Offset)
}

func visibleColumns(cols []planner.Column) []Column {
	var out []Column
	for _, c := range cols {
		if c.Hidden {
			continue
		}
		out = append(out, Column{Name: c.Name, TableOID: c.TableOID, ColumnNum: c.ColNum, Type: c.Type})
	}
	return out
}

// Execute runs a prepared statement with the given parameter values (one
// per ParamTypes entry, already decoded). Rows are produced lazily by
// Result.Next. Outside an explicit transaction the statement joins the
// implicit transaction that Sync ends.
func (s *Session) Execute(ctx context.Context, p *Prepared, params []types.Datum) (*Result, error) {
	if s.failed && !endsTxn(p.Stmt) {
		return nil, errAborted()
	}
	r, err := s.execute(ctx, p, params)
	if err != nil {
		if s.txn != nil || s.explicit {
			s.fail()
		}
		return nil, err
	}
	return r, nil
}

func (s *Session) execute(ctx context.Context, p *Prepared, params []types.Datum) (*Result, error) {
	if len(params) < len(p.ParamTypes) {
		return nil, pgerr.Newf(pgerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(params), len(p.ParamTypes))
	}
	if r, handled, err := s.execTxnControl(p.Stmt); handled {
		return r, err
	}
	if err := s.ensureTxn(); err != nil {
		return nil, err
	}
	if p.plan != nil {
		if p.catGen != s.e.catGen.Load() || p.dirty || s.catDirty || p.systemViews {
			fresh, err := s.bind(p.Parsed, p.ParamTypes)
			if err != nil {
				return nil, err
			}
			p.plan, p.catGen, p.dirty = fresh.plan, fresh.catGen, fresh.dirty
		}
		if ex, ok := p.Stmt.(*tree.Explain); ok {
			return s.explain(ctx, ex, p, params)
		}
		return s.runPlan(ctx, p.plan, params, commandVerb(p.Stmt))
	}
	return s.execUtility(ctx, p, params)
}

// runPlan builds and opens a plan and returns it as a streaming Result.
func (s *Session) runPlan(ctx context.Context, plan planner.Node, params []types.Datum, verb string) (*Result, error) {
	op, err := planner.Build(plan)
	if err != nil {
		return nil, err
	}
	ectx := s.execCtx(ctx, params)
	if err := s.bindStatementConstraints(ectx, plan); err != nil {
		op.Close()
		return nil, err
	}
	if err := op.Open(ectx); err != nil {
		op.Close()
		return nil, err
	}
	r := &Result{s: s, cols: visibleColumns(plan.Columns()), op: op, ectx: ectx, verb: verb}
	switch n := plan.(type) {
	case *planner.Insert:
		r.table = n.Table.Desc.ID
	case *planner.Update:
		r.table = n.Table.Desc.ID
	case *planner.Delete:
		r.table = n.Table.Desc.ID
	}
	return r, nil
}

func (s *Session) execCtx(ctx context.Context, params []types.Datum) *executor.Ctx {
	c := &executor.Ctx{Context: ctx, Txn: s.txn, Store: s.e.store, Params: params, Builtin: s.builtinCtx(),
		Vectors: s.e.vec, Changes: s.changes, Seqs: &s.seqs}
	if s.changes != nil {
		c.Hooks = s.changes
	}
	return c
}

func commandVerb(stmt tree.Statement) string {
	switch stmt.(type) {
	case *tree.Insert:
		return "INSERT"
	case *tree.Update:
		return "UPDATE"
	case *tree.Delete:
		return "DELETE"
	}
	return "SELECT"
}

// Result is a running statement. Call Next until ok is false, then Tag;
// Close releases it early (a suspended portal that is closed).
type Result struct {
	s    *Session
	cols []Column
	op   executor.Operator
	ectx *executor.Ctx
	verb string
	n    int64
	done bool
	tag  string
	copy *copyIn
	// copyOut is set for COPY ... TO STDOUT.
	copyOut *copyOut
	// table is the table a DML statement modified (for auto-analyze).
	table uint32
}

// Columns describes the rows Next returns (nil for no rows).
func (r *Result) Columns() []Column { return r.cols }

// Next returns the next row and true, or false at the end. The row slice
// is reused by the next call; datums in it are immutable and may be
// retained. An error fails the transaction.
func (r *Result) Next(ctx context.Context) (row []types.Datum, ok bool, err error) {
	if r.done || r.op == nil {
		return nil, false, nil
	}
	r.ectx.Context = ctx
	row, err = r.op.Next(r.ectx)
	if err != nil {
		r.finish()
		r.s.fail()
		return nil, false, err
	}
	if row == nil {
		r.finish()
		return nil, false, nil
	}
	r.n++
	return row, true, nil
}

func (r *Result) finish() {
	if r.done {
		return
	}
	r.done = true
	if r.op == nil {
		return
	}
	n := r.n
	switch op := r.op.(type) {
	case *executor.Insert:
		n = op.Affected
	case *executor.Update:
		n = op.Affected
	case *executor.Delete:
		n = op.Affected
	}
	r.op.Close()
	switch r.verb {
	case "SHOW", "EXPLAIN":
		r.tag = r.verb
		return
	}
	if r.verb == "INSERT" {
		r.tag = "INSERT 0 " + strconv.FormatInt(n, 10)
	} else {
		r.tag = r.verb + " " + strconv.FormatInt(n, 10)
	}
}

// Tag returns the CommandComplete tag ("SELECT 3", "INSERT 0 1"); valid
// once Next has returned false.
func (r *Result) Tag() string { return r.tag }

// Close releases the result's resources.
func (r *Result) Close() error {
	if !r.done && r.op != nil {
		r.done = true
		return r.op.Close()
	}
	return nil
}

// tagResult is a Result for a statement that returns no rows.
func tagResult(s *Session, tag string) *Result {
	return &Result{s: s, done: true, tag: tag}
}

// rowsResult is a Result over materialised rows.
func rowsResult(s *Session, cols []Column, rows [][]types.Datum, verb string) *Result {
	return &Result{s: s, cols: cols, op: &executor.Rows{Data: rows}, ectx: s.execCtx(context.Background(), nil), verb: verb}
}
