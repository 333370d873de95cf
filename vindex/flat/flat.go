package flat

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// Index is the exact index. It is safe for concurrent use: any number of
// Search calls run in parallel; Add, Delete and Train take an exclusive lock.
type Index struct {
	dims   int
	metric vindex.Metric

	mu    sync.RWMutex
	data  []float32         // slot-major vectors
	ids   []uint64          // slot → id
	norms []float32         // Cosine only: squared norm per slot
	slots map[uint64]uint32 // id → slot

	// quant is the uint8 copy of data for the L2, Cosine and InnerProduct
	// scans (quant.go), nil until the first search that wants it. Its
	// contents are guarded by mu like data; quantBuild lets one reader
	// build it under the read lock.
	quant        atomic.Pointer[quantCodes]
	quantBuild   sync.Mutex
	quantMode    atomic.Int32 // quantMode; tests and benchmarks only
	quantQueries atomic.Int64 // searches answered by the quantized scan
	quantCands   atomic.Int64 // their survivors of pass 1, in total

	workers    atomic.Int32 // Search's goroutines (SetSearchWorkers); 0 means 1
	buildNanos atomic.Int64
	distances  atomic.Int64
	scratch    sync.Pool // *searchScratch
}

var _ vindex.Index = (*Index)(nil)

// New returns an empty exact index. metric must be one of L2, InnerProduct,
// Cosine, L1; dims must be positive. It panics otherwise: both come from the
// caller's schema, not from user data (the Registry constructor,
// NewWithParams, returns errors instead).
func New(dims int, metric vindex.Metric) *Index {
	if dims <= 0 || !metric.Valid() {
		panic(fmt.Sprintf("flat.New: invalid dims %d or metric %v", dims, metric))
	}
	return &Index{dims: dims, metric: metric, slots: map[uint64]uint32{}}
}

// NewWithParams is the vindex.Constructor for "flat": flat takes no build
// parameters and rejects any it is given.
func NewWithParams(dims int, metric vindex.Metric, params map[string]string) (vindex.Index, error) {
	for k := range params {
		return nil, fmt.Errorf("flat index has no parameter %q", k)
	}
	if dims <= 0 {
		return nil, fmt.Errorf("dimensions must be positive, got %d", dims)
	}
	if !metric.Valid() {
		return nil, fmt.Errorf("metric %v is not supported for float vectors", metric)
	}
	return New(dims, metric), nil
}

// Dims returns the vector dimension.
func (x *Index) Dims() int { return x.dims }

// Metric returns the distance metric.
func (x *Index) Metric() vindex.Metric { return x.metric }

// Train is a no-op: flat needs no training.
func (x *Index) Train(vecs []float32) error { return nil }

// Len returns the number of stored vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// Add stores copies of vecs under ids; an existing id has its vector
// replaced. It returns an error (and changes nothing) if len(vecs) is not
// len(ids)*Dims() or a value is NaN or infinite.
func (x *Index) Add(ids []uint64, vecs []float32) error {
	if len(vecs) != len(ids)*x.dims {
		return fmt.Errorf("flat: add: %d values for %d ids of %d dimensions", len(vecs), len(ids), x.dims)
	}
	for i, v := range vecs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("flat: add: id %d: NaN or infinite value", ids[i/x.dims])
		}
	}
	start := time.Now()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.data = slices.Grow(x.data, len(vecs))
	x.ids = slices.Grow(x.ids, len(ids))
	qc := x.quant.Load()
	if qc != nil && qc.stale(len(x.ids)+len(ids)) {
		x.quant.Store(nil)
		qc = nil
	}
	for i, id := range ids {
		v := vecs[i*x.dims : (i+1)*x.dims]
		if s, ok := x.slots[id]; ok {
			copy(x.data[int(s)*x.dims:], v)
			if x.metric == vindex.Cosine {
				x.norms[s] = distance.Dot(v, v)
			}
			if qc != nil {
				qc.set(int(s), v)
			}
			continue
		}
		x.slots[id] = uint32(len(x.ids))
		x.ids = append(x.ids, id)
		x.data = append(x.data, v...)
		if x.metric == vindex.Cosine {
			x.norms = append(x.norms, distance.Dot(v, v))
		}
		if qc != nil {
			qc.append(v)
		}
	}
	if qc != nil && qc.stale(len(x.ids)) {
		x.quant.Store(nil)
	}
	x.buildNanos.Add(int64(time.Since(start)))
	return nil
}

// Delete removes ids; unknown ids are ignored. The last slot moves into
// each hole, so storage stays contiguous.
func (x *Index) Delete(ids []uint64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	qc := x.quant.Load()
	for _, id := range ids {
		s, ok := x.slots[id]
		if !ok {
			continue
		}
		last := uint32(len(x.ids) - 1)
		if s != last {
			moved := x.ids[last]
			x.ids[s] = moved
			x.slots[moved] = s
			copy(x.data[int(s)*x.dims:(int(s)+1)*x.dims], x.data[int(last)*x.dims:])
			if x.norms != nil {
				x.norms[s] = x.norms[last]
			}
		}
		delete(x.slots, id)
		x.ids = x.ids[:last]
		x.data = x.data[:int(last)*x.dims]
		if x.norms != nil {
			x.norms = x.norms[:last]
		}
		if qc != nil {
			qc.remove(int(s), int(last))
		}
	}
	return nil
}

// Stats reports the live vectors and memory used, including the quantized
// copy of the L2, Cosine and InnerProduct scans (about one byte per stored
// value) once built. Flat never has tombstones.
func (x *Index) Stats() vindex.Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := int64(len(x.ids))
	// NB: a Go map entry of uint64 → uint32 costs about 16 bytes with overhead.
	bytes := int64(cap(x.data))*4 + int64(cap(x.ids))*8 + int64(cap(x.norms))*4 + n*16
	if qc := x.quant.Load(); qc != nil {
		bytes += qc.bytes()
	}
	return vindex.Stats{
		Vectors:   int(n),
		Bytes:     bytes,
		BuildTime: time.Duration(x.buildNanos.Load()),
		Distances: x.distances.Load(),
	}
}

func dotSelf(v []float32) float32 { return distance.Dot(v, v) }
