package distance

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// plainL2 is the naive loop the speed targets are measured against.
func plainL2(a, b []float32) float32 {
	var s float32
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

func plainDot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

var sink float32

func benchKernel(b *testing.B, f func(a, b []float32) float32, dims int) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := randVec(r, dims, 1), randVec(r, dims, 1)
	b.ReportAllocs()
	b.SetBytes(int64(8 * dims))
	for b.Loop() {
		sink += f(x, y)
	}
}

// BenchmarkKernels compares, per dimension, the plain loop, the unrolled Go
// fallback and each SIMD set this CPU runs:
//
//	go test -run X -bench Kernels ./vindex/distance/
func BenchmarkKernels(b *testing.B) {
	for _, dims := range []int{128, 768} {
		b.Run(fmt.Sprintf("L2/d=%d/plain", dims), func(b *testing.B) { benchKernel(b, plainL2, dims) })
		b.Run(fmt.Sprintf("Dot/d=%d/plain", dims), func(b *testing.B) { benchKernel(b, plainDot, dims) })
		for _, ks := range allSets() {
			b.Run(fmt.Sprintf("L2/d=%d/%s", dims, ks.name), func(b *testing.B) { benchKernel(b, ks.l2, dims) })
			b.Run(fmt.Sprintf("Dot/d=%d/%s", dims, ks.name), func(b *testing.B) { benchKernel(b, ks.dot, dims) })
			b.Run(fmt.Sprintf("L1/d=%d/%s", dims, ks.name), func(b *testing.B) { benchKernel(b, ks.l1, dims) })
		}
		b.Run(fmt.Sprintf("L2/d=%d/exported", dims), func(b *testing.B) { benchKernel(b, L2Squared, dims) })
		b.Run(fmt.Sprintf("Dot/d=%d/exported", dims), func(b *testing.B) { benchKernel(b, Dot, dims) })
		b.Run(fmt.Sprintf("Cosine/d=%d/dispatch", dims), func(b *testing.B) {
			benchKernel(b, func(a, b []float32) float32 { return float32(CosineDistance(a, b)) }, dims)
		})
	}
}

// BenchmarkL2SquaredBatch measures one query against 1024 stored vectors
// through the exported (dispatched) batch kernel; ns/op is per batch.
func BenchmarkL2SquaredBatch(b *testing.B) {
	for _, dims := range []int{128, 768} {
		b.Run(fmt.Sprintf("d=%d", dims), func(b *testing.B) {
			r := rand.New(rand.NewPCG(2, 2))
			const n = 1024
			q, data, out := randVec(r, dims, 1), randVec(r, n*dims, 1), make([]float32, n)
			b.ReportAllocs()
			b.SetBytes(int64(4 * n * dims))
			for b.Loop() {
				L2SquaredBatch(q, data, dims, out)
			}
		})
	}
}

func BenchmarkHamming(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	x, y := make([]uint64, 16), make([]uint64, 16) // 1024 bits
	for i := range x {
		x[i], y[i] = r.Uint64(), r.Uint64()
	}
	b.ReportAllocs()
	var s int
	for b.Loop() {
		s += Hamming(x, y)
	}
	sink += float32(s)
}

// BenchmarkGather ranks 512 scattered rows of a 64 MiB data set (out of
// cache, as candidates of an index are) through L2SquaredGather, against
// one L2Squared call per row; ns/op is per 512 rows.
func BenchmarkGather(b *testing.B) {
	for _, dims := range []int{128, 784} {
		r := rand.New(rand.NewPCG(4, 4))
		n := (64 << 20) / (4 * dims)
		q, data := randVec(r, dims, 1), randVec(r, n*dims, 1)
		rows, out := make([]uint32, 512), make([]float32, 512)
		next := func() {
			for i := range rows {
				rows[i] = uint32(r.IntN(n))
			}
		}
		b.Run(fmt.Sprintf("gather/d=%d", dims), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				next()
				L2SquaredGather(q, data, dims, rows, out)
			}
		})
		b.Run(fmt.Sprintf("single/d=%d", dims), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				next()
				for i, row := range rows {
					out[i] = L2Squared(q, data[int(row)*dims:int(row+1)*dims])
				}
			}
		})
	}
}
