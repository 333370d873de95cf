package sql

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/storage"
	"github.com/vecgres/vecgres/vindex/indextypes"
)

// Config configures an Engine.
type Config struct {
	// DataDir is the Pebble directory; it is created if missing.
	DataDir string
	Logger  *slog.Logger
}

// Engine is one vecgres server's SQL engine: storage, catalog and the
// built-in library shared by all sessions. It is safe for concurrent use.
type Engine struct {
	cfg   Config
	log   *slog.Logger
	store storage.Engine
	lib   *builtin.Library

	// catGen counts committed catalog changes; catalog caches compare it.
	catGen atomic.Uint64
	catMu  sync.Mutex
	cat    *storage.Catalog
	catAt  uint64
	// tables caches resolved tables by descriptor identity.
	tables sync.Map // *storage.TableDesc → *executor.Table
	// vec holds the live vector indexes.
	vec *executor.VectorIndexes
	// keys are the bound keys of expression indexes (index_expr.go).
	keys indexKeys
	// builds tracks running CREATE INDEX builds for
	// pg_stat_progress_create_index.
	builds buildProgress
	// statsCache holds planner statistics per table.
	statsCache tableStatsCache
}

// Open opens (or creates) the data directory and returns an Engine. A new
// directory gets the superuser "postgres" and the database "postgres".
func Open(cfg Config) (*Engine, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	store, err := storage.OpenPebble(cfg.DataDir, storage.Options{})
	if err != nil {
		return nil, err
	}
	if err := storage.Bootstrap(store); err != nil {
		store.Close()
		return nil, err
	}
	if err := storage.MigrateSerialSequences(store); err != nil {
		store.Close()
		return nil, err
	}
	e := &Engine{cfg: cfg, log: cfg.Logger, store: store, lib: builtin.NewLibrary()}
	e.vec = executor.NewVectorIndexes(store, indextypes.Registry(nil))
	if err := e.openVectorIndexes(); err != nil {
		store.Close()
		return nil, err
	}
	return e, nil
}

// openVectorIndexes loads every vector index at start-up (image plus
// replay of committed changes, or a rebuild when no image was saved).
func (e *Engine) openVectorIndexes() error {
	cat, err := e.catalog()
	if err != nil {
		return err
	}
	for _, db := range cat.Databases() {
		view := &catalogView{e: e, cat: cat, db: db}
		for _, td := range cat.Tables(db.ID) {
			for i := range td.Indexes {
				ix := &td.Indexes[i]
				if !executor.IsVectorIndex(ix) {
					continue
				}
				t, err := e.table(td)
				if err != nil {
					return err
				}
				key, err := e.indexKey(view, t, ix)
				if err != nil {
					return err
				}
				start := time.Now()
				rep, err := e.vec.Open(t, ix, key)
				if err != nil {
					return pgerr.Wrap(err, pgerr.From(err).Code, "opening vector index "+ix.Name)
				}
				source := "image"
				if rep.Rebuilt {
					source = "rebuilt"
				}
				e.log.Info("vector index ready", "index", ix.Name, "table", td.Name, "method", ix.Method,
					"vectors", e.vec.Get(ix.OID).Index.Stats().Vectors, "source", source, "replayed", rep.Replayed,
					"took", time.Since(start).Round(time.Millisecond))
			}
		}
	}
	return nil
}

// Close saves the vector indexes and closes storage. Sessions must be
// closed first.
func (e *Engine) Close() error {
	err := e.vec.CheckpointAll()
	if cerr := e.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// catalog returns the committed catalog, reloading it when a catalog
// change has committed since it was last loaded.
func (e *Engine) catalog() (*storage.Catalog, error) {
	gen := e.catGen.Load()
	e.catMu.Lock()
	defer e.catMu.Unlock()
	if e.cat != nil && e.catAt == gen {
		return e.cat, nil
	}
	txn, err := e.store.Begin()
	if err != nil {
		return nil, err
	}
	defer txn.Rollback()
	cat, err := storage.LoadCatalog(txn)
	if err != nil {
		return nil, err
	}
	e.cat, e.catAt = cat, gen
	return cat, nil
}

// table returns the resolved form of a table descriptor, cached.
func (e *Engine) table(desc *storage.TableDesc) (*executor.Table, error) {
	if t, ok := e.tables.Load(desc); ok {
		return t.(*executor.Table), nil
	}
	t, err := executor.NewTable(desc)
	if err != nil {
		return nil, err
	}
	e.tables.Store(desc, t)
	return t, nil
}

// NewSession starts a session for a client's StartupMessage parameters.
// It fails with 3D000 for an unknown database and 28000 for an unknown role.
func (e *Engine) NewSession(ctx context.Context, startup map[string]string) (*Session, error) {
	user := startup["user"]
	if user == "" {
		return nil, pgerr.New(pgerr.InvalidAuthorizationSpec, "no PostgreSQL user name specified in startup packet")
	}
	if user != "postgres" {
		return nil, pgerr.Newf(pgerr.InvalidAuthorizationSpec, "role %q does not exist", user)
	}
	dbName := startup["database"]
	if dbName == "" {
		dbName = user
	}
	cat, err := e.catalog()
	if err != nil {
		return nil, err
	}
	db := cat.Database(dbName)
	if db == nil {
		return nil, pgerr.Newf(pgerr.InvalidCatalogName, "database %q does not exist", dbName)
	}
	s := &Session{e: e, user: user, dbName: dbName, settings: newSettings(), prepared: map[string]*Prepared{}}
	for k, v := range startup {
		switch k {
		case "user", "database", "replication":
			continue
		case "options":
			if err := s.applyOptions(v); err != nil {
				return nil, err
			}
			continue
		}
		if err := s.settings.set(k, v, false); err != nil {
			if pgerr.CodeOf(err) == pgerr.UndefinedObject {
				continue // PostgreSQL rejects these; drivers send harmless extras
			}
			return nil, err
		}
	}
	s.settings.set("session_authorization", user, false)
	return s, nil
}
