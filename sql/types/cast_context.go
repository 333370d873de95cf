package types

// CastContext is pg_cast.castcontext: in which situations a cast may be
// applied without being written.
type CastContext uint8

// Cast contexts, from "never" to "always". A cast allowed in a context is
// allowed in every weaker one (an implicit cast may be written explicitly).
const (
	CastNone       CastContext = iota // no cast exists
	CastExplicit                      // only CAST(x AS t) / x::t
	CastAssignment                    // also INSERT/UPDATE targets
	CastImplicit                      // also in expressions
)

// String returns pg_cast's letter for c ("e", "a", "i"), or "" for none.
func (c CastContext) String() string {
	switch c {
	case CastExplicit:
		return "e"
	case CastAssignment:
		return "a"
	case CastImplicit:
		return "i"
	}
	return ""
}

// CastContextOf returns the context in which values of type from may be
// converted to type to, following pg_cast in PostgreSQL 15 (and
// pgvector's casts), plus PostgreSQL's automatic I/O conversion casts:
// anything to a string type is an assignment cast, a string type to
// anything is explicit. Unknown (an untyped literal) converts implicitly
// to anything. A change of modifier only (varchar(3) to varchar(5)) is
// implicit.
func CastContextOf(from, to T) CastContext {
	if from.Family == Unknown {
		return CastImplicit
	}
	if from.Family == to.Family {
		if from.Family == Array {
			return arrayCastContext(from, to)
		}
		return CastImplicit
	}
	if c := builtinCastContext(from, to); c != CastNone {
		return c
	}
	if from.Family == Array && to.Family == Array {
		return arrayCastContext(from, to)
	}
	if from.Family == Record || to.Family == Record || from.Family == Void || to.Family == Void || to.Family == Unknown {
		return CastNone
	}
	// automatic I/O conversion casts
	if isStringCategory(to.Family) {
		return CastAssignment
	}
	if isStringCategory(from.Family) {
		return CastExplicit
	}
	return CastNone
}

// isStringCategory reports typcategory 'S' (text, varchar, bpchar, name).
func isStringCategory(f Family) bool {
	return f == Text || f == Varchar || f == Bpchar || f == Name
}

func arrayCastContext(from, to T) CastContext {
	fe, ok1 := from.ElemType()
	te, ok2 := to.ElemType()
	if !ok1 || !ok2 {
		return CastNone
	}
	// NB: PostgreSQL coerces arrays element by element with the element
	// pathway, I/O casts included ('{9,10}'::text[]::int8[] works).
	return CastContextOf(fe, te)
}

func isIntFamily(f Family) bool { return f == Int2 || f == Int4 || f == Int8 }

// builtinCastContext is the pg_cast table for the families vecgres has.
func builtinCastContext(from, to T) CastContext {
	f, t := from.Family, to.Family
	switch {
	case isIntFamily(f) && isIntFamily(t):
		if intWidth(t) > intWidth(f) {
			return CastImplicit
		}
		return CastAssignment
	case isIntFamily(f) && (t == Numeric || t == Float4 || t == Float8):
		return CastImplicit
	case (f == Float4 || f == Float8) && isIntFamily(t):
		return CastAssignment
	case f == Float4 && t == Float8, f == Numeric && (t == Float4 || t == Float8):
		return CastImplicit
	case f == Float8 && t == Float4, (f == Float4 || f == Float8) && t == Numeric:
		return CastAssignment
	case f == Numeric && isIntFamily(t):
		return CastAssignment
	case f == Int4 && t == Bool, f == Bool && t == Int4, f == Int4 && t == Char, f == Char && t == Int4:
		return CastExplicit
	case f == Bool && isStringCategory(t):
		return CastAssignment
	case (f == Int2 || f == Int8) && isOidFamily(t), f == Int4 && isOidFamily(t):
		return CastImplicit
	case isOidFamily(f) && isOidFamily(t):
		return CastImplicit
	case isOidFamily(f) && (t == Int4 || t == Int8):
		return CastAssignment
	case (f == Text || f == Varchar) && t == Regclass:
		return CastImplicit
	// string types among themselves
	case (f == Text || f == Varchar || f == Bpchar) && (t == Text || t == Varchar || t == Bpchar || t == Name):
		return CastImplicit
	case f == Name && t == Text:
		return CastImplicit
	case f == Name && (t == Varchar || t == Bpchar):
		return CastAssignment
	case f == Char && t == Text:
		return CastImplicit
	case f == Char && (t == Varchar || t == Bpchar), (f == Text || f == Varchar || f == Bpchar) && t == Char:
		return CastAssignment
	// date and time
	case f == Date && (t == Timestamp || t == Timestamptz), f == Timestamp && t == Timestamptz:
		return CastImplicit
	case f == Timestamptz && (t == Timestamp || t == Date), f == Timestamp && t == Date:
		return CastAssignment
	case f == Json && t == Jsonb, f == Jsonb && t == Json:
		return CastAssignment
	case f == Jsonb && (t == Bool || t == Numeric || isIntFamily(t) || t == Float4 || t == Float8):
		return CastExplicit
	// int2vector / oidvector are binary-compatible with int2[] / oid[]
	case f == Int2Vector && t == Array && to.Elem != nil && to.Elem.Family == Int2,
		f == OidVector && t == Array && to.Elem != nil && to.Elem.Family == Oid:
		return CastImplicit
	// bit and bit varying are binary-compatible (pg_cast: implicit both ways)
	case f == Bit && t == VarBit, f == VarBit && t == Bit:
		return CastImplicit
	case (f == Int4 || f == Int8) && t == Bit, f == Bit && (t == Int4 || t == Int8):
		return CastExplicit
	// pgvector
	case f == Vector && t == Array && to.Elem != nil && to.Elem.Family == Float4:
		return CastImplicit
	case f == Array && t == Vector && from.Elem != nil:
		switch from.Elem.Family {
		case Int4, Float4, Float8, Numeric:
			return CastAssignment
		}
	// pgvector's halfvec casts (vector.sql)
	case f == Vector && t == HalfVec, f == HalfVec && t == Array && to.Elem != nil && to.Elem.Family == Float4:
		return CastImplicit
	case f == HalfVec && t == Vector:
		return CastAssignment
	case f == Array && t == HalfVec && from.Elem != nil:
		switch from.Elem.Family {
		case Int4, Float4, Float8, Numeric:
			return CastAssignment
		}
	}
	return CastNone
}

func intWidth(f Family) int {
	switch f {
	case Int2:
		return 2
	case Int4:
		return 4
	}
	return 8
}
