package render

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir finds ../shared/corpus above the package (skipping when absent).
func corpusDir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Skip("no working directory")
	}
	for d := wd; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "..", "shared", "corpus")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			abs, _ := filepath.Abs(c)
			return abs
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	t.Skip("shared corpus not found")
	return ""
}
