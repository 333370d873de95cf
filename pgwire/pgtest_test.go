package pgwire

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"
)

// TestPGTest runs the wire scripts in testdata/*.pgt: each file talks to a
// fresh server over one raw connection. Commands:
//
//	send [vecgres_only|postgres_only]
//	<MessageType> <JSON>            one frontend message per line; JSON as
//	                                pgproto3 marshals it, may be omitted
//	----
//
//	until [ignore=T1,T2] [ignore_table_oids] [keep_values]
//	<MessageType>                   read until each listed type was seen, in
//	                                order; print every message as JSON
//	----
//	<messages>
//
//	startup                         StartupMessage user=postgres
//	                                database=postgres, read to ReadyForQuery;
//	                                prints ReadyForQuery only
//	receive_byte                    read one raw byte (the SSLRequest answer)
//	cancel                          send CancelRequest with the key from
//	                                BackendKeyData on a new connection, every
//	                                200ms until the next "until" is done
//	reconnect                       drop the connection and open a new one
//	eof                             expect the server to close the connection
//
// vecgres_only / postgres_only skip a command for the other target, so one
// script documents a known difference. With -pg-addr the scripts run
// against a real PostgreSQL; with -rewrite the expected output is rewritten.
func TestPGTest(t *testing.T) {
	files, err := filepath.Glob("testdata/*.pgt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.pgt: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			addr := *pgAddr
			if addr == "" {
				addr = startTestServer(t).addr
			} else {
				resetPostgres(t, addr)
			}
			pt := &pgTest{t: t, addr: addr, vecgres: *pgAddr == ""}
			pt.dial()
			defer pt.close()
			datadriven.RunTest(t, path, pt.run)
		})
	}
}

// resetPostgres empties the public schema of a real PostgreSQL, so each
// script starts from an empty database as it does on a fresh vecgres.
func resetPostgres(t *testing.T, addr string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatalf("-pg-addr %s: %v", addr, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatalf("reset public schema: %v", err)
	}
}

type pgTest struct {
	t          *testing.T
	stopCancel func()
	addr       string
	vecgres    bool
	nc         net.Conn
	fe         *pgproto3.Frontend
	cr         pgproto3.ChunkReader
	key        pgproto3.BackendKeyData
}

func (pt *pgTest) dial() {
	nc, err := net.Dial("tcp", pt.addr)
	if err != nil {
		pt.t.Fatal(err)
	}
	pt.nc = nc
	pt.cr = pgproto3.NewChunkReader(nc)
	pt.fe = pgproto3.NewFrontend(pt.cr, nc)
}

func (pt *pgTest) close() {
	if pt.nc != nil {
		pt.nc.Close()
	}
}

func (pt *pgTest) run(t *testing.T, d *datadriven.TestData) string {
	if (d.HasArg("vecgres_only") && !pt.vecgres) || (d.HasArg("postgres_only") && pt.vecgres) {
		return d.Expected
	}
	_ = pt.nc.SetDeadline(time.Now().Add(20 * time.Second))
	switch d.Cmd {
	case "send":
		for _, line := range strings.Split(d.Input, "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			if err := pt.fe.Send(parseFrontendMessage(t, d.Pos, line)); err != nil {
				t.Fatalf("%s: send: %v", d.Pos, err)
			}
		}
		return ""
	case "until":
		return pt.until(t, d)
	case "startup":
		pt.startup(t)
		return "ReadyForQuery I\n"
	case "receive_byte":
		b, err := pt.cr.Next(1)
		if err != nil {
			t.Fatalf("%s: %v", d.Pos, err)
		}
		return fmt.Sprintf("%q\n", b)
	case "cancel":
		// NB: a CancelRequest that arrives before the server has read the
		// query cancels nothing (as in PostgreSQL), so it is repeated every
		// 200ms until the next "until" has seen what it waits for.
		stop := make(chan struct{})
		pt.stopCancel = func() { close(stop) }
		go func() {
			for {
				pt.sendCancel()
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
		return ""
	case "reconnect":
		pt.close()
		pt.dial()
		return ""
	case "eof":
		msg, err := pt.fe.Receive()
		if err == nil {
			t.Fatalf("%s: expected the server to close the connection, got %s", d.Pos, formatMessage(msg, d))
		}
		return "EOF\n"
	default:
		t.Fatalf("%s: unknown command %q", d.Pos, d.Cmd)
		return ""
	}
}

// sendCancel sends one CancelRequest with the session's key on a new
// connection; the server closes it without a reply.
func (pt *pgTest) sendCancel() {
	nc, err := net.Dial("tcp", pt.addr)
	if err != nil {
		return
	}
	defer nc.Close()
	buf, _ := (&pgproto3.CancelRequest{ProcessID: pt.key.ProcessID, SecretKey: pt.key.SecretKey}).Encode(nil)
	if _, err := nc.Write(buf); err != nil {
		return
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _ = nc.Read(make([]byte, 1))
}

func (pt *pgTest) startup(t *testing.T) {
	err := pt.fe.Send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters:      map[string]string{"user": "postgres", "database": "postgres"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := pt.fe.Receive()
		if err != nil {
			t.Fatalf("startup: %v", err)
		}
		switch m := msg.(type) {
		case *pgproto3.BackendKeyData:
			pt.key = *m
		case *pgproto3.ErrorResponse:
			t.Fatalf("startup: %s", m.Message)
		case *pgproto3.ReadyForQuery:
			return
		}
	}
}

// until reads messages until every type listed in the input has been seen
// in order, and prints them all as JSON, one per line.
func (pt *pgTest) until(t *testing.T, d *datadriven.TestData) string {
	ignore := map[string]bool{}
	for _, a := range d.CmdArgs {
		if a.Key == "ignore" {
			for _, v := range a.Vals {
				ignore[v] = true
			}
		}
	}
	var want []string
	for _, l := range strings.Split(d.Input, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	var out strings.Builder
	for len(want) > 0 {
		msg, err := pt.fe.Receive()
		if err != nil {
			t.Fatalf("%s: waiting for %v: %v\nreceived so far:\n%s", d.Pos, want, err, out.String())
		}
		name := msgName(msg)
		if k, ok := msg.(*pgproto3.BackendKeyData); ok {
			pt.key = *k
		}
		if name == want[0] {
			want = want[1:]
		}
		if ignore[name] {
			continue
		}
		out.WriteString(formatMessage(msg, d))
		out.WriteByte('\n')
	}
	if pt.stopCancel != nil {
		pt.stopCancel()
		pt.stopCancel = nil
	}
	return out.String()
}

// formatMessage prints a backend message as JSON, leaving out what differs
// between servers for reasons other than behaviour (error source file and
// line; table OIDs with ignore_table_oids).
func formatMessage(msg pgproto3.BackendMessage, d *datadriven.TestData) string {
	var v any = msg
	switch m := msg.(type) {
	case *pgproto3.ErrorResponse:
		v = errorFields("ErrorResponse", m)
	case *pgproto3.NoticeResponse:
		v = errorFields("NoticeResponse", (*pgproto3.ErrorResponse)(m))
	case *pgproto3.RowDescription:
		if d.HasArg("ignore_table_oids") {
			for i := range m.Fields {
				m.Fields[i].TableOID = 0
			}
		}
	case *pgproto3.ParameterStatus:
		if !d.HasArg("keep_values") {
			v = struct{ Type, Name string }{"ParameterStatus", m.Name}
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unmarshalable %T: %v", msg, err)
	}
	return string(b)
}

type errorJSON struct {
	Type     string
	Severity string
	Code     string
	Message  string
	Detail   string `json:",omitempty"`
	Hint     string `json:",omitempty"`
	Position int32  `json:",omitempty"`
}

func errorFields(typ string, m *pgproto3.ErrorResponse) errorJSON {
	return errorJSON{Type: typ, Severity: m.Severity, Code: m.Code, Message: m.Message,
		Detail: m.Detail, Hint: m.Hint, Position: m.Position}
}

// parseFrontendMessage parses "Type {json}".
func parseFrontendMessage(t *testing.T, pos, line string) pgproto3.FrontendMessage {
	typ, js, _ := strings.Cut(line, " ")
	var msg pgproto3.FrontendMessage
	switch typ {
	case "Query":
		msg = &pgproto3.Query{}
	case "Parse":
		msg = &pgproto3.Parse{}
	case "Bind":
		msg = &pgproto3.Bind{}
	case "Describe":
		msg = &pgproto3.Describe{}
	case "Execute":
		msg = &pgproto3.Execute{}
	case "Sync":
		msg = &pgproto3.Sync{}
	case "Flush":
		msg = &pgproto3.Flush{}
	case "Close":
		msg = &pgproto3.Close{}
	case "Terminate":
		msg = &pgproto3.Terminate{}
	case "CopyData":
		msg = &pgproto3.CopyData{}
	case "CopyDone":
		msg = &pgproto3.CopyDone{}
	case "CopyFail":
		msg = &pgproto3.CopyFail{}
	case "SSLRequest":
		msg = &pgproto3.SSLRequest{}
	case "GSSEncRequest":
		msg = &pgproto3.GSSEncRequest{}
	case "StartupMessage":
		m := &pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
			Parameters: map[string]string{"user": "postgres", "database": "postgres"}}
		if js != "" {
			if err := json.Unmarshal([]byte(js), &m.Parameters); err != nil {
				t.Fatalf("%s: %s: %v", pos, line, err)
			}
		}
		return m
	case "Raw":
		// Raw {"hex":"..."} sends arbitrary bytes, for garbage tests.
		var r struct{ Hex string }
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatalf("%s: %s: %v", pos, line, err)
		}
		return rawMessage(mustHex(t, r.Hex))
	default:
		t.Fatalf("%s: unknown message type %q", pos, typ)
	}
	if js != "" {
		if err := json.Unmarshal([]byte(js), msg); err != nil {
			t.Fatalf("%s: %s: %v", pos, line, err)
		}
	}
	return msg
}

// rawMessage is bytes sent as they are.
type rawMessage []byte

func (rawMessage) Frontend()                           {}
func (r rawMessage) Decode([]byte) error               { return nil }
func (r rawMessage) Encode(dst []byte) ([]byte, error) { return append(dst, r...), nil }

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}
