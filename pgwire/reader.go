package pgwire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// Protocol constants of the startup phase.
// Reference: PostgreSQL documentation, 55.7 "Message Formats".
const (
	protocolVersion30  = 3 << 16 // 196608
	sslRequestCode     = 80877103
	gssEncRequestCode  = 80877104
	cancelRequestCode  = 80877102
	maxStartupPacket   = 10000 // MAX_STARTUP_PACKET_LENGTH in PostgreSQL
	smallMessageLimit  = 10000 // PQ_SMALL_MESSAGE_LIMIT: messages that never carry data
	defaultMaxMessage  = 64 << 20
	readBufferSize     = 16 << 10
	maxRetainedReadBuf = 1 << 20
)

// msgReader frames frontend messages off a byte stream and decodes them
// into per-connection flyweights, as pgproto3.Backend does, but with a size
// limit checked before any body byte is read or any memory is allocated.
//
// NB: pgproto3.Backend (v2.3.3) has no message size limit and turns every
// framing problem into a plain error; we need the limit, and we need to tell
// a clean hang-up (io.EOF at a message boundary) from garbage (08P01).
//
// Ownership: the message returned by receive, and every byte slice inside
// it (Bind.Parameters, CopyData.Data), is valid only until the next call.
type msgReader struct {
	br      *bufio.Reader
	buf     []byte
	maxSize int

	bind      pgproto3.Bind
	close     pgproto3.Close
	copyData  pgproto3.CopyData
	copyDone  pgproto3.CopyDone
	copyFail  pgproto3.CopyFail
	describe  pgproto3.Describe
	execute   pgproto3.Execute
	flush     pgproto3.Flush
	parse     pgproto3.Parse
	query     pgproto3.Query
	sync      pgproto3.Sync
	terminate pgproto3.Terminate
	password  pgproto3.PasswordMessage
	function  pgproto3.FunctionCall

	startup pgproto3.StartupMessage
	ssl     pgproto3.SSLRequest
	gss     pgproto3.GSSEncRequest
	cancel  pgproto3.CancelRequest
}

func newMsgReader(r io.Reader, maxSize int) *msgReader {
	if maxSize <= 0 {
		maxSize = defaultMaxMessage
	}
	return &msgReader{br: bufio.NewReaderSize(r, readBufferSize), maxSize: maxSize}
}

// errProtocol marks framing and decoding failures: the byte stream can no
// longer be trusted, so the connection ends with FATAL 08P01.
func errProtocol(format string, args ...any) *pgerr.Error {
	e := pgerr.Newf(pgerr.ProtocolViolation, format, args...)
	e.Severity = pgerr.SeverityFatal
	return e
}

// body reads n bytes into the reusable buffer.
func (r *msgReader) body(n int) ([]byte, error) {
	if cap(r.buf) > maxRetainedReadBuf && n <= readBufferSize {
		r.buf = nil // NB: one huge COPY chunk must not pin its buffer forever.
	}
	if cap(r.buf) < n {
		r.buf = make([]byte, n, max(n, 4096))
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.br, b); err != nil {
		return nil, unexpectedEOF(err)
	}
	return b, nil
}

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readStartup reads one untyped startup-phase packet: StartupMessage,
// SSLRequest, GSSEncRequest or CancelRequest. A StartupMessage with a 3.x
// minor version other than 0 is decoded too (the caller negotiates down).
// io.EOF means the client hung up before sending anything.
func (r *msgReader) readStartup() (pgproto3.FrontendMessage, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, unexpectedEOF(err)
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:]))) - 4
	if n < 4 || n > maxStartupPacket {
		return nil, errProtocol("invalid length of startup packet")
	}
	b, err := r.body(n)
	if err != nil {
		return nil, err
	}
	code := binary.BigEndian.Uint32(b)
	switch {
	case code == sslRequestCode:
		return &r.ssl, nil
	case code == gssEncRequestCode:
		return &r.gss, nil
	case code == cancelRequestCode:
		if err := safeDecode(&r.cancel, b); err != nil {
			return nil, errProtocol("invalid cancel request: %v", err)
		}
		return &r.cancel, nil
	case code>>16 == 3:
		return r.decodeStartup(b)
	default:
		e := pgerr.Newf(pgerr.FeatureNotSupported,
			"unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", code>>16, code&0xffff)
		e.Severity = pgerr.SeverityFatal
		return nil, e
	}
}

// decodeStartup decodes a v3.x StartupMessage body (version word included).
func (r *msgReader) decodeStartup(b []byte) (*pgproto3.StartupMessage, error) {
	m := &r.startup
	m.ProtocolVersion = binary.BigEndian.Uint32(b)
	m.Parameters = make(map[string]string)
	rest := b[4:]
	for len(rest) > 0 && rest[0] != 0 {
		k, after, ok := cutCString(rest)
		if !ok {
			return nil, errProtocol("invalid startup packet layout: expected terminator as last byte")
		}
		v, after2, ok := cutCString(after)
		if !ok {
			return nil, errProtocol("invalid startup packet layout: expected terminator as last byte")
		}
		m.Parameters[k] = v
		rest = after2
	}
	if len(rest) != 1 {
		return nil, errProtocol("invalid startup packet layout: expected terminator as last byte")
	}
	return m, nil
}

func cutCString(b []byte) (s string, rest []byte, ok bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), b[i+1:], true
		}
	}
	return "", nil, false
}

// receive reads one typed frontend message. It returns io.EOF when the
// client closed the connection at a message boundary, and a FATAL 08P01
// *pgerr.Error for oversized or unknown messages. A message whose body
// does not decode is returned with an ERROR-severity 08P01 error: the
// stream is still in sync, so the connection goes on.
func (r *msgReader) receive() (pgproto3.FrontendMessage, error) {
	hdr, err := r.br.Peek(5)
	if err != nil {
		if err == io.EOF && len(hdr) == 0 {
			return nil, io.EOF
		}
		return nil, unexpectedEOF(err)
	}
	typ := hdr[0]
	n := int(int32(binary.BigEndian.Uint32(hdr[1:]))) - 4
	if _, err := r.br.Discard(5); err != nil {
		return nil, err
	}
	limit := smallMessageLimit
	switch typ {
	case 'B', 'F', 'P', 'Q', 'd', 'p':
		limit = r.maxSize
	}
	if n < 0 {
		return nil, errProtocol("invalid message length")
	}
	if n > limit {
		return nil, errProtocol("message of type %q is %d bytes, larger than the limit of %d bytes", typ, n, limit)
	}
	var msg pgproto3.FrontendMessage
	switch typ {
	case 'B':
		msg = &r.bind
	case 'C':
		msg = &r.close
	case 'D':
		msg = &r.describe
	case 'E':
		msg = &r.execute
	case 'F':
		msg = &r.function
	case 'H':
		msg = &r.flush
	case 'P':
		msg = &r.parse
	case 'Q':
		msg = &r.query
	case 'S':
		msg = &r.sync
	case 'X':
		msg = &r.terminate
	case 'c':
		msg = &r.copyDone
	case 'd':
		msg = &r.copyData
	case 'f':
		msg = &r.copyFail
	case 'p':
		msg = &r.password
	default:
		return nil, errProtocol("invalid frontend message type %d", typ)
	}
	b, err := r.body(n)
	if err != nil {
		return nil, err
	}
	if err := safeDecode(msg, b); err != nil {
		// NB: the framing is intact, so like PostgreSQL this is an ERROR
		// (skip to Sync), not the end of the connection.
		return msg, pgerr.New(pgerr.ProtocolViolation, "insufficient data left in message")
	}
	return msg, nil
}

// msgName returns the protocol name of a message, for errors and logs.
func msgName(m pgproto3.Message) string {
	return fmt.Sprintf("%T", m)[len("*pgproto3."):]
}

// safeDecode decodes a message body, turning a panic in the decoder into
// an error. NB: some pgproto3 v2.3.3 decoders index past the end of a short
// body (Query with an empty body, found by FuzzReceive).
func safeDecode(m pgproto3.FrontendMessage, b []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed message: %v", r)
		}
	}()
	return m.Decode(b)
}
