package render

import (
	"os"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
)

func corpusDir(tb testing.TB) string { return testcorpus.Dir(tb) }

// muteStderr silences Kustomize's notes about deprecated kustomization
// fields, which it prints straight to os.Stderr, for the rest of the test.
func muteStderr(tb testing.TB) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	saved := os.Stderr
	os.Stderr = devnull
	tb.Cleanup(func() {
		os.Stderr = saved
		_ = devnull.Close()
	})
}
