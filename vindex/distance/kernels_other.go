//go:build !amd64

package distance

// chooseKernels: no assembly outside amd64; the Go kernels serve every call.
func chooseKernels(noSIMD bool) kernelSet { return genericKernels }

// simdKernelSets lists the assembly implementations usable on this CPU (none).
func simdKernelSets() []kernelSet { return nil }
