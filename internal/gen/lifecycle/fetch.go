package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fetcher downloads module zips from the Go module proxy into a cache shared
// with the other generators (same file names, atomic writes).
type fetcher struct {
	proxy    string
	cacheDir string
	client   *http.Client
	fetched  int // downloads in this run, for the summary line
}

func cacheName(module, version string) string {
	return strings.ReplaceAll(module, "/", "_") + "@" + version + ".zip"
}

// open returns the zip of module@version, downloading it at most once.
func (f *fetcher) open(ctx context.Context, module, version string) (*zip.ReadCloser, error) {
	path := filepath.Join(f.cacheDir, cacheName(module, version))
	if _, err := os.Stat(path); err != nil {
		if err := f.download(ctx, module, version, path); err != nil {
			return nil, err
		}
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return z, nil
}

func (f *fetcher) download(ctx context.Context, module, version, dst string) error {
	if err := os.MkdirAll(f.cacheDir, 0o755); err != nil {
		return fmt.Errorf("create cache dir: %w", err)
	}
	url := strings.TrimSuffix(f.proxy, "/") + "/" + module + "/@v/" + version + ".zip"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("request %s: %w", url, err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(f.cacheDir, ".tmp-"+filepath.Base(dst)+"-*")
	if err != nil {
		return fmt.Errorf("create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return fmt.Errorf("download %s: %w", url, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	zr, err := zip.OpenReader(tmp.Name())
	if err != nil {
		return fmt.Errorf("download %s: not a zip: %w", url, err)
	}
	zr.Close()
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("store %s: %w", dst, err)
	}
	f.fetched++
	return nil
}

func newFetcher(proxy, cacheDir string) *fetcher {
	return &fetcher{proxy: proxy, cacheDir: cacheDir, client: &http.Client{Timeout: 10 * time.Minute}}
}

// readZipFile returns the content of name (path inside the module) or nil
// when the zip has no such file.
func readZipFile(z *zip.ReadCloser, name string) ([]byte, error) {
	for _, zf := range z.File {
		if stripPrefix(zf.Name) == name {
			return readEntry(zf)
		}
	}
	return nil, nil
}

// stripPrefix removes the "module@version/" prefix of a zip entry name.
func stripPrefix(name string) string {
	i := strings.Index(name, "@")
	if i < 0 {
		return name
	}
	j := strings.IndexByte(name[i:], '/')
	if j < 0 {
		return name
	}
	return name[i+j+1:]
}

func readEntry(zf *zip.File) ([]byte, error) {
	r, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", zf.Name, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", zf.Name, err)
	}
	return b, nil
}
