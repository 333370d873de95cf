package types

import (
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// String returns the type as format_type(oid, typmod) prints it:
// "bigint", "numeric(10,2)", "character varying(10)", "vector(3)",
// "timestamp with time zone", "integer[]".
func (t T) String() string {
	if t.Family == Array {
		if t.Elem == nil {
			return "anyarray"
		}
		return t.Elem.String() + "[]"
	}
	base := sqlName(t.Family)
	m := t.Typmod
	switch t.Family {
	case Varchar, Bpchar:
		if m >= 4 {
			return base + "(" + strconv.Itoa(int(m-4)) + ")"
		}
		if t.Family == Bpchar {
			return "bpchar"
		}
	case Numeric:
		if m >= 4 {
			p, s := numericTypmodPS(m)
			return "numeric(" + strconv.Itoa(p) + "," + strconv.Itoa(s) + ")"
		}
	case Vector, HalfVec:
		if m >= 0 {
			return base + "(" + strconv.Itoa(int(m)) + ")"
		}
	case Bit, VarBit:
		if m >= 0 {
			return base + "(" + strconv.Itoa(int(m)) + ")"
		}
	case Timestamp, Timestamptz:
		zone := " without time zone"
		if t.Family == Timestamptz {
			zone = " with time zone"
		}
		if m >= 0 {
			return "timestamp(" + strconv.Itoa(int(m)) + ")" + zone
		}
		return "timestamp" + zone
	}
	return base
}

// sqlName is format_type's name for a family without modifiers.
func sqlName(f Family) string {
	switch f {
	case Bool:
		return "boolean"
	case Char:
		return `"char"`
	case Int8:
		return "bigint"
	case Int2:
		return "smallint"
	case Int4:
		return "integer"
	case Float4:
		return "real"
	case Float8:
		return "double precision"
	case Bpchar:
		return "character"
	case Varchar:
		return "character varying"
	case VarBit:
		return "bit varying"
	}
	return infoOf(f).typname
}

// numericTypmodPS decodes numeric's typmod into precision and scale; the
// scale is an 11-bit two's complement field (PostgreSQL 15 allows negative
// scales).
func numericTypmodPS(typmod int32) (p, s int) {
	v := typmod - 4
	p = int(v>>16) & 0xffff
	s = int(v & 0x7ff)
	if s >= 1024 {
		s -= 2048
	}
	return p, s
}

// NumericTypmod encodes numeric(p,s) as PostgreSQL does: ((p<<16)|s)+4.
func NumericTypmod(p, s int) int32 {
	return int32((p<<16)|(s&0x7ff)) + 4
}

// canonicalTypeName maps the names and aliases the front layer may pass to
// a family; ok is false for unknown names. defaultMods is the modifier list
// used when none is given (character means character(1)).
func canonicalTypeName(name string) (f Family, defaultMods []int, ok bool) {
	switch strings.ToLower(strings.TrimPrefix(strings.ToLower(name), "pg_catalog.")) {
	case "int2", "smallint", "smallserial", "serial2":
		return Int2, nil, true
	case "int4", "integer", "int", "serial", "serial4":
		return Int4, nil, true
	case "int8", "bigint", "bigserial", "serial8":
		return Int8, nil, true
	case "float4", "real":
		return Float4, nil, true
	case "float8", "double precision", "float", "double":
		return Float8, nil, true
	case "numeric", "decimal", "dec":
		return Numeric, nil, true
	case "bool", "boolean":
		return Bool, nil, true
	case "text":
		return Text, nil, true
	case "varchar", "character varying", "char varying":
		return Varchar, nil, true
	case "bpchar":
		return Bpchar, nil, true
	case "character":
		return Bpchar, []int{1}, true
	case "char":
		// NB: the front layer passes SQL CHAR(n) as "char" with its length;
		// without a length we take the quoted internal type "char", as the
		// catalog queries that use it spell it.
		return Char, nil, true
	case "name":
		return Name, nil, true
	case "bytea":
		return Bytea, nil, true
	case "timestamptz", "timestamp with time zone":
		return Timestamptz, nil, true
	case "timestamp", "timestamp without time zone", "datetime":
		return Timestamp, nil, true
	case "date":
		return Date, nil, true
	case "interval":
		return Interval, nil, true
	case "json":
		return Json, nil, true
	case "jsonb":
		return Jsonb, nil, true
	case "uuid":
		return Uuid, nil, true
	case "vector":
		return Vector, nil, true
	case "halfvec":
		return HalfVec, nil, true
	case "bit":
		// NB: the front layer passes SQL's BIT without a length as bit(1);
		// a bare "bit" here is the quoted name or a B'...' literal, which
		// PostgreSQL types as bit without a modifier.
		return Bit, nil, true
	case "varbit", "bit varying":
		return VarBit, nil, true
	case "oid":
		return Oid, nil, true
	case "regclass":
		return Regclass, nil, true
	case "regtype":
		return Regtype, nil, true
	case "regproc":
		return Regproc, nil, true
	case "regnamespace":
		return Regnamespace, nil, true
	case "int2vector":
		return Int2Vector, nil, true
	case "oidvector":
		return OidVector, nil, true
	case "void":
		return Void, nil, true
	case "record":
		return Record, nil, true
	case "unknown":
		return Unknown, nil, true
	}
	return Unknown, nil, false
}

// ParseTypeName resolves a type name as the front layer canonicalises it
// (int4, varchar, timestamptz, vector ... and the common SQL aliases such
// as integer, bigint, double precision, character varying, decimal) with
// its modifiers and number of array dimensions ([] suffixes; any positive
// count gives a one-dimensional array type, as PostgreSQL ignores the
// declared count).
//
// Errors: 42704 `type "x" does not exist`; 42601 when a type takes no
// modifiers; 22023 with PostgreSQL's messages for bad modifiers
// (vector(0), varchar(0), numeric(1001), timestamp(-1)).
func ParseTypeName(name string, mods []int, arrayDims int) (T, error) {
	if n := strings.ToLower(name); n == "char" && len(mods) > 0 {
		name = "bpchar"
	}
	f, defMods, ok := canonicalTypeName(name)
	if !ok {
		return UnknownType, pgerr.Newf(pgerr.UndefinedObject, "type %q does not exist", name)
	}
	if mods == nil {
		mods = defMods
	}
	typmod, err := typmodIn(f, name, mods)
	if err != nil {
		return UnknownType, err
	}
	t := T{Family: f, Typmod: typmod}
	if arrayDims > 0 {
		if f == Array || f == Void || f == Unknown {
			return UnknownType, pgerr.Newf(pgerr.UndefinedObject, "type \"%s[]\" does not exist", name)
		}
		t = ArrayOf(t)
	}
	return t, nil
}

// typmodIn validates modifiers and encodes them, as each type's typmodin.
func typmodIn(f Family, name string, mods []int) (int32, error) {
	if len(mods) == 0 {
		return -1, nil
	}
	switch f {
	case Varchar, Bpchar:
		if len(mods) != 1 {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid type modifier")
		}
		tn := "varchar"
		if f == Bpchar {
			tn = "char"
		}
		if mods[0] < 1 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "length for type %s must be at least 1", tn)
		}
		if mods[0] > 10485760 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "length for type %s cannot exceed 10485760", tn)
		}
		return int32(mods[0] + 4), nil
	case Numeric:
		if len(mods) > 2 {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid NUMERIC type modifier")
		}
		p, s := mods[0], 0
		if len(mods) == 2 {
			s = mods[1]
		}
		if p < 1 || p > 1000 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p)
		}
		if s < -1000 || s > 1000 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "NUMERIC scale %d must be between -1000 and 1000", s)
		}
		return NumericTypmod(p, s), nil
	case Vector, HalfVec:
		if len(mods) != 1 {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid type modifier")
		}
		tn := infoOf(f).typname
		if mods[0] < 1 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "dimensions for type %s must be at least 1", tn)
		}
		if mods[0] > MaxVectorDims {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "dimensions for type %s cannot exceed %d", tn, MaxVectorDims)
		}
		return int32(mods[0]), nil
	case Bit, VarBit:
		// anybit_typmodin
		if len(mods) != 1 {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid type modifier")
		}
		tn := infoOf(f).typname
		if mods[0] < 1 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "length for type %s must be at least 1", tn)
		}
		if mods[0] > MaxBitLen {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "length for type %s cannot exceed %d", tn, MaxBitLen)
		}
		return int32(mods[0]), nil
	case Timestamp, Timestamptz:
		if len(mods) != 1 {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid type modifier")
		}
		zone := "WITHOUT"
		if f == Timestamptz {
			zone = "WITH"
		}
		if mods[0] < 0 {
			return 0, pgerr.Newf(pgerr.InvalidParameterValue, "TIMESTAMP(%d) %s TIME ZONE precision must not be negative", mods[0], zone)
		}
		// NB: PostgreSQL warns and clamps to 6 rather than failing.
		if mods[0] > 6 {
			return 6, nil
		}
		return int32(mods[0]), nil
	}
	return 0, pgerr.Newf(pgerr.SyntaxError, "type modifier is not allowed for type %q", name)
}
