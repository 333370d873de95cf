package builtin

import (
	"strings"

	"github.com/vecgres/vecgres/sql/types"
)

// The comparison operators exist for every comparable type; cross-type
// comparisons (int4 = int8, text = varchar, date < timestamptz) resolve
// through implicit casts to the wider type, as their PostgreSQL
// counterparts produce the same answers.

// comparable lists the scalar types that have comparison operators.
var comparableTypes = []types.T{
	types.BoolType, types.Int2Type, types.Int4Type, types.Int8Type,
	types.Float4Type, types.Float8Type, types.NumericType,
	types.TextType, types.BpcharType, types.NameType, types.CharType, types.ByteaType,
	types.TimestamptzType, types.TimestampType, types.DateType, types.IntervalType,
	types.UuidType, types.VectorType, types.OidType, types.BitType, types.VarBitType,
	types.HalfVecType,
}

var cmpOps = []string{"=", "<>", "<", "<=", ">", ">="}

// cmpResult turns a three-way comparison into the operator's answer.
func cmpResult(op string) func(c int) bool {
	switch op {
	case "=":
		return func(c int) bool { return c == 0 }
	case "<>":
		return func(c int) bool { return c != 0 }
	case "<":
		return func(c int) bool { return c < 0 }
	case "<=":
		return func(c int) bool { return c <= 0 }
	case ">":
		return func(c int) bool { return c > 0 }
	}
	return func(c int) bool { return c >= 0 }
}

func (l *Library) addComparisons() {
	for _, op := range cmpOps {
		res := cmpResult(op)
		for _, t := range comparableTypes {
			cmp := comparerFor(t)
			l.binOp(op, t, t, types.BoolType, func(_ *Ctx, a []types.Datum) (types.Datum, error) {
				return types.NewBool(res(cmp(a[0], a[1]))), nil
			})
		}
		// NB: arrays compare element by element with the element type's
		// ordering, so the body is built once the element type is known.
		f := &Func{Name: op, Params: ts(types.UnknownType, types.UnknownType), Return: types.BoolType,
			pseudo: []pseudo{pAnyArray, pAnyArray}}
		f.typed = func(params []types.T) EvalFunc {
			cmp := comparerFor(params[0])
			return func(_ *Ctx, a []types.Datum) (types.Datum, error) {
				return types.NewBool(res(cmp(a[0], a[1]))), nil
			}
		}
		l.addBinary(f)
	}
}

// comparer is a three-way comparison of two non-NULL datums of one type.
type comparer func(a, b types.Datum) int

// comparerFor returns the ordering PostgreSQL's btree opclass for t uses
// (types.Compare: NaN above everything, vectors as pgvector's vector_cmp,
// arrays element-wise then by length, strings bytewise as the "C"
// collation), except that bpchar ignores trailing spaces as bpcharcmp does.
func comparerFor(t types.T) comparer {
	if t.Family == types.Bpchar {
		return func(a, b types.Datum) int {
			return strings.Compare(strings.TrimRight(a.S, " "), strings.TrimRight(b.S, " "))
		}
	}
	return func(a, b types.Datum) int { return types.Compare(t, a, b) }
}
