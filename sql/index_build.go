package sql

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/storage"
)

// buildProgress is the engine's list of running index builds, the source
// of the pg_stat_progress_create_index view.
type buildProgress struct {
	mu     sync.Mutex
	next   int
	builds map[int]*indexBuild
}

// indexBuild is one running build's progress.
type indexBuild struct {
	seq         int   // start order
	pid         int32 // the building session's backend PID
	command     string
	database    string
	table       string
	tableOID    uint32
	index       string
	indexOID    uint32
	phase       string
	tuplesDone  int
	tuplesTotal int
	started     time.Time
}

func (p *buildProgress) start(b *indexBuild) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.builds == nil {
		p.builds = map[int]*indexBuild{}
	}
	p.next++
	id := p.next
	b.seq = id
	p.builds[id] = b
	return func() {
		p.mu.Lock()
		delete(p.builds, id)
		p.mu.Unlock()
	}
}

func (p *buildProgress) update(b *indexBuild, phase string, done, total int) {
	p.mu.Lock()
	b.phase, b.tuplesDone, b.tuplesTotal = phase, done, total
	p.mu.Unlock()
}

// snapshot returns copies of the running builds, oldest first.
func (p *buildProgress) snapshot() []indexBuild {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]indexBuild, 0, len(p.builds))
	for _, b := range p.builds {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// Commands a build runs for, as pg_stat_progress_create_index's command
// column names them.
const (
	cmdCreateIndex             = "CREATE INDEX"
	cmdCreateIndexConcurrently = "CREATE INDEX CONCURRENTLY"
	cmdReindex                 = "REINDEX"
	cmdReindexConcurrently     = "REINDEX CONCURRENTLY"
)

// buildVectorIndex builds a vector index over the rows the transaction
// sees for command (one of the cmd constants), reporting each phase as a
// NOTICE and in pg_stat_progress_create_index. An empty command is a
// rebuild inside another statement (TRUNCATE, ALTER TABLE): like
// PostgreSQL, it reports nothing. The index becomes visible to other
// sessions when the transaction commits.
func (s *Session) buildVectorIndex(ctx context.Context, t *executor.Table, ix *storage.IndexDesc, command string) error {
	if err := executor.CheckIndexable(t); err != nil {
		return err
	}
	announce := command != ""
	// NB: "initializing" is PostgreSQL's first phase, shown until the
	// build reports its own; the access method's sub-phases show as
	// "building index: <sub-phase>", as PostgreSQL's view prints them.
	// index_relid is 0 during a non-concurrent CREATE INDEX, as in
	// PostgreSQL (the index is not yet in the catalog others see).
	b := &indexBuild{pid: s.backendPID, command: command, database: s.dbName, table: t.Desc.Name, tableOID: t.Desc.ID,
		index: ix.Name, indexOID: ix.OID, phase: "initializing", started: time.Now()}
	if command == cmdCreateIndex {
		b.indexOID = 0
	}
	if announce {
		done := s.e.builds.start(b)
		defer done()
	}
	lastPhase := ""
	progress := func(phase string, n, total int) {
		if announce {
			s.e.builds.update(b, "building index: "+phase, n, total)
		}
		if phase != lastPhase {
			if lastPhase != "" && announce {
				s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("index %q: %s done", ix.Name, lastPhase))
			}
			lastPhase = phase
		}
	}
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	key, err := s.e.indexKey(cat, t, ix)
	if err != nil {
		return err
	}
	li, err := s.e.vec.Build(s.execCtx(ctx, nil), t, ix, key, progress)
	if err != nil {
		return err
	}
	if announce {
		s.warnLittleData(ix, li.Index.Stats().Vectors)
	}
	if lastPhase != "" && announce {
		s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("index %q: %s done (%d vectors in %s)", ix.Name, lastPhase,
			li.Index.Stats().Vectors, time.Since(b.started).Round(time.Millisecond)))
	}
	s.changes.AddLocal(li)
	return nil
}

// warnLittleData sends pgvector's NOTICE for an IVF index trained on fewer
// vectors than it has lists: most lists then have no real centre, and
// queries probing them find little (pgvector's ivfbuild.c says the same,
// with the same detail and hint).
func (s *Session) warnLittleData(ix *storage.IndexDesc, vectors int) {
	if ix.Method != "ivfflat" && ix.Method != "ivf_pq" {
		return
	}
	lists := 100 // NB: the default in indexOptionSpecs for both methods.
	for _, o := range ix.Options {
		if o.Name == "lists" {
			lists, _ = strconv.Atoi(o.Value)
		}
	}
	if vectors < lists {
		s.notices = append(s.notices, pgerr.Notice(pgerr.SuccessfulCompletion, "ivfflat index created with little data").
			WithDetail("This will cause low recall.").
			WithHint("Drop the index until the table has more data."))
	}
}
