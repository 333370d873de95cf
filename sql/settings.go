package sql

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// ServerVersion is what clients see as server_version. Drivers gate
// features on it (psql picks catalog query variants by major version), so
// it names the PostgreSQL release whose behaviour vecgres reproduces.
const ServerVersion = "15.8"

// VersionString is the text of version().
const VersionString = "PostgreSQL 15.8 (vecgres 0.1.0) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"

// setting describes one configuration parameter.
type setting struct {
	name       string // canonical spelling (ParameterStatus uses it)
	def        string
	reportable bool // sent in ParameterStatus at startup and on change
	// check validates and normalises a new value; nil accepts anything.
	check func(v string) (string, error)
}

// settingsTable lists the parameters vecgres knows, with PostgreSQL's
// defaults. Names are matched case-insensitively. Custom dotted names
// (myapp.x) are accepted as placeholders, as PostgreSQL does.
var settingsTable = []setting{
	{name: "application_name", reportable: true},
	{name: "client_encoding", def: "UTF8", reportable: true, check: checkClientEncoding},
	{name: "DateStyle", def: "ISO, MDY", reportable: true, check: checkDateStyle},
	{name: "default_transaction_read_only", def: "off", reportable: true, check: checkBool},
	{name: "in_hot_standby", def: "off", reportable: true, check: readOnlySetting},
	{name: "integer_datetimes", def: "on", reportable: true, check: readOnlySetting},
	{name: "IntervalStyle", def: "postgres", reportable: true},
	{name: "is_superuser", def: "on", reportable: true, check: readOnlySetting},
	{name: "server_encoding", def: "UTF8", reportable: true, check: readOnlySetting},
	{name: "server_version", def: ServerVersion, reportable: true, check: readOnlySetting},
	{name: "session_authorization", def: "postgres", reportable: true},
	{name: "standard_conforming_strings", def: "on", reportable: true, check: checkBool},
	{name: "TimeZone", def: "UTC", reportable: true, check: checkTimeZone},
	{name: "extra_float_digits", def: "1", check: checkIntRange(-15, 3)},
	{name: "search_path", def: `"$user", public`},
	{name: "transaction_isolation", def: "read committed"},
	{name: "default_transaction_isolation", def: "read committed"},
	{name: "max_identifier_length", def: "63", check: readOnlySetting},
	{name: "server_version_num", def: "150008", check: readOnlySetting},
	{name: "statement_timeout", def: "0", check: checkMilliseconds},
	{name: "lock_timeout", def: "0", check: checkMilliseconds},
	{name: "idle_in_transaction_session_timeout", def: "0", check: checkMilliseconds},
	{name: "client_min_messages", def: "notice", check: checkClientMinMessages},
	{name: "bytea_output", def: "hex"},
	{name: "timezone_abbreviations", def: "Default"},
	{name: "datestyle", def: "ISO, MDY"},
	{name: "geqo", def: "on"},
	{name: "jit", def: "off"},
	{name: "row_security", def: "on"},
	{name: "synchronous_commit", def: "on"},
	{name: "work_mem", def: "4MB"},
	{name: "maintenance_work_mem", def: "64MB"},
	{name: "max_parallel_workers_per_gather", def: "2"},
	{name: "max_parallel_maintenance_workers", def: "2"},
	{name: "enable_seqscan", def: "on", check: checkBool},
	{name: "enable_indexscan", def: "on", check: checkBool},
	{name: "max_index_keys", def: "32", check: readOnlySetting},
	// pgvector's parameters, with its defaults and ranges.
	{name: "hnsw.ef_search", def: "40", check: checkIntRange(1, 1000)},
	{name: "hnsw.iterative_scan", def: "off", check: checkEnum("off", "relaxed_order", "strict_order")},
	{name: "hnsw.max_scan_tuples", def: "20000", check: checkIntRange(1, 2147483647)},
	{name: "hnsw.scan_mem_multiplier", def: "1", check: checkRealRange(1, 1000)},
	{name: "ivfflat.probes", def: "1", check: checkIntRange(1, 32768)},
	{name: "ivfflat.iterative_scan", def: "off", check: checkEnum("off", "relaxed_order")},
	{name: "ivfflat.max_probes", def: "32768", check: checkIntRange(1, 32768)},
	// vecgres's own index types, in the same style.
	{name: "ivf_pq.probes", def: "8", check: checkIntRange(1, 32768)},
	{name: "ivf_pq.rerank", def: "4", check: checkIntRange(1, 1000)},
	{name: "ivf_pq.iterative_scan", def: "off", check: checkEnum("off", "relaxed_order")},
	{name: "annoy.search_k", def: "-1", check: checkIntRange(-1, 2147483647)},
	{name: "annoy.iterative_scan", def: "off", check: checkEnum("off", "relaxed_order")},
}

func lookupSetting(name string) (*setting, bool) {
	for i := range settingsTable {
		if strings.EqualFold(settingsTable[i].name, name) {
			return &settingsTable[i], true
		}
	}
	return nil, false
}

// settings is a session's parameter values: session-level values plus
// SET LOCAL overrides that end with the transaction.
type settings struct {
	vals    map[string]string // key: lower-case name
	local   map[string]string // SET LOCAL values, cleared at transaction end
	changed map[string]bool   // reportable parameters changed since last report
	// saved holds, while an explicit transaction is open, the session value
	// each parameter had before its first SET in it (absent: it was unset),
	// so a rollback restores them as PostgreSQL does; nil outside one.
	saved map[string]*string
}

func newSettings() *settings {
	s := &settings{vals: map[string]string{}, local: map[string]string{}, changed: map[string]bool{}}
	for _, st := range settingsTable {
		s.vals[strings.ToLower(st.name)] = st.def
	}
	return s
}

// get returns the current value of name.
func (s *settings) get(name string) (string, bool) {
	k := strings.ToLower(name)
	if v, ok := s.local[k]; ok {
		return v, true
	}
	v, ok := s.vals[k]
	return v, ok
}

// set assigns name; local values last until the transaction ends.
func (s *settings) set(name, value string, local bool) error {
	k := strings.ToLower(name)
	st, known := lookupSetting(name)
	if !known && !strings.Contains(k, ".") {
		return pgerr.Newf(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	if !known {
		if err := checkReservedPrefix(name); err != nil {
			return err
		}
	}
	if known && st.check != nil {
		v, err := st.check(value)
		if err != nil {
			return settingError(st.name, value, err)
		}
		value = v
	}
	if local {
		s.local[k] = value
	} else {
		s.remember(k)
		s.vals[k] = value
	}
	if known && st.reportable {
		s.changed[st.name] = true
	}
	return nil
}

// reset restores name's default ("all" resets everything).
func (s *settings) reset(name string) error {
	if strings.EqualFold(name, "all") {
		for _, st := range settingsTable {
			if st.check == nil || !isReadOnly(st) {
				_ = s.set(st.name, st.def, false)
			}
		}
		return nil
	}
	st, ok := lookupSetting(name)
	if !ok {
		if err := checkReservedPrefix(name); err != nil {
			return err
		}
		if strings.Contains(name, ".") {
			s.remember(strings.ToLower(name))
			delete(s.vals, strings.ToLower(name))
			return nil
		}
		return pgerr.Newf(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	return s.set(st.name, st.def, false)
}

func isReadOnly(st setting) bool {
	_, err := st.check("")
	return pgerr.CodeOf(err) == pgerr.CantChange && st.def != ""
}

// beginTxn starts recording session values for a rollback to restore.
func (s *settings) beginTxn() {
	s.saved = map[string]*string{}
}

// remember records key's value before its first change in a transaction.
func (s *settings) remember(k string) {
	if s.saved == nil {
		return
	}
	if _, done := s.saved[k]; done {
		return
	}
	if v, ok := s.vals[k]; ok {
		s.saved[k] = &v
	} else {
		s.saved[k] = nil
	}
}

// endTxn drops SET LOCAL values and, when the transaction rolled back,
// restores the session values SET inside it.
func (s *settings) endTxn(commit bool) {
	for k := range s.local {
		if st, ok := lookupSetting(k); ok && st.reportable {
			s.changed[st.name] = true
		}
	}
	s.local = map[string]string{}
	if !commit {
		for k, v := range s.saved {
			if v == nil {
				delete(s.vals, k)
			} else {
				s.vals[k] = *v
			}
			if st, ok := lookupSetting(k); ok && st.reportable {
				s.changed[st.name] = true
			}
		}
	}
	s.saved = nil
}

// settingsMark is the session and SET LOCAL values at a SAVEPOINT.
type settingsMark struct{ vals, local map[string]string }

// mark records the values for a later rollbackTo.
func (s *settings) mark() settingsMark {
	return settingsMark{vals: maps.Clone(s.vals), local: maps.Clone(s.local)}
}

// rollbackTo restores the values at m (ROLLBACK TO SAVEPOINT undoes SET
// and SET LOCAL as PostgreSQL does). m stays valid for another rollback.
func (s *settings) rollbackTo(m settingsMark) {
	before := map[string]string{}
	for _, st := range settingsTable {
		if st.reportable {
			before[st.name], _ = s.get(st.name)
		}
	}
	s.vals, s.local = maps.Clone(m.vals), maps.Clone(m.local)
	for name, v := range before {
		if now, _ := s.get(name); now != v {
			s.changed[name] = true
		}
	}
}

// takeChanged returns the reportable parameters changed since last call.
func (s *settings) takeChanged() []ParamStatus {
	var out []ParamStatus
	for name := range s.changed {
		v, _ := s.get(name)
		out = append(out, ParamStatus{Name: name, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	s.changed = map[string]bool{}
	return out
}

// reportable lists every reportable parameter with its value, for startup.
func (s *settings) reportable() []ParamStatus {
	var out []ParamStatus
	for _, st := range settingsTable {
		if st.reportable {
			v, _ := s.get(st.name)
			out = append(out, ParamStatus{Name: st.name, Value: v})
		}
	}
	s.changed = map[string]bool{}
	return out
}

// int returns an integer setting's value.
func (s *settings) int(name string) int {
	v, _ := s.get(name)
	n, _ := strconv.Atoi(v)
	return n
}

func readOnlySetting(string) (string, error) {
	return "", pgerr.New(pgerr.CantChange, "read-only")
}

func checkBool(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1", "t", "y":
		return "on", nil
	case "off", "false", "no", "0", "f", "n":
		return "off", nil
	}
	return "", errNeedsBool
}

// errNeedsBool is checkBool's failure; set words it as PostgreSQL does.
var errNeedsBool = pgerr.New(pgerr.InvalidParameterValue, "requires a Boolean value")

// errTimeUnits is a time parameter's value with no number or an unknown
// unit; PostgreSQL lists the units in the hint.
var errTimeUnits = pgerr.New(pgerr.InvalidParameterValue, "").
	WithHint(`Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".`)

// msUnits are PostgreSQL's time units for millisecond parameters, largest
// first (the order SHOW picks the unit in).
var msUnits = []struct {
	name string
	ms   int64
}{{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}, {"ms", 1}}

// checkMilliseconds validates a time parameter whose base unit is ms
// (statement_timeout and friends): an integer with an optional unit, 0 ..
// INT_MAX ms. It normalises to PostgreSQL's display, the largest unit that
// divides the value exactly: 5000 -> "5s", 90000 -> "90s", 0 -> "0".
func checkMilliseconds(v string) (string, error) {
	t := strings.TrimSpace(v)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || i == 0 && (t[i] == '-' || t[i] == '+')) {
		i++
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return "", errNotNumber
	}
	ms := n
	if unit := strings.TrimSpace(t[i:]); unit != "" {
		found := false
		for _, u := range msUnits {
			if unit == u.name {
				ms, found = n*u.ms, true
			}
		}
		if unit == "us" {
			ms, found = n/1000, true
		}
		if !found {
			return "", errTimeUnits
		}
	}
	if ms < 0 || ms > 2147483647 {
		return "", &rangeError{strconv.FormatInt(ms, 10) + " ms", "0", "2147483647"}
	}
	if ms == 0 {
		return "0", nil
	}
	for _, u := range msUnits {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.name, nil
		}
	}
	return strconv.FormatInt(ms, 10) + "ms", nil
}

// rangeError is a numeric value outside its parameter's range; set words
// it as PostgreSQL's parse_and_validate_value does, naming the parameter.
type rangeError struct{ value, lo, hi string }

func (e *rangeError) Error() string {
	return fmt.Sprintf("%s is outside the valid range (%s .. %s)", e.value, e.lo, e.hi)
}

// errNotNumber is a numeric parameter's value that does not parse.
var errNotNumber = pgerr.New(pgerr.InvalidParameterValue, "not a number")

// settingError turns a check function's failure into PostgreSQL's error
// for SET name = value (all 22023 but read-only parameters' 55P02).
func settingError(name, value string, err error) error {
	var re *rangeError
	if errors.As(err, &re) {
		return pgerr.Newf(pgerr.InvalidParameterValue, "%s is outside the valid range for parameter %q (%s .. %s)", re.value, name, re.lo, re.hi)
	}
	pe := pgerr.From(err)
	switch {
	case err == errNeedsBool:
		return pgerr.Newf(pgerr.InvalidParameterValue, "parameter %q requires a Boolean value", name)
	case pe.Code == pgerr.CantChange:
		return pgerr.Newf(pgerr.CantChange, "parameter %q cannot be changed", name)
	}
	out := pgerr.Newf(pgerr.InvalidParameterValue, "invalid value for parameter %q: %q", name, value)
	if pe.Hint != "" {
		out = out.WithHint(pe.Hint)
	}
	if err != errNotNumber && pe.Message != "" && pe.Hint == "" {
		out = out.WithDetail(pe.Message)
	}
	return out
}

// parseIntSetting reads an integer parameter value as PostgreSQL's
// parse_int does: strtol with base 0 (decimal, 0x hex, leading-0 octal),
// else a decimal fraction or exponent rounded half to even; the result
// must fit int32.
func parseIntSetting(v string) (int64, error) {
	t := strings.TrimSpace(v)
	body := strings.TrimLeft(t, "+-")
	// NB: Go's base-0 syntax also takes 0b, 0o and digit underscores,
	// which strtol does not.
	if strings.Contains(t, "_") || len(body) > 1 && body[0] == '0' && strings.ContainsAny(body[1:2], "oObB") {
		return 0, errNotNumber
	}
	exceeds := pgerr.New(pgerr.InvalidParameterValue, "").WithHint("Value exceeds integer range.")
	n, err := strconv.ParseInt(t, 0, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, exceeds
	}
	if err != nil {
		f, ferr := strconv.ParseFloat(t, 64)
		if ferr != nil && !errors.Is(ferr, strconv.ErrRange) || math.IsNaN(f) {
			return 0, errNotNumber
		}
		if f = math.RoundToEven(f); f > math.MaxInt32 || f < math.MinInt32 {
			return 0, exceeds
		}
		n = int64(f)
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		return 0, exceeds
	}
	return n, nil
}

func checkIntRange(lo, hi int) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := parseIntSetting(v)
		if err != nil {
			return "", err
		}
		if n < int64(lo) || n > int64(hi) {
			return "", &rangeError{strconv.FormatInt(n, 10), strconv.Itoa(lo), strconv.Itoa(hi)}
		}
		return strconv.FormatInt(n, 10), nil
	}
}

// formatReal prints a real parameter as PostgreSQL's SHOW and messages do
// (C's "%g": six significant digits, trailing zeros dropped).
func formatReal(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

// checkRealRange validates a floating-point parameter such as
// hnsw.scan_mem_multiplier.
func checkRealRange(lo, hi float64) func(string) (string, error) {
	return func(v string) (string, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) {
			return "", errNotNumber
		}
		if f < lo || f > hi {
			return "", &rangeError{formatReal(f), formatReal(lo), formatReal(hi)}
		}
		return formatReal(f), nil
	}
}

func checkEnum(vals ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		lv := strings.ToLower(strings.TrimSpace(v))
		for _, x := range vals {
			if lv == x {
				return x, nil
			}
		}
		return "", pgerr.New(pgerr.InvalidParameterValue, "").WithHint(fmt.Sprintf("Available values: %s.", strings.Join(vals, ", ")))
	}
}

// checkClientMinMessages accepts client_min_messages's levels as
// PostgreSQL does: the listed ones, and the hidden "info" and "debug" (an
// alias of debug2), which its hint does not mention.
func checkClientMinMessages(v string) (string, error) {
	switch lv := strings.ToLower(strings.TrimSpace(v)); lv {
	case "info":
		return lv, nil
	case "debug":
		return "debug2", nil
	}
	return checkEnum("debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error")(v)
}

// reservedPrefixes are the parameter prefixes owned by an index type:
// pgvector reserves "hnsw" and "ivfflat" (MarkGUCPrefixReserved), and
// vecgres's own types do the same, so a typo such as hnsw.ef_serach is an
// error instead of a silently ignored placeholder.
var reservedPrefixes = []string{"hnsw", "ivfflat", "ivf_pq", "annoy"}

// checkReservedPrefix rejects an unknown parameter under a reserved
// prefix with PostgreSQL's 42602.
func checkReservedPrefix(name string) error {
	prefix, _, dotted := strings.Cut(strings.ToLower(name), ".")
	if !dotted {
		return nil
	}
	for _, p := range reservedPrefixes {
		if prefix == p {
			return pgerr.Newf(pgerr.InvalidName, "invalid configuration parameter name %q", name).
				WithDetail(fmt.Sprintf("%q is a reserved prefix.", p))
		}
	}
	return nil
}

func checkClientEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", pgerr.Newf(pgerr.InvalidParameterValue, "encoding %q is not supported: vecgres speaks UTF8 only", v)
}

func checkDateStyle(v string) (string, error) {
	parts := strings.Split(v, ",")
	style, order := "ISO", "MDY"
	for _, p := range parts {
		switch strings.ToUpper(strings.TrimSpace(p)) {
		case "ISO":
			style = "ISO"
		case "MDY", "US", "NONEURO", "NONEUROPEAN":
			order = "MDY"
		case "DMY", "EURO", "EUROPEAN":
			order = "DMY"
		case "YMD":
			order = "YMD"
		case "":
		default:
			return "", pgerr.Newf(pgerr.InvalidParameterValue, "only the ISO output style is supported, not %q", strings.TrimSpace(p))
		}
	}
	return style + ", " + order, nil
}

func checkTimeZone(v string) (string, error) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "utc") || strings.EqualFold(v, "gmt") || v == "Z" {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(v); err != nil {
		return "", pgerr.Newf(pgerr.InvalidParameterValue, "time zone %q not recognized", v)
	}
	return v, nil
}
