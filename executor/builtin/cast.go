package builtin

import "github.com/vecgres/vecgres/sql/types"

// implicitCast reports whether PostgreSQL (with pgvector) has an implicit
// cast (pg_cast.castcontext = 'i') from one type to another, which is all
// overload resolution needs to know about casts.
//
// NB: the rows below are pg_cast's implicit rows for the types vecgres
// has, plus pgvector's vector → real[] (declared AS IMPLICIT) and the
// element-wise array coercion PostgreSQL derives from element casts.
func implicitCast(from, to types.T) bool {
	if from.Family == types.Array && to.Family == types.Array {
		if from.Elem == nil || to.Elem == nil {
			return false
		}
		return sameType(*from.Elem, *to.Elem) || implicitCast(*from.Elem, *to.Elem)
	}
	f, t := from.Family, to.Family
	switch f {
	case types.Int2:
		return t == types.Int4 || t == types.Int8 || isFloatOrNumeric(t) || isOidLike(t)
	case types.Int4:
		return t == types.Int8 || isFloatOrNumeric(t) || isOidLike(t)
	case types.Int8:
		return isFloatOrNumeric(t) || isOidLike(t)
	case types.Float4:
		return t == types.Float8
	case types.Numeric:
		return t == types.Float4 || t == types.Float8
	case types.Oid:
		return isOidLike(t) && t != types.Oid
	case types.Regclass, types.Regtype, types.Regproc, types.Regnamespace:
		return t == types.Oid
	case types.Text:
		return t == types.Varchar || t == types.Bpchar || t == types.Name || t == types.Regclass
	case types.Varchar:
		return t == types.Text || t == types.Bpchar || t == types.Name || t == types.Regclass
	case types.Bpchar:
		return t == types.Text || t == types.Varchar || t == types.Name
	case types.Name:
		return t == types.Text
	case types.Char:
		return t == types.Text
	case types.Date:
		return t == types.Timestamp || t == types.Timestamptz
	case types.Timestamp:
		return t == types.Timestamptz
	case types.Vector:
		return t == types.Vector || (t == types.Array && to.Elem != nil && to.Elem.Family == types.Float4)
	case types.Int2Vector:
		return t == types.Array && to.Elem != nil && to.Elem.Family == types.Int2
	case types.OidVector:
		return t == types.Array && to.Elem != nil && to.Elem.Family == types.Oid
	}
	return false
}

func isFloatOrNumeric(f types.Family) bool {
	return f == types.Float4 || f == types.Float8 || f == types.Numeric
}

func isOidLike(f types.Family) bool {
	switch f {
	case types.Oid, types.Regclass, types.Regtype, types.Regproc, types.Regnamespace:
		return true
	}
	return false
}
