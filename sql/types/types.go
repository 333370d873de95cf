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
	Bit     // bit(n): Typmod n (bit without a length is bit(1); -1 only for B'...' literals)
	VarBit  // bit varying(n): Typmod n, or -1 without a limit
	HalfVec // halfvec(n): Typmod n, or -1; values are KindVector (halfvec.go)
	Array   // element type in T.Elem
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
	// Fields names and types the fields of a composite value when
	// Family == Record and they are known (a set-returning function's OUT
	// parameters); nil for an anonymous record. Shared and immutable.
	Fields *[]Field
}

// Field is one named field of a composite (record) type.
type Field struct {
	Name string
	Type T
}

// RecordOf returns the record type with the given fields; fields must not
// be changed afterwards.
func RecordOf(fields []Field) T {
	return T{Family: Record, Typmod: -1, Fields: &fields}
}

// FieldIndex returns the position of the field named name in a record
// type, and false when t is not a record with such a field.
func (t T) FieldIndex(name string) (int, bool) {
	if t.Family != Record || t.Fields == nil {
		return 0, false
	}
	for i, f := range *t.Fields {
		if f.Name == name {
			return i, true
		}
	}
	return 0, false
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

// More ready-to-use types.
var (
	BpcharType       = T{Family: Bpchar, Typmod: -1}
	CharType         = T{Family: Char, Typmod: -1}
	IntervalType     = T{Family: Interval, Typmod: -1}
	JsonType         = T{Family: Json, Typmod: -1}
	JsonbType        = T{Family: Jsonb, Typmod: -1}
	UuidType         = T{Family: Uuid, Typmod: -1}
	RegprocType      = T{Family: Regproc, Typmod: -1}
	RegnamespaceType = T{Family: Regnamespace, Typmod: -1}
	Int2VectorType   = T{Family: Int2Vector, Typmod: -1}
	OidVectorType    = T{Family: OidVector, Typmod: -1}
	RecordType       = T{Family: Record, Typmod: -1}
	BitType          = T{Family: Bit, Typmod: -1}
	VarBitType       = T{Family: VarBit, Typmod: -1}
)

// MaxVectorDims is the largest number of dimensions a vector may have.
// NB: pgvector stops at 16000 (a page-size limit of its on-disk format);
// we have no such page and allow 2^16 (issue 4: "dimensions up to
// 65,536"). pgvector's binary format has a 16-bit dimension header, read
// unsigned here, so it carries at most MaxBinaryVectorDims: a vector of
// exactly 2^16 dimensions travels in text format only (AppendBinary says
// so with 54000).
const MaxVectorDims = 65536

// MaxBinaryVectorDims is the most dimensions pgvector's binary format can
// carry (its 16-bit header, read unsigned).
const MaxBinaryVectorDims = 65535

// ElemType returns the element type of an array (or of int2vector and
// oidvector, which PostgreSQL treats as arrays of int2 and oid), and
// false for other types.
func (t T) ElemType() (T, bool) {
	switch t.Family {
	case Array:
		if t.Elem == nil {
			return UnknownType, false
		}
		return *t.Elem, true
	case Int2Vector:
		return Int2Type, true
	case OidVector:
		return OidType, true
	}
	return UnknownType, false
}

// WireTypmod is the typmod to report in RowDescription and pg_attribute:
// for arrays PostgreSQL reports the element's modifier (varchar(10)[] → 14).
func (t T) WireTypmod() int32 {
	if t.Family == Array && t.Elem != nil {
		return t.Elem.WireTypmod()
	}
	return t.Typmod
}

// WithTypmod returns t with its modifier (or, for arrays, its element's
// modifier) replaced.
func (t T) WithTypmod(typmod int32) T {
	if t.Family == Array && t.Elem != nil {
		e := t.Elem.WithTypmod(typmod)
		return T{Family: Array, Typmod: -1, Elem: &e}
	}
	t.Typmod = typmod
	return t
}

// IsStringLike reports whether t is one of the character-string families
// (text, varchar, bpchar, name, "char") whose values compare as strings.
func (t T) IsStringLike() bool {
	switch t.Family {
	case Text, Varchar, Bpchar, Name, Char, Unknown:
		return true
	}
	return false
}

// IsNumeric reports whether t is an integer, float or numeric type.
func (t T) IsNumeric() bool {
	switch t.Family {
	case Int2, Int4, Int8, Float4, Float8, Numeric:
		return true
	}
	return false
}
