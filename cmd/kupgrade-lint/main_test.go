package main

import (
	"os"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// The test binary is its own render worker, as the real binary is.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}
