package pgwire

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestE2EPgx drives an in-process server with pgx in each query mode:
// simple protocol (client-side interpolation, text), and the extended
// protocol with cached statements, describe-exec and exec (binary
// parameters and results for the types pgx knows).
func TestE2EPgx(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	setup := ts.connect(t)
	if _, err := setup.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS vector"); err != nil {
		t.Fatal(err)
	}
	modes := []struct {
		name string
		mode pgx.QueryExecMode
	}{
		{"simple", pgx.QueryExecModeSimpleProtocol},
		{"cache_statement", pgx.QueryExecModeCacheStatement},
		{"describe_exec", pgx.QueryExecModeDescribeExec},
		{"exec", pgx.QueryExecModeExec},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			cfg, err := pgx.ParseConfig(ts.connString("&application_name=e2e_" + m.name))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = m.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			runScenario(t, conn, "items_"+m.name)
		})
	}
}

func runScenario(t *testing.T, conn *pgx.Conn, table string) {
	ctx := context.Background()
	mustExec := func(sql string, args ...any) pgconn.CommandTag {
		t.Helper()
		tag, err := conn.Exec(ctx, sql, args...)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return tag
	}
	mustExec(fmt.Sprintf("CREATE TABLE %s (id bigint PRIMARY KEY, embedding vector(3), label text, price numeric(10,2))", table))
	rows := []struct {
		id    int64
		vec   string
		label string
		price float64
	}{{1, "[1,0,0]", "a", 1.5}, {2, "[0,1,0]", "b", 2.25}, {3, "[0,0,1]", "c", 10}, {4, "[1,1,0]", "d", 0.1}}
	for _, r := range rows {
		tag := mustExec("INSERT INTO "+table+" (id, embedding, label, price) VALUES ($1, $2, $3, $4)", r.id, r.vec, r.label, r.price)
		if tag.String() != "INSERT 0 1" || tag.RowsAffected() != 1 {
			t.Fatalf("insert tag %q", tag)
		}
	}

	// Top-k by L2 distance with a parameter vector.
	got := queryIDs(t, conn, "SELECT id FROM "+table+" ORDER BY embedding <-> $1 LIMIT 2", "[0.9,0.2,0]")
	if fmt.Sprint(got) != "[1 4]" {
		t.Errorf("top-2 by <->: got %v, want [1 4]", got)
	}
	// With a filter on a numeric column.
	got = queryIDs(t, conn, "SELECT id FROM "+table+" WHERE price > $2 ORDER BY embedding <-> $1 LIMIT 3", "[0,0,1]", 2)
	if fmt.Sprint(got) != "[3 2]" {
		t.Errorf("filtered top-k: got %v, want [3 2]", got)
	}

	// Typed results: int8, text, numeric, float8, vector as text, bool, NULL.
	var (
		id    int64
		label string
		price pgtype.Numeric
		dist  float64
		vec   string
		big   bool
		null  *string
	)
	err := conn.QueryRow(ctx, "SELECT id, label, price, embedding <-> '[1,1,1]', embedding::text, price > 2, NULL::text FROM "+table+" WHERE id = $1", 2).
		Scan(&id, &label, &price, &dist, &vec, &big, &null)
	if err != nil {
		t.Fatal(err)
	}
	pf, _ := price.Float64Value()
	if id != 2 || label != "b" || pf.Float64 != 2.25 || math.Abs(dist-math.Sqrt2) > 1e-6 || vec != "[0,1,0]" || !big || null != nil {
		t.Errorf("row 2: id=%d label=%q price=%v dist=%v vec=%q big=%v null=%v", id, label, pf.Float64, dist, vec, big, null)
	}

	// An error with its SQLSTATE; the connection stays usable.
	_, err = conn.Exec(ctx, "INSERT INTO "+table+" VALUES ($1, $2, 'x', 1)", 9, "[1,2]")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "22000" || pe.Message != "expected 3 dimensions, not 2" {
		t.Fatalf("wrong dimension: got %v, want 22000 expected 3 dimensions, not 2", err)
	}
	_, err = conn.Exec(ctx, "INSERT INTO "+table+" VALUES ($1, '[1,1,1]', 'dup', 1)", 1)
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("duplicate key: got %v", err)
	}
	if n := count(t, conn, table); n != 4 {
		t.Fatalf("count after errors = %d, want 4", n)
	}

	// A rolled-back transaction leaves nothing; a committed one stays.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES ($1, '[2,2,2]', 'tx', 3)", 5); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, conn, table); n != 4 {
		t.Fatalf("count after rollback = %d, want 4", n)
	}

	// UPDATE and DELETE tags.
	if tag := mustExec("UPDATE "+table+" SET price = price + 1 WHERE id <= $1", 2); tag.String() != "UPDATE 2" {
		t.Errorf("update tag %q", tag)
	}
	if tag := mustExec("DELETE FROM "+table+" WHERE id = $1", 4); tag.String() != "DELETE 1" {
		t.Errorf("delete tag %q", tag)
	}

	// Pipelined batch: several statements, one Sync.
	b := &pgx.Batch{}
	b.Queue("INSERT INTO "+table+" VALUES ($1, $2, $3, $4)", 6, "[6,6,6]", "six", 6)
	b.Queue("INSERT INTO "+table+" VALUES ($1, $2, $3, $4)", 7, "[7,7,7]", "seven", 7)
	b.Queue("SELECT count(*) FROM " + table)
	br := conn.SendBatch(ctx, b)
	for i := 0; i < 2; i++ {
		if _, err := br.Exec(); err != nil {
			t.Fatalf("batch insert %d: %v", i, err)
		}
	}
	var n int64
	if err := br.QueryRow().Scan(&n); err != nil || n != 5 {
		t.Fatalf("batch count: %d, %v", n, err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}
}

func queryIDs(t *testing.T, conn *pgx.Conn, sql string, args ...any) []int64 {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return ids
}

func count(t *testing.T, conn *pgx.Conn, table string) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestE2EBinaryVector sends a vector parameter and reads a vector column
// in pgvector's binary layout: int16 dim, int16 unused, dim float4,
// big-endian.
func TestE2EBinaryVector(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn := ts.connect(t)
	pc := conn.PgConn()
	for _, q := range []string{"CREATE EXTENSION vector", "CREATE TABLE v (id bigint PRIMARY KEY, e vector(3))"} {
		if _, err := pc.Exec(ctx, q).ReadAll(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var vecOID uint32
	if err := conn.QueryRow(ctx, "SELECT 'vector'::regtype::oid").Scan(&vecOID); err != nil {
		t.Fatal(err)
	}
	want := []float32{1.5, -2, 0.25}
	res := pc.ExecParams(ctx, "INSERT INTO v VALUES (1, $1)", [][]byte{vectorBinary(want)}, []uint32{vecOID}, []int16{1}, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	res = pc.ExecParams(ctx, "SELECT e, e::text FROM v WHERE id = 1", nil, nil, nil, []int16{1, 0}).Read()
	if res.Err != nil || len(res.Rows) != 1 {
		t.Fatalf("select: %v, %d rows", res.Err, len(res.Rows))
	}
	if res.FieldDescriptions[0].DataTypeOID != vecOID || res.FieldDescriptions[0].TypeModifier != 3 {
		t.Errorf("RowDescription: oid %d typmod %d, want %d and 3", res.FieldDescriptions[0].DataTypeOID, res.FieldDescriptions[0].TypeModifier, vecOID)
	}
	if got := string(res.Rows[0][0]); got != string(vectorBinary(want)) {
		t.Errorf("binary vector: got %x, want %x", res.Rows[0][0], vectorBinary(want))
	}
	if got := string(res.Rows[0][1]); got != "[1.5,-2,0.25]" {
		t.Errorf("text vector: got %q", got)
	}
	// A binary vector of the wrong length fails at Bind.
	res = pc.ExecParams(ctx, "INSERT INTO v VALUES (2, $1)", [][]byte{vectorBinary(want)[:7]}, []uint32{vecOID}, []int16{1}, nil).Read()
	var pe *pgconn.PgError
	if !errors.As(res.Err, &pe) {
		t.Fatalf("short binary vector: got %v, want an error", res.Err)
	}
}

func vectorBinary(v []float32) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(v)))
	b = binary.BigEndian.AppendUint16(b, 0)
	for _, f := range v {
		b = binary.BigEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

// TestE2ECopy loads rows with COPY FROM STDIN in text and csv (pgconn) and
// in binary (pgx CopyFrom).
func TestE2ECopy(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn := ts.connect(t)
	if _, err := conn.Exec(ctx, "CREATE EXTENSION vector; CREATE TABLE c (id bigint PRIMARY KEY, e vector(2), label text, price numeric(10,2))"); err != nil {
		t.Fatal(err)
	}
	tag, err := conn.PgConn().CopyFrom(ctx, strings.NewReader("1\t[1,2]\tone\t1.50\n2\t[3,4]\t\\N\t2\n"), "COPY c FROM STDIN")
	if err != nil || tag.String() != "COPY 2" {
		t.Fatalf("text COPY: %q %v", tag, err)
	}
	tag, err = conn.PgConn().CopyFrom(ctx, strings.NewReader("id,e,label,price\n3,\"[5,6]\",three,3.333\n"), "COPY c (id, e, label, price) FROM STDIN WITH (FORMAT csv, HEADER true)")
	if err != nil || tag.String() != "COPY 1" {
		t.Fatalf("csv COPY: %q %v", tag, err)
	}
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"c"}, []string{"id", "label", "price"},
		pgx.CopyFromRows([][]any{{int64(4), "four", 4.5}, {int64(5), nil, 5}}))
	if err != nil || n != 2 {
		t.Fatalf("binary COPY: %d %v", n, err)
	}
	// A failing COPY reports its error and loads nothing.
	_, err = conn.PgConn().CopyFrom(ctx, strings.NewReader("6\t[1,2]\tok\t1\n7\t[1,2,3]\tbad\t1\n"), "COPY c FROM STDIN")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "22000" {
		t.Fatalf("bad COPY: got %v, want 22000", err)
	}
	rows, err := conn.Query(ctx, "SELECT id::text || ' ' || coalesce(e::text, '-') || ' ' || coalesce(label, '-') || ' ' || price::text FROM c ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := "1 [1,2] one 1.50|2 [3,4] - 2.00|3 [5,6] three 3.33|4 - four 4.50|5 - - 5.00"
	if got := strings.Join(lines, "|"); got != want {
		t.Errorf("after COPY:\n got %s\nwant %s", got, want)
	}
}

// TestShutdownTerminatesIdle checks Shutdown sends FATAL 57P01 to an idle
// connection and closes it, and refuses new connections.
func TestShutdownTerminatesIdle(t *testing.T) {
	ts := startTestServer(t)
	nc, fe := rawStartup(t, ts.addr)
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	msg, err := fe.Receive()
	er, ok := msg.(*pgproto3.ErrorResponse)
	if err != nil || !ok || er.Code != "57P01" || er.Severity != "FATAL" || er.Message != "terminating connection due to administrator command" {
		t.Fatalf("got %#v, %v; want FATAL 57P01", msg, err)
	}
	if _, err := fe.Receive(); err == nil {
		t.Fatal("connection still open after FATAL")
	}
	if c, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		c.Close()
		t.Fatal("server still accepts connections after Shutdown")
	}
}

// rawStartup opens a protocol-level connection and completes startup.
func rawStartup(t *testing.T, addr string) (net.Conn, *pgproto3.Frontend) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fe := pgproto3.NewFrontend(pgproto3.NewChunkReader(nc), nc)
	if err := fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres", "database": "postgres"}}); err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if er, ok := msg.(*pgproto3.ErrorResponse); ok {
			t.Fatalf("startup: %s", er.Message)
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			return nc, fe
		}
	}
}

// BenchmarkSelect1 measures a full round trip of SELECT 1 through the
// server, in the simple protocol and with a cached prepared statement.
func BenchmarkSelect1(b *testing.B) {
	ts := startTestServer(b)
	ctx := context.Background()
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{{"simple", pgx.QueryExecModeSimpleProtocol}, {"extended", pgx.QueryExecModeCacheStatement}} {
		b.Run(m.name, func(b *testing.B) {
			cfg, _ := pgx.ParseConfig(ts.connString(""))
			cfg.DefaultQueryExecMode = m.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close(ctx)
			var n int32
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := conn.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
					b.Fatal(n, err)
				}
			}
		})
	}
}
