package pgwire

import (
	"encoding/binary"
	"io"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/types"
)

// flushThreshold is the buffered size at which a long result is written
// out mid-stream, so memory stays bounded and the client starts reading.
const flushThreshold = 64 << 10

// writer buffers backend messages for one connection. Messages are encoded
// straight into buf (pgproto3's appending Encode, or the hand-written
// encoders below for the per-row messages) and written with one syscall at
// flush: at ReadyForQuery, on Flush, before blocking for CopyData, and when
// buf passes flushThreshold.
//
// The first write error is sticky: later calls are no-ops and flush returns
// it, so handlers need not check every append.
//
// Not safe for concurrent use; only the connection goroutine touches it.
type writer struct {
	w   io.Writer
	buf []byte
	err error
}

// send appends one message.
func (w *writer) send(m pgproto3.BackendMessage) {
	if w.err != nil {
		return
	}
	w.buf, w.err = m.Encode(w.buf)
	w.maybeFlush()
}

// maybeFlush writes the buffer out when it has grown past flushThreshold.
func (w *writer) maybeFlush() {
	if len(w.buf) >= flushThreshold {
		w.flush()
	}
}

// flush writes everything buffered. It returns the sticky error.
func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) > 0 {
		_, w.err = w.w.Write(w.buf)
		w.buf = w.buf[:0]
		if cap(w.buf) > 4*flushThreshold {
			w.buf = make([]byte, 0, flushThreshold) // NB: a huge single row must not pin its buffer.
		}
	}
	return w.err
}

// begin starts a message of type t and returns the offset of its length word.
func (w *writer) begin(t byte) int {
	w.buf = append(w.buf, t, 0, 0, 0, 0)
	return len(w.buf) - 4
}

// finish patches the length word of the message started at sp.
func (w *writer) finish(sp int) {
	binary.BigEndian.PutUint32(w.buf[sp:], uint32(len(w.buf)-sp))
	w.maybeFlush()
}

func (w *writer) int16(v int16)    { w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(v)) }
func (w *writer) int32(v int32)    { w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(v)) }
func (w *writer) cstring(s string) { w.buf = append(append(w.buf, s...), 0) }

// emptyMsg appends a message with no body (ParseComplete, BindComplete, ...).
func (w *writer) emptyMsg(t byte) {
	if w.err == nil {
		w.buf = append(w.buf, t, 0, 0, 0, 4)
	}
}

// Message type bytes of the body-less backend messages.
// Reference: PostgreSQL documentation, 55.7 "Message Formats".
const (
	msgParseComplete   = '1'
	msgBindComplete    = '2'
	msgCloseComplete   = '3'
	msgNoData          = 'n'
	msgPortalSuspended = 's'
	msgEmptyQuery      = 'I'
	msgCopyDone        = 'c'
)

// copyData appends a CopyData message carrying b.
func (w *writer) copyData(b []byte) {
	if w.err != nil {
		return
	}
	sp := w.begin('d')
	w.buf = append(w.buf, b...)
	w.finish(sp)
}

// readyForQuery appends ReadyForQuery with the transaction status byte.
func (w *writer) readyForQuery(status byte) {
	if w.err == nil {
		w.buf = append(w.buf, 'Z', 0, 0, 0, 5, status)
	}
}

// commandComplete appends CommandComplete without converting tag to bytes.
func (w *writer) commandComplete(tag string) {
	if w.err != nil {
		return
	}
	sp := w.begin('C')
	w.cstring(tag)
	w.finish(sp)
}

// parameterStatus appends one ParameterStatus.
func (w *writer) parameterStatus(name, value string) {
	if w.err != nil {
		return
	}
	sp := w.begin('S')
	w.cstring(name)
	w.cstring(value)
	w.finish(sp)
}

// rowDescription appends RowDescription for cols; formats has one code per
// column, or is nil for all text (as Describe statement reports).
func (w *writer) rowDescription(cols []sql.Column, formats []int16) {
	if w.err != nil {
		return
	}
	sp := w.begin('T')
	w.int16(int16(len(cols)))
	for i, c := range cols {
		w.cstring(c.Name)
		w.int32(int32(c.TableOID))
		w.int16(c.ColumnNum)
		w.int32(int32(c.Type.OID()))
		w.int16(int16(c.Type.TypLen()))
		w.int32(c.Type.Typmod)
		var f int16
		if formats != nil {
			f = formats[i]
		}
		w.int16(f)
	}
	w.finish(sp)
}

// parameterDescription appends ParameterDescription; Unknown-typed
// parameters are reported as text, as PostgreSQL does for unresolved ones.
func (w *writer) parameterDescription(params []types.T) {
	if w.err != nil {
		return
	}
	sp := w.begin('t')
	w.int16(int16(len(params)))
	for _, t := range params {
		w.int32(int32(paramType(t).OID()))
	}
	w.finish(sp)
}

// dataRow encodes one row straight into the buffer: no per-row or
// per-value allocation once the buffer has grown to the row size.
// formats is one code per column (nil: all text). A value that has no
// binary form fails the row; nothing of it stays in the buffer.
func (w *writer) dataRow(row []types.Datum, cols []sql.Column, formats []int16, opts types.FormatOptions) error {
	if w.err != nil {
		return nil
	}
	start := len(w.buf)
	sp := w.begin('D')
	w.int16(int16(len(row)))
	for i, d := range row {
		if d.IsNull() {
			w.int32(-1)
			continue
		}
		lp := len(w.buf)
		w.buf = append(w.buf, 0, 0, 0, 0)
		if formats != nil && formats[i] == 1 {
			var err error
			if w.buf, err = types.AppendBinary(w.buf, cols[i].Type, d); err != nil {
				w.buf = w.buf[:start]
				return err
			}
		} else {
			w.buf = types.AppendText(w.buf, cols[i].Type, d, opts)
		}
		binary.BigEndian.PutUint32(w.buf[lp:], uint32(len(w.buf)-lp-4))
	}
	w.finish(sp)
	return nil
}

// paramType is the type a parameter is decoded and described as: the
// prepared type, or text when it stayed unresolved.
func paramType(t types.T) types.T {
	if t.Family == types.Unknown {
		return types.TextType
	}
	return t
}
