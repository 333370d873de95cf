package pgwire

import (
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestBitBinaryFormat sends and reads bit(n) and bit varying values in
// PostgreSQL's binary format (int32 bit count, then the bits packed most
// significant first) through raw Bind/DataRow bytes and through pgx's own
// codec, and runs pgvector's <~> ORDER BY with a binary bit parameter.
func TestBitBinaryFormat(t *testing.T) {
	ts := startTestServer(t)
	ctx := context.Background()
	conn := ts.connect(t)
	pc := conn.PgConn()
	if _, err := pc.Exec(ctx, "CREATE TABLE b (id bigint PRIMARY KEY, e bit(5), v varbit(12))").ReadAll(); err != nil {
		t.Fatal(err)
	}
	// B'10101' and B'1111000011' in binary.
	res := pc.ExecParams(ctx, "INSERT INTO b VALUES (1, $1, $2)", [][]byte{mustHex(t, "00000005a8"), mustHex(t, "0000000af0c0")},
		[]uint32{1560, 1562}, []int16{1}, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	res = pc.ExecParams(ctx, "SELECT e, v, e::text, v::text FROM b WHERE id = 1", nil, nil, nil, []int16{1, 1, 0, 0}).Read()
	if res.Err != nil || len(res.Rows) != 1 {
		t.Fatalf("select: %v, %d rows", res.Err, len(res.Rows))
	}
	fd := res.FieldDescriptions
	if fd[0].DataTypeOID != 1560 || fd[0].TypeModifier != 5 || fd[1].DataTypeOID != 1562 || fd[1].TypeModifier != 12 {
		t.Errorf("RowDescription: (%d, %d) and (%d, %d), want (1560, 5) and (1562, 12)",
			fd[0].DataTypeOID, fd[0].TypeModifier, fd[1].DataTypeOID, fd[1].TypeModifier)
	}
	if got := hex.EncodeToString(res.Rows[0][0]); got != "00000005a8" {
		t.Errorf("binary bit(5): %s, want 00000005a8", got)
	}
	if got := hex.EncodeToString(res.Rows[0][1]); got != "0000000af0c0" {
		t.Errorf("binary varbit: %s, want 0000000af0c0", got)
	}
	if string(res.Rows[0][2]) != "10101" || string(res.Rows[0][3]) != "1111000011" {
		t.Errorf("text forms: %q, %q", res.Rows[0][2], res.Rows[0][3])
	}
	// A bit string of the wrong length fails at Bind with bit_recv's error.
	res = pc.ExecParams(ctx, "INSERT INTO b VALUES (2, $1, NULL)", [][]byte{mustHex(t, "00000004a0")}, []uint32{1560}, []int16{1}, nil).Read()
	var pe *pgconn.PgError
	if !errors.As(res.Err, &pe) || pe.Code != "22026" {
		t.Fatalf("bit(4) value into bit(5): %v, want 22026", res.Err)
	}

	// pgx's codec (binary for OIDs 1560/1562 with a prepared statement).
	for i, s := range []string{"00000", "11111", "10100", "00101"} {
		bits := pgtype.Bits{Bytes: mustHex(t, hexOfBits(s)), Len: 5, Valid: true}
		if _, err := conn.Exec(ctx, "INSERT INTO b VALUES ($1, $2, NULL)", i+10, bits); err != nil {
			t.Fatal(err)
		}
	}
	q := pgtype.Bits{Bytes: mustHex(t, hexOfBits("10101")), Len: 5, Valid: true}
	rows, err := conn.Query(ctx, "SELECT id, e, e <~> $1 FROM b ORDER BY e <~> $1, id LIMIT 3", q)
	if err != nil {
		t.Fatal(err)
	}
	type hit struct {
		id   int64
		bits string
		d    float64
	}
	var got []hit
	for rows.Next() {
		var h hit
		var e pgtype.Bits
		if err := rows.Scan(&h.id, &e, &h.d); err != nil {
			t.Fatal(err)
		}
		h.bits = hex.EncodeToString(e.Bytes)
		got = append(got, h)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []hit{{1, "a8", 0}, {12, "a0", 1}, {13, "28", 1}}
	if len(got) != len(want) {
		t.Fatalf("nearest: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("nearest[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// hexOfBits packs a string of 0 and 1 most significant bit first and
// returns the bytes in hex.
func hexOfBits(s string) string {
	out := make([]byte, (len(s)+7)/8)
	for i := 0; i < len(s); i++ {
		if s[i] == '1' {
			out[i/8] |= 0x80 >> (i % 8)
		}
	}
	return hex.EncodeToString(out)
}
