package pgwire

import (
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestHalfvecBinaryFormat sends and reads halfvec values in pgvector's
// binary format (int16 dim, int16 unused = 0, dim IEEE half floats, all
// big-endian) through raw Bind/DataRow bytes, checks RowDescription's OID
// and modifier, halfvec_recv's errors at Bind, and an ORDER BY <-> with a
// binary halfvec parameter.
func TestHalfvecBinaryFormat(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn := ts.connect(t)
	pc := conn.PgConn()
	if _, err := pc.Exec(ctx, "CREATE TABLE h (id bigint PRIMARY KEY, e halfvec(3))").ReadAll(); err != nil {
		t.Fatal(err)
	}
	const oid = 16391
	// [1,-2.5,0.099975586] and [2,2,2] in binary.
	for i, v := range []string{"000300003c00c1002e66", "00030000400040004000"} {
		res := pc.ExecParams(ctx, "INSERT INTO h VALUES ($1, $2)", [][]byte{{byte('1' + i)}, mustHex(t, v)},
			[]uint32{20, oid}, []int16{0, 1}, nil).Read()
		if res.Err != nil {
			t.Fatalf("insert %s: %v", v, res.Err)
		}
	}
	res := pc.ExecParams(ctx, "SELECT e, e::text FROM h WHERE id = 1", nil, nil, nil, []int16{1, 0}).Read()
	if res.Err != nil || len(res.Rows) != 1 {
		t.Fatalf("select: %v, %d rows", res.Err, len(res.Rows))
	}
	fd := res.FieldDescriptions
	if fd[0].DataTypeOID != oid || fd[0].TypeModifier != 3 {
		t.Errorf("RowDescription: (%d, %d), want (%d, 3)", fd[0].DataTypeOID, fd[0].TypeModifier, oid)
	}
	if got := hex.EncodeToString(res.Rows[0][0]); got != "000300003c00c1002e66" {
		t.Errorf("binary halfvec: %s, want 000300003c00c1002e66", got)
	}
	if string(res.Rows[0][1]) != "[1,-2.5,0.099975586]" {
		t.Errorf("text form: %q", res.Rows[0][1])
	}
	// halfvec_recv's errors surface at Bind.
	for _, tc := range []struct{ in, code, msg string }{
		{"000200003c003c00", "22000", "expected 3 dimensions, not 2"},
		{"000300003c007c003c00", "22000", "infinite value not allowed in halfvec"},
		{"000300003c007e003c00", "22000", "NaN not allowed in halfvec"},
		{"000300013c003c003c00", "22000", "expected unused to be 0, not 1"},
	} {
		res = pc.ExecParams(ctx, "INSERT INTO h VALUES (9, $1)", [][]byte{mustHex(t, tc.in)}, []uint32{oid}, []int16{1}, nil).Read()
		var pe *pgconn.PgError
		if !errors.As(res.Err, &pe) || pe.Code != tc.code || pe.Message != tc.msg {
			t.Errorf("%s: %v, want %s %s", tc.in, res.Err, tc.code, tc.msg)
		}
	}
	// A binary query vector [2,2,1.5] orders the rows.
	res = pc.ExecParams(ctx, "SELECT id, e <-> $1 FROM h ORDER BY e <-> $1 LIMIT 2", [][]byte{mustHex(t, "00030000400040003e00")},
		[]uint32{oid}, []int16{1}, []int16{0, 0}).Read()
	if res.Err != nil || len(res.Rows) != 2 {
		t.Fatalf("order by: %v, %d rows", res.Err, len(res.Rows))
	}
	if got := string(res.Rows[0][0]) + " " + string(res.Rows[0][1]); got != "2 0.5" {
		t.Errorf("nearest: %s, want 2 0.5", got)
	}
}
