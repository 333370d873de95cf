package main

import (
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgVector is a query or row vector sent to the server by bench-sql. It
// encodes in pgvector's binary layout (big-endian uint16 dims, uint16 0,
// then dims float32s), the layout binary COPY and binary Bind use, or in the
// text form "[1,2,3]".
type pgVector []float32

// vectorCodec is the pgx codec for the vector type, encode-only: bench-sql
// never reads vectors back.
type vectorCodec struct{}

// registerVectorType teaches conn's type map the server's vector OID (found
// from a column description, since vecgres and pgvector assign it
// differently) so that pgVector values are sent in binary.
func registerVectorType(conn *pgx.Conn, oid uint32) {
	m := conn.TypeMap()
	m.RegisterType(&pgtype.Type{Name: "vector", OID: oid, Codec: vectorCodec{}})
	m.RegisterDefaultPgType(pgVector(nil), "vector")
}

func (vectorCodec) FormatSupported(f int16) bool {
	return f == pgtype.BinaryFormatCode || f == pgtype.TextFormatCode
}

func (vectorCodec) PreferredFormat() int16 { return pgtype.BinaryFormatCode }

func (vectorCodec) PlanEncode(_ *pgtype.Map, _ uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(pgVector); !ok {
		return nil
	}
	if format == pgtype.BinaryFormatCode {
		return vectorBinaryPlan{}
	}
	return vectorTextPlan{}
}

func (vectorCodec) PlanScan(*pgtype.Map, uint32, int16, any) pgtype.ScanPlan { return nil }

func (vectorCodec) DecodeDatabaseSQLValue(*pgtype.Map, uint32, int16, []byte) (driver.Value, error) {
	return nil, errors.New("bench-sql does not read vectors")
}

func (vectorCodec) DecodeValue(*pgtype.Map, uint32, int16, []byte) (any, error) {
	return nil, errors.New("bench-sql does not read vectors")
}

type vectorBinaryPlan struct{}

func (vectorBinaryPlan) Encode(value any, buf []byte) ([]byte, error) {
	v := value.(pgVector)
	if v == nil {
		return nil, nil
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(v)))
	buf = binary.BigEndian.AppendUint16(buf, 0)
	for _, f := range v {
		buf = binary.BigEndian.AppendUint32(buf, math.Float32bits(f))
	}
	return buf, nil
}

type vectorTextPlan struct{}

func (vectorTextPlan) Encode(value any, buf []byte) ([]byte, error) {
	v := value.(pgVector)
	if v == nil {
		return nil, nil
	}
	return appendVectorText(buf, v), nil
}

// appendVectorText appends v as "[1,2.5,3]".
func appendVectorText(buf []byte, v []float32) []byte {
	buf = append(buf, '[')
	for i, f := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendFloat(buf, float64(f), 'g', -1, 32)
	}
	return append(buf, ']')
}

// benchResult is one line of output. Pointer fields are null in JSON (and
// blank in the table) where they do not apply to the phase.
type benchResult struct {
	Phase          string   `json:"phase"` // load, insert, rtt, exact, index
	Index          string   `json:"index"`
	BuildParams    string   `json:"build_params"`
	SearchParams   string   `json:"search_params"`
	Clients        int      `json:"clients"`
	FilterPct      int      `json:"filter_pct"`
	RecallAtK      *float64 `json:"recall_at_k"`
	K              int      `json:"k"`
	QPS            *float64 `json:"qps"`
	P50ms          *float64 `json:"p50_ms"`
	P99ms          *float64 `json:"p99_ms"`
	BuildSeconds   *float64 `json:"build_seconds"`
	LoadRowsPerSec *float64 `json:"load_rows_per_sec"`
	// IndexUsed is whether EXPLAIN showed the index scan (null when no
	// index is expected).
	IndexUsed *bool  `json:"index_used"`
	Plan      string `json:"plan,omitempty"`
	Note      string `json:"note,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// benchOutput prints results as they come: a table or JSON lines. The first
// write error is kept in err.
type benchOutput struct {
	w      io.Writer
	json   bool
	header bool
	err    error
}

func newBenchOutput(w io.Writer, asJSON bool) *benchOutput {
	return &benchOutput{w: w, json: asJSON}
}

// benchRowFormat lays out table rows in fixed-width columns. NB: fixed
// widths rather than text/tabwriter because rows stream out during a run
// that takes minutes.
const benchRowFormat = "%-6s %-8s %-26s %-52s %7s %6s %8s %8s %8s %8s %8s %9s  %s\n"

// add prints one result line.
func (o *benchOutput) add(r benchResult) {
	if o.err != nil {
		return
	}
	if o.json {
		enc := json.NewEncoder(o.w)
		enc.SetEscapeHTML(false) // NB: plans contain ">"; keep them readable
		o.err = enc.Encode(r)
		return
	}
	if !o.header {
		_, o.err = fmt.Fprintf(o.w, benchRowFormat, "phase", "index", "build_params", "search_params", "clients", "filter",
			"recall@k", "qps", "p50_ms", "p99_ms", "build_s", "rows/s", "note")
		o.header = true
	}
	filter := "-"
	if r.FilterPct > 0 {
		filter = strconv.Itoa(r.FilterPct) + "%"
	}
	note := r.Note
	if r.IndexUsed != nil && !*r.IndexUsed {
		note = strings.TrimSpace("NO INDEX SCAN " + note)
	}
	clients := "-"
	if r.Clients > 0 {
		clients = strconv.Itoa(r.Clients)
	}
	_, err := fmt.Fprintf(o.w, benchRowFormat,
		r.Phase, dash(r.Index), dash(r.BuildParams), dash(r.SearchParams), clients, filter,
		num(r.RecallAtK, 4), num(r.QPS, 0), num(r.P50ms, 3), num(r.P99ms, 3), num(r.BuildSeconds, 2), num(r.LoadRowsPerSec, 0), note)
	if o.err == nil {
		o.err = err
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func num(p *float64, prec int) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', prec, 64)
}
