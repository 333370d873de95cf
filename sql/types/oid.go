package types

// Builtin type OIDs, as in PostgreSQL's pg_type.dat. They are part of the
// wire protocol and of the catalog, and never change.
const (
	OidBool         uint32 = 16
	OidBytea        uint32 = 17
	OidChar         uint32 = 18
	OidName         uint32 = 19
	OidInt8         uint32 = 20
	OidInt2         uint32 = 21
	OidInt2Vector   uint32 = 22
	OidInt4         uint32 = 23
	OidRegproc      uint32 = 24
	OidText         uint32 = 25
	OidOid          uint32 = 26
	OidOidVector    uint32 = 30
	OidJson         uint32 = 114
	OidFloat4       uint32 = 700
	OidFloat8       uint32 = 701
	OidUnknown      uint32 = 705
	OidBpchar       uint32 = 1042
	OidVarchar      uint32 = 1043
	OidDate         uint32 = 1082
	OidTimestamp    uint32 = 1114
	OidTimestamptz  uint32 = 1184
	OidInterval     uint32 = 1186
	OidNumeric      uint32 = 1700
	OidRegclass     uint32 = 2205
	OidRegtype      uint32 = 2206
	OidRecord       uint32 = 2249
	OidVoid         uint32 = 2278
	OidUuid         uint32 = 2950
	OidJsonb        uint32 = 3802
	OidRegnamespace uint32 = 4089
	OidBit          uint32 = 1560
	OidVarBit       uint32 = 1562
)

// typeInfo is the static pg_type data of one scalar family.
type typeInfo struct {
	oid      uint32
	arrayOid uint32 // 0: no array type
	typlen   int16
	typname  string
}

// NB: a switch rather than a map built at init time: no global mutable
// state, and the compiler turns it into a jump table.
func infoOf(f Family) typeInfo {
	switch f {
	case Bool:
		return typeInfo{OidBool, 1000, 1, "bool"}
	case Bytea:
		return typeInfo{OidBytea, 1001, -1, "bytea"}
	case Char:
		return typeInfo{OidChar, 1002, 1, "char"}
	case Name:
		return typeInfo{OidName, 1003, 64, "name"}
	case Int8:
		return typeInfo{OidInt8, 1016, 8, "int8"}
	case Int2:
		return typeInfo{OidInt2, 1005, 2, "int2"}
	case Int2Vector:
		return typeInfo{OidInt2Vector, 1006, -1, "int2vector"}
	case Int4:
		return typeInfo{OidInt4, 1007, 4, "int4"}
	case Regproc:
		return typeInfo{OidRegproc, 1008, 4, "regproc"}
	case Text:
		return typeInfo{OidText, 1009, -1, "text"}
	case Oid:
		return typeInfo{OidOid, 1028, 4, "oid"}
	case OidVector:
		return typeInfo{OidOidVector, 1013, -1, "oidvector"}
	case Json:
		return typeInfo{OidJson, 199, -1, "json"}
	case Float4:
		return typeInfo{OidFloat4, 1021, 4, "float4"}
	case Float8:
		return typeInfo{OidFloat8, 1022, 8, "float8"}
	case Unknown:
		return typeInfo{OidUnknown, 0, -2, "unknown"}
	case Bpchar:
		return typeInfo{OidBpchar, 1014, -1, "bpchar"}
	case Varchar:
		return typeInfo{OidVarchar, 1015, -1, "varchar"}
	case Date:
		return typeInfo{OidDate, 1182, 4, "date"}
	case Timestamp:
		return typeInfo{OidTimestamp, 1115, 8, "timestamp"}
	case Timestamptz:
		return typeInfo{OidTimestamptz, 1185, 8, "timestamptz"}
	case Interval:
		return typeInfo{OidInterval, 1187, 16, "interval"}
	case Numeric:
		return typeInfo{OidNumeric, 1231, -1, "numeric"}
	case Regclass:
		return typeInfo{OidRegclass, 2210, 4, "regclass"}
	case Regtype:
		return typeInfo{OidRegtype, 2211, 4, "regtype"}
	case Record:
		return typeInfo{OidRecord, 2287, -1, "record"}
	case Void:
		return typeInfo{OidVoid, 0, 4, "void"}
	case Uuid:
		return typeInfo{OidUuid, 2951, 16, "uuid"}
	case Jsonb:
		return typeInfo{OidJsonb, 3807, -1, "jsonb"}
	case Regnamespace:
		return typeInfo{OidRegnamespace, 4090, 4, "regnamespace"}
	case Vector:
		return typeInfo{VectorOID, VectorArrayOID, -1, "vector"}
	case Bit:
		return typeInfo{OidBit, 1561, -1, "bit"}
	case VarBit:
		return typeInfo{OidVarBit, 1563, -1, "varbit"}
	case HalfVec:
		return typeInfo{HalfVecOID, HalfVecArrayOID, -1, "halfvec"}
	}
	return typeInfo{}
}

// allScalarFamilies lists the families FromOID can resolve, in Family order.
func allScalarFamilies() []Family {
	fs := make([]Family, 0, int(Array))
	for f := Unknown; f < Array; f++ {
		fs = append(fs, f)
	}
	return fs
}

// familyOfOID returns the scalar family with the given OID.
func familyOfOID(oid uint32) (Family, bool) {
	switch oid {
	case OidBool:
		return Bool, true
	case OidBytea:
		return Bytea, true
	case OidChar:
		return Char, true
	case OidName:
		return Name, true
	case OidInt8:
		return Int8, true
	case OidInt2:
		return Int2, true
	case OidInt2Vector:
		return Int2Vector, true
	case OidInt4:
		return Int4, true
	case OidRegproc:
		return Regproc, true
	case OidText:
		return Text, true
	case OidOid:
		return Oid, true
	case OidOidVector:
		return OidVector, true
	case OidJson:
		return Json, true
	case OidFloat4:
		return Float4, true
	case OidFloat8:
		return Float8, true
	case OidUnknown:
		return Unknown, true
	case OidBpchar:
		return Bpchar, true
	case OidVarchar:
		return Varchar, true
	case OidDate:
		return Date, true
	case OidTimestamp:
		return Timestamp, true
	case OidTimestamptz:
		return Timestamptz, true
	case OidInterval:
		return Interval, true
	case OidNumeric:
		return Numeric, true
	case OidRegclass:
		return Regclass, true
	case OidRegtype:
		return Regtype, true
	case OidRecord:
		return Record, true
	case OidVoid:
		return Void, true
	case OidUuid:
		return Uuid, true
	case OidJsonb:
		return Jsonb, true
	case OidRegnamespace:
		return Regnamespace, true
	case VectorOID:
		return Vector, true
	case OidBit:
		return Bit, true
	case OidVarBit:
		return VarBit, true
	case HalfVecOID:
		return HalfVec, true
	}
	return Unknown, false
}

// elemFamilyOfArrayOID returns the element family of an array type OID.
func elemFamilyOfArrayOID(oid uint32) (Family, bool) {
	if oid == 0 {
		return Unknown, false
	}
	for _, f := range allScalarFamilies() {
		if infoOf(f).arrayOid == oid {
			return f, true
		}
	}
	return Unknown, false
}

// FromOID returns the type with the given pg_type OID and modifier (as a
// client sends them in Parse or as the catalog stores them). For an array
// OID the modifier applies to the elements, as in PostgreSQL. It returns
// false for OIDs vecgres does not know. Typmods are taken as given: they
// come from our own catalog or are checked when values are cast.
func FromOID(oid uint32, typmod int32) (T, bool) {
	if f, ok := familyOfOID(oid); ok {
		return T{Family: f, Typmod: typmod}, true
	}
	if f, ok := elemFamilyOfArrayOID(oid); ok {
		return ArrayOf(T{Family: f, Typmod: typmod}), true
	}
	return UnknownType, false
}

// OID returns t's pg_type OID (the array type's OID for arrays; 0 for an
// array of a type without one).
func (t T) OID() uint32 {
	if t.Family == Array {
		if t.Elem == nil {
			return 0
		}
		return infoOf(t.Elem.Family).arrayOid
	}
	return infoOf(t.Family).oid
}

// ArrayOID returns the OID of the array type whose elements are t, or 0.
func (t T) ArrayOID() uint32 {
	if t.Family == Array {
		return 0
	}
	return infoOf(t.Family).arrayOid
}

// TypLen returns pg_type.typlen: the fixed size in bytes, -1 for varlena
// types and -2 for unknown (a C string).
func (t T) TypLen() int16 {
	if t.Family == Array {
		return -1
	}
	return infoOf(t.Family).typlen
}

// TypName returns pg_type.typname ("int8", "vector", "_int4").
func (t T) TypName() string {
	if t.Family == Array {
		if t.Elem == nil {
			return "anyarray"
		}
		return "_" + infoOf(t.Elem.Family).typname
	}
	return infoOf(t.Family).typname
}
