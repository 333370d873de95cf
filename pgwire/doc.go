// Package pgwire serves the PostgreSQL frontend/backend protocol (version
// 3.0) on top of package sql. It owns everything between the socket and a
// sql.Session: message framing, the protocol state machine, prepared
// statements and portals of the extended protocol, value encoding in text
// and binary formats, COPY FROM STDIN, query cancellation, and turning
// errors into ErrorResponse. It is the only package that imports
// github.com/jackc/pgproto3/v2.
//
// # Layers
//
//	server.go        Server: accept loop, connection registry, BackendKeyData
//	                 map for CancelRequest, graceful Shutdown.
//	conn.go          conn: ONE flat receive loop per connection that switches
//	                 on the message type and calls a handler; the protocol
//	                 state (startup → ready ⇄ copyIn, ignoreUntilSync) and its
//	                 transitions (becomeReady, becomeCopyIn, skipToSync).
//	startup.go       SSLRequest/GSSEncRequest ('N'), CancelRequest,
//	                 StartupMessage → sql.Engine.NewSession, AuthenticationOk,
//	                 ParameterStatus, BackendKeyData, ReadyForQuery.
//	simple_query.go  Query: sql.Parse, then Prepare+Execute per statement.
//	parse.go bind.go describe.go execute.go close.go sync.go
//	                 the extended protocol, one message per file.
//	copy.go          COPY FROM STDIN: CopyInResponse, CopyData/Done/Fail.
//	errors.go        the one function from error to ErrorResponse (and
//	                 NoticeResponse for the session's notices).
//	reader.go        message framing with a size limit; flyweight decoding.
//	writer.go        the per-connection output buffer and the hand-written
//	                 encoders of the per-row messages.
//
// # Data flow
//
// A message is read by msgReader into a reused buffer and decoded into a
// per-connection flyweight; the loop in conn.serve dispatches it. Handlers
// call the sql.Session (Prepare, Execute, Result.Next, Sync) and append
// replies to the connection's writer. Rows are encoded directly into the
// output buffer with types.AppendText / types.AppendBinary: no allocation
// per row. Output is written with one syscall at ReadyForQuery, on Flush,
// before waiting for CopyData, and whenever it passes 64 KiB.
//
// # Invariants
//
//   - One goroutine per connection owns the conn, its session, statements,
//     portals and buffers. Only conn.cancelQuery (CancelRequest) and
//     Server.Shutdown reach in from other goroutines, through conn.mu and the
//     contexts.
//   - Every error reaches the client through conn.sendError (errors.go); an
//     error without a SQLSTATE becomes XX000, a cancelled context 57014.
//   - After an error in an extended-query message, messages are discarded
//     until Sync (ignoreUntilSync), then ReadyForQuery carries 'I' or 'E'.
//   - ReadyForQuery is preceded by Session.Sync (the implicit transaction
//     ends there) and by ParameterStatus for settings changed since the last
//     one, and it drops all portals when no transaction remains open.
//   - Unnamed statement and portal are replaced by the next Parse/Bind and
//     destroyed by a simple Query; named statements live for the session.
//   - Framing errors, oversized messages and unknown message types end the
//     connection with FATAL 08P01; a panic in a handler is recovered, logged
//     with its stack, and ends the connection with FATAL XX000.
//   - Bytes returned by msgReader.receive (Bind parameters, CopyData) alias
//     the read buffer: decode or copy them before the next receive.
//
// # Where to start debugging
//
// Reproduce with a .pgt script in testdata/ (see pgtest_test.go: send
// messages as JSON, print what comes back) and run it against a real
// PostgreSQL with -pg-addr to tell a bug from a known difference. Wire-level
// logs: run the server with --log-level debug. A wrong value is usually in
// sql/types (AppendText/AppendBinary/ParseText/DecodeBinary), a wrong tag
// or transaction status in package sql.
//
// Reference: PostgreSQL documentation, chapter 55 "Frontend/Backend
// Protocol" (55.2 Message Flow, 55.7 Message Formats).
package pgwire
