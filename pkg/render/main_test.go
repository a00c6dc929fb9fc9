package render

import (
	"os"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// The test binary serves as its own render worker, so the tests exercise
// the sandboxed path the CLI takes.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}
