package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// goldenScans are the scans whose JSON and SARIF are kept in
// testdata/golden (first written by the binary from before the streaming
// pipeline): a change to how findings are computed must not change what is
// reported. A deliberate change of output rewrites them with -update.
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

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden from this build (review the diff)")

// assertSameFile fails with the first differing line of two files.
func assertSameFile(t *testing.T, got, want string) {
	t.Helper()
	if *updateGolden {
		b, err := os.ReadFile(got)
		if err == nil {
			err = os.WriteFile(want, checkoutFree(t, b), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	a, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	a = checkoutFree(t, a)
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	b = checkoutFree(t, b)
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

// checkoutFree replaces the repository root's absolute URI (SARIF's
// %SRCROOT%) by a placeholder: it is the one thing in a report that depends
// on where the checkout lives.
func checkoutFree(t *testing.T, b []byte) []byte {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte("file://"+filepath.ToSlash(root)+"/"), []byte("file:///CHECKOUT/"))
}
