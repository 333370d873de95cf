package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// ParseVector parses pgvector's text format: "[1,2,3]", with whitespace
// allowed around the brackets and elements, elements in strtof syntax.
// It follows pgvector's vector_in check by check, with its SQLSTATEs and
// messages: 22P02 `invalid input syntax for type vector: "..."` (with the
// DETAIL `Vector contents must start with "[".` or `Junk after closing
// right brace.` where pgvector gives one), 22000 "vector must have at
// least 1 dimension", 22000 for NaN and infinite elements, 22003 for
// float overflow, 54000 beyond MaxVectorDims.
//
// The returned slice is freshly allocated and owned by the caller.
func ParseVector(s string) ([]float32, error) { return parseVectorText(s, false) }

// parseVectorText is vector_in, or halfvec_in when half is set: then each
// element is rounded to half precision, a finite element beyond half's
// range is out of range (22003) and the messages name halfvec.
func parseVectorText(s string, half bool) ([]float32, error) {
	typ := "vector"
	if half {
		typ = "halfvec"
	}
	bad := func() *pgerr.Error { return invalidSyntax(typ, s) }
	pt := 0
	for pt < len(s) && isSpace(s[pt]) {
		pt++
	}
	if pt >= len(s) || s[pt] != '[' {
		return nil, bad().WithDetail(`Vector contents must start with "[".`)
	}
	pt++
	for pt < len(s) && isSpace(s[pt]) {
		pt++
	}
	if pt < len(s) && s[pt] == ']' {
		return nil, pgerr.New(pgerr.DataException, typ+" must have at least 1 dimension")
	}
	// NB: sized once from the comma count (bounded by the dimension
	// limit): growing by append cost four allocations for a 128-d vector.
	out := make([]float32, 0, min(strings.Count(s, ",")+1, MaxVectorDims))
	for {
		if len(out) == MaxVectorDims {
			return nil, pgerr.Newf(pgerr.ProgramLimitExceeded, "%s cannot have more than %d dimensions", typ, MaxVectorDims)
		}
		for pt < len(s) && isSpace(s[pt]) {
			pt++
		}
		if pt >= len(s) || s[pt] == 0 {
			return nil, bad()
		}
		n := scanFloatPrefix(s[pt:])
		if n == 0 {
			return nil, bad()
		}
		lit := s[pt : pt+n]
		f, ok, overflow := parseVectorElement(lit)
		if !ok {
			return nil, bad()
		}
		v := float32(f)
		if half && !overflow {
			h := RoundToHalf(v)
			overflow = math.IsInf(float64(h), 0) && !math.IsInf(float64(v), 0)
			v = h
		}
		if overflow {
			return nil, pgerr.Newf(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type %s", lit, typ)
		}
		if err := checkElement(v, typ); err != nil {
			return nil, err
		}
		out = append(out, v)
		pt += n
		for pt < len(s) && isSpace(s[pt]) {
			pt++
		}
		if pt < len(s) && s[pt] == ',' {
			pt++
			continue
		}
		if pt < len(s) && s[pt] == ']' {
			pt++
			break
		}
		return nil, bad()
	}
	for pt < len(s) && isSpace(s[pt]) {
		pt++
	}
	if pt != len(s) {
		return nil, bad().WithDetail("Junk after closing right brace.")
	}
	return out, nil
}

// parseVectorElement converts one element literal, as found by
// scanFloatPrefix. Underflow to zero is accepted, as strtof's ERANGE is by
// pgvector; only overflow to infinity is reported.
//
// NB: the plain decimal form ("-0.25", "1e-3") — nearly every element a
// client sends — goes straight to strconv.ParseFloat, which is what
// parseFloatSyntax ends in for such text; its special-value and hex checks
// cost as much as the conversion itself.
func parseVectorElement(lit string) (f float64, ok, overflow bool) {
	if isPlainDecimal(lit) {
		f, err := strconv.ParseFloat(lit, 32)
		// NB: an underflow to zero ("-1e-70") takes the general path, which
		// decides its sign, so both paths agree (FuzzParseVector checks).
		if err == nil && (f != 0 || !hasNonZeroMantissa(lit)) {
			return f, true, false
		}
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return 0, true, true
		}
	}
	f, ok, overflow, _ = parseFloatSyntax(lit, 32)
	return f, ok, overflow
}

// isPlainDecimal reports whether s is an optional sign followed by a digit
// or point and then only digits, points, exponent letters and signs.
func isPlainDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" || !(s[0] >= '0' && s[0] <= '9' || s[0] == '.') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// scanFloatPrefix returns the length of the longest prefix of s that
// strtof would consume: sign, then inf/infinity/nan, a hex integer, or
// decimal digits with an optional point and exponent.
func scanFloatPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	rest := s[i:]
	if hasPrefixFold(rest, "infinity") {
		return i + 8
	}
	if hasPrefixFold(rest, "inf") || hasPrefixFold(rest, "nan") {
		return i + 3
	}
	if len(rest) > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X') {
		if _, ok := hexVal(rest[2]); ok {
			j := 2
			for j < len(rest) {
				if _, ok := hexVal(rest[j]); !ok {
					break
				}
				j++
			}
			return i + j
		}
	}
	start := i
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	_ = start
	return i
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// checkVectorElement rejects NaN and infinities, as pgvector's CheckElement.
func checkVectorElement(v float32) error { return checkElement(v, "vector") }

// checkElement is CheckElement of vector or halfvec (typ names it).
func checkElement(v float32, typ string) error {
	if v != v {
		return pgerr.New(pgerr.DataException, "NaN not allowed in "+typ)
	}
	if math.IsInf(float64(v), 0) {
		return pgerr.New(pgerr.DataException, "infinite value not allowed in "+typ)
	}
	return nil
}

// checkVectorDims is pgvector's CheckDim.
func checkVectorDims(dim int) error { return checkDims(dim, "vector") }

// checkDims is CheckDim of vector or halfvec (typ names it).
func checkDims(dim int, typ string) error {
	if dim < 1 {
		return pgerr.New(pgerr.DataException, typ+" must have at least 1 dimension")
	}
	if dim > MaxVectorDims {
		return pgerr.Newf(pgerr.ProgramLimitExceeded, "%s cannot have more than %d dimensions", typ, MaxVectorDims)
	}
	return nil
}

// checkVectorTypmod is pgvector's CheckExpectedDim.
func checkVectorTypmod(typmod int32, dim int) error {
	if typmod >= 0 && int(typmod) != dim {
		return pgerr.Newf(pgerr.DataException, "expected %d dimensions, not %d", typmod, dim)
	}
	return nil
}

// appendVectorText prints a vector as pgvector's vector_out: "[1,2.5,-3e-05]",
// each element float4 shortest-exact.
func appendVectorText(buf []byte, v []float32) []byte {
	buf = append(buf, '[')
	for i, x := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendFloatShortest(buf, float64(x), 32)
	}
	return append(buf, ']')
}

// compareVectors is pgvector's vector_cmp_internal: element-wise, then by
// number of dimensions.
func compareVectors(a, b []float32) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] < b[i] {
			return -1
		}
		if a[i] > b[i] {
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}
