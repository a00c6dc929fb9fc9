package safefs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	environ := filepath.Join(dir, "env.yaml")
	if err := os.Symlink("/proc/self/environ", environ); err != nil {
		t.Fatal(err)
	}
	inside := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("ok.yaml", inside); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(ok, 100); err != nil || string(b) != "a: 1\n" {
		t.Errorf("regular file: %q, %v", b, err)
	}
	if _, err := ReadFile(ok, 3); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range []string{fifo, zero} {
			if _, err := ReadFile(p, 1<<20); !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: %v, want ErrNotRegular", p, err)
			}
		}
		// procfs files are regular with size 0: the limit still stops them.
		if _, err := ReadFile("/proc/self/environ", 4); !errors.Is(err, ErrTooLarge) {
			t.Errorf("/proc/self/environ with a 4-byte limit: %v", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a special file blocked")
	}
	if b, err := ReadIn(dir, inside, 100); err != nil || string(b) != "a: 1\n" {
		t.Errorf("symlink inside the tree: %q, %v", b, err)
	}
	for _, p := range []string{environ, zero} {
		_, err := ReadIn(dir, p, 1<<20)
		if !errors.Is(err, ErrOutside) {
			t.Errorf("%s: %v, want ErrOutside", p, err)
		}
		if err != nil && (strings.Contains(err.Error(), "/proc") || strings.Contains(err.Error(), "/dev")) {
			t.Errorf("error names the target: %v", err)
		}
	}
}

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		p    string
		want bool
	}{
		{"/repo", true}, {"/repo/a/b", true}, {"/repo/..a", true},
		{"/repository", false}, {"/", false}, {"/other/repo", false}, {"/repo/../etc", false},
	} {
		if got := Within("/repo", filepath.Clean(c.p)); got != c.want {
			t.Errorf("Within(/repo, %s) = %v", c.p, got)
		}
	}
}
