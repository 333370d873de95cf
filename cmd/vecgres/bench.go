package main

import "errors"

// runBench is implemented with the vindex benchmark.
func runBench(args []string) error { return errors.New("bench: under construction") }
