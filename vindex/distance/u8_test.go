package distance

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// refU8L2 is the definition, summed in uint64.
func refU8L2(q, c []uint8) uint64 {
	var s uint64
	for j := range q {
		d := int64(q[j]) - int64(c[j])
		s += uint64(d * d)
	}
	return s
}

func allU8Sets() []u8KernelSet { return append([]u8KernelSet{genericU8Kernels}, u8SIMDKernelSets()...) }

// randCodes returns n random bytes, a quarter of them forced to 0 or 255.
func randCodes(r *rand.Rand, n int) []uint8 {
	c := make([]uint8, n)
	for i := range c {
		switch r.IntN(8) {
		case 0:
			c[i] = 0
		case 1:
			c[i] = 255
		default:
			c[i] = uint8(r.UintN(256))
		}
	}
	return c
}

func rowTermsOf(codes []uint8, dims, n int) []uint32 {
	t := make([]uint32, n)
	for i := range t {
		t[i] = U8L2RowTerm(codes[i*dims : (i+1)*dims])
	}
	return t
}

// TestU8KernelsMatchReference checks every uint8 kernel set against the
// uint64 definition for dims 1..1000 (every tail length of the 64-byte
// blocks) and row counts that exercise the 4-row and 1-row paths.
func TestU8KernelsMatchReference(t *testing.T) {
	if len(u8SIMDKernelSets()) == 0 {
		t.Logf("no SIMD uint8 kernels on this CPU/arch; checking the Go kernel only")
	}
	r := rand.New(rand.NewPCG(11, 12))
	var dimsList []int
	for d := 1; d <= 200; d++ {
		dimsList = append(dimsList, d)
	}
	for d := 201; d <= 1000; d += 7 {
		dimsList = append(dimsList, d)
	}
	dimsList = append(dimsList, 256, 511, 512, 513, 784, 1024, 1536)
	for _, ks := range allU8Sets() {
		for _, dims := range dimsList {
			n := []int{0, 1, 3, 4, 5, 8, 11}[dims%7]
			q := randCodes(r, dims)
			codes := randCodes(r, n*dims)
			if n > 1 {
				copy(codes[:dims], q) // distance 0
			}
			terms := rowTermsOf(codes, dims, n)
			out := make([]uint32, n+1)
			out[n] = 0xdeadbeef
			ks.l2Batch(q, codes, dims, terms, out[:n])
			for i := range n {
				if want := refU8L2(q, codes[i*dims:(i+1)*dims]); uint64(out[i]) != want {
					t.Fatalf("%s dims=%d n=%d row %d: %d, want %d", ks.name, dims, n, i, out[i], want)
				}
			}
			if out[n] != 0xdeadbeef {
				t.Fatalf("%s dims=%d: wrote past len(out)", ks.name, dims)
			}
		}
	}
}

// TestU8KernelsExactAtMaxDims: the largest possible distance at MaxU8Dims
// (all 0 against all 255) is below 2^32 and computed exactly, although
// the VNNI kernel's intermediate sums wrap around.
func TestU8KernelsExactAtMaxDims(t *testing.T) {
	dims := MaxU8Dims
	q := make([]uint8, dims)
	codes := make([]uint8, 5*dims)
	for i := range codes {
		codes[i] = 255
	}
	for i := 2 * dims; i < 3*dims; i++ {
		codes[i] = uint8(i % 3 * 127) // 0, 127, 254
	}
	terms := rowTermsOf(codes, dims, 5)
	for _, ks := range allU8Sets() {
		out := make([]uint32, 5)
		ks.l2Batch(q, codes, dims, terms, out)
		for i := range out {
			want := refU8L2(q, codes[i*dims:(i+1)*dims])
			if want > math.MaxUint32 {
				t.Fatalf("reference %d does not fit in uint32: MaxU8Dims is wrong", want)
			}
			if uint64(out[i]) != want {
				t.Fatalf("%s row %d: %d, want %d", ks.name, i, out[i], want)
			}
		}
	}
}

func TestU8ExportedAPI(t *testing.T) {
	if got, want := U8L2RowTerm([]uint8{1, 2}), uint32(math.MaxUint32-763+1); got != want {
		t.Fatalf("U8L2RowTerm([1 2]) = %d, want %d", got, want)
	}
	q := []uint8{0, 255, 7}
	codes := []uint8{3, 255, 0, 0, 255, 7}
	out := make([]uint32, 2)
	L2SquaredU8Batch(q, codes, 3, rowTermsOf(codes, 3, 2), out)
	if out[0] != 58 || out[1] != 0 {
		t.Fatalf("L2SquaredU8Batch = %v, want [58 0]", out)
	}
	for name, f := range map[string]func(){
		"dims 0":          func() { L2SquaredU8Batch(q, codes, 0, make([]uint32, 2), out) },
		"dims too large":  func() { L2SquaredU8Batch(q, codes, MaxU8Dims+1, make([]uint32, 2), out) },
		"short codes":     func() { L2SquaredU8Batch(q, codes[:5], 3, make([]uint32, 2), out) },
		"short row terms": func() { L2SquaredU8Batch(q, codes, 3, make([]uint32, 1), out) },
		"short query":     func() { L2SquaredU8Batch(q[:2], codes, 3, make([]uint32, 2), out) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestL2GatherBitwiseEqualsBatch pins a contract vindex/flat's quantized
// scan relies on: re-ranking a candidate with L2SquaredGather gives the
// same float32 bits as the full scan's L2SquaredBatch, in every kernel set.
func TestL2GatherBitwiseEqualsBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, ks := range allSets() {
		for _, dims := range []int{1, 5, 16, 63, 64, 100, 128, 129, 784, 960} {
			const n = 40
			q := randVec(r, dims, 50)
			data := randVec(r, n*dims, 50)
			batch := make([]float32, n)
			ks.l2Batch(q, data, dims, batch)
			rows := make([]uint32, n)
			for i := range rows {
				rows[i] = uint32(r.IntN(n))
			}
			got := make([]float32, n)
			ks.l2Gather(q, data, dims, rows, got)
			for i, row := range rows {
				if math.Float32bits(got[i]) != math.Float32bits(batch[row]) {
					t.Fatalf("%s dims=%d row %d: gather %v, batch %v", ks.name, dims, row, got[i], batch[row])
				}
			}
		}
	}
}

var sinkU32 uint32

// BenchmarkL2SquaredU8Batch: one query against 1024 code rows, per set.
//
//	go test -run X -bench U8 ./vindex/distance/
func BenchmarkL2SquaredU8Batch(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, dims := range []int{128, 784} {
		const n = 1024
		q, codes := randCodes(r, dims), randCodes(r, n*dims)
		terms := rowTermsOf(codes, dims, n)
		out := make([]uint32, n)
		for _, ks := range allU8Sets() {
			b.Run(fmt.Sprintf("d=%d/%s", dims, ks.name), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(n * dims))
				for b.Loop() {
					ks.l2Batch(q, codes, dims, terms, out)
				}
				sinkU32 += out[0]
			})
		}
	}
}

func TestChooseU8Kernels(t *testing.T) {
	if got := chooseU8Kernels(true).name; got != "generic" {
		t.Fatalf("chooseU8Kernels(noSIMD=true) = %s, want generic", got)
	}
	want := "generic"
	if sets := u8SIMDKernelSets(); len(sets) > 0 {
		want = sets[0].name
	}
	if got := chooseU8Kernels(false).name; got != want {
		t.Fatalf("chooseU8Kernels(false) = %s, want the best available %s", got, want)
	}
	if os.Getenv("VECGRES_NOSIMD") == "1" && U8Impl != "generic" {
		t.Fatalf("VECGRES_NOSIMD=1 but U8Impl = %s", U8Impl)
	}
}
