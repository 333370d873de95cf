package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// WriteJSON writes r as one JSON object on one line.
func WriteJSON(w io.Writer, r Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// TableHeader is the header line matching WriteRow.
const TableHeader = "index     search params           recall@k    qps_1   qps_all   p50 ms   p99 ms  build s  index MB    raw MB"

// WriteRow writes r as one fixed-width table line under TableHeader.
func WriteRow(w io.Writer, r Result) error {
	_, err := fmt.Fprintf(w, "%-9s %-22s %8.4f %8.0f %9.0f %8.3f %8.3f %8.2f %9.1f %9.1f\n",
		r.Index, formatParams(r.SearchParams), r.RecallAtK, r.QPS1, r.QPSAll, r.P50ms, r.P99ms,
		r.BuildSeconds, float64(r.IndexBytes)/1e6, float64(r.RawBytes)/1e6)
	return err
}

func formatParams(p map[string]int) string {
	if len(p) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, p[k]))
	}
	return strings.Join(parts, ",")
}
