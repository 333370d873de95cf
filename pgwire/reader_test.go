package pgwire

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

func encode(t testing.TB, msgs ...pgproto3.FrontendMessage) []byte {
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = m.Encode(b); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func TestReaderFramesMessages(t *testing.T) {
	in := encode(t,
		&pgproto3.Parse{Name: "s", Query: "SELECT $1", ParameterOIDs: []uint32{20}},
		&pgproto3.Bind{PreparedStatement: "s", Parameters: [][]byte{[]byte("42"), nil}},
		&pgproto3.Sync{},
	)
	r := newMsgReader(bytes.NewReader(in), 0)
	m, err := r.receive()
	if p, ok := m.(*pgproto3.Parse); err != nil || !ok || p.Query != "SELECT $1" || p.ParameterOIDs[0] != 20 {
		t.Fatalf("Parse: %#v %v", m, err)
	}
	m, err = r.receive()
	if b, ok := m.(*pgproto3.Bind); err != nil || !ok || string(b.Parameters[0]) != "42" || b.Parameters[1] != nil {
		t.Fatalf("Bind: %#v %v", m, err)
	}
	if m, err = r.receive(); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(*pgproto3.Sync); !ok {
		t.Fatalf("Sync: %#v", m)
	}
	if _, err = r.receive(); err != io.EOF {
		t.Fatalf("at end: got %v, want io.EOF", err)
	}
}

func TestReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      []byte
		max     int
		code    pgerr.Code
		fatal   bool
		wantEOF bool
	}{
		{name: "unknown type", in: []byte{'z', 0, 0, 0, 4}, code: pgerr.ProtocolViolation, fatal: true},
		{name: "negative length", in: []byte{'Q', 0, 0, 0, 2}, code: pgerr.ProtocolViolation, fatal: true},
		{name: "small message too large", in: []byte{'S', 0, 1, 0, 0}, code: pgerr.ProtocolViolation, fatal: true},
		{name: "query over limit", in: append([]byte{'Q', 0, 0, 0, 104}, make([]byte, 100)...), max: 50, code: pgerr.ProtocolViolation, fatal: true},
		{name: "truncated body", in: []byte{'Q', 0, 0, 0, 10, 'a'}, wantEOF: true},
		{name: "truncated header", in: []byte{'Q', 0}, wantEOF: true},
		{name: "bad body", in: []byte{'B', 0, 0, 0, 8, 0, 0, 0xff, 0xff}, code: pgerr.ProtocolViolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newMsgReader(bytes.NewReader(tc.in), tc.max).receive()
			if tc.wantEOF {
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("got %v, want unexpected EOF", err)
				}
				return
			}
			var pe *pgerr.Error
			if !errors.As(err, &pe) || pe.Code != tc.code || isFatal(pe) != tc.fatal {
				t.Fatalf("got %#v, want code %s fatal=%v", err, tc.code, tc.fatal)
			}
		})
	}
}

func TestReaderStartup(t *testing.T) {
	in := encode(t, &pgproto3.SSLRequest{},
		&pgproto3.StartupMessage{ProtocolVersion: protocolVersion30 + 2, Parameters: map[string]string{"user": "u", "_pq_.x": "1"}},
		&pgproto3.CancelRequest{ProcessID: 7, SecretKey: 9})
	r := newMsgReader(bytes.NewReader(in), 0)
	if m, err := r.readStartup(); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(*pgproto3.SSLRequest); !ok {
		t.Fatalf("%#v", m)
	}
	m, err := r.readStartup()
	if s, ok := m.(*pgproto3.StartupMessage); err != nil || !ok || s.Parameters["user"] != "u" || s.ProtocolVersion != protocolVersion30+2 {
		t.Fatalf("startup: %#v %v", m, err)
	}
	m, err = r.readStartup()
	if c, ok := m.(*pgproto3.CancelRequest); err != nil || !ok || c.ProcessID != 7 || c.SecretKey != 9 {
		t.Fatalf("cancel: %#v %v", m, err)
	}
	_, err = newMsgReader(bytes.NewReader([]byte{0, 0, 0, 8, 0, 2, 0, 0}), 0).readStartup()
	if pgerr.CodeOf(err) != pgerr.FeatureNotSupported {
		t.Fatalf("protocol 2.0: got %v", err)
	}
}

// FuzzReceive feeds arbitrary bytes to the framing and decoding of both
// phases: errors are fine, panics are not.
func FuzzReceive(f *testing.F) {
	f.Add(encode(f, &pgproto3.Query{String: "SELECT 1"}, &pgproto3.Sync{}))
	f.Add(encode(f, &pgproto3.Bind{Parameters: [][]byte{{1}}, ParameterFormatCodes: []int16{1}}))
	f.Add(encode(f, &pgproto3.StartupMessage{ProtocolVersion: protocolVersion30, Parameters: map[string]string{"user": "x"}}))
	f.Add([]byte{0, 0, 0, 16, 4, 210, 22, 46, 0, 0, 0, 1, 0, 0, 0, 2})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := newMsgReader(bytes.NewReader(in), 1<<16)
		_, _ = r.readStartup()
		r = newMsgReader(bytes.NewReader(in), 1<<16)
		for i := 0; i < 64; i++ {
			m, err := r.receive()
			if m == nil && err != nil {
				return
			}
		}
	})
}

func TestResultFormats(t *testing.T) {
	for _, tc := range []struct {
		codes []int16
		ncols int
		want  []int16
		err   bool
	}{
		{nil, 3, nil, false},
		{[]int16{0}, 3, nil, false},
		{[]int16{1}, 2, []int16{1, 1}, false},
		{[]int16{0, 1}, 2, []int16{0, 1}, false},
		{[]int16{0, 1}, 3, nil, true},
		{[]int16{2}, 1, nil, true},
		{[]int16{1}, 0, nil, false},
	} {
		got, err := resultFormats(tc.codes, tc.ncols)
		if (err != nil) != tc.err || !equalInt16(got, tc.want) {
			t.Errorf("resultFormats(%v, %d) = %v, %v; want %v err=%v", tc.codes, tc.ncols, got, err, tc.want, tc.err)
		}
	}
}

func equalInt16(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWriterDataRow(t *testing.T) {
	var out bytes.Buffer
	w := writer{w: &out}
	cols := []sql.Column{{Name: "i", Type: types.Int8Type}, {Name: "t", Type: types.TextType}, {Name: "n", Type: types.Int4Type}}
	row := []types.Datum{types.NewInt(42), types.NewString("hé"), types.Null}
	if err := w.dataRow(row, cols, nil, types.FormatOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := w.dataRow(row, cols, []int16{1, 0, 1}, types.FormatOptions{}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Fatal("writer flushed before flush()")
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	fe := pgproto3.NewFrontend(pgproto3.NewChunkReader(&out), io.Discard)
	for _, want := range [][]string{{"42", "hé", "<nil>"}, {"\x00\x00\x00\x00\x00\x00\x00\x2a", "hé", "<nil>"}} {
		m, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		dr := m.(*pgproto3.DataRow)
		for i, v := range dr.Values {
			got := string(v)
			if v == nil {
				got = "<nil>"
			}
			if got != want[i] {
				t.Errorf("value %d: got %q, want %q", i, got, want[i])
			}
		}
	}
}

func TestWriterFlushThreshold(t *testing.T) {
	var out bytes.Buffer
	w := writer{w: &out}
	cols := []sql.Column{{Name: "t", Type: types.TextType}}
	row := []types.Datum{types.NewString(string(make([]byte, 1000)))}
	for i := 0; i < 100; i++ {
		_ = w.dataRow(row, cols, nil, types.FormatOptions{})
	}
	if out.Len() < flushThreshold {
		t.Fatalf("100 KB of rows buffered without a write (%d bytes written)", out.Len())
	}
}

func BenchmarkDataRow(b *testing.B) {
	w := writer{w: io.Discard}
	cols := []sql.Column{{Name: "id", Type: types.Int8Type}, {Name: "e", Type: types.VectorOf(3)}, {Name: "l", Type: types.TextType}}
	row := []types.Datum{types.NewInt(12345), types.NewVector([]float32{0.5, 1, 2.25}), types.NewString("label")}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = w.dataRow(row, cols, nil, types.FormatOptions{})
		if len(w.buf) > flushThreshold {
			w.buf = w.buf[:0]
		}
	}
}
