package executor

import (
	"time"

	"github.com/vecgres/vecgres/sql/types"
)

// Instrument wraps one operator of an EXPLAIN ANALYZE run and measures it
// as PostgreSQL's instrumentation does: per loop (an Open), the time spent
// inside the operator (its Open and Next calls, inputs included) until it
// returned its first row (startup) and in all (total), and the rows
// returned. Time a consumer spends between calls is not counted.
//
// NB: only EXPLAIN ANALYZE builds these; the two clock reads per call
// cost nothing elsewhere.
type Instrument struct {
	Input Operator

	Loops   int64
	Rows    int64
	Startup time.Duration // summed over loops
	Total   time.Duration // summed over loops

	loop     time.Duration // inside time of the current loop
	gotFirst bool
}

// Open starts a loop.
func (in *Instrument) Open(ctx *Ctx) error {
	in.endLoop()
	in.Loops++
	start := time.Now()
	err := in.Input.Open(ctx)
	in.loop = time.Since(start)
	return err
}

// Next passes the input's row on and counts it.
func (in *Instrument) Next(ctx *Ctx) ([]types.Datum, error) {
	start := time.Now()
	row, err := in.Input.Next(ctx)
	in.loop += time.Since(start)
	if !in.gotFirst {
		in.gotFirst = true
		in.Startup += in.loop
	}
	if row != nil {
		in.Rows++
	}
	return row, err
}

// Close ends the loop and closes the input.
func (in *Instrument) Close() error {
	in.endLoop()
	return in.Input.Close()
}

// endLoop adds the current loop's time to the totals, once.
func (in *Instrument) endLoop() {
	if in.Loops == 0 || in.loop < 0 {
		return
	}
	if !in.gotFirst {
		in.Startup += in.loop
	}
	in.Total += in.loop
	in.loop, in.gotFirst = -1, false
}
