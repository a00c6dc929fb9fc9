package main

import (
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
