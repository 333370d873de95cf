package sql

import (
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/tree"
)

// typeAliases maps single-word Postgres type spellings to the internal
// names of tree.TypeName.
var typeAliases = map[string]string{
	"int": "int4", "integer": "int4", "int4": "int4", "smallint": "int2", "int2": "int2",
	"bigint": "int8", "int8": "int8", "real": "float4", "float4": "float4", "float8": "float8",
	"numeric": "numeric", "decimal": "numeric", "dec": "numeric", "boolean": "bool", "bool": "bool",
	"text": "text", "varchar": "varchar", "bpchar": "bpchar", "name": "name", "bytea": "bytea",
	"timestamptz": "timestamptz", "date": "date", "interval": "interval", "json": "json",
	"jsonb": "jsonb", "uuid": "uuid", "vector": "vector", "halfvec": "halfvec", "sparsevec": "sparsevec",
	"oid": "oid", "regclass": "regclass", "regtype": "regtype", "regproc": "regproc",
	"regprocedure": "regprocedure", "regnamespace": "regnamespace", "regoper": "regoper",
	"regrole": "regrole", "int2vector": "int2vector", "oidvector": "oidvector",
	"serial": "serial4", "serial4": "serial4", "bigserial": "serial8", "serial8": "serial8",
	"smallserial": "serial2", "serial2": "serial2", "timetz": "timetz", "xid": "xid", "tid": "tid",
	"cid": "cid", "inet": "inet", "cidr": "cidr", "money": "money", "pg_node_tree": "pg_node_tree",
	"anyarray": "anyarray", "record": "record", "void": "void", "unknown": "unknown",
	"timestamp": "timestamp", "time": "time", "float": "float8", "char": "bpchar",
	"character": "bpchar", "double": "float8", "bit": "bit", "varbit": "varbit",
}

// isTypeStart reports whether an unquoted word can begin a built-in type
// name, which lets `typename 'literal'` be recognised.
func isTypeStart(w string) bool {
	_, ok := typeAliases[w]
	return ok
}

// parseTypeName parses a Postgres type name starting at toks[i]: optional
// schema, multi-word names (double precision, character varying, timestamp
// with time zone), typmods and array bounds. It returns the canonical
// type and the index after it, or ok == false when toks[i] is no type.
func parseTypeName(toks []token, i int) (tn tree.TypeName, next int, ok bool) {
	at := func(k int) token {
		if k < len(toks) {
			return toks[k]
		}
		return token{}
	}
	t := at(i)
	if !t.isName() {
		return tn, i, false
	}
	tn.Pos = t.pos
	// Schema qualification is dropped (pg_catalog.int4, public.vector).
	if at(i+1).isOp(".") && at(i+2).isName() {
		i += 2
		t = at(i)
	}
	name := t.val
	i++
	if t.kind == tokQIdent {
		// "char" is the internal one-byte type; other quoted names are taken as written.
		tn.Name = name
	} else {
		switch name {
		case "double":
			if !at(i).is("precision") {
				return tn, i, false
			}
			i++
			tn.Name = "float8"
		case "character", "char", "national", "nchar":
			if name == "national" {
				if !at(i).is("character") && !at(i).is("char") {
					return tn, i, false
				}
				i++
			}
			tn.Name = "bpchar"
			if at(i).is("varying") {
				i++
				tn.Name = "varchar"
			}
		case "timestamp", "time":
			tn.Name = name
		case "float":
			tn.Name = "float8"
		case "bit":
			tn.Name = "bit"
			if at(i).is("varying") {
				i++
				tn.Name = "varbit"
			}
		default:
			if canon, ok := typeAliases[name]; ok {
				tn.Name = canon
			} else {
				tn.Name = name
			}
		}
	}
	// Type modifiers.
	if at(i).isOp("(") {
		k := i + 1
		for {
			n := at(k)
			if n.kind != tokNumber {
				return tn, i, false
			}
			v, err := strconv.Atoi(n.val)
			if err != nil {
				return tn, i, false
			}
			tn.Mods = append(tn.Mods, v)
			k++
			if at(k).isOp(",") {
				k++
				continue
			}
			if !at(k).isOp(")") {
				return tn, i, false
			}
			i = k + 1
			break
		}
	}
	if tn.Name == "timestamp" || tn.Name == "time" {
		if at(i).is("with") && at(i+1).is("time") && at(i+2).is("zone") {
			tn.Name += "tz"
			i += 3
		} else if at(i).is("without") && at(i+1).is("time") && at(i+2).is("zone") {
			i += 3
		}
	}
	if t.kind == tokIdent && name == "float" && len(tn.Mods) == 1 {
		// float(p): p <= 24 is real, otherwise double precision.
		if tn.Mods[0] <= 24 {
			tn.Name = "float4"
		}
		tn.Mods = nil
	}
	if tn.Name == "bpchar" && t.kind == tokIdent && len(tn.Mods) == 0 && name != "bpchar" {
		tn.Mods = []int{1} // char without a length is char(1)
	}
	if tn.Name == "bit" && t.kind == tokIdent && len(tn.Mods) == 0 {
		// NB: SQL's BIT is bit(1); the quoted "bit" keeps no modifier, as
		// in PostgreSQL (format_type prints that type as "bit").
		tn.Mods = []int{1}
	}
	if tn.Name == "interval" {
		// Interval field qualifiers (YEAR, DAY TO SECOND, ...) are accepted and dropped.
		for at(i).kind == tokIdent && isIntervalField(at(i).val) {
			i++
			if at(i).is("to") {
				i++
			}
		}
	}
	// Array bounds: [] [n] ... or ARRAY / ARRAY[n].
	for {
		if at(i).isOp("[") {
			k := i + 1
			if at(k).kind == tokNumber {
				k++
			}
			if !at(k).isOp("]") {
				break
			}
			tn.ArrayDims++
			i = k + 1
			continue
		}
		if at(i).is("array") {
			tn.ArrayDims++
			i++
			if at(i).isOp("[") && at(i+1).kind == tokNumber && at(i+2).isOp("]") {
				i += 3
			}
		}
		break
	}
	return tn, i, true
}

func isIntervalField(w string) bool {
	switch w {
	case "year", "month", "day", "hour", "minute", "second":
		return true
	}
	return false
}

// encodeType renders a canonical type for the vecgres_cast marker:
// name|m1,m2|arraydims.
func encodeType(tn tree.TypeName) string {
	var b strings.Builder
	b.WriteString(tn.Name)
	b.WriteByte('|')
	for i, m := range tn.Mods {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(m))
	}
	b.WriteByte('|')
	b.WriteString(strconv.Itoa(tn.ArrayDims))
	return b.String()
}

// decodeType reverses encodeType.
func decodeType(s string, pos int) (tree.TypeName, bool) {
	// NB: split from the right: a quoted type name may itself contain '|'.
	j := strings.LastIndexByte(s, '|')
	if j < 0 {
		return tree.TypeName{}, false
	}
	k := strings.LastIndexByte(s[:j], '|')
	if k <= 0 {
		return tree.TypeName{}, false
	}
	parts := []string{s[:k], s[k+1 : j], s[j+1:]}
	tn := tree.TypeName{Pos: pos, Name: parts[0]}
	if parts[1] != "" {
		for _, m := range strings.Split(parts[1], ",") {
			v, err := strconv.Atoi(m)
			if err != nil {
				return tn, false
			}
			tn.Mods = append(tn.Mods, v)
		}
	}
	d, err := strconv.Atoi(parts[2])
	if err != nil {
		return tn, false
	}
	tn.ArrayDims = d
	return tn, true
}
