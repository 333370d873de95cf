package executor

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// TableStats are a table's planner statistics: its row count and a
// uniform random sample of its rows. Selectivity of any predicate is
// estimated by evaluating it over the sample (with the query's actual
// parameters), which needs no per-column histograms and handles
// correlated conditions.
type TableStats struct {
	Rows   int64
	Sample [][]types.Datum

	// memo remembers estimates per predicate and parameter values, so a
	// prepared statement does not re-evaluate the sample each execution.
	mu   sync.Mutex
	memo map[memoKey]float64
}

type memoKey struct {
	pred   Expr
	params string
}

// SampleSize is the number of rows ANALYZE keeps.
const SampleSize = 1000

// Analyze scans t and computes its statistics (reservoir sampling,
// Algorithm R, with a fixed seed so plans are reproducible).
func Analyze(ctx *Ctx, t *Table) (*TableStats, error) {
	scan := &TableScan{Table: t}
	if err := scan.Open(ctx); err != nil {
		return nil, err
	}
	defer scan.Close()
	rng := rand.New(rand.NewPCG(uint64(t.Desc.ID), 42))
	st := &TableStats{}
	for {
		row, err := scan.Next(ctx)
		if err != nil {
			return nil, err
		}
		if row == nil {
			return st, nil
		}
		st.Rows++
		if len(st.Sample) < SampleSize {
			st.Sample = append(st.Sample, append([]types.Datum(nil), row...))
		} else if j := rng.Int64N(st.Rows); j < SampleSize {
			st.Sample[j] = append(st.Sample[j][:0], row...)
		}
	}
}

// Selectivity estimates the fraction of rows passing pred, or -1 when
// there is no sample to judge by. Safe for concurrent use.
func (s *TableStats) Selectivity(ctx *Ctx, pred Expr) float64 {
	if s == nil || len(s.Sample) == 0 {
		return -1
	}
	key := memoKey{pred: pred, params: paramsFingerprint(ctx.Params)}
	s.mu.Lock()
	sel, ok := s.memo[key]
	s.mu.Unlock()
	if ok {
		return sel
	}
	sel = s.evalSelectivity(ctx, pred)
	s.mu.Lock()
	if s.memo == nil || len(s.memo) > 4096 {
		s.memo = map[memoKey]float64{}
	}
	s.memo[key] = sel
	s.mu.Unlock()
	return sel
}

// paramsFingerprint identifies parameter values (numerics by their text).
func paramsFingerprint(params []types.Datum) string {
	return string(appendFingerprint(nil, params))
}

func appendFingerprint(b []byte, params []types.Datum) []byte {
	for _, p := range params {
		b = append(b, byte(p.K))
		b = binary.BigEndian.AppendUint64(b, uint64(p.I))
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(p.F))
		b = append(b, p.S...)
		b = append(b, 0)
		if p.Dec != nil {
			b = append(b, p.Dec.String()...)
		}
		for _, f := range p.Vec {
			b = binary.BigEndian.AppendUint32(b, math.Float32bits(f))
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(p.Arr)))
		b = appendFingerprint(b, p.Arr)
	}
	return b
}

func (s *TableStats) evalSelectivity(ctx *Ctx, pred Expr) float64 {
	n := 0
	for _, row := range s.Sample {
		if ok, err := EvalBool(ctx, pred, row); err == nil && ok {
			n++
		}
	}
	return float64(n) / float64(len(s.Sample))
}

// Encode serialises the statistics (format: u64 rows, u32 sample count,
// then each row's value encoding).
func (s *TableStats) Encode(t *Table) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(s.Rows))
	b = binary.BigEndian.AppendUint32(b, uint32(len(s.Sample)))
	for _, row := range s.Sample {
		b = t.EncodeValue(b, row)
	}
	return b
}

// DecodeTableStats is the inverse of Encode.
func DecodeTableStats(t *Table, b []byte) (*TableStats, error) {
	if len(b) < 12 {
		return nil, pgerr.New(pgerr.DataCorrupted, "table statistics are truncated")
	}
	st := &TableStats{Rows: int64(binary.BigEndian.Uint64(b))}
	n := int(binary.BigEndian.Uint32(b[8:]))
	b = b[12:]
	for i := 0; i < n; i++ {
		row := make([]types.Datum, len(t.Types))
		for j, typ := range t.Types {
			d, rest, err := types.DecodeValue(b, typ)
			if err != nil {
				return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "decoding table statistics")
			}
			row[j], b = d, rest
		}
		st.Sample = append(st.Sample, row)
	}
	return st, nil
}

// StatsKey is where a table's statistics are stored.
func StatsKey(t *Table) []byte { return storage.TableStatsKey(t.Desc.ID) }
