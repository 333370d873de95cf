package main

import "errors"

// runServe is implemented with the pgwire server.
func runServe(args []string) error { return errors.New("serve: under construction") }
