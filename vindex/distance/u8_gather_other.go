//go:build !amd64

package distance

// u8GatherSIMDKernels lists the assembly gather kernels usable here (none).
func u8GatherSIMDKernels() []u8GatherKernel { return nil }
