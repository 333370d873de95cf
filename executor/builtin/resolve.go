package builtin

import (
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// Overload resolution, following PostgreSQL's "Type Conversion" chapter
// (docs section 10.2 Operators and 10.3 Functions) and its implementation
// in parse_oper.c / parse_func.c (func_select_candidate):
//
//  1. Exact match on argument types (for a binary operator an untyped
//     argument is first assumed to have the other argument's type).
//  2. Keep candidates every argument can reach by an implicit cast
//     (unknown reaches anything; polymorphic parameters must agree).
//  3. Keep those with the most exact matches; then the most exact-or-
//     preferred-type matches; then, for unknown arguments, the candidates
//     whose parameter category is the one they agree on (string wins).
//  4. Last gasp: if all known arguments share one type, assume the
//     unknowns have it too and look for a unique candidate.
//  5. Otherwise the call is ambiguous (42725) or has no candidate (42883).

// pseudo is a polymorphic pseudo-type a parameter may accept.
type pseudo uint8

const (
	pNone                  pseudo = iota
	pAny                          // "any": anything, no consistency between positions
	pAnyElement                   // anyelement
	pAnyArray                     // anyarray
	pAnyNonArray                  // anynonarray
	pAnyCompatible                // anycompatible
	pAnyCompatibleArray           // anycompatiblearray
	pAnyCompatibleNonArray        // anycompatiblenonarray
)

func (p pseudo) isElemFamily() bool {
	return p == pAnyElement || p == pAnyArray || p == pAnyNonArray
}

func (p pseudo) isCompatFamily() bool {
	return p == pAnyCompatible || p == pAnyCompatibleArray || p == pAnyCompatibleNonArray
}

func (p pseudo) isArray() bool { return p == pAnyArray || p == pAnyCompatibleArray }

func (p pseudo) isNonArray() bool { return p == pAnyNonArray || p == pAnyCompatibleNonArray }

// category is a pg_type.typcategory.
type category byte

const (
	catArray    category = 'A'
	catBool     category = 'B'
	catDatetime category = 'D'
	catNumeric  category = 'N'
	catPseudo   category = 'P'
	catString   category = 'S'
	catTimespan category = 'T'
	catUser     category = 'U'
	catBitStr   category = 'V'
	catUnknown  category = 'X'
	catInternal category = 'Z'
)

// categoryOf returns t's type category and whether t is the preferred type
// of it (pg_type.typispreferred).
func categoryOf(t types.T) (category, bool) {
	switch t.Family {
	case types.Bool:
		return catBool, true
	case types.Int2, types.Int4, types.Int8, types.Float4, types.Numeric,
		types.Regclass, types.Regtype, types.Regproc, types.Regnamespace:
		return catNumeric, false
	case types.Float8, types.Oid:
		return catNumeric, true
	case types.Text:
		return catString, true
	case types.Varchar, types.Bpchar, types.Name:
		return catString, false
	case types.Timestamptz:
		return catDatetime, true
	case types.Timestamp, types.Date:
		return catDatetime, false
	case types.Interval:
		return catTimespan, true
	case types.Array, types.Int2Vector, types.OidVector:
		return catArray, false
	case types.Unknown:
		return catUnknown, false
	case types.Void, types.Record:
		return catPseudo, false
	case types.Char:
		return catInternal, false
	case types.Bit:
		return catBitStr, false
	case types.VarBit:
		return catBitStr, true
	}
	return catUser, false
}

// sameType reports type identity as PostgreSQL's OIDs see it: modifiers
// are ignored, array element types are not.
func sameType(a, b types.T) bool {
	if a.Family != b.Family {
		return false
	}
	if a.Family == types.Array {
		if a.Elem == nil || b.Elem == nil {
			return a.Elem == b.Elem
		}
		return sameType(*a.Elem, *b.Elem)
	}
	return true
}

func isUnknown(t types.T) bool { return t.Family == types.Unknown }

// canCoerce reports whether a value of type from may be passed where to is
// expected without an explicit cast: same type, an untyped literal, or an
// implicit cast (pg_cast.castcontext = 'i', types.CastContextOf).
func canCoerce(from, to types.T) bool {
	if isUnknown(from) || sameType(from, to) {
		return true
	}
	return types.CastContextOf(from, to) == types.CastImplicit
}

// candidate is one registered overload expanded to a call's arity.
type candidate struct {
	params []types.T
	pseudo []pseudo // nil when concrete
	index  int      // position in the registration list
}

// expand returns the per-argument parameter list of a registered signature
// for a call with n arguments, or false when the arity does not fit.
func expand(params []types.T, ps []pseudo, variadic bool, n int) ([]types.T, []pseudo, bool) {
	if !variadic {
		if len(params) != n {
			return nil, nil, false
		}
		return params, ps, true
	}
	if n < len(params) {
		return nil, nil, false
	}
	out := make([]types.T, n)
	var outPs []pseudo
	if ps != nil {
		outPs = make([]pseudo, n)
	}
	for i := range n {
		j := min(i, len(params)-1)
		out[i] = params[j]
		if ps != nil {
			outPs[i] = ps[j]
		}
	}
	return out, outPs, true
}

func (c candidate) pseudoAt(i int) pseudo {
	if c.pseudo == nil {
		return pNone
	}
	return c.pseudo[i]
}

// exactMatch reports whether every argument has exactly the parameter type.
func (c candidate) exactMatch(args []types.T) bool {
	for i, a := range args {
		if c.pseudoAt(i) != pNone || isUnknown(a) || !sameType(a, c.params[i]) {
			return false
		}
	}
	return true
}

// coercible reports whether args can be passed to c (PostgreSQL's
// can_coerce_type with COERCION_IMPLICIT, polymorphic consistency included).
func (c candidate) coercible(args []types.T) bool {
	for i, a := range args {
		if p := c.pseudoAt(i); p != pNone {
			if p.isArray() && !isUnknown(a) && !isArrayType(a) {
				return false
			}
			if p.isNonArray() && isArrayType(a) {
				return false
			}
			continue
		}
		if !canCoerce(a, c.params[i]) {
			return false
		}
	}
	if c.pseudo == nil {
		return true
	}
	_, _, err := resolvePoly(c.pseudo, args)
	return err == nil || err == errPolyUnknown
}

func isArrayType(t types.T) bool {
	_, ok := t.ElemType()
	return ok
}

// errPolyUnknown marks polymorphic parameters that only untyped literals
// reach: the candidate is acceptable, but cannot be instantiated.
var errPolyUnknown = pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")

// resolvePoly finds the element types that anyelement-family and
// anycompatible-family parameters stand for in a call with args.
// The returned bools say whether each family appears at all.
func resolvePoly(ps []pseudo, args []types.T) (elem, compat *types.T, err error) {
	var haveElem, haveCompat bool
	var compatTypes []types.T
	for i, p := range ps {
		if i >= len(args) {
			break
		}
		a := args[i]
		switch {
		case p.isElemFamily():
			haveElem = true
			if isUnknown(a) {
				continue
			}
			e := a
			if p.isArray() {
				var ok bool
				if e, ok = a.ElemType(); !ok {
					return nil, nil, pgerr.New(pgerr.DatatypeMismatch, "argument declared anyarray is not an array")
				}
			}
			if elem == nil {
				e := e
				elem = &e
			} else if !sameType(*elem, e) {
				return nil, nil, pgerr.New(pgerr.DatatypeMismatch, "arguments declared anyelement are not all alike")
			}
		case p.isCompatFamily():
			haveCompat = true
			if isUnknown(a) {
				continue
			}
			e := a
			if p.isArray() {
				var ok bool
				if e, ok = a.ElemType(); !ok {
					return nil, nil, pgerr.New(pgerr.DatatypeMismatch, "argument declared anycompatiblearray is not an array")
				}
			}
			compatTypes = append(compatTypes, e)
		}
	}
	if elem != nil && isArrayTypeFor(ps, pAnyNonArray) && isArrayType(*elem) {
		return nil, nil, pgerr.New(pgerr.DatatypeMismatch, "type matched to anynonarray is an array type")
	}
	if haveCompat && len(compatTypes) > 0 {
		ct, ok := commonType(compatTypes)
		if !ok {
			return nil, nil, pgerr.New(pgerr.DatatypeMismatch, "arguments declared anycompatible cannot be matched")
		}
		compat = &ct
	}
	if (haveElem && elem == nil) || (haveCompat && compat == nil) {
		return elem, compat, errPolyUnknown
	}
	return elem, compat, nil
}

func isArrayTypeFor(ps []pseudo, want pseudo) bool {
	for _, p := range ps {
		if p == want {
			return true
		}
	}
	return false
}

// commonType is PostgreSQL's select_common_type for types that are all
// known: the first type, replaced by a later one of the same category that
// it casts to implicitly (but not back) unless it is the preferred type.
func commonType(ts []types.T) (types.T, bool) {
	pt := ts[0]
	pcat, ppref := categoryOf(pt)
	for _, nt := range ts[1:] {
		if sameType(nt, pt) {
			continue
		}
		ncat, npref := categoryOf(nt)
		if ncat != pcat {
			return types.T{}, false
		}
		if !ppref && canCoerce(pt, nt) && !canCoerce(nt, pt) {
			pt, pcat, ppref = nt, ncat, npref
		}
	}
	for _, t := range ts {
		if !canCoerce(t, pt) {
			return types.T{}, false
		}
	}
	return pt, true
}

// instantiate returns the concrete parameter types of candidate c for
// args, and the concrete type a polymorphic return stands for.
func instantiate(c candidate, args []types.T, retPseudo pseudo, ret types.T) ([]types.T, types.T, error) {
	if c.pseudo == nil && retPseudo == pNone {
		return c.params, ret, nil
	}
	elem, compat, err := resolvePoly(c.pseudo, args)
	if err != nil {
		return nil, types.T{}, err
	}
	params := make([]types.T, len(args))
	for i, a := range args {
		p := c.pseudoAt(i)
		switch {
		case p == pNone:
			params[i] = c.params[i]
		case p == pAny:
			if isUnknown(a) {
				params[i] = types.TextType
			} else {
				params[i] = a
			}
		case p.isElemFamily():
			params[i] = polyType(p, *elem)
		case p.isCompatFamily():
			params[i] = polyType(p, *compat)
		}
	}
	switch {
	case retPseudo.isElemFamily():
		if elem == nil {
			return nil, types.T{}, errPolyUnknown
		}
		ret = polyType(retPseudo, *elem)
	case retPseudo.isCompatFamily():
		if compat == nil {
			return nil, types.T{}, errPolyUnknown
		}
		ret = polyType(retPseudo, *compat)
	}
	return params, ret, nil
}

func polyType(p pseudo, elem types.T) types.T {
	if p.isArray() {
		return types.ArrayOf(elem)
	}
	return elem
}

// selectCandidate narrows cands (all coercible) to one, following
// func_select_candidate; it returns -1 when the choice is ambiguous.
func selectCandidate(args []types.T, cands []candidate) int {
	if len(cands) == 1 {
		return 0
	}
	idx := make([]int, len(cands))
	for i := range idx {
		idx[i] = i
	}
	// Most exact matches.
	idx = keepBest(idx, func(ci int) int {
		n := 0
		for i, a := range args {
			if !isUnknown(a) && cands[ci].pseudoAt(i) == pNone && sameType(a, cands[ci].params[i]) {
				n++
			}
		}
		return n
	})
	if len(idx) == 1 {
		return idx[0]
	}
	// Most exact-or-preferred matches.
	idx = keepBest(idx, func(ci int) int {
		n := 0
		for i, a := range args {
			if isUnknown(a) || cands[ci].pseudoAt(i) != pNone {
				continue
			}
			p := cands[ci].params[i]
			acat, _ := categoryOf(a)
			pcat, ppref := categoryOf(p)
			if sameType(a, p) || (ppref && pcat == acat) {
				n++
			}
		}
		return n
	})
	if len(idx) == 1 {
		return idx[0]
	}
	nUnknown := 0
	for _, a := range args {
		if isUnknown(a) {
			nUnknown++
		}
	}
	if nUnknown == 0 {
		return -1
	}
	idx = resolveUnknownCategories(args, cands, idx)
	if len(idx) == 1 {
		return idx[0]
	}
	// Last gasp: all known arguments have one type; assume the unknowns do.
	if nUnknown < len(args) {
		var known *types.T
		for i := range args {
			if isUnknown(args[i]) {
				continue
			}
			if known == nil {
				known = &args[i]
			} else if !sameType(*known, args[i]) {
				known = nil
				break
			}
		}
		if known != nil {
			assumed := make([]types.T, len(args))
			for i := range assumed {
				assumed[i] = *known
			}
			found := -1
			for _, ci := range idx {
				if cands[ci].coercible(assumed) {
					if found >= 0 {
						return -1
					}
					found = ci
				}
			}
			return found
		}
	}
	return -1
}

// keepBest keeps the candidates with the highest score.
func keepBest(idx []int, score func(int) int) []int {
	best := -1
	var out []int
	for _, ci := range idx {
		s := score(ci)
		if s > best {
			best = s
			out = out[:0]
		}
		if s == best {
			out = append(out, ci)
		}
	}
	return out
}

// resolveUnknownCategories is step 3.e: at each unknown argument, pick the
// category the remaining candidates accept there (string if any does) and
// drop the candidates outside it, or not of the preferred type when one
// candidate offers it.
func resolveUnknownCategories(args []types.T, cands []candidate, idx []int) []int {
	n := len(args)
	slotCat := make([]category, n)
	slotPref := make([]bool, n)
	for i, a := range args {
		if !isUnknown(a) {
			continue
		}
		slotCat[i] = 0
		conflict := false
		for _, ci := range idx {
			cat, pref := paramCategory(cands[ci], i)
			switch {
			case slotCat[i] == 0:
				slotCat[i], slotPref[i] = cat, pref
			case cat == slotCat[i]:
				slotPref[i] = slotPref[i] || pref
			case cat == catString:
				slotCat[i], slotPref[i] = cat, pref
			default:
				conflict = true
			}
		}
		if conflict && slotCat[i] != catString {
			return idx
		}
	}
	var out []int
	for _, ci := range idx {
		keep := true
		for i, a := range args {
			if !isUnknown(a) {
				continue
			}
			cat, pref := paramCategory(cands[ci], i)
			if cat != slotCat[i] || (slotPref[i] && !pref) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, ci)
		}
	}
	if len(out) == 0 {
		return idx
	}
	return out
}

// paramCategory is the type category of candidate c's parameter i, and
// whether that parameter counts as the category's preferred type.
//
// NB: for unknown arguments vector counts as the preferred type of its
// category, so that a call on literals alone (l2_distance('[1,2]',
// '[3,4]'), binary_quantize('[1,-1]')) resolves to the vector overload as
// it did before halfvec existed. pgvector 0.8 reports such calls as
// ambiguous (42725: vector, halfvec and sparsevec are all of category U
// and none is preferred); vecgres keeps them working on purpose.
func paramCategory(c candidate, i int) (category, bool) {
	if c.pseudoAt(i) != pNone {
		return catPseudo, false
	}
	if c.params[i].Family == types.Vector {
		return catUser, true
	}
	return categoryOf(c.params[i])
}

// resolved is the outcome of choosing among overloads.
type resolved struct {
	index  int
	params []types.T
	ret    types.T
}

// choose runs the whole resolution over registered signatures sigs for a
// call with args. exactArgs, when non-nil, is the argument list used for
// the exact-match step (binary operators substitute unknowns). It returns
// ok=false when nothing matches and ambiguous=true when several do.
func choose(args, exactArgs []types.T, sigs []sig) (r resolved, ok, ambiguous bool, err error) {
	var cands []candidate
	for i, s := range sigs {
		params, ps, fits := expand(s.params, s.pseudo, s.variadic, len(args))
		if !fits {
			continue
		}
		cands = append(cands, candidate{params: params, pseudo: ps, index: i})
	}
	if exactArgs == nil {
		exactArgs = args
	}
	for _, c := range cands {
		if c.exactMatch(exactArgs) {
			return resolved{index: c.index, params: c.params, ret: sigs[c.index].ret}, true, false, nil
		}
	}
	var ok2 []candidate
	for _, c := range cands {
		if c.coercible(args) {
			ok2 = append(ok2, c)
		}
	}
	if len(ok2) == 0 {
		return resolved{}, false, false, nil
	}
	best := selectCandidate(args, ok2)
	if best < 0 {
		return resolved{}, false, true, nil
	}
	c := ok2[best]
	s := sigs[c.index]
	params, ret, err := instantiate(c, args, s.retPseudo, s.ret)
	if err != nil {
		return resolved{}, false, false, err
	}
	return resolved{index: c.index, params: params, ret: ret}, true, false, nil
}

// sig is the part of a Func or Aggregate that resolution looks at.
type sig struct {
	params    []types.T
	pseudo    []pseudo
	variadic  bool
	ret       types.T
	retPseudo pseudo
}

func funcSigs(fs []*Func) []sig {
	out := make([]sig, len(fs))
	for i, f := range fs {
		out[i] = sig{params: f.Params, pseudo: f.pseudo, variadic: f.Variadic, ret: f.Return, retPseudo: f.retPseudo}
	}
	return out
}

// bind returns the Func to hand out for a resolved call: the registered
// one when nothing about it depends on the call, else a copy with concrete
// parameter and result types (and a body built for them).
func bind(f *Func, r resolved) *Func {
	if f.pseudo == nil && f.retPseudo == pNone && f.typed == nil && !f.Variadic {
		return f
	}
	c := *f
	c.Params = r.params
	c.Return = r.ret
	c.pseudo = nil
	c.retPseudo = pNone
	if f.typed != nil {
		c.Eval = f.typed(r.params)
		c.typed = nil
	}
	return &c
}

// ResolveBinary chooses the overload of binary operator op (as in
// sql/tree.BinaryOp: "+", "=", "<->", "LIKE", "||", "~", ...) for operand
// types left and right; an Unknown-family operand is an untyped literal or
// parameter. Errors: 42883 when no overload fits, 42725 when several fit
// equally well.
func (l *Library) ResolveBinary(op string, left, right types.T) (*Func, error) {
	fs := l.binary[op]
	args := []types.T{left, right}
	exact := args
	if isUnknown(left) && !isUnknown(right) {
		exact = []types.T{right, right}
	} else if isUnknown(right) && !isUnknown(left) {
		exact = []types.T{left, left}
	}
	r, ok, amb, err := choose(args, exact, funcSigs(fs))
	if err != nil {
		return nil, err
	}
	desc := typeName(left) + " " + op + " " + typeName(right)
	if amb {
		return nil, pgerr.New(pgerr.AmbiguousFunction, "operator is not unique: "+desc).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: "+desc).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
	}
	return bind(fs[r.index], r), nil
}

// ResolveUnary chooses the overload of prefix operator op ("-", "+", "~")
// for an operand of type arg. Errors as ResolveBinary.
func (l *Library) ResolveUnary(op string, arg types.T) (*Func, error) {
	fs := l.unary[op]
	r, ok, amb, err := choose([]types.T{arg}, nil, funcSigs(fs))
	if err != nil {
		return nil, err
	}
	desc := op + " " + typeName(arg)
	if amb {
		return nil, pgerr.New(pgerr.AmbiguousFunction, "operator is not unique: "+desc).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: "+desc).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
	}
	return bind(fs[r.index], r), nil
}

// ResolveFunc chooses the overload of function name (lower case, schema
// already stripped) for the given argument types. Errors: 42883
// "function foo(integer) does not exist", 42725 "function foo(unknown) is
// not unique", 42804 when polymorphic arguments cannot be typed.
func (l *Library) ResolveFunc(name string, args []types.T) (*Func, error) {
	fs := l.funcs[name]
	r, ok, amb, err := choose(args, nil, funcSigs(fs))
	if err != nil {
		return nil, err
	}
	if amb {
		return nil, pgerr.New(pgerr.AmbiguousFunction, "function "+callDesc(name, args)+" is not unique").
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function "+callDesc(name, args)+" does not exist").
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	return bind(fs[r.index], r), nil
}

// ResolveAggregate chooses the overload of aggregate name for the given
// argument types; star is set for count(*). Errors as ResolveFunc.
func (l *Library) ResolveAggregate(name string, args []types.T, star bool) (*Aggregate, error) {
	as := l.aggs[name]
	if star {
		for _, a := range as {
			if a.Star {
				return a, nil
			}
		}
		return nil, pgerr.New(pgerr.WrongObjectType, name+"(*) specified, but "+name+" is not an aggregate function without arguments")
	}
	var sigs []sig
	var idx []int
	for i, a := range as {
		if a.Star {
			continue
		}
		sigs = append(sigs, sig{params: a.Params, pseudo: a.pseudo, ret: a.Return, retPseudo: a.retPseudo})
		idx = append(idx, i)
	}
	r, ok, amb, err := choose(args, nil, sigs)
	if err != nil {
		return nil, err
	}
	if amb {
		return nil, pgerr.New(pgerr.AmbiguousFunction, "function "+callDesc(name, args)+" is not unique").
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function "+callDesc(name, args)+" does not exist").
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	a := as[idx[r.index]]
	if a.pseudo == nil && a.retPseudo == pNone && a.typed == nil {
		return a, nil
	}
	c := *a
	c.Params = r.params
	c.Return = r.ret
	c.pseudo = nil
	c.retPseudo = pNone
	if a.typed != nil {
		c.New = a.typed(r.params)
		c.typed = nil
	}
	return &c, nil
}

func callDesc(name string, args []types.T) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('(')
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(typeName(a))
	}
	b.WriteByte(')')
	return b.String()
}

// typeName is PostgreSQL's format_type_be: the SQL name without modifiers,
// as error messages show it.
func typeName(t types.T) string {
	switch t.Family {
	case types.Bool:
		return "boolean"
	case types.Int2:
		return "smallint"
	case types.Int4:
		return "integer"
	case types.Int8:
		return "bigint"
	case types.Float4:
		return "real"
	case types.Float8:
		return "double precision"
	case types.Varchar:
		return "character varying"
	case types.Bpchar:
		return "character"
	case types.Timestamptz:
		return "timestamp with time zone"
	case types.Timestamp:
		return "timestamp without time zone"
	case types.Char:
		return `"char"`
	case types.VarBit:
		return "bit varying"
	case types.Array:
		if t.Elem != nil {
			return typeName(*t.Elem) + "[]"
		}
		return "anyarray"
	}
	return t.TypName()
}
