package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The addons command reads .kupgrade-lint.yaml as scan does: the target
// version and the excludes come from it.
func TestAddonsUsesTheScanConfig(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(fixtures, "addons", "cert-manager.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "apps", "cert-manager.yaml"), string(b))
	writeFile(t, filepath.Join(dir, "vendor", "cert-manager.yaml"), string(b))
	cfg := filepath.Join(dir, "kupgrade.yaml")
	writeFile(t, cfg, "targetVersion: \"1.33\"\nexclude: [\"**/vendor/**\"]\n")
	code, out, stderr := runCLI(t, "", "addons", "--config", cfg, dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, filepath.ToSlash(filepath.Join(dir, "apps", "cert-manager.yaml"))) || !strings.Contains(out, "incompatible (use 1.17.0)") {
		t.Errorf("cert-manager in apps/ not reported:\n%s", out)
	}
	if strings.Contains(out, "vendor") {
		t.Errorf("the config excludes vendor/, yet:\n%s", out)
	}
}

// A packaged chart (.tgz) is rendered, and the addons command does not try
// to read its Chart.yaml as if it were a directory.
func TestAddonsPackagedChartNoError(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range map[string]string{
		"demo/Chart.yaml":        "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
		"demo/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n",
	} {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "demo-0.1.0.tgz"), buf.String())
	code, _, stderr := runCLI(t, "", "addons", dir, "--target-version", "1.33")
	if code != 0 || stderr != "" {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
