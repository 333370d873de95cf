package annoy

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/distance"
)

// forest is the flattened set of trees; see the package doc for the
// encoding. The zero value is an empty forest (everything buffered).
type forest struct {
	built     int       // slots [0, built) are in the trees
	planes    []float32 // inner node n: normal at planes[n*dims:]
	offsets   []float32 // inner node n: offset
	child     []int32   // inner node n: children at 2n, 2n+1 (c < 0: leaf -(c+1))
	leafStart []int32   // leaf l: leafItems[leafStart[l]:leafStart[l+1]]
	leafItems []uint32  // slots
	roots     []int32   // one per tree (node or leaf reference)
	// liftNorm is M of the inner-product lift (ipLift): the largest norm
	// among the built slots; 0 for the other metrics.
	liftNorm float32
}

// tree is one tree under construction, with its own local numbering.
type tree struct {
	planes    []float32
	offsets   []float32
	child     []int32
	leafStart []int32
	leafItems []uint32
	root      int32
}

// rebuildLocked compacts away tombstones and builds a new forest over all
// live slots. Caller holds mu exclusively.
func (ix *Index) rebuildLocked() {
	start := time.Now()
	ix.compact()
	n := len(ix.ids)
	aug, liftNorm := ix.ipLift(n)
	trees := make([]*tree, ix.nTrees)
	var wg sync.WaitGroup
	const workers = 2
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for t := w; t < ix.nTrees; t += workers {
				// NB: one RNG per tree, seeded by tree number, so the forest
				// does not depend on how trees were spread over workers.
				rng := rand.New(rand.NewPCG(ix.seed, uint64(ix.builds)<<20|uint64(t)))
				trees[t] = ix.buildTree(n, aug, rng)
			}
		}(w)
	}
	wg.Wait()
	ix.f = mergeTrees(trees, ix.dims, n)
	ix.f.liftNorm = liftNorm
	ix.leafOrder()
	ix.builds++
	ix.buildTime += time.Since(start)
}

// compact drops dead slots, renumbering the live ones in order.
func (ix *Index) compact() {
	if ix.ndead == 0 {
		return
	}
	w := 0
	for s, id := range ix.ids {
		if ix.dead[s] {
			continue
		}
		if w != s {
			copy(ix.vecs[w*ix.dims:(w+1)*ix.dims], ix.vecs[s*ix.dims:(s+1)*ix.dims])
			ix.ids[w] = id
		}
		ix.loc[id] = uint32(w)
		w++
	}
	ix.ids, ix.vecs, ix.dead = ix.ids[:w], ix.vecs[:w*ix.dims], ix.dead[:w]
	clear(ix.dead)
	ix.ndead = 0
}

// ipLift returns, for an inner-product index, each slot's extra coordinate
// √(M² − ‖x‖²) and M, the largest norm among slots [0, n); nil and 0 for
// the other metrics.
//
// NB: inner product is not a metric, and a forest split by position
// (Euclidean planes on the raw vectors) sends a query to the vectors near
// it, not to those with the largest q·x: on vectors growing in norm the
// top results by <#> sit in leaves the walk never reaches. The reduction
// of Bachrach et al., "Speeding Up the Xbox Recommender System Using a
// Euclidean Transformation for Inner-Product Spaces" (RecSys 2014, §3),
// which Annoy's dot metric also uses, lifts every vector to x' = (x, √(M²
// − ‖x‖²)) and the query to q' = (q, 0). Then ‖q' − x'‖² = ‖q‖² + M² −
// 2q·x, so Euclidean order in the lifted space is inner-product order,
// and ordinary Euclidean splits partition it well. Only the build sees the
// extra coordinate: the query's is 0, so a plane's margin at search time
// is the stored normal's dot with q plus the offset. Search also scales
// the query to norm M (walkQuery), which keeps the inner-product order and
// puts it on the sphere the lifted vectors lie on.
func (ix *Index) ipLift(n int) ([]float32, float32) {
	if ix.sp.Metric != vindex.InnerProduct || n == 0 {
		return nil, 0
	}
	d := ix.dims
	aug := make([]float32, n)
	var maxSq float64
	for s := range n {
		sq := sqNorm(ix.vecs[s*d : (s+1)*d])
		aug[s] = float32(sq) // NB: the squared norm until M is known
		maxSq = max(maxSq, sq)
	}
	for s := range aug {
		aug[s] = float32(math.Sqrt(max(0, maxSq-sqNorm(ix.vecs[s*d:(s+1)*d]))))
	}
	return aug, float32(math.Sqrt(maxSq))
}

// liftNorm returns M of ipLift for slots [0, n) without the coordinates
// (Load), or 0 when the metric is not inner product.
func (ix *Index) liftNorm(n int) float32 {
	if ix.sp.Metric != vindex.InnerProduct {
		return 0
	}
	var maxSq float64
	for s := range n {
		maxSq = max(maxSq, sqNorm(ix.vecs[s*ix.dims:(s+1)*ix.dims]))
	}
	return float32(math.Sqrt(maxSq))
}

// sqNorm is ‖v‖² in float64, so M² − ‖x‖² does not cancel to garbage.
func sqNorm(v []float32) float64 {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	return sq
}

// buildTree builds one tree over slots [0, n); aug, when not nil, is the
// extra coordinate of each slot (ipLift).
func (ix *Index) buildTree(n int, aug []float32, rng *rand.Rand) *tree {
	items := make([]uint32, n)
	for i := range items {
		items[i] = uint32(i)
	}
	t := &tree{}
	b := treeBuilder{ix: ix, t: t, rng: rng, aug: aug, p: make([]float32, ix.dims), q: make([]float32, ix.dims)}
	t.root = b.node(items)
	t.leafStart = append(t.leafStart, int32(len(t.leafItems)))
	return t
}

type treeBuilder struct {
	ix   *Index
	t    *tree
	rng  *rand.Rand
	aug  []float32 // extra coordinate per slot (inner product), or nil
	p, q []float32 // two-means centres
	// pa, qa are the centres' extra coordinates and na the current
	// plane normal's (all 0 when aug is nil).
	pa, qa, na float32
}

func (b *treeBuilder) vec(s uint32) []float32 {
	d := b.ix.dims
	return b.ix.vecs[int(s)*d : int(s+1)*d]
}

// extra is slot s's extra coordinate (0 without a lift).
func (b *treeBuilder) extra(s uint32) float32 {
	if b.aug == nil {
		return 0
	}
	return b.aug[s]
}

// node builds the subtree over items (reordering them) and returns its
// reference: an inner node index, or -(leaf+1).
func (b *treeBuilder) node(items []uint32) int32 {
	t := b.t
	if len(items) <= b.ix.leafSize {
		t.leafStart = append(t.leafStart, int32(len(t.leafItems)))
		t.leafItems = append(t.leafItems, items...)
		return -int32(len(t.leafStart))
	}
	d := b.ix.dims
	n := int32(len(t.offsets))
	t.offsets = append(t.offsets, 0)
	t.planes = append(t.planes, make([]float32, d)...)
	t.child = append(t.child, 0, 0)
	normal := t.planes[int(n)*d : int(n+1)*d]
	offset := b.twoMeansPlane(items, normal)
	// Partition: margin > 0 goes right (to the end of items).
	lo, hi := 0, len(items)
	for lo < hi {
		if distance.Dot(normal, b.vec(items[lo]))+b.na*b.extra(items[lo])+offset > 0 {
			hi--
			items[lo], items[hi] = items[hi], items[lo]
		} else {
			lo++
		}
	}
	if lo == 0 || lo == len(items) {
		// Degenerate plane (duplicates): split at random, as Annoy does.
		b.rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		lo = len(items) / 2
		clear(normal)
		t.offsets[n] = 0 // all margins 0: both sides equally likely in search
	} else {
		t.offsets[n] = offset
	}
	left := b.node(items[:lo])
	right := b.node(items[lo:])
	t.child[2*n], t.child[2*n+1] = left, right
	return n
}

// twoMeansPlane writes the unit normal of the hyperplane halfway between
// two centres found by Annoy's two-means (random start, then
// twoMeansIters single-point updates, each point weighted by cluster size)
// and returns the offset. Euclidean split: normal = (p-q)/|p-q|,
// offset = -normal·(p+q)/2. With a lift (aug), points, centres and normal
// carry the extra coordinate, and the normal's goes to b.na.
func (b *treeBuilder) twoMeansPlane(items []uint32, normal []float32) float32 {
	n := len(items)
	i := b.rng.IntN(n)
	j := b.rng.IntN(n - 1)
	if j >= i {
		j++
	}
	copy(b.p, b.vec(items[i]))
	copy(b.q, b.vec(items[j]))
	b.pa, b.qa = b.extra(items[i]), b.extra(items[j])
	ic, jc := float32(1), float32(1)
	for it := 0; it < twoMeansIters; it++ {
		s := items[b.rng.IntN(n)]
		v, va := b.vec(s), b.extra(s)
		di := ic * (distance.L2Squared(b.p, v) + (b.pa-va)*(b.pa-va))
		dj := jc * (distance.L2Squared(b.q, v) + (b.qa-va)*(b.qa-va))
		switch {
		case di < dj:
			for x := range b.p {
				b.p[x] = (b.p[x]*ic + v[x]) / (ic + 1)
			}
			b.pa = (b.pa*ic + va) / (ic + 1)
			ic++
		case dj < di:
			for x := range b.q {
				b.q[x] = (b.q[x]*jc + v[x]) / (jc + 1)
			}
			b.qa = (b.qa*jc + va) / (jc + 1)
			jc++
		}
	}
	b.na = b.pa - b.qa
	norm := float64(b.na) * float64(b.na)
	for x := range normal {
		normal[x] = b.p[x] - b.q[x]
		norm += float64(normal[x]) * float64(normal[x])
	}
	if norm == 0 {
		b.na = 0
		return 0
	}
	inv := float32(1 / math.Sqrt(norm))
	b.na *= inv
	off := -b.na * (b.pa + b.qa) / 2
	for x := range normal {
		normal[x] *= inv
		off -= normal[x] * (b.p[x] + b.q[x]) / 2
	}
	return off
}

// mergeTrees concatenates trees into one forest, renumbering nodes and
// leaves.
func mergeTrees(trees []*tree, dims, built int) forest {
	f := forest{built: built}
	for _, t := range trees {
		nodeBase := int32(len(f.offsets))
		leafBase := int32(len(f.leafStart))
		itemBase := int32(len(f.leafItems))
		ref := func(c int32) int32 {
			if c >= 0 {
				return c + nodeBase
			}
			return c - leafBase // -(l+1) → -(l+leafBase+1)
		}
		f.planes = append(f.planes, t.planes...)
		f.offsets = append(f.offsets, t.offsets...)
		for _, c := range t.child {
			f.child = append(f.child, ref(c))
		}
		for _, s := range t.leafStart[:len(t.leafStart)-1] {
			f.leafStart = append(f.leafStart, s+itemBase)
		}
		f.leafItems = append(f.leafItems, t.leafItems...)
		f.roots = append(f.roots, ref(t.root))
	}
	f.leafStart = append(f.leafStart, int32(len(f.leafItems)))
	return f
}

// leafOrder renumbers the slots in the order the first tree's leaves list
// them and remaps every leaf. NB: candidates of one leaf are then
// contiguous in memory for that tree (and close for the others, whose
// leaves overlap it), which matters because ranking candidates is bound by
// random memory access, not arithmetic. Caller holds mu exclusively; there
// are no tombstones (compact ran).
func (ix *Index) leafOrder() {
	f := &ix.f
	if len(f.roots) == 0 || f.built == 0 {
		return
	}
	// The first tree's leaves are the first ones merged, and their items
	// are a permutation of [0, built).
	end := f.built
	order := f.leafItems[:end]
	newOf := make([]uint32, f.built)
	vecs := make([]float32, len(ix.vecs))
	ids := make([]uint64, len(ix.ids))
	d := ix.dims
	for ns, old := range order {
		newOf[old] = uint32(ns)
		copy(vecs[ns*d:(ns+1)*d], ix.vecs[int(old)*d:int(old+1)*d])
		ids[ns] = ix.ids[old]
		ix.loc[ids[ns]] = uint32(ns)
	}
	ix.vecs, ix.ids = vecs, ids
	for i, s := range f.leafItems {
		f.leafItems[i] = newOf[s]
	}
}
