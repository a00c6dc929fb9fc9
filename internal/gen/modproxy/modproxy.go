// Package modproxy downloads module zips and version info from a Go module
// proxy (GOPROXY protocol) into a cache shared by the data generators, and
// reads files from those zips by their path inside the module.
package modproxy

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Client fetches from one proxy into one cache directory. Downloaded files
// are immutable for a given module version, so each is fetched at most once.
type Client struct {
	Proxy    string       // base URL, no trailing slash needed
	CacheDir string       // shared with other generators: writes are atomic
	HTTP     *http.Client // nil: a client with a long timeout (zips are large)
	Log      io.Writer    // nil: silent; else one line per download

	Downloads int // files downloaded by this client, for summaries
}

// New returns a client; empty arguments take DefaultProxy and DefaultCacheDir.
func New(proxy, cacheDir string) *Client {
	if proxy == "" {
		proxy = DefaultProxy()
	}
	if cacheDir == "" {
		cacheDir = DefaultCacheDir()
	}
	return &Client{Proxy: proxy, CacheDir: cacheDir}
}

// DefaultProxy is the first HTTP(S) entry of $GOPROXY ("direct" and "off"
// cannot serve zips), else proxy.golang.org.
func DefaultProxy() string {
	sep := func(r rune) bool { return r == ',' || r == '|' }
	for _, p := range strings.FieldsFunc(os.Getenv("GOPROXY"), sep) {
		p = strings.TrimSpace(p)
		if strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://") {
			return p
		}
	}
	return "https://proxy.golang.org"
}

// DefaultCacheDir is $XDG_CACHE_HOME/kupgrade-lint-gen, else
// ~/.cache/kupgrade-lint-gen (the same on every OS, so the generators agree).
func DefaultCacheDir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "kupgrade-lint-gen")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".cache", "kupgrade-lint-gen")
	}
	return filepath.Join(os.TempDir(), "kupgrade-lint-gen")
}

// EscapePath applies the proxy protocol's case encoding: each uppercase
// letter becomes "!" and its lowercase, so paths survive case-insensitive
// file systems.
func EscapePath(p string) string {
	var sb strings.Builder
	for _, r := range p {
		if 'A' <= r && r <= 'Z' {
			sb.WriteByte('!')
			r += 'a' - 'A'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// CacheName is the cache file name of module@version with extension ext
// (".zip", ".info"). Existing caches use this naming: keep it stable.
func CacheName(module, version, ext string) string {
	return strings.ReplaceAll(module, "/", "_") + "@" + version + ext
}

func (c *Client) url(module, version, ext string) string {
	return strings.TrimSuffix(c.Proxy, "/") + "/" + EscapePath(module) + "/@v/" + EscapePath(version) + ext
}

// cached returns the cache path of module@version+ext, downloading it first
// when absent. check validates the download before it enters the cache.
func (c *Client) cached(ctx context.Context, module, version, ext string, check func(path string) error) (string, error) {
	dst := filepath.Join(c.CacheDir, CacheName(module, version, ext))
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	if err := os.MkdirAll(c.CacheDir, 0o755); err != nil {
		return "", fmt.Errorf("create cache dir: %w", err)
	}
	url := c.url(module, version, ext)
	if c.Log != nil {
		fmt.Fprintf(c.Log, "downloading %s\n", url)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("request %s: %w", url, err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Minute}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("download %s: %s", url, resp.Status)
	}
	// Temp file in the same directory, then rename: concurrent generators
	// sharing the cache never see a partial file.
	tmp, err := os.CreateTemp(c.CacheDir, ".tmp-"+filepath.Base(dst)+"-*")
	if err != nil {
		return "", fmt.Errorf("create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return "", fmt.Errorf("download %s: %w", url, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := check(tmp.Name()); err != nil {
		return "", fmt.Errorf("download %s: %w", url, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("store %s: %w", dst, err)
	}
	c.Downloads++
	return dst, nil
}

// Open returns the zip of module@version, downloading it at most once.
// Close it when done.
func (c *Client) Open(ctx context.Context, module, version string) (*Module, error) {
	path, err := c.cached(ctx, module, version, ".zip", func(p string) error {
		z, err := zip.OpenReader(p)
		if err != nil {
			return fmt.Errorf("not a zip: %w", err)
		}
		return z.Close()
	})
	if err != nil {
		return nil, err
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Module{ReadCloser: z, Path: module, Version: version}, nil
}

// Time returns when the proxy first saw module@version (the .info Time).
func (c *Client) Time(ctx context.Context, module, version string) (time.Time, error) {
	var info struct{ Time time.Time }
	parse := func(p string) error {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &info); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if info.Time.IsZero() {
			return fmt.Errorf("%s: no Time", p)
		}
		return nil
	}
	path, err := c.cached(ctx, module, version, ".info", parse)
	if err != nil {
		return time.Time{}, err
	}
	if err := parse(path); err != nil {
		return time.Time{}, fmt.Errorf("%s@%s info: %w", module, version, err)
	}
	return info.Time, nil
}

// Module is an open module zip. Its entries are named
// "module@version/<path>"; the methods take and give the <path> part.
type Module struct {
	*zip.ReadCloser
	Path, Version string
}

func (m *Module) prefix() string { return m.Path + "@" + m.Version + "/" }

// Files calls fn for every file with its path inside the module and stops at
// the first error.
func (m *Module) Files(fn func(name string, f *zip.File) error) error {
	pre := m.prefix()
	for _, f := range m.File {
		name, ok := strings.CutPrefix(f.Name, pre)
		if !ok || name == "" || strings.HasSuffix(name, "/") {
			continue
		}
		if err := fn(name, f); err != nil {
			return err
		}
	}
	return nil
}

// ReadFile returns the file at name inside the module; a missing file gives
// an error that matches fs.ErrNotExist.
func (m *Module) ReadFile(name string) ([]byte, error) {
	want := m.prefix() + name
	for _, f := range m.File {
		if f.Name == want {
			return Read(f)
		}
	}
	return nil, fmt.Errorf("%s@%s: %s: %w", m.Path, m.Version, name, fs.ErrNotExist)
}

// Read returns the content of one zip entry.
func Read(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	return b, nil
}
