package sql

import (
	"bytes"
	"context"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
)

// copyBatch is how many rows COPY FROM inserts at a time.
const copyBatch = 1024

// copyIn is the state of a running COPY ... FROM STDIN: the client's
// bytes arrive in arbitrary chunks; complete rows are parsed and inserted
// in batches.
type copyIn struct {
	s        *Session
	ctx      context.Context
	table    *executor.Table
	target   []int           // table column of each field
	defaults []executor.Expr // per table column, for columns not listed
	copyFormat

	buf       []byte
	pending   [][]types.Datum
	rows      int64
	line      int64
	sawHeader bool
	binHeader bool
	done      bool
	// cons and checks are the table's constraints and the foreign-key
	// checks queued across batches, run once at the end (copy_constraint.go).
	cons   *executor.Constraints
	checks executor.PendingChecks
}

// CopyIn is non-nil when the statement is COPY ... FROM STDIN.
func (r *Result) CopyIn() *CopyIn {
	if r.copy == nil {
		return nil
	}
	f, cf := r.copy.wireFormats(len(r.copy.target))
	return &CopyIn{Format: f, ColumnFormats: cf}
}

// CopyData consumes one CopyData message's bytes.
func (r *Result) CopyData(ctx context.Context, b []byte) error {
	c := r.copy
	if c == nil {
		return pgerr.New(pgerr.ProtocolViolation, "unexpected CopyData")
	}
	c.ctx = ctx
	c.buf = append(c.buf, b...)
	if err := c.consume(false); err != nil {
		r.s.fail()
		return err
	}
	return nil
}

// CopyDone finishes a COPY FROM STDIN; Tag is then "COPY n".
func (r *Result) CopyDone(ctx context.Context) error {
	c := r.copy
	if c == nil {
		return pgerr.New(pgerr.ProtocolViolation, "unexpected CopyDone")
	}
	c.ctx = ctx
	if err := c.consume(true); err != nil {
		r.s.fail()
		return err
	}
	if err := c.flush(); err != nil {
		r.s.fail()
		return err
	}
	if err := c.runChecks(); err != nil {
		r.s.fail()
		return err
	}
	r.tag = "COPY " + strconv.FormatInt(c.rows, 10)
	r.done = true
	return nil
}

// CopyFail aborts a COPY FROM STDIN with the client's message.
func (r *Result) CopyFail(msg string) error {
	r.s.fail()
	return pgerr.Newf(pgerr.QueryCanceled, "COPY from stdin failed: %s", msg)
}

// copyFormat is how COPY rows are written: the format and its options.
type copyFormat struct {
	format string // "text", "csv", "binary"
	delim  byte
	null   string
	quote  byte
	escape byte
	header bool
}

// wireFormats are the format codes of CopyInResponse/CopyOutResponse for n
// columns: 1 (binary) or 0 (text, csv), overall and for every column.
func (f copyFormat) wireFormats(n int) (int16, []int16) {
	code := int16(0)
	if f.format == "binary" {
		code = 1
	}
	cf := make([]int16, n)
	for i := range cf {
		cf[i] = code
	}
	return code, cf
}

// parseCopyOptions reads COPY's options (keys lower case) with
// PostgreSQL's defaults: text with tab and \N, or csv with comma, "" for
// NULL and " for quote and escape.
func parseCopyOptions(opts map[string]string) (copyFormat, error) {
	c := copyFormat{format: "text", delim: '\t', null: `\N`, quote: '"', escape: '"'}
	for k, v := range opts {
		switch strings.ToLower(k) {
		case "format":
			c.format = strings.ToLower(v)
		case "binary":
			c.format = "binary"
		case "csv":
			c.format = "csv"
		case "delimiter":
			if len(v) != 1 {
				return c, pgerr.New(pgerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
			}
			c.delim = v[0]
		case "null":
			c.null = v
		case "header":
			c.header = v == "" || strings.EqualFold(v, "true") || strings.EqualFold(v, "on") || v == "1" || strings.EqualFold(v, "match")
		case "quote":
			if len(v) == 1 {
				c.quote = v[0]
			}
		case "escape":
			if len(v) == 1 {
				c.escape = v[0]
			}
		case "encoding", "freeze":
		default:
			return c, pgerr.Newf(pgerr.SyntaxError, "option %q not recognized", k)
		}
	}
	if c.format == "csv" {
		if _, ok := opts["delimiter"]; !ok {
			c.delim = ','
		}
		if _, ok := opts["null"]; !ok {
			c.null = ""
		}
	}
	if c.format != "text" && c.format != "csv" && c.format != "binary" {
		return c, pgerr.Newf(pgerr.InvalidParameterValue, "COPY format %q not recognized", c.format)
	}
	return c, nil
}

func (s *Session) copy(ctx context.Context, st *tree.Copy) (*Result, error) {
	f, err := parseCopyOptions(st.Options)
	if err != nil {
		return nil, err
	}
	if !st.From {
		return s.copyTo(ctx, st, f)
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	t, err := cat.existingTable(st.Table)
	if err != nil {
		return nil, err
	}
	c := &copyIn{s: s, ctx: ctx, table: t, copyFormat: f}
	if c.cons, err = s.statementConstraints(cat, t); err != nil {
		return nil, err
	}
	b := newBinder(s, cat, nil, "")
	listed := map[int]bool{}
	if len(st.Columns) == 0 {
		for i := range t.Desc.Columns {
			c.target = append(c.target, i)
			listed[i] = true
		}
	} else {
		for _, name := range st.Columns {
			i := columnIndex(t, name)
			if i < 0 {
				return nil, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", name, t.Desc.Name)
			}
			c.target = append(c.target, i)
			listed[i] = true
		}
	}
	c.defaults = make([]executor.Expr, len(t.Desc.Columns))
	for i := range t.Desc.Columns {
		if !listed[i] {
			if c.defaults[i], err = b.columnDefault(t, i); err != nil {
				return nil, err
			}
		}
	}
	return &Result{s: s, copy: c}, nil
}

// consume parses every complete row in the buffer (all of it when final).
func (c *copyIn) consume(final bool) error {
	if c.format == "binary" {
		return c.consumeBinary(final)
	}
	for !c.done {
		end := c.rowEnd()
		if end < 0 {
			if !final || len(c.buf) == 0 {
				return nil
			}
			end = len(c.buf)
		}
		line := c.buf[:end]
		next := end
		if next < len(c.buf) {
			next++
		}
		c.line++
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if err := c.textRow(line); err != nil {
			return err
		}
		c.buf = c.buf[next:]
	}
	return nil
}

// rowEnd finds the newline ending the first row; in CSV a newline inside
// quotes does not end it.
func (c *copyIn) rowEnd() int {
	if c.format != "csv" {
		return bytes.IndexByte(c.buf, '\n')
	}
	inQuote := false
	for i := 0; i < len(c.buf); i++ {
		ch := c.buf[i]
		switch {
		case ch == c.quote:
			inQuote = !inQuote
		case ch == '\n' && !inQuote:
			return i
		}
	}
	return -1
}

func (c *copyIn) textRow(line []byte) error {
	if string(line) == `\.` {
		c.done = true
		return nil
	}
	if c.header && !c.sawHeader {
		c.sawHeader = true
		return nil
	}
	var fields []string
	var nulls []bool
	if c.format == "csv" {
		fields, nulls = splitCSV(string(line), c.delim, c.quote, c.escape, c.null)
	} else {
		fields, nulls = splitText(string(line), c.delim, c.null)
	}
	if len(fields) != len(c.target) {
		if len(fields) < len(c.target) {
			return pgerr.Newf(pgerr.Code("22P04"), "missing data for column %q", c.table.Desc.Columns[c.target[len(fields)]].Name)
		}
		return pgerr.New(pgerr.Code("22P04"), "extra data after last expected column")
	}
	row := make([]types.Datum, len(c.table.Types))
	for i, col := range c.target {
		if nulls[i] {
			continue
		}
		v, err := types.ParseText(c.table.Types[col], fields[i])
		if err != nil {
			return c.withContext(err, col, fields[i])
		}
		row[col] = v
	}
	return c.add(row)
}

func (c *copyIn) withContext(err error, col int, val string) error {
	pe := pgerr.From(err)
	where := "COPY " + c.table.Desc.Name + ", line " + strconv.FormatInt(c.line, 10) + ", column " + c.table.Desc.Columns[col].Name
	if c.format != "binary" {
		where += ": \"" + val + "\""
	}
	return pe.WithWhere(where)
}

// splitText splits a text-format COPY line and undoes backslash escapes.
func splitText(line string, delim byte, null string) ([]string, []bool) {
	var fields []string
	var nulls []bool
	start := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && line[i] == '\\' {
			i++
			continue
		}
		if i == len(line) || line[i] == delim {
			raw := line[start:i]
			if raw == null {
				fields, nulls = append(fields, ""), append(nulls, true)
			} else {
				fields, nulls = append(fields, unescapeCopy(raw)), append(nulls, false)
			}
			start = i + 1
		}
	}
	return fields, nulls
}

func unescapeCopy(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch != '\\' || i+1 >= len(s) {
			sb.WriteByte(ch)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			sb.WriteByte('\n')
		case 't':
			sb.WriteByte('\t')
		case 'r':
			sb.WriteByte('\r')
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'v':
			sb.WriteByte('\v')
		default:
			sb.WriteByte(s[i])
		}
	}
	return sb.String()
}

// splitCSV splits one CSV record; an unquoted field equal to null is NULL.
func splitCSV(line string, delim, quote, escape byte, null string) ([]string, []bool) {
	var fields []string
	var nulls []bool
	var sb strings.Builder
	quoted, inQuote := false, false
	for i := 0; i <= len(line); i++ {
		if i == len(line) || (!inQuote && line[i] == delim) {
			f := sb.String()
			fields = append(fields, f)
			nulls = append(nulls, !quoted && f == null)
			sb.Reset()
			quoted = false
			continue
		}
		ch := line[i]
		switch {
		case inQuote && ch == escape && i+1 < len(line) && line[i+1] == quote:
			sb.WriteByte(quote)
			i++
		case ch == quote:
			inQuote = !inQuote
			quoted = true
		default:
			sb.WriteByte(ch)
		}
	}
	return fields, nulls
}

var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

// consumeBinary parses binary COPY tuples.
func (c *copyIn) consumeBinary(final bool) error {
	if !c.binHeader {
		if len(c.buf) < len(copySignature)+8 {
			if final {
				return pgerr.New(pgerr.Code("22P04"), "COPY file signature not recognized")
			}
			return nil
		}
		if !bytes.Equal(c.buf[:len(copySignature)], copySignature) {
			return pgerr.New(pgerr.Code("22P04"), "COPY file signature not recognized")
		}
		p := len(copySignature)
		ext := int(binary.BigEndian.Uint32(c.buf[p+4:]))
		if len(c.buf) < p+8+ext {
			return nil
		}
		c.buf = c.buf[p+8+ext:]
		c.binHeader = true
	}
	for !c.done {
		if len(c.buf) < 2 {
			break
		}
		n := int(int16(binary.BigEndian.Uint16(c.buf)))
		if n == -1 {
			c.done = true
			c.buf = c.buf[2:]
			break
		}
		if n != len(c.target) {
			return pgerr.Newf(pgerr.Code("22P04"), "row field count is %d, expected %d", n, len(c.target))
		}
		// Find the end of the tuple before decoding anything.
		p := 2
		complete := true
		for i := 0; i < n; i++ {
			if len(c.buf) < p+4 {
				complete = false
				break
			}
			l := int(int32(binary.BigEndian.Uint32(c.buf[p:])))
			p += 4
			if l > 0 {
				p += l
			}
			if len(c.buf) < p {
				complete = false
				break
			}
		}
		if !complete {
			break
		}
		c.line++
		row := make([]types.Datum, len(c.table.Types))
		q := 2
		for _, col := range c.target {
			l := int(int32(binary.BigEndian.Uint32(c.buf[q:])))
			q += 4
			if l < 0 {
				continue
			}
			v, err := types.DecodeBinary(c.table.Types[col], c.buf[q:q+l])
			if err != nil {
				return c.withContext(err, col, "")
			}
			row[col] = v
			q += l
		}
		c.buf = c.buf[p:]
		if err := c.add(row); err != nil {
			return err
		}
	}
	if final && !c.done && len(c.buf) > 0 {
		return pgerr.New(pgerr.Code("22P04"), "unexpected EOF in COPY data")
	}
	return nil
}

// add fills defaults into row and queues it for insertion.
func (c *copyIn) add(row []types.Datum) error {
	ectx := c.s.execCtx(c.ctx, nil)
	for i, d := range c.defaults {
		if d != nil {
			v, err := d.Eval(ectx, nil)
			if err != nil {
				return err
			}
			row[i] = v
		}
	}
	c.pending = append(c.pending, row)
	if len(c.pending) >= copyBatch {
		return c.flush()
	}
	return nil
}

func (c *copyIn) flush() error {
	if len(c.pending) == 0 {
		return nil
	}
	ins := &executor.Insert{Input: &executor.Rows{Data: c.pending}, Table: c.table, DeferChecks: true}
	if _, err := executor.Collect(c.constraintCtx(), ins); err != nil {
		return err
	}
	c.rows += ins.Affected
	c.pending = c.pending[:0]
	return nil
}
