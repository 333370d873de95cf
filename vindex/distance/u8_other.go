//go:build !amd64

package distance

// chooseU8Kernels: no assembly outside amd64.
func chooseU8Kernels(noSIMD bool) u8KernelSet { return genericU8Kernels }

// u8SIMDKernelSets lists the assembly uint8 kernels usable here (none).
func u8SIMDKernelSets() []u8KernelSet { return nil }
