//go:build amd64

#include "textflag.h"

// uint8 L2 kernel with AVX-512 VNNI (see u8.go for the formula).
//
// func l2SquaredU8BatchVNNIAsm(q []uint8, qsq uint32, codes []uint8, dims int, rowTerms, out []uint32)
//
// Registers: SI q, DI current row, R9 dims, R13 3*dims, R10 &rowTerms[i],
// R11 &out[i], R8 rows left, R12 dims rounded down to 64, CX column offset,
// AX/BX/DX scratch. Z30 = 0x80 in every byte (q XOR 0x80 is q−128 as a signed
// byte), X29 = qsq in every lane, K1 = mask of the dims%64 tail bytes.
// Rows go four at a time (accumulators Z0..Z3, reduced together with
// VPHADDD), then one at a time. Columns go 64 bytes at a time, then one
// zero-masked load for the tail: masked-off lanes are zero in both operands
// and add nothing, and masked loads never touch memory in disabled lanes.
// Every add wraps modulo 2^32, which is exact for the final value (u8.go).
TEXT ·l2SquaredU8BatchVNNIAsm(SB), NOSPLIT, $0-112
	MOVQ q_base+0(FP), SI
	MOVL qsq+24(FP), AX
	MOVQ codes_base+32(FP), DI
	MOVQ dims+56(FP), R9
	MOVQ rowTerms_base+64(FP), R10
	MOVQ out_base+88(FP), R11
	MOVQ out_len+96(FP), R8
	VMOVD AX, X29
	VPBROADCASTD X29, X29
	MOVL $0x80808080, AX
	VMOVD AX, X30
	VPBROADCASTD X30, Z30
	// K1 = (1 << (dims%64)) - 1
	MOVQ R9, CX
	ANDQ $63, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVQ AX, K1
	MOVQ R9, R12
	ANDQ $-64, R12
	LEAQ (R9)(R9*2), R13

u8r4:
	CMPQ R8, $4
	JL   u8r1
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	XORQ CX, CX

u8r4_loop:
	CMPQ CX, R12
	JGE  u8r4_tail
	VMOVDQU8 (SI)(CX*1), Z8
	VPXORD Z30, Z8, Z8
	LEAQ (DI)(CX*1), AX
	VMOVDQU8 (AX), Z4
	VMOVDQU8 (AX)(R9*1), Z5
	VMOVDQU8 (AX)(R9*2), Z6
	VMOVDQU8 (AX)(R13*1), Z7
	VPDPBUSD Z8, Z4, Z0
	VPDPBUSD Z8, Z5, Z1
	VPDPBUSD Z8, Z6, Z2
	VPDPBUSD Z8, Z7, Z3
	ADDQ $64, CX
	JMP  u8r4_loop

u8r4_tail:
	CMPQ CX, R9
	JGE  u8r4_reduce
	VMOVDQU8.Z (SI)(CX*1), K1, Z8
	VPXORD Z30, Z8, Z8
	// NB: masked-off lanes of Z8 hold 0x80, but the codes there are 0, so
	// their products vanish.
	LEAQ (DI)(CX*1), AX
	VMOVDQU8.Z (AX), K1, Z4
	VMOVDQU8.Z (AX)(R9*1), K1, Z5
	VMOVDQU8.Z (AX)(R9*2), K1, Z6
	VMOVDQU8.Z (AX)(R13*1), K1, Z7
	VPDPBUSD Z8, Z4, Z0
	VPDPBUSD Z8, Z5, Z1
	VPDPBUSD Z8, Z6, Z2
	VPDPBUSD Z8, Z7, Z3

u8r4_reduce:
	// X0 = [Σ lanes of Z0, Z1, Z2, Z3]
	VEXTRACTI64X4 $1, Z0, Y4
	VPADDD Y4, Y0, Y0
	VEXTRACTI64X4 $1, Z1, Y5
	VPADDD Y5, Y1, Y1
	VEXTRACTI64X4 $1, Z2, Y6
	VPADDD Y6, Y2, Y2
	VEXTRACTI64X4 $1, Z3, Y7
	VPADDD Y7, Y3, Y3
	VPHADDD Y1, Y0, Y0
	VPHADDD Y3, Y2, Y2
	VPHADDD Y2, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	// out = qsq + rowTerm − 2·dp
	VPSLLD $1, X0, X0
	VMOVDQU (R10), X1
	VPADDD X29, X1, X1
	VPSUBD X0, X1, X1
	VMOVDQU X1, (R11)
	LEAQ (DI)(R9*4), DI
	ADDQ $16, R10
	ADDQ $16, R11
	SUBQ $4, R8
	JMP  u8r4

u8r1:
	TESTQ R8, R8
	JZ    u8done
	VPXORD Z0, Z0, Z0
	XORQ CX, CX

u8r1_loop:
	CMPQ CX, R12
	JGE  u8r1_tail
	VMOVDQU8 (SI)(CX*1), Z8
	VPXORD Z30, Z8, Z8
	VMOVDQU8 (DI)(CX*1), Z4
	VPDPBUSD Z8, Z4, Z0
	ADDQ $64, CX
	JMP  u8r1_loop

u8r1_tail:
	CMPQ CX, R9
	JGE  u8r1_reduce
	VMOVDQU8.Z (SI)(CX*1), K1, Z8
	VPXORD Z30, Z8, Z8
	VMOVDQU8.Z (DI)(CX*1), K1, Z4
	VPDPBUSD Z8, Z4, Z0

u8r1_reduce:
	VEXTRACTI64X4 $1, Z0, Y4
	VPADDD Y4, Y0, Y0
	VEXTRACTI128 $1, Y0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0x4E, X0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0xB1, X0, X4
	VPADDD X4, X0, X0
	VMOVD X0, AX
	SHLL $1, AX
	MOVL (R10), BX
	ADDL qsq+24(FP), BX
	SUBL AX, BX
	MOVL BX, (R11)
	ADDQ R9, DI
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ R8
	JMP  u8r1

u8done:
	VZEROUPPER
	RET
