//go:build amd64

#include "textflag.h"

// uint8 L2 gather kernel with AVX-512 VNNI: the one-row path of
// u8_amd64.s over rows named by index, with prefetching (see u8.go for the
// formula and u8_gather.go for the contract).
//
// func l2SquaredU8GatherVNNIAsm(q []uint8, qsq uint32, codes []uint8, dims int, rows, rowTerms, out []uint32, ahead int)
//
// Registers: SI q, BX codes, R9 dims, R12 dims rounded down to 64, R13
// &rows[i], R10 rowTerms, R11 &out[i], R8 rows left, R14 &rows[j] of the
// next row to prefetch, DX &rows[len(out)], DI the current row, AX/CX
// scratch. Z30 = 0x80 in every byte, K1 = mask of the dims%64 tail bytes.

// U8_PREFETCH_ROW prefetches every cache line of row rows[j] (R14).
#define U8_PREFETCH_ROW(loop) \
	MOVLQZX (R14), AX \
	IMULQ R9, AX \
	ADDQ BX, AX \
	MOVQ R9, CX \
loop: \
	PREFETCHT0 (AX) \
	ADDQ $64, AX \
	SUBQ $64, CX \
	JG   loop \
	PREFETCHT0 -1(AX)(CX*1)

TEXT ·l2SquaredU8GatherVNNIAsm(SB), NOSPLIT, $0-144
	MOVQ q_base+0(FP), SI
	MOVQ codes_base+32(FP), BX
	MOVQ dims+56(FP), R9
	MOVQ rows_base+64(FP), R13
	MOVQ rowTerms_base+88(FP), R10
	MOVQ out_base+112(FP), R11
	MOVQ out_len+120(FP), R8
	MOVQ ahead+136(FP), DX
	TESTQ R8, R8
	JZ    ugdone
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
	// Prefetch the first min(ahead, len(out)) rows.
	CMPQ R8, DX
	CMOVQLT R8, DX
	LEAQ (R13)(DX*4), DI
	MOVQ R13, R14
	LEAQ (R13)(R8*4), DX

ugpf0:
	CMPQ R14, DI
	JGE  ugrow
	U8_PREFETCH_ROW(ugpf0line)
	ADDQ $4, R14
	JMP  ugpf0

ugrow:
	CMPQ R14, DX
	JGE  ugnopf
	U8_PREFETCH_ROW(ugpfline)
	ADDQ $4, R14

ugnopf:
	MOVLQZX (R13), AX
	MOVQ AX, DI
	IMULQ R9, DI
	ADDQ BX, DI
	MOVL (R10)(AX*4), AX
	VPXORD Z0, Z0, Z0
	XORQ CX, CX

ugloop:
	CMPQ CX, R12
	JGE  ugtail
	VMOVDQU8 (SI)(CX*1), Z8
	VPXORD Z30, Z8, Z8
	VMOVDQU8 (DI)(CX*1), Z4
	VPDPBUSD Z8, Z4, Z0
	ADDQ $64, CX
	JMP  ugloop

ugtail:
	CMPQ CX, R9
	JGE  ugreduce
	// NB: masked-off lanes of Z8 hold 0x80, but the codes there are 0.
	VMOVDQU8.Z (SI)(CX*1), K1, Z8
	VPXORD Z30, Z8, Z8
	VMOVDQU8.Z (DI)(CX*1), K1, Z4
	VPDPBUSD Z8, Z4, Z0

ugreduce:
	VEXTRACTI64X4 $1, Z0, Y4
	VPADDD Y4, Y0, Y0
	VEXTRACTI128 $1, Y0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0x4E, X0, X4
	VPADDD X4, X0, X0
	VPSHUFD $0xB1, X0, X4
	VPADDD X4, X0, X0
	// out = qsq + rowTerm − 2·dp
	VMOVD X0, CX
	SHLL $1, CX
	ADDL qsq+24(FP), AX
	SUBL CX, AX
	MOVL AX, (R11)
	ADDQ $4, R13
	ADDQ $4, R11
	DECQ R8
	JNZ  ugrow

ugdone:
	VZEROUPPER
	RET
