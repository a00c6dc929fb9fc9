// Package testcorpus locates the shared real-world corpus (../shared/corpus
// beside the repository) for tests and benchmarks. The corpus is optional:
// tests that need it skip when it is absent.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Find returns the absolute path of shared/corpus in the nearest directory
// above the working directory that has one, or "" when there is none.
// Looking further up than the repository's parent lets git worktrees nested
// one level deeper find it too.
func Find() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		c := filepath.Join(dir, "shared", "corpus")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir is Find for tests: it skips the test when the corpus is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	c := Find()
	if c == "" {
		tb.Skip("shared corpus (../shared/corpus) not present")
	}
	return c
}
