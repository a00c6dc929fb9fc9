package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// batch/v1beta1 CronJob is removed in 1.25: broken on 1.25 already, a hop
// blocker when planning from 1.24.
const planCron = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\n"

func TestPlanExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeTemp(t, dir, "cron.yaml", planCron)
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"--current-version", "1.24", "--target-version", "1.26"}, 1}, // the hop to 1.25 removes it
		{[]string{"--current-version", "1.25", "--target-version", "1.26"}, 0}, // already broken: not the upgrade's
		{[]string{"--current-version", "1.25", "--target-version", "1.26", "--fail-on-existing"}, 1},
		{[]string{"--current-version", "1.24", "--target-version", "1.26", "--fail-on", "none"}, 0},
		{[]string{"--target-version", "1.26"}, 2}, // no current version
		{[]string{"--current-version", "1.24", "--target-version", "1.26", "--format", "sarif"}, 2},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, "", append([]string{"plan", dir}, tc.args...)...)
		if code != tc.code {
			t.Errorf("plan %v: exit %d, want %d (%s)", tc.args, code, tc.code, stderr)
		}
	}
}

func TestPlanJSONAndConfig(t *testing.T) {
	dir := t.TempDir()
	writeTemp(t, dir, "cron.yaml", planCron)
	cfg := filepath.Join(dir, "cfg.yaml")
	writeTemp(t, dir, "cfg.yaml", "currentVersion: \"1.23\"\ntargetVersion: \"1.26\"\n")
	code, out, stderr := runCLI(t, "", "plan", dir, "--config", cfg, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p struct {
		CurrentVersion, TargetVersion string
		Hops                          []struct {
			From, To string
			Findings []struct{ Rule, File string }
		}
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.CurrentVersion != "1.23" || p.TargetVersion != "1.26" || len(p.Hops) != 3 {
		t.Fatalf("plan %+v", p)
	}
	var at []string
	for _, h := range p.Hops {
		for _, f := range h.Findings {
			if f.Rule == "removed-api" {
				at = append(at, h.From+"→"+h.To)
			}
		}
	}
	if strings.Join(at, ",") != "1.24→1.25" {
		t.Errorf("removed-api placed at %v, want only 1.24→1.25", at)
	}
}

func TestPlanMinSeverityHidesWarningsKeepsExit(t *testing.T) {
	dir := t.TempDir()
	// autoscaling/v2beta2 HPA: deprecated (warning) on 1.23, removed in 1.26.
	writeTemp(t, dir, "hpa.yaml", "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  maxReplicas: 2\n")
	code, out, _ := runCLI(t, "", "plan", dir, "--current-version", "1.22", "--target-version", "1.26", "--min-severity", "error")
	if code != 1 || strings.Contains(out, "deprecated-api") || !strings.Contains(out, "removed-api") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// A chart whose kubeVersion range ends inside the upgrade breaks at the hop
// that leaves the range, in scan --current-version as in plan.
func TestChartKubeVersionTimingAgreesWithPlan(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTemp(t, dir, "Chart.yaml", "apiVersion: v2\nname: legacy\nversion: 1.0.0\nkubeVersion: \"<1.30.0-0\"\n")
	writeTemp(t, filepath.Join(dir, "templates"), "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
	_, out, stderr := runCLI(t, "", "scan", dir, "--current-version", "1.29", "--target-version", "1.31", "--format", "json")
	var rep struct {
		Findings []struct{ Rule, Timing, Hop string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	scanHop := ""
	for _, f := range rep.Findings {
		if f.Rule == "chart-kube-version" {
			scanHop = f.Timing + " " + f.Hop
		}
	}
	if scanHop != "upgrade 1.29→1.30" {
		t.Errorf("scan timing %q, want upgrade 1.29→1.30", scanHop)
	}
	_, out, stderr = runCLI(t, "", "plan", dir, "--current-version", "1.29", "--target-version", "1.31", "--format", "json")
	var p struct {
		AlreadyBroken []struct{ Rule string }
		Hops          []struct {
			From, To string
			Findings []struct{ Rule string }
		}
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	var at []string
	for _, f := range p.AlreadyBroken {
		if f.Rule == "chart-kube-version" {
			at = append(at, "now")
		}
	}
	for _, h := range p.Hops {
		for _, f := range h.Findings {
			if f.Rule == "chart-kube-version" {
				at = append(at, h.From+"→"+h.To)
			}
		}
	}
	if strings.Join(at, ",") != "1.29→1.30" {
		t.Errorf("plan places chart-kube-version at %v, want 1.29→1.30", at)
	}
}

// The scan's presentation flags work on plans too: --quiet leaves out the
// evidence and summary, --stats lists source times, --root makes Markdown
// paths repository-relative.
func TestPlanPresentationFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTemp(t, dir, "deploy/hpa.yaml", "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}\n  maxReplicas: 2\n")
	args := []string{"plan", filepath.Join(dir, "deploy"), "--current-version", "1.24", "--target-version", "1.26"}
	_, full, _ := runCLI(t, "", args...)
	_, quiet, _ := runCLI(t, "", append(args, "--quiet", "--stats")...)
	if !strings.Contains(full, "4. Evidence") || strings.Contains(quiet, "4. Evidence") || strings.Contains(quiet, "hop findings") {
		t.Errorf("--quiet kept the evidence or summary:\n%s", quiet)
	}
	if !strings.Contains(quiet, "render/decode times") || !strings.Contains(quiet, "hpa.yaml") || strings.Contains(full, "render/decode times") {
		t.Errorf("--stats:\n%s", quiet)
	}
	_, md, _ := runCLI(t, "", append(args, "--format", "markdown", "--root", dir)...)
	if !strings.Contains(md, "| deploy/hpa.yaml:") || strings.Contains(md, dir) {
		t.Errorf("--root: markdown paths not relative to the root:\n%s", md)
	}
}
