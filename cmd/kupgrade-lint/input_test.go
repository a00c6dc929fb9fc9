package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func writeFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          resources: {requests: {cpu: 100m, memory: 64Mi}}\n"

// A repository's own config must not make the scan read files outside it;
// the same file given on the command line is fine.
func TestConfigFromRepositoryCannotReadOutside(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	writeFile(t, secret, "token: hunter2\n")
	repo := t.TempDir()
	writeFile(t, filepath.Join(repo, "deploy", "web.yaml"), deployment)
	writeFile(t, filepath.Join(repo, "charts", "web", "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n")
	if err := os.Symlink(secret, filepath.Join(repo, "values.yaml")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	// Entries that would read outside are findings at their line; the
	// scan goes on, so a pull request cannot turn it off by adding one.
	refused := []struct{ config, want string }{
		{"targetVersion: \"1.33\"\nvalues: [" + secret + "]\n", "  2       error   parse-error\n          config values[0]: \"" + secret + "\" is an absolute path"},
		{"targetVersion: \"1.33\"\ncharts:\n  charts/web:\n    values: [../../etc/x]\n", "  4       error   parse-error\n          config charts.charts/web.values[0]: \"../../etc/x\" leaves the config file's directory"},
		{"addons:\n  - values.yaml\n", "  2       error   parse-error\n          config addons[0]: \"values.yaml\" is a symlink that resolves outside"},
		{"baseline: ../x.json\n", "  1       error   parse-error\n          config baseline: \"../x.json\" leaves"},
		{"schemaLocations: [/etc/schemas]\n", "  1       error   parse-error\n          config schemaLocations[0]: \"/etc/schemas\" is an absolute path"},
	}
	for _, tt := range refused {
		writeFile(t, ".kupgrade-lint.yaml", tt.config)
		code, out, errOut := runCLI(t, "", "scan", "deploy", "--target-version", "1.33", "--no-color")
		if code != 1 || !strings.Contains(out, ".kupgrade-lint.yaml\n"+tt.want) || !strings.Contains(out, "deploy/web.yaml") || strings.Contains(out, "hunter2") {
			t.Errorf("%q: exit %d\nstderr %q\nwant   %q\n%s", tt.config, code, errOut, tt.want, out)
		}
	}
	// Settings that make no sense stop the scan (exit 2), naming file and line.
	tests := []struct{ config, want string }{
		{"targetVersion: \"1.33\"\n\nfailOn: fatal\n", "config .kupgrade-lint.yaml:3: failOn: unknown severity \"fatal\""},
		{"targetVersion: \"1.x\"\n", "config .kupgrade-lint.yaml:1: targetVersion: invalid Kubernetes version"},
		{"currentVersion: \"one\"\n", "config .kupgrade-lint.yaml:1: currentVersion: invalid Kubernetes version"},
		{"rules:\n  missing-pdb: {severity: loud}\n", "config .kupgrade-lint.yaml:2: rules.missing-pdb: unknown severity \"loud\""},
	}
	for _, tt := range tests {
		writeFile(t, ".kupgrade-lint.yaml", tt.config)
		code, out, errOut := runCLI(t, "", "scan", "deploy", "--target-version", "1.33", "--no-color")
		if code != 2 || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "--fail-on") {
			t.Errorf("%q: exit %d\nstderr %q\nwant   %q\n%s", tt.config, code, errOut, tt.want, out)
		}
	}
	// Inside the repository: fine, also when found in the working directory.
	writeFile(t, "ci/values.yaml", "replicas: 2\n")
	writeFile(t, ".kupgrade-lint.yaml", "targetVersion: \"1.33\"\nvalues: [ci/values.yaml]\ncharts:\n  charts/web: {values: [ci/values.yaml]}\n")
	if code, out, errOut := runCLI(t, "", "scan", "deploy", "--no-color"); code != 0 {
		t.Errorf("config paths inside the repository: exit %d\n%s%s", code, out, errOut)
	}
	// Typed by the user: trusted.
	writeFile(t, ".kupgrade-lint.yaml", "targetVersion: \"1.33\"\n")
	code, out, errOut := runCLI(t, "", "scan", "deploy", "--values", secret, "--no-color")
	if code != 0 {
		t.Errorf("--values outside the repository: exit %d\n%s%s", code, out, errOut)
	}
}

// Remote schema locations come from the command line only: a URL in the
// config is refused even when the command line allows another URL, and is
// never fetched.
func TestConfigSchemaURLNeverFetched(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/config") {
			hits.Add(1)
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	repo := t.TempDir()
	writeFile(t, filepath.Join(repo, "deploy", "cr.yaml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")
	t.Chdir(repo)
	for _, cfg := range []string{
		"targetVersion: \"1.33\"\nschemaLocations:\n  - " + srv.URL + "/config/{{ .ResourceKind }}.json\n",
		"targetVersion: \"1.33\"\nschemaLocations: [ok, " + strings.ToUpper(srv.URL[:4]) + srv.URL[4:] + "/config]\n",
	} {
		writeFile(t, ".kupgrade-lint.yaml", cfg)
		code, out, errOut := runCLI(t, "", "scan", "deploy", "--schema-location", srv.URL+"/cli/{{ .ResourceKind }}.json", "--no-color")
		if code != 1 || !strings.Contains(out, ".kupgrade-lint.yaml\n") || !strings.Contains(out, "is a URL: a config file cannot make the scan fetch anything") {
			t.Errorf("%q: exit %d, stderr %q\n%s", cfg, code, errOut, out)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server was asked %d times", n)
	}
}

// `scan deploy` where deploy is a symlink to a directory scans it; a
// manifest linking outside the repository is reported, not read.
func TestScanSymlinkedDirectory(t *testing.T) {
	tmp := t.TempDir()
	writeFile(t, filepath.Join(tmp, "secret", "token.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: leaked}\n")
	writeFile(t, filepath.Join(tmp, "manifests", "web.yaml"), deployment)
	if err := os.Symlink("manifests", filepath.Join(tmp, "deploy")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret/token.yaml", filepath.Join(tmp, "manifests", "token.yaml")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(tmp)
	code, out, errOut := runCLI(t, "", "scan", "deploy", "--target-version", "1.33", "--no-color", "--fail-on", "none")
	if code != 0 || strings.Contains(out, "leaked") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	want := "deploy/token.yaml\n  -       error   parse-error\n          symlink points outside the scanned tree; not followed"
	if !strings.Contains(out, want) || !strings.Contains(out, "1 object in") {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// Names, file names and messages from the scanned tree reach the terminal
// escaped; only our own colour codes are raw.
func TestTextOutputEscapesScannedText(t *testing.T) {
	dir := t.TempDir()
	evilFile := filepath.Join(dir, "evil\x1b[2J\n  1:1     info    fake.yaml")
	writeFile(t, evilFile, "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: \"web\\e]0;pwned\\a\\u202e\"\n  namespace: \"ns\\r\\n  1:1 info x\"\n")
	writeFile(t, filepath.Join(dir, "broken.yaml"), "a: [\"\x1b[31m\n")
	code, out, errOut := runCLI(t, "", "scan", dir, "--target-version", "1.33", "--no-color")
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		`evil\x1b[2J\n  1:1     info    fake.yaml` + "\n",
		`Ingress/ns\r\n  1:1 info x/web\x1b]0;pwned\x07\u202e (extensions/v1beta1)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\a\r\u202e") {
		t.Errorf("raw control characters in output: %q", out)
	}
	// One real finding at 1:1; none faked by the payloads.
	if n := strings.Count(out, "\n  1:1 "); n != 1 {
		t.Errorf("%d lines start like a finding at 1:1:\n%s", n, out)
	}
}

// A file of more documents than the per-file budget is decoded up to the
// budget and reported at the line where it ran out.
func TestScanFileOverDocumentBudget(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "many.yaml"), strings.Repeat("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n", 5001))
	t.Chdir(dir)
	code, out, errOut := runCLI(t, "", "scan", ".", "--target-version", "1.33", "--no-color")
	want := "many.yaml\n  20001   error   parse-error\n          more than 5000 YAML documents in one file; the rest of the file is not scanned; split the file, or raise maxFileSize in .kupgrade-lint.yaml (the budgets grow with it)\n"
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "5000 objects in 1 source") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
