package sql

import (
	"strings"
	"time"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Session is one client connection's state: settings, the current
// transaction, and prepared statements created with SQL PREPARE. It is
// driven by one goroutine (the connection's) and is not safe for
// concurrent use.
//
// Transaction states (ReadyForQuery's status byte):
//   - idle ('I'): no transaction; the next statement opens an implicit one
//     that Sync commits.
//   - in block ('T'): BEGIN opened an explicit transaction.
//   - failed ('E'): a statement in the explicit transaction failed; every
//     statement but COMMIT/ROLLBACK fails with 25P02 until the block ends.
type Session struct {
	e        *Engine
	user     string
	dbName   string
	settings *settings
	notices  []*pgerr.Error
	prepared map[string]*Prepared // SQL-level PREPARE

	txn      storage.Txn
	explicit bool // BEGIN was issued
	failed   bool // a statement failed inside the transaction
	txnStart time.Time
	// catDirty is set when this transaction wrote the catalog; its
	// statements then read the catalog through the transaction.
	catDirty bool
	// savepoints are the open SAVEPOINTs, innermost last.
	savepoints []savepoint
	// changes collects the transaction's vector index changes.
	changes *executor.VectorChanges
	// seqs is the session's currval/lastval state.
	seqs executor.SeqSession
	// backendPID is the process ID the client was given in BackendKeyData
	// (SetBackendPID); 0 for a session without a connection.
	backendPID int32
}

// SetBackendPID records the process ID the wire layer sent the client in
// BackendKeyData, which pg_backend_pid() and the pid column of
// pg_stat_progress_create_index report. Call it once, before the first
// statement; not safe for use concurrent with statements.
func (s *Session) SetBackendPID(pid int32) { s.backendPID = pid }

type savepoint struct {
	name     string
	handle   int
	vmark    executor.VectorMark
	settings settingsMark
}

// ParameterStatus returns the parameters reported at startup.
func (s *Session) ParameterStatus() []ParamStatus { return s.settings.reportable() }

// TakeParamChanges returns (and forgets) the reportable parameters changed
// since the last call.
func (s *Session) TakeParamChanges() []ParamStatus { return s.settings.takeChanged() }

// TakeNotices returns (and forgets) the notices raised since the last
// call that client_min_messages lets through: those at or above its level,
// and INFO always, as PostgreSQL sends them.
func (s *Session) TakeNotices() []*pgerr.Error {
	n := s.notices
	s.notices = nil
	if len(n) == 0 {
		return nil
	}
	v, _ := s.settings.get("client_min_messages")
	min := clientMessageRank[v]
	out := n[:0]
	for _, e := range n {
		sev := e.Severity
		if sev == "" {
			sev = pgerr.SeverityNotice
		}
		if r, ok := clientMessageRank[strings.ToLower(sev)]; sev == "INFO" || !ok || r >= min {
			out = append(out, e)
		}
	}
	return out
}

// clientMessageRank orders the levels of client_min_messages (where LOG
// ranks below NOTICE, unlike log_min_messages); a DEBUG notice ranks as
// debug1.
var clientMessageRank = map[string]int{
	"debug5": 0, "debug4": 1, "debug3": 2, "debug2": 3, "debug1": 4, "debug": 4,
	"log": 5, "info": 6, "notice": 7, "warning": 8, "error": 9,
}

func (s *Session) notice(code pgerr.Code, msg string) {
	s.notices = append(s.notices, pgerr.Notice(code, msg))
}

func (s *Session) warning(code pgerr.Code, msg string) {
	w := pgerr.Notice(code, msg)
	w.Severity = pgerr.SeverityWarning
	s.notices = append(s.notices, w)
}

// TxnStatus returns 'I', 'T' or 'E' for ReadyForQuery.
func (s *Session) TxnStatus() byte {
	switch {
	case !s.explicit:
		return TxnIdle
	case s.failed:
		return TxnFailed
	}
	return TxnBlock
}

// FormatOptions returns the settings that shape text output of values.
func (s *Session) FormatOptions() types.FormatOptions {
	tz, _ := s.settings.get("TimeZone")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	ds, _ := s.settings.get("DateStyle")
	return types.FormatOptions{
		ExtraFloatDigits: s.settings.int("extra_float_digits"),
		Explicit:         true,
		Location:         loc,
		DateStyleDMY:     strings.Contains(ds, "DMY"),
	}
}

// builtinCtx is what built-in functions see.
func (s *Session) builtinCtx() *builtin.Ctx {
	start := s.txnStart
	if start.IsZero() {
		start = time.Now()
	}
	return &builtin.Ctx{
		Now:           start,
		Database:      s.dbName,
		User:          s.user,
		Schema:        "public",
		Setting:       s.settings.get,
		SetSetting:    s.setConfig,
		Format:        s.FormatOptions(),
		ServerVersion: VersionString,
		BackendPID:    s.backendPID,
	}
}

// applyOptions applies a StartupMessage "options" value: "-c name=value"
// pairs (PGOPTIONS).
func (s *Session) applyOptions(opts string) error {
	fields := strings.Fields(opts)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		var kv string
		switch {
		case f == "-c" && i+1 < len(fields):
			kv = fields[i+1]
			i++
		case strings.HasPrefix(f, "-c"):
			kv = f[2:]
		case strings.HasPrefix(f, "--"):
			kv = f[2:]
		default:
			continue
		}
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			return pgerr.Newf(pgerr.SyntaxError, "invalid command-line argument for server process: %s", kv)
		}
		if err := s.settings.set(strings.ReplaceAll(name, "-", "_"), val, false); err != nil {
			return err
		}
	}
	return nil
}

// Close ends the session, rolling back any open transaction.
func (s *Session) Close() {
	s.endTxn(false)
}

// ensureTxn opens an implicit transaction when none is open.
func (s *Session) ensureTxn() error {
	if s.txn != nil {
		return nil
	}
	txn, err := s.e.store.Begin()
	if err != nil {
		return err
	}
	s.txn, s.txnStart, s.catDirty = txn, time.Now(), false
	s.changes = s.e.vec.NewVectorChanges(txn)
	return nil
}

// endTxn commits (or rolls back) the open transaction and returns the
// session to idle.
func (s *Session) endTxn(commit bool) error {
	txn := s.txn
	dirty := s.catDirty
	changes := s.changes
	s.changes = nil
	s.txn, s.explicit, s.failed, s.catDirty, s.savepoints = nil, false, false, false, nil
	s.txnStart = time.Time{}
	s.settings.endTxn(commit)
	if txn == nil {
		return nil
	}
	if !commit {
		txn.Rollback()
		return nil
	}
	if err := changes.CommitAndApply(); err != nil {
		txn.Rollback()
		if err == storage.ErrConflict {
			return pgerr.New(pgerr.SerializationFailure, "could not serialize access due to concurrent update").
				WithHint("The transaction might succeed if retried.")
		}
		return err
	}
	if dirty {
		s.e.catGen.Add(1)
	}
	return nil
}

// fail records a statement error: an explicit transaction becomes failed;
// an implicit one is rolled back at Sync.
func (s *Session) fail() {
	s.failed = true
}

// Fail records an error raised outside the engine (by pgwire: an unknown
// portal, a bad Bind value, a COPY protocol error): an explicit transaction
// becomes failed (TxnStatus 'E', later statements 25P02) and an open
// implicit one is rolled back at Sync. With no transaction open it does
// nothing.
func (s *Session) Fail() {
	if s.txn != nil || s.explicit {
		s.fail()
	}
}

// Sync ends the implicit transaction, if one is open: it commits it, or
// rolls it back if a statement in it failed. pgwire calls it at every Sync
// message and at the end of every simple Query message.
func (s *Session) Sync() error {
	if s.explicit || s.txn == nil {
		if !s.explicit {
			s.failed = false
		}
		return nil
	}
	return s.endTxn(!s.failed)
}

// catalog returns the catalog the current statement sees.
func (s *Session) catalog() (*catalogView, error) {
	var cat *storage.Catalog
	var err error
	if s.catDirty && s.txn != nil {
		cat, err = storage.LoadCatalog(s.txn)
	} else {
		cat, err = s.e.catalog()
	}
	if err != nil {
		return nil, err
	}
	db := cat.Database(s.dbName)
	if db == nil {
		return nil, pgerr.Newf(pgerr.InvalidCatalogName, "database %q does not exist", s.dbName)
	}
	return &catalogView{e: s.e, cat: cat, db: db}, nil
}

// setConfig is set_config(name, value, is_local): SET or SET LOCAL from a
// function call, returning the value now in effect. NB: as in PostgreSQL,
// is_local outside a transaction block lasts only for the statement's own
// implicit transaction.
func (s *Session) setConfig(name, value string, local bool) (string, error) {
	canonical := name
	if set, ok := lookupSetting(name); ok {
		canonical = set.name
	}
	if err := s.settings.set(canonical, value, local); err != nil {
		return "", err
	}
	v, _ := s.settings.get(canonical)
	return v, nil
}
