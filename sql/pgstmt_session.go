package sql

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"

	"github.com/vecgres/vecgres/sql/tree"
)

// transaction parses BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK /
// ABORT / SAVEPOINT / RELEASE.
func (p *pgParser) transaction() (tree.Statement, error) {
	t := p.cur()
	p.i++
	switch t.val {
	case "begin", "start":
		if t.val == "start" {
			if err := p.expect("transaction"); err != nil {
				return nil, err
			}
		} else if !p.accept("work") {
			p.accept("transaction")
		}
		b := &tree.Begin{Pos: t.pos}
		modes, err := p.txnModes()
		if err != nil {
			return nil, err
		}
		b.ReadOnly = modes["transaction_read_only"] == "on"
		return b, p.end()
	case "commit", "end":
		if !p.accept("work") {
			p.accept("transaction")
		}
		if !p.accept("and", "no", "chain") && p.cur().is("and") {
			return nil, p.unsupported("COMMIT AND CHAIN")
		}
		return &tree.Commit{Pos: t.pos}, p.end()
	case "rollback", "abort":
		if !p.accept("work") {
			p.accept("transaction")
		}
		rb := &tree.Rollback{Pos: t.pos}
		if t.val == "rollback" && p.accept("to") {
			p.accept("savepoint")
			var err error
			if rb.ToSavepoint, err = p.name(); err != nil {
				return nil, err
			}
		} else if !p.accept("and", "no", "chain") && p.cur().is("and") {
			return nil, p.unsupported("ROLLBACK AND CHAIN")
		}
		return rb, p.end()
	case "savepoint":
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		return &tree.Savepoint{Pos: t.pos, Name: n}, p.end()
	default: // release
		p.accept("savepoint")
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		return &tree.Release{Pos: t.pos, Name: n}, p.end()
	}
}

// txnModes parses ISOLATION LEVEL x | READ ONLY | READ WRITE | [NOT]
// DEFERRABLE, comma-separated or not, into setting name → value.
func (p *pgParser) txnModes() (map[string]string, error) {
	modes := map[string]string{}
	for {
		switch {
		case p.accept("isolation", "level"):
			var lvl string
			switch {
			case p.accept("serializable"):
				lvl = "serializable"
			case p.accept("repeatable", "read"):
				lvl = "repeatable read"
			case p.accept("read", "committed"):
				lvl = "read committed"
			case p.accept("read", "uncommitted"):
				lvl = "read uncommitted"
			default:
				return nil, p.errHere()
			}
			modes["transaction_isolation"] = lvl
		case p.accept("read", "only"):
			modes["transaction_read_only"] = "on"
		case p.accept("read", "write"):
			modes["transaction_read_only"] = "off"
		case p.accept("deferrable"):
			modes["transaction_deferrable"] = "on"
		case p.accept("not", "deferrable"):
			modes["transaction_deferrable"] = "off"
		default:
			return modes, nil
		}
		p.acceptOp(",")
	}
}

// set parses the SET forms listed on tree.Set.
func (p *pgParser) set() (tree.Statement, error) {
	s := &tree.Set{Pos: p.cur().pos}
	p.i++
	if p.accept("local") {
		s.Local = true
	} else {
		p.accept("session")
	}
	switch {
	case p.accept("time", "zone"):
		s.Name = "timezone"
		if p.accept("local") || p.accept("default") {
			s.Default = true
			return s, p.end()
		}
		if p.accept("interval") {
			return nil, p.unsupported("SET TIME ZONE INTERVAL")
		}
		v, err := p.optionValue()
		if err != nil {
			return nil, err
		}
		s.Values = []string{v}
		return s, p.end()
	case p.accept("names"):
		s.Name = "client_encoding"
	case p.accept("schema"):
		s.Name = "search_path"
	case p.accept("characteristics", "as", "transaction"):
		return p.setTxn(s, "default_")
	case p.accept("transaction"):
		if p.cur().is("snapshot") {
			return nil, p.unsupported("SET TRANSACTION SNAPSHOT")
		}
		return p.setTxn(s, "")
	case p.accept("session", "authorization"), p.accept("role"):
		return nil, p.unsupported("SET ROLE / SESSION AUTHORIZATION")
	default:
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		for p.acceptOp(".") {
			m, err := p.name()
			if err != nil {
				return nil, err
			}
			n += "." + m
		}
		s.Name = n
		if !p.accept("to") && !p.acceptOp("=") {
			return nil, p.errHere()
		}
	}
	if p.accept("default") {
		s.Default = true
		return s, p.end()
	}
	for {
		v, err := p.optionValue()
		if err != nil {
			return nil, err
		}
		s.Values = append(s.Values, v)
		if !p.acceptOp(",") {
			break
		}
	}
	return s, p.end()
}

// setTxn finishes SET [SESSION CHARACTERISTICS AS] TRANSACTION modes; only
// the first mode given is kept (tree.Set holds one setting).
func (p *pgParser) setTxn(s *tree.Set, prefix string) (tree.Statement, error) {
	modes, err := p.txnModes()
	if err != nil {
		return nil, err
	}
	if len(modes) == 0 {
		return nil, p.errHere()
	}
	for _, k := range []string{"transaction_isolation", "transaction_read_only", "transaction_deferrable"} {
		if v, ok := modes[k]; ok {
			s.Name, s.Values = prefix+k, []string{v}
			break
		}
	}
	return s, p.end()
}

// showNames normalises the multi-word SHOW forms.
var showNames = map[string]string{
	"transaction isolation level": "transaction_isolation",
	"time zone":                   "timezone",
	"session authorization":       "session_authorization",
}

// show parses SHOW name | SHOW ALL | SHOW TRANSACTION ISOLATION LEVEL ...
func (p *pgParser) show() (tree.Statement, error) {
	s := &tree.Show{Pos: p.cur().pos}
	p.i++
	var words []string
	for p.cur().isName() {
		words = append(words, p.cur().val)
		p.i++
		if p.acceptOp(".") {
			words[len(words)-1] += "."
		}
	}
	if len(words) == 0 {
		return nil, p.errHere()
	}
	joined := strings.ReplaceAll(strings.Join(words, " "), ". ", ".")
	if n, ok := showNames[joined]; ok {
		joined = n
	} else if strings.Contains(joined, " ") {
		return nil, p.sc.syntaxErr(p.toks[2])
	}
	s.Name = joined
	return s, p.end()
}

// reset parses RESET name | RESET ALL | RESET TIME ZONE.
func (p *pgParser) reset() (tree.Statement, error) {
	r := &tree.Reset{Pos: p.cur().pos}
	p.i++
	if p.accept("time", "zone") {
		r.Name = "timezone"
		return r, p.end()
	}
	if p.accept("session", "authorization") || p.accept("role") {
		return nil, p.unsupported("RESET ROLE / SESSION AUTHORIZATION")
	}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	for p.acceptOp(".") {
		m, err := p.name()
		if err != nil {
			return nil, err
		}
		n += "." + m
	}
	r.Name = n
	return r, p.end()
}

// explain parses EXPLAIN [ANALYZE] [VERBOSE] stmt | EXPLAIN (options) stmt.
func (p *pgParser) explain() (tree.Statement, error) {
	e := &tree.Explain{Pos: p.cur().pos, Costs: true, Format: "text"}
	p.i++
	if p.cur().isOp("(") {
		opts, err := p.options()
		if err != nil {
			return nil, err
		}
		for _, o := range opts {
			on := o.Value == "" || isTrue(o.Value)
			switch o.Name {
			case "analyze", "analyse":
				e.Analyze = on
			case "verbose":
				e.Verbose = on
			case "costs":
				e.Costs = on
			case "format":
				e.Format = strings.ToLower(o.Value)
			case "buffers", "timing", "summary", "settings", "wal":
			default:
				return nil, p.sc.errAt(pgerr.SyntaxError, p.toks[1].pos, "unrecognized EXPLAIN option \""+o.Name+"\"")
			}
		}
	} else {
		e.Analyze = p.accept("analyze") || p.accept("analyse")
		e.Verbose = p.accept("verbose")
	}
	if p.i >= len(p.toks) {
		return nil, p.errHere()
	}
	inner, err := p.sc.dispatch(p.toks[p.i:])
	if err != nil {
		return nil, err
	}
	e.Stmt = inner
	return e, nil
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "on", "1", "yes":
		return true
	}
	return false
}

// prepare parses PREPARE name [(types)] AS stmt. Positions inside Stmt
// are offsets in the PREPARE statement's text, not in Prepare.SQL.
func (p *pgParser) prepare() (tree.Statement, error) {
	pr := &tree.Prepare{Pos: p.cur().pos}
	p.i++
	var err error
	if pr.Name, err = p.name(); err != nil {
		return nil, err
	}
	if p.acceptOp("(") {
		for {
			tn, next, ok := parseTypeName(p.toks, p.i)
			if !ok {
				return nil, p.errHere()
			}
			p.i = next
			pr.Types = append(pr.Types, tn)
			if !p.acceptOp(",") {
				break
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	if err := p.expect("as"); err != nil {
		return nil, err
	}
	if p.i >= len(p.toks) {
		return nil, p.errHere()
	}
	if pr.Stmt, err = p.sc.dispatch(p.toks[p.i:]); err != nil {
		return nil, err
	}
	pr.SQL = p.sc.sql[p.cur().pos:]
	return pr, nil
}

// execute parses EXECUTE name [(args)].
func (p *pgParser) execute() (tree.Statement, error) {
	ex := &tree.Execute{Pos: p.cur().pos}
	p.i++
	var err error
	if ex.Name, err = p.name(); err != nil {
		return nil, err
	}
	if p.acceptOp("(") {
		for {
			a, err := p.expr(commaOr())
			if err != nil {
				return nil, err
			}
			ex.Args = append(ex.Args, a)
			if !p.acceptOp(",") {
				break
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	return ex, p.end()
}

// deallocate parses DEALLOCATE [PREPARE] name | ALL.
func (p *pgParser) deallocate() (tree.Statement, error) {
	d := &tree.Deallocate{Pos: p.cur().pos}
	p.i++
	p.accept("prepare")
	if p.accept("all") {
		d.All = true
		return d, p.end()
	}
	var err error
	if d.Name, err = p.name(); err != nil {
		return nil, err
	}
	return d, p.end()
}

// discard parses DISCARD ALL | PLANS | SEQUENCES | TEMP | TEMPORARY.
func (p *pgParser) discard() (tree.Statement, error) {
	d := &tree.Discard{Pos: p.cur().pos}
	p.i++
	for _, w := range []string{"all", "plans", "sequences", "temp", "temporary"} {
		if p.accept(w) {
			d.What = w
			if w == "temporary" {
				d.What = "temp"
			}
			return d, p.end()
		}
	}
	return nil, p.errHere()
}
