package distance

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDotGatherBitwiseEqualsBatch pins a contract vindex/flat's quantized
// cosine and inner-product scans rely on: re-ranking a candidate with
// DotGather gives the same float32 bits as the full scan's DotBatch, in
// every kernel set, also for rows of zeros (the sign of a zero dot) and
// negative values.
func TestDotGatherBitwiseEqualsBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, ks := range allSets() {
		for _, dims := range []int{1, 5, 16, 63, 64, 100, 128, 129, 784, 960} {
			const n = 40
			q := randVec(r, dims, 50)
			data := randVec(r, n*dims, 50)
			clear(data[3*dims : 4*dims]) // a zero row
			for j := range dims {
				data[5*dims+j] = -q[j] // a row with dot −‖q‖²
			}
			batch := make([]float32, n)
			ks.dotBatch(q, data, dims, batch)
			rows := make([]uint32, n+2)
			for i := range rows {
				rows[i] = uint32(r.IntN(n))
			}
			rows[0], rows[1] = 3, 5
			got := make([]float32, len(rows))
			ks.dotGather(q, data, dims, rows, got)
			for i, row := range rows {
				if math.Float32bits(got[i]) != math.Float32bits(batch[row]) {
					t.Fatalf("%s dims=%d row %d: gather %v, batch %v", ks.name, dims, row, got[i], batch[row])
				}
			}
		}
	}
}
