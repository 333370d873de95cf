package kmeans

import (
	"math"
	"math/rand/v2"
	"sync"

	"github.com/vecgres/vecgres/vindex/distance"
)

// trainer holds the state of one Train call. Not safe for concurrent use.
type trainer struct {
	dims, k, n int
	sample     []float32 // n*dims
	cent       []float32 // k*dims
	assign     []int32   // cluster of each sample row (-1 before the first step)
	dist       []float32 // squared distance of each row to its centroid
	cfg        Config
	rng        *rand.Rand
	parts      []partial // one per worker, reused across iterations
}

// partial is one worker's share of an update step.
type partial struct {
	sums    []float64 // k*dims
	counts  []int
	changed int
	inertia float64
}

func (t *trainer) row(i int) []float32 { return t.sample[i*t.dims : (i+1)*t.dims] }

// seed picks the initial centroids.
func (t *trainer) seed() {
	t.cent = make([]float32, t.k*t.dims)
	if t.k >= t.n {
		// More centroids than rows: every row is a centroid, the rest
		// repeat rows (their lists stay empty).
		for c := 0; c < t.k; c++ {
			copy(t.cent[c*t.dims:], t.row(c%t.n))
		}
		return
	}
	if t.cfg.Init == Random {
		perm := t.rng.Perm(t.n)
		for c := 0; c < t.k; c++ {
			copy(t.cent[c*t.dims:], t.row(perm[c]))
		}
		return
	}
	t.seedPlusPlus()
}

// seedPlusPlus is k-means++ (Arthur & Vassilvitskii 2007, Algorithm 1):
// D(x) is the distance from x to its nearest chosen centroid; the next
// centroid is x with probability D(x)² / Σ D².
func (t *trainer) seedPlusPlus() {
	d2 := make([]float64, t.n)
	first := t.rng.IntN(t.n)
	copy(t.cent, t.row(first))
	var total float64
	for i := 0; i < t.n; i++ {
		d2[i] = float64(distance.L2Squared(t.row(i), t.cent[:t.dims]))
		total += d2[i]
	}
	for c := 1; c < t.k; c++ {
		pick := t.n - 1
		if total > 0 {
			r := t.rng.Float64() * total
			for i, d := range d2 {
				r -= d
				if r <= 0 {
					pick = i
					break
				}
			}
		} else {
			pick = t.rng.IntN(t.n) // all rows coincide with centroids
		}
		cv := t.cent[c*t.dims : (c+1)*t.dims]
		copy(cv, t.row(pick))
		total = 0
		for i := 0; i < t.n; i++ {
			if d := float64(distance.L2Squared(t.row(i), cv)); d < d2[i] {
				d2[i] = d
			}
			total += d2[i]
		}
	}
}

// step runs one Lloyd iteration (assign, then update) and returns how many
// rows changed cluster and the inertia of the assignment.
func (t *trainer) step() (changed int, inertia float64) {
	w := min(t.cfg.Workers, t.n)
	if len(t.parts) != w {
		t.parts = make([]partial, w)
		for i := range t.parts {
			t.parts[i] = partial{sums: make([]float64, t.k*t.dims), counts: make([]int, t.k)}
		}
	}
	chunk := (t.n + w - 1) / w
	var wg sync.WaitGroup
	for p := 0; p < w; p++ {
		lo, hi := p*chunk, min((p+1)*chunk, t.n)
		wg.Add(1)
		go func(part *partial) {
			defer wg.Done()
			t.assignRange(lo, hi, part)
		}(&t.parts[p])
	}
	wg.Wait()
	sums, counts := t.parts[0].sums, t.parts[0].counts
	for p := range t.parts {
		changed += t.parts[p].changed
		inertia += t.parts[p].inertia
		if p == 0 {
			continue
		}
		for i, s := range t.parts[p].sums {
			sums[i] += s
		}
		for i, c := range t.parts[p].counts {
			counts[i] += c
		}
	}
	t.update(sums, counts)
	return changed, inertia
}

// assignRange assigns rows [lo, hi) to their nearest centroid and
// accumulates the partial sums into part (which it resets first).
func (t *trainer) assignRange(lo, hi int, part *partial) {
	clear(part.sums)
	clear(part.counts)
	part.changed, part.inertia = 0, 0
	for i := lo; i < hi; i++ {
		v := t.row(i)
		best, bd := nearest(t.cent, t.dims, v)
		if int32(best) != t.assign[i] {
			part.changed++
			t.assign[i] = int32(best)
		}
		t.dist[i] = bd
		part.inertia += float64(bd)
		part.counts[best]++
		s := part.sums[best*t.dims : (best+1)*t.dims]
		for j, x := range v {
			s[j] += float64(x)
		}
	}
}

// update moves every centroid to the mean of its rows and repairs empty
// clusters.
func (t *trainer) update(sums []float64, counts []int) {
	for c := 0; c < t.k; c++ {
		if counts[c] == 0 {
			continue
		}
		inv := 1 / float64(counts[c])
		cv := t.cent[c*t.dims : (c+1)*t.dims]
		for j := range cv {
			cv[j] = float32(sums[c*t.dims+j] * inv)
		}
	}
	t.fixEmpty(counts)
	if t.cfg.Spherical {
		for c := 0; c < t.k; c++ {
			Normalize(t.cent[c*t.dims : (c+1)*t.dims])
		}
	}
}

// fixEmpty gives each empty cluster the row farthest from its own centroid
// among clusters with more than one row. NB: faiss splits a large cluster
// with a small perturbation instead; taking the worst-served row is
// deterministic and reduces inertia by construction.
func (t *trainer) fixEmpty(counts []int) {
	if t.k >= t.n {
		return
	}
	for c := 0; c < t.k; c++ {
		if counts[c] != 0 {
			continue
		}
		far, fd := -1, float32(-1)
		for i := 0; i < t.n; i++ {
			if counts[t.assign[i]] > 1 && t.dist[i] > fd {
				far, fd = i, t.dist[i]
			}
		}
		if far < 0 {
			return
		}
		counts[t.assign[far]]--
		t.assign[far] = int32(c)
		t.dist[far] = 0
		counts[c] = 1
		copy(t.cent[c*t.dims:(c+1)*t.dims], t.row(far))
	}
}

// nearest returns the index of the centroid closest to v (squared L2) and
// that squared distance. Ties go to the lower index.
func nearest(cent []float32, dims int, v []float32) (int, float32) {
	best, bd := 0, float32(math.Inf(1))
	for c, off := 0, 0; off < len(cent); c, off = c+1, off+dims {
		if d := distance.L2Squared(v, cent[off:off+dims]); d < bd {
			best, bd = c, d
		}
	}
	return best, bd
}

// Nearest returns the index of the row of centroids (K rows of dims values)
// closest to v in squared L2, and that squared distance; ties go to the
// lower index. For spherical centroids pass a unit-length v. It allocates
// nothing and is safe for concurrent use.
func Nearest(centroids []float32, dims int, v []float32) (int, float32) {
	return nearest(centroids, dims, v)
}
