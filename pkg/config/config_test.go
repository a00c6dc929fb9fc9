package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, `targetVersion: "1.33"
failOn: warning
exclude: ["legacy/**"]
rules:
  missing-pdb: off
  unknown-schema: {enabled: false}
  missing-requests: error
  removed-api: {severity: warning}
values: [common.yaml]
charts:
  charts/web:
    values: [charts/web/ci/prod.yaml]
    releaseName: web
`)
	for _, f := range []string{"common.yaml", "charts/web/ci/prod.yaml", "charts/web/Chart.yaml"} {
		mustWrite(t, filepath.Join(dir, f), "a: 1\n")
	}
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.TargetVersion != "1.33" || c.FailOn != "warning" || c.Exclude[0] != "legacy/**" {
		t.Errorf("scalars: %+v", c)
	}
	if e := c.Rules["missing-pdb"].Enabled; e == nil || *e {
		t.Error("missing-pdb: off not read")
	}
	if e := c.Rules["unknown-schema"].Enabled; e == nil || *e {
		t.Error("unknown-schema enabled:false not read")
	}
	if c.Rules["missing-requests"].Severity != "error" || c.Rules["removed-api"].Severity != "warning" {
		t.Errorf("severities: %+v", c.Rules)
	}
	// Paths in the file are relative to the file.
	if c.Values[0] != filepath.Join(dir, "common.yaml") {
		t.Errorf("values = %v", c.Values)
	}
	cc, ok := c.Charts[filepath.Join(dir, "charts/web")]
	if !ok || cc.Values[0] != filepath.Join(dir, "charts/web/ci/prod.yaml") || cc.ReleaseName != "web" {
		t.Errorf("charts = %+v", c.Charts)
	}
}

func TestLoadErrors(t *testing.T) {
	for body, want := range map[string]string{
		"targetVersoin: 1.33\n":                      "targetVersoin",
		"rules:\n  removed-api: loud\n":              ":2: rule setting \"loud\": want off, on or a severity",
		"rules:\n  removed-api: {severity: fatal}\n": "unknown severity",
		"exclude: {a: b}\n":                          "cannot unmarshal",
	} {
		_, err := Load(write(t, t.TempDir(), body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", body, err, want)
		}
	}
	c, err := Load(write(t, t.TempDir(), ""))
	if err != nil || c.TargetVersion != "" {
		t.Errorf("empty file: %v %+v", err, c)
	}
}

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	write(t, root, "targetVersion: \"1.30\"\n")
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	got := Find(".")
	abs, _ := filepath.Abs(got)
	if abs != filepath.Join(root, FileName) {
		t.Errorf("Find = %q", got)
	}
}

// A charts: key that names no chart is a typo that would silently drop its
// settings: an error naming the key and its line.
func TestLoadChartKeyMustNameAChart(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "charts", "web", "Chart.yaml"), "name: web\n")
	p := write(t, dir, "charts:\n  charts/web: {releaseName: web}\n  charts/wbe: {releaseName: typo}\n")
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), "config "+p+":3: charts.charts/wbe: \"charts/wbe\" is not a chart") {
		t.Errorf("typo in a chart key: %v", err)
	}
	p = write(t, dir, "charts:\n  charts/web: {releaseName: web}\n")
	if _, err := Load(p); err != nil {
		t.Errorf("existing chart: %v", err)
	}
}
