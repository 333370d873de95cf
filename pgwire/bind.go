package pgwire

import (
	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// portal is a bound statement ready to run (Bind), possibly suspended
// after Execute with a row limit. It lives until Close, the end of its
// transaction, or Sync outside an explicit transaction.
type portal struct {
	name    string
	stmt    *stmt
	params  []types.Datum
	formats []int16 // one per result column; nil when all text
	res     *sql.Result
	done    bool   // ran to completion; a further Execute returns no rows
	tag     string // the completion tag once done
}

// handleBind decodes the parameters with their format codes and the
// prepared statement's parameter types, and creates a portal. A bad value
// fails here: ErrorResponse and no BindComplete. Reference: 55.2.3, Bind.
func (c *conn) handleBind(m *pgproto3.Bind) bool {
	s, ok := c.stmts[m.PreparedStatement]
	if !ok {
		return c.extendedError(noSuchStatement(m.PreparedStatement))
	}
	if m.DestinationPortal != "" {
		if _, ok := c.portals[m.DestinationPortal]; ok {
			return c.extendedError(pgerr.Newf(pgerr.DuplicateCursor, "cursor %q already exists", m.DestinationPortal))
		}
	}
	var ptypes []types.T
	if s.prep != nil {
		ptypes = s.prep.ParamTypes
	}
	if len(m.Parameters) != len(ptypes) {
		return c.extendedError(pgerr.Newf(pgerr.ProtocolViolation,
			"bind message supplies %d parameters, but prepared statement %q requires %d",
			len(m.Parameters), m.PreparedStatement, len(ptypes)))
	}
	if n := len(m.ParameterFormatCodes); n > 1 && n != len(m.Parameters) {
		return c.extendedError(pgerr.Newf(pgerr.ProtocolViolation,
			"bind message has %d parameter formats but %d parameters", n, len(m.Parameters)))
	}
	params, err := decodeParams(m, ptypes, c.sess.FormatOptions())
	if err != nil {
		return c.extendedError(err)
	}
	formats, err := resultFormats(m.ResultFormatCodes, len(s.columns()))
	if err != nil {
		return c.extendedError(err)
	}
	c.closePortal(m.DestinationPortal)
	c.portals[m.DestinationPortal] = &portal{name: m.DestinationPortal, stmt: s, params: params, formats: formats}
	c.wr.emptyMsg(msgBindComplete)
	return false
}

// decodeParams decodes each parameter value: NULL, text (parsed with the
// type's input function) or binary (the type's receive function). Unknown
// types are decoded as text. Values are copied out of the message buffer.
func decodeParams(m *pgproto3.Bind, ptypes []types.T, opts types.FormatOptions) ([]types.Datum, error) {
	if len(m.Parameters) == 0 {
		return nil, nil
	}
	params := make([]types.Datum, len(m.Parameters))
	for i, raw := range m.Parameters {
		if raw == nil {
			continue
		}
		t := paramType(ptypes[i])
		var f int16
		switch len(m.ParameterFormatCodes) {
		case 0:
		case 1:
			f = m.ParameterFormatCodes[0]
		default:
			f = m.ParameterFormatCodes[i]
		}
		var d types.Datum
		var err error
		switch f {
		case 0:
			d, err = types.ParseTextWithOptions(t, string(raw), opts)
		case 1:
			if n := int(t.TypLen()); n > 0 && len(raw) < n {
				// NB: PostgreSQL's receive functions run out of bytes here.
				return nil, pgerr.New(pgerr.ProtocolViolation, "insufficient data left in message")
			}
			d, err = types.DecodeBinary(t, raw)
		default:
			return nil, pgerr.Newf(pgerr.ProtocolViolation, "unsupported format code: %d", f)
		}
		if err != nil {
			return nil, bindParamError(err, i, f)
		}
		params[i] = d
	}
	return params, nil
}

// bindParamError names the parameter in binary format errors, as
// PostgreSQL's "incorrect binary data format in bind parameter N" does;
// text input errors keep the type's own message.
func bindParamError(err error, i int, f int16) error {
	pe := pgerr.From(err)
	if f == 1 && (pe.Code == pgerr.InternalError || pe.Code == pgerr.InvalidBinaryRepresentation) {
		return pgerr.Newf(pgerr.InvalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", i+1)
	}
	return pe
}

// resultFormats expands the Bind result format codes to one per column:
// none means all text, one applies to all, otherwise one per column.
// It returns nil for all text.
func resultFormats(codes []int16, ncols int) ([]int16, error) {
	for _, f := range codes {
		if f != 0 && f != 1 {
			return nil, pgerr.Newf(pgerr.ProtocolViolation, "unsupported format code: %d", f)
		}
	}
	switch {
	case len(codes) == 0 || ncols == 0:
		return nil, nil
	case len(codes) == 1:
		if codes[0] == 0 {
			return nil, nil
		}
		out := make([]int16, ncols)
		for i := range out {
			out[i] = codes[0]
		}
		return out, nil
	case len(codes) == ncols:
		return append([]int16(nil), codes...), nil
	default:
		return nil, pgerr.Newf(pgerr.ProtocolViolation,
			"bind message has %d result formats but query has %d columns", len(codes), ncols)
	}
}

func noSuchStatement(name string) error {
	if name == "" {
		return pgerr.New(pgerr.InvalidSQLStatementName, "unnamed prepared statement does not exist")
	}
	return pgerr.Newf(pgerr.InvalidSQLStatementName, "prepared statement %q does not exist", name)
}

func noSuchPortal(name string) error {
	if name == "" {
		return pgerr.New(pgerr.InvalidCursorName, "portal \"\" does not exist")
	}
	return pgerr.Newf(pgerr.InvalidCursorName, "portal %q does not exist", name)
}
