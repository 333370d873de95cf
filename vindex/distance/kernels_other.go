//go:build !amd64

package distance

// chooseKernels: no assembly outside amd64; the Go kernels serve every call.
func chooseKernels(noSIMD bool) kernelSet { return genericKernels }

// simdKernelSets lists the assembly implementations usable on this CPU (none).
func simdKernelSets() []kernelSet { return nil }

func l2Dispatch(a, b []float32) float32  { return l2SquaredGeneric(a, b) }
func dotDispatch(a, b []float32) float32 { return dotGeneric(a, b) }
func l1Dispatch(a, b []float32) float32  { return l1Generic(a, b) }
