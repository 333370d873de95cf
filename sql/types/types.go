// Package types holds vecgres's SQL types and values: what a type is (T),
// what a value is (Datum), their PostgreSQL OIDs, and every conversion of a
// value to and from the outside world (text and binary wire formats, casts)
// and to and from storage (order-preserving key bytes, row value bytes).
//
// It is a leaf package: it imports nothing from vecgres but sql/pgerr, so
// every layer (pgwire, sql, planner, executor, storage callers) may use it.
// NB: values cross every layer, so the type that describes them has to sit
// below all of them; that is why it is not part of package sql proper.
//
// Invariants:
//   - A Datum carries its physical Kind only; the SQL type (int2 vs int8,
//     text vs varchar(10)) lives in T, beside the datum in a column or an
//     expression. Functions here take both.
//   - The zero Datum is SQL NULL.
//   - Vectors never hold NaN or Inf, and their length fits their typmod.
//   - Errors returned are *pgerr.Error with PostgreSQL's SQLSTATE and message.
package types

// Family is the kind of SQL type, independent of modifiers.
type Family uint8

// Families. The numeric values are not persisted (the catalog stores OIDs).
const (
	Unknown Family = iota // an untyped literal or parameter not yet resolved
	Bool
	Int2
	Int4
	Int8
	Float4
	Float8
	Numeric
	Text
	Varchar
	Bpchar // char(n)
	Name
	Bytea
	Timestamptz
	Timestamp
	Date
	Interval
	Json
	Jsonb
	Uuid
	Vector
	Oid
	Regclass
	Regtype
	Regproc
	Regnamespace
	Int2Vector
	OidVector
	Char // "char": the one-byte internal type
	Void
	Record
	Array // element type in T.Elem
)

// T is a SQL type: a family plus a type modifier, as PostgreSQL's
// (atttypid, atttypmod) pair. Typmod is -1 when there is none; for
// vector(n) it is n, for varchar(n) n+4, for numeric(p,s) ((p<<16)|s)+4,
// exactly as PostgreSQL reports it in RowDescription.
//
// T is a small value type; compare with Equal, not ==, when Elem is set.
type T struct {
	Family Family
	Typmod int32
	Elem   *T // element type when Family == Array
}

// Common types, ready to use.
var (
	UnknownType     = T{Family: Unknown, Typmod: -1}
	BoolType        = T{Family: Bool, Typmod: -1}
	Int2Type        = T{Family: Int2, Typmod: -1}
	Int4Type        = T{Family: Int4, Typmod: -1}
	Int8Type        = T{Family: Int8, Typmod: -1}
	Float4Type      = T{Family: Float4, Typmod: -1}
	Float8Type      = T{Family: Float8, Typmod: -1}
	NumericType     = T{Family: Numeric, Typmod: -1}
	TextType        = T{Family: Text, Typmod: -1}
	VarcharType     = T{Family: Varchar, Typmod: -1}
	NameType        = T{Family: Name, Typmod: -1}
	ByteaType       = T{Family: Bytea, Typmod: -1}
	TimestamptzType = T{Family: Timestamptz, Typmod: -1}
	TimestampType   = T{Family: Timestamp, Typmod: -1}
	DateType        = T{Family: Date, Typmod: -1}
	VectorType      = T{Family: Vector, Typmod: -1}
	OidType         = T{Family: Oid, Typmod: -1}
	RegclassType    = T{Family: Regclass, Typmod: -1}
	RegtypeType     = T{Family: Regtype, Typmod: -1}
	VoidType        = T{Family: Void, Typmod: -1}
)

// ArrayOf returns the array type whose elements are elem.
func ArrayOf(elem T) T {
	e := elem
	return T{Family: Array, Typmod: -1, Elem: &e}
}

// VectorOf returns vector(dims).
func VectorOf(dims int) T { return T{Family: Vector, Typmod: int32(dims)} }

// Equal reports whether a and b are the same type, modifiers included.
func (t T) Equal(o T) bool {
	if t.Family != o.Family || t.Typmod != o.Typmod {
		return false
	}
	if t.Family == Array {
		if t.Elem == nil || o.Elem == nil {
			return t.Elem == o.Elem
		}
		return t.Elem.Equal(*o.Elem)
	}
	return true
}

// The OID of vector and _vector. pgvector gets them at CREATE EXTENSION
// time; clients look them up by name (pg_type, to_regtype), so a fixed value
// above FirstNormalObjectId (16384) is as good and keeps plans stable.
const (
	VectorOID      uint32 = 16385
	VectorArrayOID uint32 = 16386
)
