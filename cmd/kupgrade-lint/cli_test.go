package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// The test binary is its own render worker, as the real binary is.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const fixtures = "../../testdata/manifests"

func TestExitCodesByFailOn(t *testing.T) {
	// batch/v1beta1 CronJob: deprecated in 1.21, removed in 1.25.
	warnOnly := filepath.Join(t.TempDir(), "cron.yaml")
	if err := os.WriteFile(warnOnly, []byte("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target, failOn string
		want           int
	}{
		{"1.25", "", 1},
		{"1.25", "error", 1},
		{"1.25", "none", 0},
		{"1.24", "error", 0},
		{"1.24", "warning", 1},
		{"1.24", "info", 1},
		{"1.20", "info", 0},
	}
	for _, tt := range tests {
		args := []string{"scan", warnOnly, "--target-version", tt.target, "--no-color"}
		if tt.failOn != "" {
			args = append(args, "--fail-on", tt.failOn)
		}
		code, out, errOut := runCLI(t, "", args...)
		if code != tt.want {
			t.Errorf("target %s fail-on %q: exit %d, want %d\n%s%s", tt.target, tt.failOn, code, tt.want, out, errOut)
		}
	}
}

func TestTargetVersionForms(t *testing.T) {
	for _, v := range []string{"1.33", "v1.33", "1.33.2", "v1.33.0-eks.1"} {
		code, out, errOut := runCLI(t, "", "scan", filepath.Join(fixtures, "current"), "--target-version", v)
		if code != 0 || !strings.Contains(out, "target 1.33:") {
			t.Errorf("--target-version %s: exit %d\n%s%s", v, code, out, errOut)
		}
	}
	for _, v := range []string{"1", "one.two", "2.0", "1.x"} {
		code, _, errOut := runCLI(t, "", "scan", filepath.Join(fixtures, "current"), "--target-version", v)
		if code != 2 || !strings.Contains(errOut, "invalid Kubernetes version") {
			t.Errorf("--target-version %s: exit %d, stderr %q", v, code, errOut)
		}
	}
	code, _, errOut := runCLI(t, "", "scan", filepath.Join(fixtures, "current"), "--target-version", "1.99")
	if code != 2 || !strings.Contains(errOut, "newest version") {
		t.Errorf("1.99: exit %d, stderr %q", code, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"scan", "--no-such-flag"}, "unknown flag"},
		{[]string{"scan", fixtures}, "--target-version is required"},
		{[]string{"scan", "does-not-exist", "--target-version", "1.30"}, "does-not-exist"},
		{[]string{"scan", fixtures, "--target-version", "1.30", "--fail-on", "fatal"}, "unknown severity"},
		{[]string{"scan", fixtures, "--target-version", "1.30", "--format", "xml"}, "unknown format"},
		{[]string{"scan", fixtures, "--target-version", "1.30", "--format", "text", "--format", "json"}, "only one --format"},
		{[]string{"explain", "no-such-rule"}, "unknown rule"},
		{[]string{"nope"}, "unknown command"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, "", tt.args...)
		if code != 2 || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q (want %q)", tt.args, code, errOut, tt.msg)
		}
	}
}

func TestNothingToScanExits2(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "", "scan", dir, "--target-version", "1.30")
	if code != 2 || !strings.Contains(errOut, "no Kubernetes objects") {
		t.Errorf("empty dir: exit %d, stderr %q", code, errOut)
	}
}

func TestStdinAndJSONContract(t *testing.T) {
	in := "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n  namespace: prod\n  annotations: {kupgrade-lint.io/ignore: pdb-no-match}\nspec:\n  minAvailable: 1\n"
	code, out, errOut := runCLI(t, in, "scan", "-", "--target-version", "1.30", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		TargetVersion string `json:"targetVersion"`
		Findings      []map[string]any
		Summary       map[string]int
		ExitCode      int `json:"exitCode"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if rep.TargetVersion != "1.30" || len(rep.Findings) != 1 || rep.ExitCode != 1 || rep.Summary["errors"] != 1 {
		t.Fatalf("report: %+v", rep)
	}
	f := rep.Findings[0]
	for k, want := range map[string]any{"rule": "removed-api", "severity": "error", "file": "<stdin>", "line": 1.0, "column": 1.0,
		"apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget", "namespace": "prod", "name": "pdb"} {
		if f[k] != want {
			t.Errorf("finding[%s] = %v, want %v", k, f[k], want)
		}
	}
	if !strings.Contains(f["message"].(string), "use policy/v1") {
		t.Errorf("message %q", f["message"])
	}
}

func TestOutputFileAndConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg.yaml")
	os.WriteFile(cfg, []byte("targetVersion: \"1.25\"\nexclude: [\"**/removed-in-1.16.yaml\", \"**/broken/**\"]\nrules:\n  deprecated-api: off\n"), 0o644)
	outFile := filepath.Join(dir, "report.json")
	code, stdout, errOut := runCLI(t, "", "scan", fixtures, "--config", cfg, "--format", "json", "--output", outFile)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, errOut)
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Contains(s, "removed-in-1.16.yaml") || strings.Contains(s, "deprecated-api") || strings.Contains(s, "broken") {
		t.Errorf("exclude or rule config ignored:\n%s", s)
	}
	if !strings.Contains(s, "removed-in-1.25.yaml") || !strings.Contains(s, `"targetVersion": "1.25"`) {
		t.Errorf("expected 1.25 removals in report")
	}

	code, _, errOut = runCLI(t, "", "scan", fixtures, "--config", filepath.Join(dir, "missing.yaml"))
	if code != 2 || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("missing config: exit %d %q", code, errOut)
	}
	os.WriteFile(cfg, []byte("targetVersoin: 1.25\n"), 0o644)
	code, _, errOut = runCLI(t, "", "scan", fixtures, "--config", cfg)
	if code != 2 || !strings.Contains(errOut, "targetVersoin") {
		t.Errorf("typo in config: exit %d %q", code, errOut)
	}
}

func TestTextOutput(t *testing.T) {
	code, out, _ := runCLI(t, "", "scan", filepath.Join(fixtures, "broken"), filepath.Join(fixtures, "current"), "--target-version", "1.33")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		"../../testdata/manifests/broken/middle-document.yaml\n",
		"error   removed-api  CronJob/after (batch/v1beta1)\n",
		"batch/v1beta1 CronJob was removed in Kubernetes 1.25",
		"parse-error",
		"binary content",
		"target 1.33: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
}

func TestSubcommands(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules")
	if code != 0 || !strings.Contains(out, "removed-api") || !strings.Contains(out, "deprecated-api") {
		t.Errorf("rules: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "apis", "--target-version", "1.25")
	if code != 0 || !strings.Contains(out, "batch/v1beta1") || !strings.Contains(out, "removed") {
		t.Errorf("apis: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "explain", "removed-api")
	if code != 0 || !strings.HasPrefix(out, "# removed-api") || !strings.Contains(out, "kupgrade-lint.io/ignore") {
		t.Errorf("explain: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "version")
	if code != 0 || !strings.Contains(out, "kupgrade-lint") {
		t.Errorf("version: %d %s", code, out)
	}
}

func TestBaselineAndMultipleOutputs(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "app.yaml")
	os.WriteFile(src, []byte("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n"), 0o644)
	base := filepath.Join(dir, "baseline.json")
	code, out, errOut := runCLI(t, "", "baseline", "write", base, src, "--target-version", "1.33")
	if code != 0 || !strings.Contains(out, "recorded 1 findings") {
		t.Fatalf("baseline write: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", "scan", src, "--target-version", "1.33", "--baseline", base)
	if code != 0 || !strings.Contains(out, "1 in baseline") {
		t.Errorf("baselined scan: %d %q", code, out)
	}
	os.WriteFile(src, []byte("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: new}\n"), 0o644)
	sarif, junit := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.xml")
	code, out, errOut = runCLI(t, "", "scan", src, "--target-version", "1.33", "--baseline", base,
		"--format", "text", "--format", "sarif="+sarif, "--format", "junit="+junit)
	if code != 1 || !strings.Contains(out, "PodDisruptionBudget/new") || strings.Contains(out, "CronJob/old") {
		t.Errorf("new finding only: %d %q %q", code, out, errOut)
	}
	for _, p := range []string{sarif, junit} {
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), "removed-api") {
			t.Errorf("%s: %v %q", p, err, b)
		}
	}
	code, _, errOut = runCLI(t, "", "scan", src, "--target-version", "1.33", "--baseline", filepath.Join(dir, "nope.json"))
	if code != 2 || !strings.Contains(errOut, "nope.json") {
		t.Errorf("missing baseline: %d %q", code, errOut)
	}
}

// TestSARIFLocationsEndToEnd renders a chart and an overlay for real and
// checks that SARIF regions point at the template, the base file and the
// document inside a multi-document file, by paths from the repository root.
func TestSARIFLocationsEndToEnd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.sarif")
	// --root: the test must not depend on whether this checkout has a .git.
	code, _, errOut := runCLI(t, "", "scan", "../../testdata/report/repo", "--root", "../..", "--target-version", "1.29", "--format", "sarif="+out)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range log.Runs[0].Results {
		for _, l := range r.Locations {
			got[fmt.Sprintf("%s %s:%d", r.RuleID, l.PhysicalLocation.ArtifactLocation.URI, l.PhysicalLocation.Region.StartLine)] = true
		}
	}
	for _, want := range []string{
		"removed-api testdata/report/repo/base/ingress.yaml:1",                       // Kustomize base, through the overlay
		"removed-api testdata/report/repo/charts/web/templates/cronjob.yaml:1",       // Helm template
		"removed-api testdata/report/repo/deploy/all.yaml:10",                        // second document of a file
		"render-error testdata/report/repo/charts/broken/templates/configmap.yaml:6", // template error
		"parse-error testdata/report/repo/bad/broken.yaml:5",
	} {
		if !got[want] {
			t.Errorf("no SARIF result %q; have %v", want, got)
		}
	}
}

// TestREADMEDocumentsEveryRuleAndFlag keeps the README in step with the CLI.
func TestREADMEDocumentsEveryRuleAndFlag(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, r := range rules.All() {
		if !strings.Contains(readme, "[`"+r.ID+"`](docs/rules/"+r.ID+".md)") {
			t.Errorf("README rules table lacks %s", r.ID)
		}
	}
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" && !strings.Contains(readme, "--"+f.Name) {
				t.Errorf("README does not document %s --%s", c.CommandPath(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(newRoot(nil, nil, nil))
}
