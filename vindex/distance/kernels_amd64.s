//go:build amd64

#include "textflag.h"

// Float32 distance kernels for amd64, Go (Plan 9) assembly.
//
// Every kernel has the Go signature func(a, b []float32) float32 (cosParts
// returns three float32s) and reads len(a) elements from a and b.
// Layout: a_base+0, a_len+8, b_base+24, ret+48.
//
// AVX-512 kernels: 4 ZMM accumulators × 16 lanes over blocks of 64 floats,
// then 16 at a time, then one masked (zeroing) load for the last 1..15
// elements, so there is no scalar tail. AVX2 kernels: 4 YMM accumulators over
// blocks of 32, then 8 at a time, then a scalar tail.
// NB: masked loads never touch memory in disabled lanes, so reading past the
// end of the slice cannot fault.

// REDUCE_Z0 folds Z0..Z3 into the low float of X0.
#define REDUCE_Z0 \
	VADDPS Z1, Z0, Z0 \
	VADDPS Z3, Z2, Z2 \
	VADDPS Z2, Z0, Z0 \
	VEXTRACTF64X4 $1, Z0, Y1 \
	VADDPS Y1, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VMOVHLPS X0, X0, X1 \
	VADDPS X1, X0, X0 \
	VMOVSHDUP X0, X1 \
	VADDSS X1, X0, X0

// REDUCE_Y0 folds Y0..Y3 into the low float of X0.
#define REDUCE_Y0 \
	VADDPS Y1, Y0, Y0 \
	VADDPS Y3, Y2, Y2 \
	VADDPS Y2, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VMOVHLPS X0, X0, X1 \
	VADDPS X1, X0, X0 \
	VMOVSHDUP X0, X1 \
	VADDSS X1, X0, X0

// TAILMASK sets K1 to the low CX bits (CX in 1..15).
#define TAILMASK \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
	KMOVW AX, K1

// func l2SquaredAVX512(a, b []float32) float32
TEXT ·l2SquaredAVX512(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3

l2z_loop64:
	CMPQ CX, $64
	JL   l2z_loop16
	VMOVUPS (SI), Z4
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z7
	VSUBPS (DI), Z4, Z4
	VSUBPS 64(DI), Z5, Z5
	VSUBPS 128(DI), Z6, Z6
	VSUBPS 192(DI), Z7, Z7
	VFMADD231PS Z4, Z4, Z0
	VFMADD231PS Z5, Z5, Z1
	VFMADD231PS Z6, Z6, Z2
	VFMADD231PS Z7, Z7, Z3
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  l2z_loop64

l2z_loop16:
	CMPQ CX, $16
	JL   l2z_tail
	VMOVUPS (SI), Z4
	VSUBPS (DI), Z4, Z4
	VFMADD231PS Z4, Z4, Z0
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  l2z_loop16

l2z_tail:
	TESTQ CX, CX
	JZ    l2z_done
	TAILMASK
	VMOVUPS.Z (SI), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VSUBPS Z5, Z4, Z4
	VFMADD231PS Z4, Z4, Z1

l2z_done:
	REDUCE_Z0
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func dotAVX512(a, b []float32) float32
TEXT ·dotAVX512(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3

dotz_loop64:
	CMPQ CX, $64
	JL   dotz_loop16
	VMOVUPS (SI), Z4
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z7
	VFMADD231PS (DI), Z4, Z0
	VFMADD231PS 64(DI), Z5, Z1
	VFMADD231PS 128(DI), Z6, Z2
	VFMADD231PS 192(DI), Z7, Z3
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  dotz_loop64

dotz_loop16:
	CMPQ CX, $16
	JL   dotz_tail
	VMOVUPS (SI), Z4
	VFMADD231PS (DI), Z4, Z0
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  dotz_loop16

dotz_tail:
	TESTQ CX, CX
	JZ    dotz_done
	TAILMASK
	VMOVUPS.Z (SI), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VFMADD231PS Z5, Z4, Z1

dotz_done:
	REDUCE_Z0
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func l1AVX512(a, b []float32) float32
TEXT ·l1AVX512(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z8

l1z_loop64:
	CMPQ CX, $64
	JL   l1z_loop16
	VMOVUPS (SI), Z4
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z7
	VSUBPS (DI), Z4, Z4
	VSUBPS 64(DI), Z5, Z5
	VSUBPS 128(DI), Z6, Z6
	VSUBPS 192(DI), Z7, Z7
	VPANDD Z8, Z4, Z4
	VPANDD Z8, Z5, Z5
	VPANDD Z8, Z6, Z6
	VPANDD Z8, Z7, Z7
	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  l1z_loop64

l1z_loop16:
	CMPQ CX, $16
	JL   l1z_tail
	VMOVUPS (SI), Z4
	VSUBPS (DI), Z4, Z4
	VPANDD Z8, Z4, Z4
	VADDPS Z4, Z0, Z0
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  l1z_loop16

l1z_tail:
	TESTQ CX, CX
	JZ    l1z_done
	TAILMASK
	VMOVUPS.Z (SI), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VSUBPS Z5, Z4, Z4
	VPANDD Z8, Z4, Z4
	VADDPS Z4, Z1, Z1

l1z_done:
	REDUCE_Z0
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func cosPartsAVX512(a, b []float32) (dot, na, nb float32)
// Accumulators: dot in Z0/Z1, |a|² in Z2/Z3, |b|² in Z4/Z5 (two each, blocks of 32).
TEXT ·cosPartsAVX512(SB), NOSPLIT, $0-60
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5

cosz_loop32:
	CMPQ CX, $32
	JL   cosz_loop16
	VMOVUPS (SI), Z6
	VMOVUPS 64(SI), Z7
	VMOVUPS (DI), Z8
	VMOVUPS 64(DI), Z9
	VFMADD231PS Z8, Z6, Z0
	VFMADD231PS Z9, Z7, Z1
	VFMADD231PS Z6, Z6, Z2
	VFMADD231PS Z7, Z7, Z3
	VFMADD231PS Z8, Z8, Z4
	VFMADD231PS Z9, Z9, Z5
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  cosz_loop32

cosz_loop16:
	CMPQ CX, $16
	JL   cosz_tail
	VMOVUPS (SI), Z6
	VMOVUPS (DI), Z8
	VFMADD231PS Z8, Z6, Z0
	VFMADD231PS Z6, Z6, Z2
	VFMADD231PS Z8, Z8, Z4
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  cosz_loop16

cosz_tail:
	TESTQ CX, CX
	JZ    cosz_done
	TAILMASK
	VMOVUPS.Z (SI), K1, Z6
	VMOVUPS.Z (DI), K1, Z8
	VFMADD231PS Z8, Z6, Z1
	VFMADD231PS Z6, Z6, Z3
	VFMADD231PS Z8, Z8, Z5

cosz_done:
	// Fold pairs, then reduce each of Z0, Z2, Z4 to a scalar.
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z5, Z4, Z4
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS Y1, Y0, Y0
	VEXTRACTF64X4 $1, Z2, Y3
	VADDPS Y3, Y2, Y2
	VEXTRACTF64X4 $1, Z4, Y5
	VADDPS Y5, Y4, Y4
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VEXTRACTF128 $1, Y2, X3
	VADDPS X3, X2, X2
	VEXTRACTF128 $1, Y4, X5
	VADDPS X5, X4, X4
	VMOVHLPS X0, X0, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0
	VMOVHLPS X2, X2, X3
	VADDPS X3, X2, X2
	VMOVSHDUP X2, X3
	VADDSS X3, X2, X2
	VMOVHLPS X4, X4, X5
	VADDPS X5, X4, X4
	VMOVSHDUP X4, X5
	VADDSS X5, X4, X4
	VMOVSS X0, dot+48(FP)
	VMOVSS X2, na+52(FP)
	VMOVSS X4, nb+56(FP)
	VZEROUPPER
	RET

// func l2SquaredAVX2(a, b []float32) float32
TEXT ·l2SquaredAVX2(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

l2y_loop32:
	CMPQ CX, $32
	JL   l2y_loop8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VSUBPS (DI), Y4, Y4
	VSUBPS 32(DI), Y5, Y5
	VSUBPS 64(DI), Y6, Y6
	VSUBPS 96(DI), Y7, Y7
	VFMADD231PS Y4, Y4, Y0
	VFMADD231PS Y5, Y5, Y1
	VFMADD231PS Y6, Y6, Y2
	VFMADD231PS Y7, Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  l2y_loop32

l2y_loop8:
	CMPQ CX, $8
	JL   l2y_tail
	VMOVUPS (SI), Y4
	VSUBPS (DI), Y4, Y4
	VFMADD231PS Y4, Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  l2y_loop8

l2y_tail:
	REDUCE_Y0

l2y_scalar:
	TESTQ CX, CX
	JZ    l2y_done
	VMOVSS (SI), X4
	VSUBSS (DI), X4, X4
	VFMADD231SS X4, X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  l2y_scalar

l2y_done:
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func dotAVX2(a, b []float32) float32
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

doty_loop32:
	CMPQ CX, $32
	JL   doty_loop8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  doty_loop32

doty_loop8:
	CMPQ CX, $8
	JL   doty_tail
	VMOVUPS (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  doty_loop8

doty_tail:
	REDUCE_Y0

doty_scalar:
	TESTQ CX, CX
	JZ    doty_done
	VMOVSS (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  doty_scalar

doty_done:
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func l1AVX2(a, b []float32) float32
TEXT ·l1AVX2(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVL $0x7fffffff, AX
	VMOVD AX, X8
	VPBROADCASTD X8, Y8

l1y_loop32:
	CMPQ CX, $32
	JL   l1y_loop8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VSUBPS (DI), Y4, Y4
	VSUBPS 32(DI), Y5, Y5
	VSUBPS 64(DI), Y6, Y6
	VSUBPS 96(DI), Y7, Y7
	VANDPS Y8, Y4, Y4
	VANDPS Y8, Y5, Y5
	VANDPS Y8, Y6, Y6
	VANDPS Y8, Y7, Y7
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  l1y_loop32

l1y_loop8:
	CMPQ CX, $8
	JL   l1y_tail
	VMOVUPS (SI), Y4
	VSUBPS (DI), Y4, Y4
	VANDPS Y8, Y4, Y4
	VADDPS Y4, Y0, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  l1y_loop8

l1y_tail:
	REDUCE_Y0

l1y_scalar:
	TESTQ CX, CX
	JZ    l1y_done
	VMOVSS (SI), X4
	VSUBSS (DI), X4, X4
	VANDPS X8, X4, X4
	VADDSS X4, X0, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  l1y_scalar

l1y_done:
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// Batch kernels (SI=q, DI=data, R9=dims, R10=out, R8=rows left): one query against out_len rows of dims floats stored back to
// back. The query stays hot in L1; each row is summed into Z0..Z3 in blocks of
// 64, then 16, then one masked block (mask computed once: dims%16 is the
// same for every row). Layout: q_base+0, q_len+8, data_base+24, data_len+32,
// dims+48, out_base+56, out_len+64.

// BATCH_ROW_REDUCE folds Z0..Z3 into X0[0] and stores it at (R10).
#define BATCH_ROW_REDUCE \
	VADDPS Z1, Z0, Z0 \
	VADDPS Z3, Z2, Z2 \
	VADDPS Z2, Z0, Z0 \
	VEXTRACTF64X4 $1, Z0, Y1 \
	VADDPS Y1, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VMOVHLPS X0, X0, X1 \
	VADDPS X1, X0, X0 \
	VMOVSHDUP X0, X1 \
	VADDSS X1, X0, X0 \
	VMOVSS X0, (R10)

// func l2SquaredBatchAVX512(q, data []float32, dims int, out []float32)
TEXT ·l2SquaredBatchAVX512(SB), NOSPLIT, $0-80
	MOVQ q_base+0(FP), SI
	MOVQ data_base+24(FP), DI
	MOVQ dims+48(FP), R9
	MOVQ out_base+56(FP), R10
	MOVQ out_len+64(FP), R8
	// R12 = dims%16, K1 = mask of its low bits (the tail of every row).
	MOVQ R9, R12
	ANDQ $15, R12
	MOVQ R12, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	TESTQ R8, R8
	JZ    l2b_end

l2b_row:
	MOVQ SI, R11
	MOVQ R9, CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3

l2b_loop64:
	CMPQ CX, $64
	JL   l2b_loop16
	VMOVUPS (R11), Z4
	VMOVUPS 64(R11), Z5
	VMOVUPS 128(R11), Z6
	VMOVUPS 192(R11), Z7
	VSUBPS (DI), Z4, Z4
	VSUBPS 64(DI), Z5, Z5
	VSUBPS 128(DI), Z6, Z6
	VSUBPS 192(DI), Z7, Z7
	VFMADD231PS Z4, Z4, Z0
	VFMADD231PS Z5, Z5, Z1
	VFMADD231PS Z6, Z6, Z2
	VFMADD231PS Z7, Z7, Z3
	ADDQ $256, R11
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  l2b_loop64

l2b_loop16:
	CMPQ CX, $16
	JL   l2b_tail
	VMOVUPS (R11), Z4
	VSUBPS (DI), Z4, Z4
	VFMADD231PS Z4, Z4, Z0
	ADDQ $64, R11
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  l2b_loop16

l2b_tail:
	TESTQ CX, CX
	JZ    l2b_store
	VMOVUPS.Z (R11), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VSUBPS Z5, Z4, Z4
	VFMADD231PS Z4, Z4, Z1
	LEAQ (DI)(CX*4), DI

l2b_store:
	BATCH_ROW_REDUCE
	ADDQ $4, R10
	DECQ R8
	JNZ  l2b_row

l2b_end:
	VZEROUPPER
	RET

// func dotBatchAVX512(q, data []float32, dims int, out []float32)
TEXT ·dotBatchAVX512(SB), NOSPLIT, $0-80
	MOVQ q_base+0(FP), SI
	MOVQ data_base+24(FP), DI
	MOVQ dims+48(FP), R9
	MOVQ out_base+56(FP), R10
	MOVQ out_len+64(FP), R8
	// R12 = dims%16, K1 = mask of its low bits (the tail of every row).
	MOVQ R9, R12
	ANDQ $15, R12
	MOVQ R12, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	TESTQ R8, R8
	JZ    dotb_end

dotb_row:
	MOVQ SI, R11
	MOVQ R9, CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3

dotb_loop64:
	CMPQ CX, $64
	JL   dotb_loop16
	VMOVUPS (R11), Z4
	VMOVUPS 64(R11), Z5
	VMOVUPS 128(R11), Z6
	VMOVUPS 192(R11), Z7
	VFMADD231PS (DI), Z4, Z0
	VFMADD231PS 64(DI), Z5, Z1
	VFMADD231PS 128(DI), Z6, Z2
	VFMADD231PS 192(DI), Z7, Z3
	ADDQ $256, R11
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  dotb_loop64

dotb_loop16:
	CMPQ CX, $16
	JL   dotb_tail
	VMOVUPS (R11), Z4
	VFMADD231PS (DI), Z4, Z0
	ADDQ $64, R11
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  dotb_loop16

dotb_tail:
	TESTQ CX, CX
	JZ    dotb_store
	VMOVUPS.Z (R11), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VFMADD231PS Z5, Z4, Z1
	LEAQ (DI)(CX*4), DI

dotb_store:
	BATCH_ROW_REDUCE
	ADDQ $4, R10
	DECQ R8
	JNZ  dotb_row

dotb_end:
	VZEROUPPER
	RET

// Dispatch stubs: same frame as the kernels, so a tail JMP hands over the
// caller's arguments and return slot unchanged. asmLevel: 2 = AVX-512,
// 1 = AVX2 (see simdLevel).

// func l2Dispatch(a, b []float32) float32
TEXT ·l2Dispatch(SB), NOSPLIT, $0-52
	CMPB ·asmLevel(SB), $2
	JNE  l2d_not512
	JMP  ·l2SquaredAVX512(SB)
l2d_not512:
	CMPB ·asmLevel(SB), $1
	JNE  l2d_generic
	JMP  ·l2SquaredAVX2(SB)
l2d_generic:
	JMP  ·l2SquaredGeneric(SB)

// func dotDispatch(a, b []float32) float32
TEXT ·dotDispatch(SB), NOSPLIT, $0-52
	CMPB ·asmLevel(SB), $2
	JNE  dotd_not512
	JMP  ·dotAVX512(SB)
dotd_not512:
	CMPB ·asmLevel(SB), $1
	JNE  dotd_generic
	JMP  ·dotAVX2(SB)
dotd_generic:
	JMP  ·dotGeneric(SB)

// func l1Dispatch(a, b []float32) float32
TEXT ·l1Dispatch(SB), NOSPLIT, $0-52
	CMPB ·asmLevel(SB), $2
	JNE  l1d_not512
	JMP  ·l1AVX512(SB)
l1d_not512:
	CMPB ·asmLevel(SB), $1
	JNE  l1d_generic
	JMP  ·l1AVX2(SB)
l1d_generic:
	JMP  ·l1Generic(SB)

// Gather kernels: out[i] = dist(q, data[rows[i]*dims:]) for i < len(out),
// rows chosen by the caller (candidate lists of graph and tree indexes).
// NB: the rows are scattered, so each row's first touch is a cache miss;
// the kernels issue PREFETCHT0 for every line of the row `ahead` positions
// further on (the Go wrapper picks about 8 KiB of rows), so the loads of
// later rows overlap the arithmetic of the current one (what hnswlib does
// with _mm_prefetch).
// Registers: SI q, BX data, R9 dims, AX row bytes, R13 &rows[i],
// R12 &rows[next row to prefetch], R14 &rows[len(out)], R10 &out[i],
// R8 rows left, DI row pointer, R11 q pointer, CX/DX scratch.
// The Go wrappers check rows[i]*dims+dims <= len(data).
// GATHER_SETUP (arguments already in SI, BX, R9, R13, R10, R8 and ahead in
// DX) sets K1 to the dims%16 tail mask, AX to the row bytes, R14 to the end
// of rows, prefetches the first `ahead` rows and leaves R12 at the next
// row to prefetch; jumps to end when out is empty.
#define GATHER_SETUP(end, pfloop, pfnext, pfdone) \
	MOVQ R9, CX \
	ANDQ $15, CX \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
	KMOVW AX, K1 \
	TESTQ R8, R8 \
	JZ    end \
	MOVQ R9, AX \
	SHLQ $2, AX \
	LEAQ (R13)(R8*4), R14 \
	MOVQ R13, R12 \
	CMPQ R8, DX \
	CMOVQLT R8, DX \
	LEAQ (R13)(DX*4), DX \
	MOVQ DX, R11 \
pfnext: \
	CMPQ R12, R11 \
	JGE  pfdone \
	MOVLQZX (R12), DX \
	IMULQ AX, DX \
	ADDQ BX, DX \
	MOVQ AX, CX \
pfloop: \
	PREFETCHT0 (DX) \
	ADDQ $64, DX \
	SUBQ $64, CX \
	JG   pfloop \
	ADDQ $4, R12 \
	JMP  pfnext \
pfdone:

// GATHER_ROW_START prefetches the row at R12 (if any is left), then points
// DI at row rows[i], R11 at q, CX at dims and clears Z0..Z3.
#define GATHER_ROW_START(pfloop, pfskip) \
	CMPQ R12, R14 \
	JGE  pfskip \
	MOVLQZX (R12), DX \
	IMULQ AX, DX \
	ADDQ BX, DX \
	MOVQ AX, CX \
pfloop: \
	PREFETCHT0 (DX) \
	ADDQ $64, DX \
	SUBQ $64, CX \
	JG   pfloop \
	ADDQ $4, R12 \
pfskip: \
	MOVLQZX (R13), DI \
	IMULQ AX, DI \
	ADDQ BX, DI \
	MOVQ SI, R11 \
	MOVQ R9, CX \
	VPXORD Z0, Z0, Z0 \
	VPXORD Z1, Z1, Z1 \
	VPXORD Z2, Z2, Z2 \
	VPXORD Z3, Z3, Z3

// func l2SquaredGatherAVX512Asm(q, data []float32, dims int, rows []uint32, out []float32, ahead int)
TEXT ·l2SquaredGatherAVX512Asm(SB), NOSPLIT, $0-112
	MOVQ q_base+0(FP), SI
	MOVQ data_base+24(FP), BX
	MOVQ dims+48(FP), R9
	MOVQ rows_base+56(FP), R13
	MOVQ out_base+80(FP), R10
	MOVQ out_len+88(FP), R8
	MOVQ ahead+104(FP), DX
	GATHER_SETUP(l2g_end, l2g_pf0, l2g_pf0next, l2g_pf0done)

l2g_row:
	GATHER_ROW_START(l2g_pf, l2g_pfskip)

l2g_loop64:
	CMPQ CX, $64
	JL   l2g_loop16
	VMOVUPS (R11), Z4
	VMOVUPS 64(R11), Z5
	VMOVUPS 128(R11), Z6
	VMOVUPS 192(R11), Z7
	VSUBPS (DI), Z4, Z4
	VSUBPS 64(DI), Z5, Z5
	VSUBPS 128(DI), Z6, Z6
	VSUBPS 192(DI), Z7, Z7
	VFMADD231PS Z4, Z4, Z0
	VFMADD231PS Z5, Z5, Z1
	VFMADD231PS Z6, Z6, Z2
	VFMADD231PS Z7, Z7, Z3
	ADDQ $256, R11
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  l2g_loop64

l2g_loop16:
	CMPQ CX, $16
	JL   l2g_tail
	VMOVUPS (R11), Z4
	VSUBPS (DI), Z4, Z4
	VFMADD231PS Z4, Z4, Z0
	ADDQ $64, R11
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  l2g_loop16

l2g_tail:
	TESTQ CX, CX
	JZ    l2g_store
	VMOVUPS.Z (R11), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VSUBPS Z5, Z4, Z4
	VFMADD231PS Z4, Z4, Z1

l2g_store:
	BATCH_ROW_REDUCE
	ADDQ $4, R10
	ADDQ $4, R13
	DECQ R8
	JNZ  l2g_row

l2g_end:
	VZEROUPPER
	RET

// func dotGatherAVX512Asm(q, data []float32, dims int, rows []uint32, out []float32, ahead int)
TEXT ·dotGatherAVX512Asm(SB), NOSPLIT, $0-112
	MOVQ q_base+0(FP), SI
	MOVQ data_base+24(FP), BX
	MOVQ dims+48(FP), R9
	MOVQ rows_base+56(FP), R13
	MOVQ out_base+80(FP), R10
	MOVQ out_len+88(FP), R8
	MOVQ ahead+104(FP), DX
	GATHER_SETUP(dotg_end, dotg_pf0, dotg_pf0next, dotg_pf0done)

dotg_row:
	GATHER_ROW_START(dotg_pf, dotg_pfskip)

dotg_loop64:
	CMPQ CX, $64
	JL   dotg_loop16
	VMOVUPS (R11), Z4
	VMOVUPS 64(R11), Z5
	VMOVUPS 128(R11), Z6
	VMOVUPS 192(R11), Z7
	VFMADD231PS (DI), Z4, Z0
	VFMADD231PS 64(DI), Z5, Z1
	VFMADD231PS 128(DI), Z6, Z2
	VFMADD231PS 192(DI), Z7, Z3
	ADDQ $256, R11
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  dotg_loop64

dotg_loop16:
	CMPQ CX, $16
	JL   dotg_tail
	VMOVUPS (R11), Z4
	VFMADD231PS (DI), Z4, Z0
	ADDQ $64, R11
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  dotg_loop16

dotg_tail:
	TESTQ CX, CX
	JZ    dotg_store
	VMOVUPS.Z (R11), K1, Z4
	VMOVUPS.Z (DI), K1, Z5
	VFMADD231PS Z5, Z4, Z1

dotg_store:
	BATCH_ROW_REDUCE
	ADDQ $4, R10
	ADDQ $4, R13
	DECQ R8
	JNZ  dotg_row

dotg_end:
	VZEROUPPER
	RET
