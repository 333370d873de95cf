package distance

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

func allU8Gathers() []u8GatherKernel {
	return append([]u8GatherKernel{genericU8Gather}, u8GatherSIMDKernels()...)
}

// TestU8GatherMatchesReference checks every gather kernel against the
// uint64 definition for dims 1..300 (every tail length of the 64-byte
// blocks) and some larger ones, with repeated, out-of-order rows and row
// lists shorter and longer than the prefetch distance.
func TestU8GatherMatchesReference(t *testing.T) {
	if len(u8GatherSIMDKernels()) == 0 {
		t.Logf("no SIMD uint8 gather kernel on this CPU/arch; checking the Go kernel only")
	}
	r := rand.New(rand.NewPCG(21, 22))
	var dimsList []int
	for d := 1; d <= 300; d++ {
		dimsList = append(dimsList, d)
	}
	dimsList = append(dimsList, 784, 960, 1000, MaxU8Dims)
	for _, dims := range dimsList {
		n := 40
		if dims > 1000 {
			n = 3
		}
		codes := randCodes(r, n*dims)
		terms := rowTermsOf(codes, dims, n)
		q := randCodes(r, dims)
		for _, nr := range []int{0, 1, 3, 17, 50} {
			rows := make([]uint32, nr+2) // longer than out: only len(out) are used
			for i := range rows {
				rows[i] = uint32(r.IntN(n))
			}
			for _, k := range allU8Gathers() {
				out := make([]uint32, nr+1)
				out[nr] = 12345 // sentinel: must stay untouched
				k.fn(q, codes, dims, terms, rows, out[:nr])
				for i := range nr {
					want := refU8L2(q, codes[int(rows[i])*dims:int(rows[i]+1)*dims])
					if uint64(out[i]) != want {
						t.Fatalf("%s dims=%d rows=%d: out[%d] (row %d) = %d, want %d", k.name, dims, nr, i, rows[i], out[i], want)
					}
				}
				if out[nr] != 12345 {
					t.Fatalf("%s dims=%d: wrote past len(out)", k.name, dims)
				}
			}
		}
	}
}

func TestU8GatherExportedAPI(t *testing.T) {
	q := []uint8{0, 255, 7}
	codes := []uint8{3, 255, 0, 0, 255, 7}
	terms := rowTermsOf(codes, 3, 2)
	out := make([]uint32, 3)
	L2SquaredU8Gather(q, codes, 3, terms, []uint32{1, 0, 0}, out)
	if out[0] != 0 || out[1] != 58 || out[2] != 58 {
		t.Fatalf("L2SquaredU8Gather = %v, want [0 58 58]", out)
	}
	for name, f := range map[string]func(){
		"dims 0":           func() { L2SquaredU8Gather(q, codes, 0, terms, []uint32{0}, out[:1]) },
		"dims too large":   func() { L2SquaredU8Gather(q, codes, MaxU8Dims+1, terms, []uint32{0}, out[:1]) },
		"row past codes":   func() { L2SquaredU8Gather(q, codes, 3, terms, []uint32{2}, out[:1]) },
		"row past terms":   func() { L2SquaredU8Gather(q, codes, 3, terms[:1], []uint32{1}, out[:1]) },
		"short query":      func() { L2SquaredU8Gather(q[:2], codes, 3, terms, []uint32{0}, out[:1]) },
		"rows shorter":     func() { L2SquaredU8Gather(q, codes, 3, terms, []uint32{0}, out[:2]) },
		"partial last row": func() { L2SquaredU8Gather(q, codes[:5], 3, terms, []uint32{1}, out[:1]) },
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

func TestChooseU8Gather(t *testing.T) {
	if got := chooseU8Gather(true).name; got != "generic" {
		t.Fatalf("chooseU8Gather(noSIMD=true) = %s, want generic", got)
	}
	want := "generic"
	if ks := u8GatherSIMDKernels(); len(ks) > 0 {
		want = ks[0].name
	}
	if got := chooseU8Gather(false).name; got != want {
		t.Fatalf("chooseU8Gather(false) = %s, want the best available %s", got, want)
	}
	if os.Getenv("VECGRES_NOSIMD") == "1" && U8GatherImpl != "generic" {
		t.Fatalf("VECGRES_NOSIMD=1 but U8GatherImpl = %s", U8GatherImpl)
	}
}

// BenchmarkL2SquaredU8Gather ranks 32 random rows of a 64 MiB code set
// (out of cache) per op, next to the float32 gather over the same rows of
// a set with the same row count.
func BenchmarkL2SquaredU8Gather(b *testing.B) {
	const dims, nr = 128, 32
	n := (64 << 20) / (4 * dims)
	r := rand.New(rand.NewPCG(1, 2))
	codes := randCodes(r, n*dims)
	terms := rowTermsOf(codes, dims, n)
	data := make([]float32, n*dims)
	for i := range data {
		data[i] = float32(codes[i])
	}
	rows := make([]uint32, nr*1024)
	for i := range rows {
		rows[i] = uint32(r.IntN(n))
	}
	q, qf := codes[:dims], data[:dims]
	out, outf := make([]uint32, nr), make([]float32, nr)
	for _, k := range allU8Gathers() {
		b.Run(fmt.Sprintf("u8/%s", k.name), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				o := (i % 1024) * nr
				k.fn(q, codes, dims, terms, rows[o:o+nr], out)
			}
		})
	}
	b.Run("float32", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			o := (i % 1024) * nr
			L2SquaredGather(qf, data, dims, rows[o:o+nr], outf)
		}
	})
}
