package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// goldenScans are the scans whose JSON and SARIF were written by the
// binary built from main before the streaming pipeline (testdata/golden):
// the pipeline may change how findings are computed, never what is reported.
var goldenScans = []struct {
	name string
	args []string
}{
	{"testdata-1.24", []string{"--target-version", "1.24"}},
	{"testdata-1.33", []string{"--target-version", "1.33"}},
	{"testdata-1.29-1.33", []string{"--target-version", "1.33", "--current-version", "1.29"}},
}

func TestOutputMatchesGolden(t *testing.T) {
	for _, g := range goldenScans {
		t.Run(g.name, func(t *testing.T) {
			dir := t.TempDir()
			js, sarif := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.sarif")
			args := append([]string{"scan", "../../testdata", "--fail-on", "none", "--format", "json=" + js, "--format", "sarif=" + sarif, "--format", "text=" + filepath.Join(dir, "out.txt")}, g.args...)
			if code, _, stderr := runCLI(t, "", args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, f := range []struct{ got, golden string }{{js, g.name + ".json"}, {sarif, g.name + ".sarif"}} {
				assertSameFile(t, f.got, filepath.Join("testdata", "golden", f.golden))
			}
		})
	}
}

// assertSameFile fails with the first differing line of two files.
func assertSameFile(t *testing.T, got, want string) {
	t.Helper()
	a, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		return
	}
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) && i < len(bl); i++ {
		if !bytes.Equal(al[i], bl[i]) {
			t.Fatalf("%s differs from %s at line %d:\n got: %s\nwant: %s", got, want, i+1, al[i], bl[i])
		}
	}
	t.Fatalf("%s differs from %s in length: %d lines, want %d", got, want, len(al), len(bl))
}
