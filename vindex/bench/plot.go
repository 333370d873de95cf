package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Plot draws recall@k (x) against single-thread QPS (y, log scale) for the
// results, one point per sweep value labelled with its search parameters,
// and saves it to path (the extension picks the format: .png, .svg, .pdf).
func Plot(path string, results []Result) error {
	if len(results) == 0 {
		return fmt.Errorf("plot: no results")
	}
	r0 := results[0]
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s on %s (%s, k=%d)", r0.Index, r0.Dataset, r0.Metric, r0.K)
	p.X.Label.Text = fmt.Sprintf("recall@%d", r0.K)
	p.Y.Label.Text = "queries per second (1 thread)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks125{}
	p.Add(plotter.NewGrid())

	pts := make(plotter.XYs, len(results))
	labels := make([]string, len(results))
	for i, r := range results {
		pts[i] = plotter.XY{X: r.RecallAtK, Y: max(r.QPS1, 1)}
		labels[i] = strings.TrimPrefix(formatParams(r.SearchParams), "-")
	}
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	p.Add(line, points)
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	p.Add(lbl)
	if err := p.Save(8*vg.Inch, 5*vg.Inch, path); err != nil {
		return fmt.Errorf("plot: save %s: %w", path, err)
	}
	return nil
}

// logTicks125 labels a log axis at 1, 2 and 5 times each power of ten, so a
// QPS range inside one decade still gets readable labels.
type logTicks125 struct{}

// Ticks implements plot.Ticker.
func (logTicks125) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	if lo <= 0 || hi < lo {
		return ticks
	}
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		for _, m := range []float64{1, 2, 5} {
			if v := m * math.Pow(10, e); v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
			}
		}
	}
	return ticks
}
