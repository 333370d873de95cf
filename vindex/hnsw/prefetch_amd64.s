#include "textflag.h"

// func prefetchSpan(p *uint32, n uintptr)
// Issues PREFETCHT0 for each 64-byte line of the n bytes at p (n > 0).
TEXT ·prefetchSpan(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ n+8(FP), CX
	LEAQ -1(AX)(CX*1), CX
	ANDQ $-64, CX
loop:
	PREFETCHT0 (AX)
	ADDQ $64, AX
	MOVQ AX, DX
	ANDQ $-64, DX
	CMPQ DX, CX
	JLE  loop
	RET
