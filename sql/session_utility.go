package sql

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// execTxnControl runs BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE; handled is
// false for any other statement.
func (s *Session) execTxnControl(stmt tree.Statement) (r *Result, handled bool, err error) {
	switch st := stmt.(type) {
	case *tree.Begin:
		if s.explicit {
			s.warning(pgerr.ActiveSQLTransaction, "there is already a transaction in progress")
			return tagResult(s, "BEGIN"), true, nil
		}
		if err := s.ensureTxn(); err != nil {
			return nil, true, err
		}
		s.explicit = true
		s.settings.beginTxn()
		return tagResult(s, "BEGIN"), true, nil
	case *tree.Commit:
		if s.txn == nil {
			s.warning(pgerr.NoActiveSQLTransaction, "there is no transaction in progress")
			return tagResult(s, "COMMIT"), true, nil
		}
		if s.failed {
			s.endTxn(false)
			return tagResult(s, "ROLLBACK"), true, nil
		}
		if !s.explicit {
			s.warning(pgerr.NoActiveSQLTransaction, "there is no transaction in progress")
		}
		if err := s.endTxn(true); err != nil {
			return nil, true, err
		}
		return tagResult(s, "COMMIT"), true, nil
	case *tree.Rollback:
		if st.ToSavepoint != "" {
			return s.rollbackTo(st.ToSavepoint)
		}
		if s.txn == nil || !s.explicit {
			s.warning(pgerr.NoActiveSQLTransaction, "there is no transaction in progress")
		}
		s.endTxn(false)
		return tagResult(s, "ROLLBACK"), true, nil
	case *tree.Savepoint:
		if !s.explicit {
			return nil, true, pgerr.New(pgerr.NoActiveSQLTransaction, "SAVEPOINT can only be used in transaction blocks")
		}
		if s.failed {
			return nil, true, errAborted()
		}
		s.savepoints = append(s.savepoints, savepoint{name: st.Name, handle: s.txn.Savepoint(), vmark: s.changes.Mark(),
			settings: s.settings.mark()})
		return tagResult(s, "SAVEPOINT"), true, nil
	case *tree.Release:
		if !s.explicit {
			return nil, true, pgerr.New(pgerr.NoActiveSQLTransaction, "RELEASE SAVEPOINT can only be used in transaction blocks")
		}
		if s.failed {
			return nil, true, errAborted()
		}
		i := s.findSavepoint(st.Name)
		if i < 0 {
			return nil, true, pgerr.Newf(pgerr.InvalidSavepointSpec, "savepoint %q does not exist", st.Name)
		}
		s.savepoints = s.savepoints[:i]
		return tagResult(s, "RELEASE"), true, nil
	}
	return nil, false, nil
}

func (s *Session) findSavepoint(name string) int {
	for i := len(s.savepoints) - 1; i >= 0; i-- {
		if s.savepoints[i].name == name {
			return i
		}
	}
	return -1
}

func (s *Session) rollbackTo(name string) (*Result, bool, error) {
	if !s.explicit {
		return nil, true, pgerr.New(pgerr.NoActiveSQLTransaction, "ROLLBACK TO SAVEPOINT can only be used in transaction blocks")
	}
	i := s.findSavepoint(name)
	if i < 0 {
		return nil, true, pgerr.Newf(pgerr.InvalidSavepointSpec, "savepoint %q does not exist", name)
	}
	if err := s.txn.RollbackTo(s.savepoints[i].handle); err != nil {
		return nil, true, err
	}
	s.changes.RollbackTo(s.savepoints[i].vmark)
	s.settings.rollbackTo(s.savepoints[i].settings)
	s.savepoints = s.savepoints[:i+1]
	s.failed = false
	// NB: a rolled-back DDL leaves catDirty set, which only means the
	// catalog is read through the transaction: still correct.
	return tagResult(s, "ROLLBACK"), true, nil
}

// execUtility runs statements that have no plan.
func (s *Session) execUtility(ctx context.Context, p *Prepared, params []types.Datum) (*Result, error) {
	switch st := p.Stmt.(type) {
	case *tree.Set:
		return s.execSet(st)
	case *tree.Show:
		return s.execShow(st)
	case *tree.Reset:
		if err := s.settings.reset(st.Name); err != nil {
			return nil, err
		}
		return tagResult(s, "RESET"), nil
	case *tree.CreateTable:
		return s.createTable(st)
	case *tree.DropTable:
		return s.dropTable(st)
	case *tree.Truncate:
		return s.truncate(st)
	case *tree.AlterTable:
		return s.alterTable(ctx, st)
	case *tree.CreateSequence:
		return s.createSequence(st)
	case *tree.AlterSequence:
		return s.alterSequence(st)
	case *tree.DropSequence:
		return s.dropSequence(st)
	case *tree.CreateIndex:
		return s.createIndex(ctx, st)
	case *tree.DropIndex:
		return s.dropIndex(st)
	case *tree.Reindex:
		return s.reindex(ctx, st)
	case *tree.CreateExtension:
		return s.createExtension(st)
	case *tree.DropExtension:
		return s.dropExtension(st)
	case *tree.CreateDatabase:
		return s.createDatabase(st)
	case *tree.DropDatabase:
		return s.dropDatabase(st)
	case *tree.Prepare:
		return s.sqlPrepare(st)
	case *tree.Execute:
		return s.sqlExecute(ctx, st)
	case *tree.Deallocate:
		if st.All {
			s.prepared = map[string]*Prepared{}
		} else if _, ok := s.prepared[st.Name]; !ok {
			return nil, pgerr.Newf(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", st.Name)
		} else {
			delete(s.prepared, st.Name)
		}
		if st.All {
			return tagResult(s, "DEALLOCATE ALL"), nil
		}
		return tagResult(s, "DEALLOCATE"), nil
	case *tree.Analyze:
		return s.analyze(st)
	case *tree.Vacuum:
		// NB: Pebble reclaims deleted rows in compactions and vector
		// indexes repair tombstones themselves, so VACUUM has nothing to do
		// beyond the ANALYZE it may ask for.
		if st.Analyze {
			if _, err := s.analyze(&tree.Analyze{Table: st.Table}); err != nil {
				return nil, err
			}
		}
		return tagResult(s, "VACUUM"), nil
	case *tree.Discard:
		s.prepared = map[string]*Prepared{}
		if strings.EqualFold(st.What, "all") {
			if err := s.settings.reset("all"); err != nil {
				return nil, err
			}
		}
		return tagResult(s, "DISCARD "+strings.ToUpper(st.What)), nil
	case *tree.Copy:
		return s.copy(ctx, st)
	}
	return nil, pgerr.Newf(pgerr.FeatureNotSupported, "statement %s is not supported", statementName(p.Stmt))
}

func statementName(st tree.Statement) string {
	return strings.ToUpper(strings.TrimPrefix(fmt.Sprintf("%T", st), "*tree."))
}

func (s *Session) execSet(st *tree.Set) (*Result, error) {
	name := strings.ToLower(st.Name)
	switch name {
	case "transaction", "session characteristics as transaction", "transaction_isolation", "transaction isolation level":
		return tagResult(s, "SET"), nil
	case "names":
		name = "client_encoding"
	case "time zone", "time_zone":
		name = "timezone"
	}
	if st.Local && !s.explicit {
		s.warning(pgerr.NoActiveSQLTransaction, "SET LOCAL can only be used in transaction blocks")
		return tagResult(s, "SET"), nil
	}
	if st.Default {
		if st.Local {
			if set, ok := lookupSetting(name); ok {
				if err := s.settings.set(set.name, set.def, true); err != nil {
					return nil, err
				}
			}
			return tagResult(s, "SET"), nil
		}
		if err := s.settings.reset(name); err != nil {
			return nil, err
		}
		return tagResult(s, "SET"), nil
	}
	canonical := name
	if set, ok := lookupSetting(name); ok {
		canonical = set.name
	}
	if err := s.settings.set(canonical, strings.Join(st.Values, ", "), st.Local); err != nil {
		return nil, err
	}
	return tagResult(s, "SET"), nil
}

func showColumnName(name string) string {
	switch strings.ToLower(name) {
	case "transaction isolation level":
		return "transaction_isolation"
	case "time zone":
		return "TimeZone"
	}
	if set, ok := lookupSetting(name); ok {
		return set.name
	}
	return strings.ToLower(name)
}

func (s *Session) execShow(st *tree.Show) (*Result, error) {
	name := strings.ToLower(st.Name)
	switch name {
	case "transaction isolation level":
		name = "transaction_isolation"
	case "time zone":
		name = "timezone"
	case "all":
		var rows [][]types.Datum
		for _, set := range settingsTable {
			v, _ := s.settings.get(set.name)
			rows = append(rows, []types.Datum{types.NewString(set.name), types.NewString(v), types.NewString("")})
		}
		cols := []Column{{Name: "name", Type: types.TextType}, {Name: "setting", Type: types.TextType}, {Name: "description", Type: types.TextType}}
		r := rowsResult(s, cols, rows, "SHOW")
		return r, nil
	}
	v, ok := s.settings.get(name)
	if !ok {
		return nil, pgerr.Newf(pgerr.UndefinedObject, "unrecognized configuration parameter %q", st.Name)
	}
	r := rowsResult(s, []Column{{Name: showColumnName(name), Type: types.TextType}}, [][]types.Datum{{types.NewString(v)}}, "SHOW")
	r.tag = "SHOW"
	return r, nil
}

func (s *Session) sqlPrepare(st *tree.Prepare) (*Result, error) {
	if _, ok := s.prepared[st.Name]; ok {
		return nil, pgerr.Newf(pgerr.DuplicatePreparedStatement, "prepared statement %q already exists", st.Name)
	}
	pts := make([]types.T, len(st.Types))
	for i, tn := range st.Types {
		t, err := types.ParseTypeName(tn.Name, tn.Mods, tn.ArrayDims)
		if err != nil {
			return nil, err
		}
		pts[i] = t
	}
	p, err := s.bind(Parsed{Stmt: st.Stmt, SQL: st.SQL}, pts)
	if err != nil {
		return nil, err
	}
	s.prepared[st.Name] = p
	return tagResult(s, "PREPARE"), nil
}

func (s *Session) sqlExecute(ctx context.Context, st *tree.Execute) (*Result, error) {
	p := s.prepared[st.Name]
	if p == nil {
		return nil, pgerr.Newf(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", st.Name)
	}
	if len(st.Args) != len(p.ParamTypes) {
		return nil, pgerr.Newf(pgerr.SyntaxError, "wrong number of parameters for prepared statement %q", st.Name).
			WithDetail("Expected " + strconv.Itoa(len(p.ParamTypes)) + " parameters but got " + strconv.Itoa(len(st.Args)) + ".")
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	b := newBinder(s, cat, nil, "")
	params := make([]types.Datum, len(st.Args))
	for i, a := range st.Args {
		x, err := b.expr(&scope{}, a)
		if err != nil {
			return nil, err
		}
		if x, err = b.coerceCtx(x, p.ParamTypes[i], types.CastAssignment); err != nil {
			return nil, err
		}
		v, err := x.Eval(s.execCtx(ctx, nil), nil)
		if err != nil {
			return nil, err
		}
		params[i] = v
	}
	r, err := s.execute(ctx, p, params)
	if err != nil {
		return nil, err
	}
	if r.verb == "" && r.tag == "" {
		r.verb = commandVerb(p.Stmt)
	}
	return r, nil
}
