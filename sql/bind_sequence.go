package sql

import (
	"fmt"
	"strings"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Binding of nextval, currval, setval and lastval. The sequence argument is
// PostgreSQL's regclass: a string literal is resolved now (an unknown name
// is 42P01 at the literal's position, as in PostgreSQL's parse analysis); a
// text expression is resolved per call; an OID (regclass) is looked up by
// OID per call.

// sequence resolves a sequence of the current database; nil when absent.
func (c *catalogView) sequence(schema, name string) *storage.SequenceDesc {
	if schema != "" && schema != "public" {
		return nil
	}
	return c.cat.SequenceByName(c.db.ID, "public", name)
}

// execSequence is what the executor needs of d.
func execSequence(d *storage.SequenceDesc) *executor.Sequence {
	return &executor.Sequence{OID: d.ID, Name: d.Name, Opts: d.Options()}
}

// seqArity is the (min, max) argument count of each sequence function.
var seqArity = map[string][2]int{"nextval": {1, 1}, "currval": {1, 1}, "setval": {2, 3}, "lastval": {0, 0}}

func (b *binder) sequenceFunc(sc *scope, name string, e *tree.FuncCall) (executor.Expr, error) {
	args, err := b.exprList(sc, e.Args)
	if err != nil {
		return nil, err
	}
	ar := seqArity[name]
	f := &executor.SeqFunc{Fn: name, Args: args, Resolve: b.resolveSequence}
	if len(args) < ar[0] || len(args) > ar[1] {
		return nil, noSuchFunction(name, args)
	}
	if name == "lastval" {
		return f, nil
	}
	if lit, ok := e.Args[0].(*tree.StringLit); ok {
		c, err := b.regCast(lit.Value, types.RegclassType)
		if err != nil {
			return nil, b.errPos(err, exprPos(e.Args[0]))
		}
		args[0], f.ByOID = c, true
	} else {
		switch args[0].Type().Family {
		case types.Regclass, types.Oid:
			f.ByOID = true
		case types.Text, types.Varchar, types.Bpchar, types.Name:
		case types.Unknown:
			if args[0], err = b.coerceCtx(args[0], types.TextType, types.CastImplicit); err != nil {
				return nil, err
			}
		default:
			return nil, noSuchFunction(name, args)
		}
	}
	if name == "setval" {
		if args[1], err = b.coerceCtx(args[1], types.Int8Type, types.CastImplicit); err != nil {
			return nil, noSuchFunction(name, args)
		}
		if len(args) == 3 {
			if args[2], err = b.coerceCtx(args[2], types.BoolType, types.CastImplicit); err != nil {
				return nil, noSuchFunction(name, args)
			}
		}
	}
	return f, nil
}

func noSuchFunction(name string, args []executor.Expr) error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = a.Type().String()
	}
	return pgerr.Newf(pgerr.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(ts, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

// resolveSequence finds the sequence a sequence function names, by OID
// (regclass) or by its text, parsed as PostgreSQL parses a regclass
// ("public.s", "\"MixedCase\"").
func (b *binder) resolveSequence(d types.Datum, byOID bool) (*executor.Sequence, error) {
	if byOID {
		oid := uint32(d.I)
		if s := b.cat.cat.Sequence(oid); s != nil {
			return execSequence(s), nil
		}
		if t := b.cat.cat.Table(oid); t != nil {
			return nil, pgerr.Newf(pgerr.WrongObjectType, "%q is not a sequence", t.Name)
		}
		if t, ix := b.cat.cat.IndexByOID(oid); t != nil {
			return nil, pgerr.Newf(pgerr.WrongObjectType, "%q is not a sequence", ix.Name)
		}
		return nil, pgerr.Newf(pgerr.InternalError, "could not open relation with OID %d", oid)
	}
	schema, name, err := splitRegclass(d.S)
	if err != nil {
		return nil, err
	}
	if s := b.cat.sequence(schema, name); s != nil {
		return execSequence(s), nil
	}
	if oid, ok := b.relationOID(schema, name); ok && oid != 0 {
		return nil, pgerr.Newf(pgerr.WrongObjectType, "%q is not a sequence", name)
	}
	return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", d.S)
}

// splitRegclass parses a relation name given as text: dotted parts,
// unquoted ones folded to lower case, quoted ones kept.
func splitRegclass(s string) (schema, name string, err error) {
	var parts []string
	for rest := strings.TrimSpace(s); ; {
		var part string
		if strings.HasPrefix(rest, `"`) {
			end := 1
			for {
				k := strings.IndexByte(rest[end:], '"')
				if k < 0 {
					return "", "", pgerr.New(pgerr.InvalidName, "invalid name syntax")
				}
				end += k + 1
				if end < len(rest) && rest[end] == '"' {
					end++
					continue
				}
				break
			}
			part = strings.ReplaceAll(rest[1:end-1], `""`, `"`)
			rest = rest[end:]
		} else {
			k := strings.IndexByte(rest, '.')
			if k < 0 {
				k = len(rest)
			}
			part = strings.ToLower(strings.TrimSpace(rest[:k]))
			rest = rest[k:]
		}
		if part == "" {
			return "", "", pgerr.New(pgerr.InvalidName, "invalid name syntax")
		}
		parts = append(parts, part)
		if rest == "" {
			break
		}
		if rest[0] != '.' {
			return "", "", pgerr.New(pgerr.InvalidName, "invalid name syntax")
		}
		rest = rest[1:]
	}
	if len(parts) > 3 {
		return "", "", pgerr.Newf(pgerr.SyntaxError, "improper relation name (too many dotted names): %s", s)
	}
	name = parts[len(parts)-1]
	if len(parts) > 1 {
		schema = parts[len(parts)-2]
	}
	return schema, name, nil
}

// identityDefault is the value an identity column takes by default:
// nextval of the sequence it owns.
func (b *binder) identityDefault(t *executor.Table, col int) (executor.Expr, error) {
	c := t.Desc.Columns[col]
	sd := b.cat.cat.OwnedSequence(t.Desc.ID, c.Name)
	if sd == nil {
		return nil, pgerr.Newf(pgerr.InternalError, "no sequence found for identity column %q of table %q", c.Name, t.Desc.Name)
	}
	f := &executor.SeqFunc{Fn: "nextval", ByOID: true, Resolve: b.resolveSequence,
		Args: []executor.Expr{&executor.Const{Value: types.NewInt(int64(sd.ID)), Typ: types.RegclassType}}}
	return b.assign(f, t, col)
}

// identityOverride checks an explicit, non-DEFAULT value for column col:
// it fails with 428C9 for a GENERATED ALWAYS identity column unless
// OVERRIDING SYSTEM VALUE (INSERT) was given, and reports useDefault for
// any identity column under OVERRIDING USER VALUE (the value is ignored,
// as in PostgreSQL). update is true for UPDATE's SET.
func (b *binder) identityOverride(t *executor.Table, col int, overriding string, update bool) (useDefault bool, err error) {
	c := t.Desc.Columns[col]
	if c.Identity == "" {
		return false, nil
	}
	if overriding == "user" {
		return true, nil
	}
	if c.Identity != "a" || overriding == "system" {
		return false, nil
	}
	detail := fmt.Sprintf("Column %q is an identity column defined as GENERATED ALWAYS.", c.Name)
	if update {
		return false, pgerr.Newf(pgerr.GeneratedAlways, "column %q can only be updated to DEFAULT", c.Name).WithDetail(detail)
	}
	return false, pgerr.Newf(pgerr.GeneratedAlways, "cannot insert a non-DEFAULT value into column %q", c.Name).
		WithDetail(detail).WithHint("Use OVERRIDING SYSTEM VALUE to override.")
}
