package modproxy

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestEscapePath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"k8s.io/api", "k8s.io/api"},
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"v1.0.0-RC1", "v1.0.0-!r!c1"},
	} {
		if got := EscapePath(tc.in); got != tc.want {
			t.Errorf("EscapePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCacheName(t *testing.T) {
	if got := CacheName("k8s.io/kubernetes", "v1.37.2", ".zip"); got != "k8s.io_kubernetes@v1.37.2.zip" {
		t.Errorf("CacheName = %q", got)
	}
}

func TestDefaults(t *testing.T) {
	for _, tc := range []struct{ env, want string }{
		{"", "https://proxy.golang.org"},
		{"direct", "https://proxy.golang.org"},
		{"off", "https://proxy.golang.org"},
		{"direct,https://goproxy.example/", "https://goproxy.example/"},
		{"http://a.example|https://b.example,direct", "http://a.example"},
	} {
		t.Setenv("GOPROXY", tc.env)
		if got := DefaultProxy(); got != tc.want {
			t.Errorf("GOPROXY=%q: DefaultProxy = %q, want %q", tc.env, got, tc.want)
		}
	}
	t.Setenv("XDG_CACHE_HOME", "/x")
	if got := DefaultCacheDir(); got != filepath.FromSlash("/x/kupgrade-lint-gen") {
		t.Errorf("DefaultCacheDir = %q", got)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got := DefaultCacheDir(); got != filepath.FromSlash("/home/u/.cache/kupgrade-lint-gen") {
		t.Errorf("DefaultCacheDir = %q", got)
	}
}

// moduleZip builds a zip laid out like the proxy's: every entry under
// "module@version/".
func moduleZip(t *testing.T, prefix string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range files {
		f, err := w.Create(prefix + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestClient(t *testing.T) {
	const mod, ver = "github.com/Example/mod", "v1.2.3"
	zipBody := moduleZip(t, mod+"@"+ver+"/", map[string]string{
		"go.mod":        "module " + mod + "\n",
		"docs/a.md":     "A",
		"sub/docs/a.md": "nested",
	})
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits[r.URL.Path]++
		switch r.URL.Path {
		case "/github.com/!example/mod/@v/v1.2.3.zip":
			w.Write(zipBody)
		case "/github.com/!example/mod/@v/v1.2.3.info":
			w.Write([]byte(`{"Version":"v1.2.3","Time":"2024-05-06T07:08:09Z"}`))
		case "/github.com/!example/bad/@v/v1.0.0.zip":
			w.Write([]byte("not a zip"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	c := New(srv.URL+"/", dir)
	ctx := context.Background()

	for range 2 { // the second round must come from the cache
		m, err := c.Open(ctx, mod, ver)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, want string }{
			{"docs/a.md", "A"},
			{"sub/docs/a.md", "nested"},
		} {
			b, err := m.ReadFile(tc.name)
			if err != nil || string(b) != tc.want {
				t.Errorf("ReadFile(%q) = %q, %v; want %q", tc.name, b, err, tc.want)
			}
		}
		if _, err := m.ReadFile("a.md"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(missing) error = %v, want fs.ErrNotExist", err)
		}
		var names []string
		if err := m.Files(func(name string, f *zip.File) error {
			names = append(names, name)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		sort.Strings(names)
		if want := "[docs/a.md go.mod sub/docs/a.md]"; "["+strings.Join(names, " ")+"]" != want {
			t.Errorf("Files = %v, want %s", names, want)
		}
		m.Close()

		tm, err := c.Time(ctx, mod, ver)
		if err != nil || !tm.Equal(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)) {
			t.Errorf("Time = %v, %v", tm, err)
		}
	}
	if c.Downloads != 2 || hits["/github.com/!example/mod/@v/v1.2.3.zip"] != 1 {
		t.Errorf("downloads = %d, hits = %v; want each file fetched once", c.Downloads, hits)
	}
	if _, err := os.Stat(filepath.Join(dir, "github.com_Example_mod@v1.2.3.zip")); err != nil {
		t.Errorf("cache file: %v", err)
	}

	// Failures leave nothing in the cache, not even temp files.
	if _, err := c.Open(ctx, "github.com/Example/bad", "v1.0.0"); err == nil {
		t.Error("Open(not a zip) must fail")
	}
	if _, err := c.Open(ctx, "github.com/Example/missing", "v1.0.0"); err == nil {
		t.Error("Open(404) must fail")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		t.Errorf("cache holds %v, want only the zip and the info", got)
	}
}
