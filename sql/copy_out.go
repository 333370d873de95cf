package sql

import (
	"context"
	"encoding/binary"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// COPY ... TO STDOUT: the rows of a query (a table's columns, or
// COPY (SELECT ...)), each encoded as one CopyData payload in the text,
// csv or binary COPY format, as PostgreSQL's copyto.c writes them.
// Reference: PostgreSQL documentation, COPY, "File Formats".

// CopyOut describes a COPY TO STDOUT result for CopyOutResponse: 0 text
// or 1 binary, overall and per column.
type CopyOut struct {
	Format        int16
	ColumnFormats []int16
}

// copyOut is the encoding state of a running COPY TO STDOUT.
type copyOut struct {
	copyFormat
	cols []Column
	opts types.FormatOptions
	// stage: 0 before the header, 1 rows, 2 after the last row
	// (the binary trailer is due), 3 done.
	stage int
	buf   []byte
}

// binaryCopySignature opens a binary COPY stream: the 11-byte signature,
// then the flags field and the header extension length (both 0).
var binaryCopySignature = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// copyTo starts COPY t [(cols)] TO STDOUT or COPY (query) TO STDOUT.
func (s *Session) copyTo(ctx context.Context, st *tree.Copy, f copyFormat) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	sel := st.Query
	sqlText := ""
	if sel == nil {
		t, err := cat.existingTable(st.Table)
		if err != nil {
			return nil, err
		}
		cols := st.Columns
		if len(cols) == 0 {
			for _, c := range t.Desc.Columns {
				cols = append(cols, c.Name)
			}
		}
		quoted := make([]string, len(cols))
		for i, name := range cols {
			if columnIndex(t, name) < 0 {
				return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", name, t.Desc.Name)
			}
			quoted[i] = tree.QuoteIdent(name)
		}
		// NB: the table form is the query SELECT cols FROM t, bound as any
		// other; its text is ours, so it cannot fail to parse.
		from := tree.QuoteIdent(t.Desc.Name)
		if st.Table.Schema != "" {
			from = tree.QuoteIdent(st.Table.Schema) + "." + from
		}
		sqlText = "SELECT " + strings.Join(quoted, ", ") + " FROM " + from
		ps, err := Parse(sqlText)
		if err != nil {
			return nil, err
		}
		sel = ps[0].Stmt.(*tree.Select)
	}
	b := newBinder(s, cat, nil, sqlText)
	node, err := b.selectStmt(nil, sel)
	if err != nil {
		return nil, err
	}
	plan := s.e.optimizer(cat).Optimize(node)
	r, err := s.runPlan(ctx, plan, nil, "COPY")
	if err != nil {
		return nil, err
	}
	r.copyOut = &copyOut{copyFormat: f, cols: r.cols, opts: s.FormatOptions()}
	r.cols = nil // NB: COPY sends CopyOutResponse, never RowDescription
	return r, nil
}

// CopyOut is non-nil when the statement is COPY ... TO STDOUT; the caller
// then sends CopyOutResponse, every NextCopyData payload as CopyData,
// CopyDone, and CommandComplete with Tag ("COPY n").
func (r *Result) CopyOut() *CopyOut {
	if r.copyOut == nil {
		return nil
	}
	f, cf := r.copyOut.wireFormats(len(r.copyOut.cols))
	return &CopyOut{Format: f, ColumnFormats: cf}
}

// NextCopyData returns the next CopyData payload of a COPY TO STDOUT: the
// header (binary signature, or the header line when HEADER was asked for),
// then one row a call, then the binary trailer. ok is false at the end.
// The returned bytes are valid until the next call.
func (r *Result) NextCopyData(ctx context.Context) (data []byte, ok bool, err error) {
	c := r.copyOut
	if c == nil {
		return nil, false, pgerr.New(pgerr.InternalError, "NextCopyData on a statement that is not COPY TO")
	}
	c.buf = c.buf[:0]
	switch c.stage {
	case 0:
		c.stage = 1
		switch {
		case c.format == "binary":
			return append(c.buf, binaryCopySignature...), true, nil
		case c.header:
			return c.headerLine(), true, nil
		}
		return r.NextCopyData(ctx)
	case 1:
		row, ok, err := r.Next(ctx)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			c.stage = 2
			return r.NextCopyData(ctx)
		}
		b, err := c.encodeRow(row)
		return b, err == nil, err
	case 2:
		c.stage = 3
		if c.format == "binary" {
			return binary.BigEndian.AppendUint16(c.buf, 0xffff), true, nil
		}
	}
	return nil, false, nil
}

// headerLine is the column names as a text or csv line.
func (c *copyOut) headerLine() []byte {
	for i, col := range c.cols {
		if i > 0 {
			c.buf = append(c.buf, c.delim)
		}
		if c.format == "csv" {
			c.buf = c.appendCSV(c.buf, col.Name)
		} else {
			c.buf = c.appendText(c.buf, col.Name)
		}
	}
	return append(c.buf, '\n')
}

// encodeRow writes one row in c's format.
func (c *copyOut) encodeRow(row []types.Datum) ([]byte, error) {
	if c.format == "binary" {
		c.buf = binary.BigEndian.AppendUint16(c.buf, uint16(len(row)))
		for i, d := range row {
			if d.IsNull() {
				c.buf = binary.BigEndian.AppendUint32(c.buf, 0xffffffff)
				continue
			}
			lp := len(c.buf)
			c.buf = append(c.buf, 0, 0, 0, 0)
			var err error
			if c.buf, err = types.AppendBinary(c.buf, c.cols[i].Type, d); err != nil {
				return nil, err
			}
			binary.BigEndian.PutUint32(c.buf[lp:], uint32(len(c.buf)-lp-4))
		}
		return c.buf, nil
	}
	for i, d := range row {
		if i > 0 {
			c.buf = append(c.buf, c.delim)
		}
		if d.IsNull() {
			c.buf = append(c.buf, c.null...)
			continue
		}
		v := types.FormatText(c.cols[i].Type, d, c.opts)
		if c.format == "csv" {
			c.buf = c.appendCSV(c.buf, v)
		} else {
			c.buf = c.appendText(c.buf, v)
		}
	}
	return append(c.buf, '\n'), nil
}

// copyTextEscapes maps the bytes COPY's text format escapes to the letter
// after the backslash.
var copyTextEscapes = [256]byte{'\\': '\\', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v'}

// appendText escapes v as CopyAttributeOutText does: backslash, the
// delimiter and the control characters that have a backslash letter.
func (c *copyOut) appendText(buf []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		ch := v[i]
		if e := copyTextEscapes[ch]; e != 0 {
			buf = append(buf, '\\', e)
			continue
		}
		if ch == c.delim {
			buf = append(buf, '\\')
		}
		buf = append(buf, ch)
	}
	return buf
}

// appendCSV quotes v as CopyAttributeOutCSV does: when it contains the
// delimiter, the quote, a line break, equals the NULL string, or is the
// end-of-data marker \. alone on its line (a single-column copy); inside
// quotes the quote and escape characters are preceded by the escape
// character.
func (c *copyOut) appendCSV(buf []byte, v string) []byte {
	need := v == c.null || (v == `\.` && len(c.cols) == 1) || strings.IndexByte(v, c.delim) >= 0 ||
		strings.IndexByte(v, c.quote) >= 0 || strings.ContainsAny(v, "\r\n")
	if !need {
		return append(buf, v...)
	}
	buf = append(buf, c.quote)
	for i := 0; i < len(v); i++ {
		if v[i] == c.quote || v[i] == c.escape {
			buf = append(buf, c.escape)
		}
		buf = append(buf, v[i])
	}
	return append(buf, c.quote)
}
