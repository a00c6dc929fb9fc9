package scan

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const cronV1beta1 = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: %s
  annotations:
    kupgrade-lint.io/ignore: "%s"
spec:
  schedule: "* * * * *"
`

func TestIgnoreAnnotationAndConfig(t *testing.T) {
	dir := t.TempDir()
	body := strings.Replace(strings.Replace(cronV1beta1, "%s", "ignored", 1), "%s", "removed-api", 1) +
		"---\n" + strings.Replace(strings.Replace(cronV1beta1, "%s", "all", 1), "%s", "all", 1) +
		"---\n" + strings.Replace(strings.Replace(cronV1beta1, "%s", "other", 1), "%s", "deprecated-api, schema-invalid", 1)
	p := writeFile(t, dir, "cron.yaml", body)
	target := kubeversion.MustParse("1.30")
	rep, err := Run(context.Background(), Options{Target: target, Render: render.Options{Paths: []string{p}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Name != "other" || rep.Summary.Suppressed != 2 {
		t.Fatalf("findings %+v suppressed %d", rep.Findings, rep.Summary.Suppressed)
	}

	off := false
	cfg := &config.Config{Rules: map[string]config.RuleConfig{"removed-api": {Enabled: &off}}}
	rep, err = Run(context.Background(), Options{Target: target, Config: cfg, Render: render.Options{Paths: []string{p}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("disabled rule still reported: %+v", rep.Findings)
	}

	cfg = &config.Config{Rules: map[string]config.RuleConfig{"removed-api": {Severity: "warning"}}}
	rep, _ = Run(context.Background(), Options{Target: target, Config: cfg, FailOn: model.SeverityError, Render: render.Options{Paths: []string{p}}})
	if len(rep.Findings) != 1 || rep.Findings[0].Severity != model.SeverityWarning || rep.ExitCode != ExitOK {
		t.Errorf("severity override: %+v exit %d", rep.Findings, rep.ExitCode)
	}

	cfg = &config.Config{Path: "x.yaml", Rules: map[string]config.RuleConfig{"no-such-rule": {}}}
	if _, err := Run(context.Background(), Options{Target: target, Config: cfg, Render: render.Options{Paths: []string{p}}}); err == nil || !strings.Contains(err.Error(), "no-such-rule") {
		t.Errorf("unknown rule in config: err = %v", err)
	}
}

func TestCurrentVersionTiming(t *testing.T) {
	rep, err := Run(context.Background(), Options{
		Target: kubeversion.MustParse("1.27"), Current: kubeversion.MustParse("1.24"),
		Render: render.Options{Paths: []string{"../../testdata/manifests/removed-apis/removed-in-1.25.yaml", "../../testdata/manifests/removed-apis/removed-in-1.22.yaml", "../../testdata/manifests/removed-apis/removed-in-1.26.yaml"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range rep.Findings {
		switch {
		case f.Kind == "CronJob":
			checked++
			if f.Timing != "upgrade" || f.Hop != "1.24→1.25" {
				t.Errorf("CronJob: timing %q hop %q", f.Timing, f.Hop)
			}
		case f.APIVersion == "networking.k8s.io/v1beta1" && f.Kind == "Ingress":
			checked++
			if f.Timing != "current" {
				t.Errorf("Ingress v1beta1: timing %q, want current", f.Timing)
			}
		case f.APIVersion == "autoscaling/v2beta2":
			checked++
			if f.Timing != "upgrade" || f.Hop != "1.25→1.26" {
				t.Errorf("HPA v2beta2: timing %q hop %q", f.Timing, f.Hop)
			}
		}
	}
	if checked != 3 {
		t.Errorf("checked %d findings, want 3", checked)
	}
	if _, err := Run(context.Background(), Options{Target: kubeversion.MustParse("1.25"), Current: kubeversion.MustParse("1.27"), Render: render.Options{Paths: []string{"."}}}); err == nil {
		t.Error("current newer than target must be an error")
	}
}

// TestDeterministic scans the fixtures with one and many workers and
// compares the findings.
func TestDeterministic(t *testing.T) {
	scanWith := func(workers int) []model.Finding {
		rep, err := Run(context.Background(), Options{Target: kubeversion.MustParse("1.33"), Render: render.Options{Paths: []string{"../../testdata/manifests"}, Workers: workers}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Findings
	}
	a, b := scanWith(1), scanWith(8*runtime.GOMAXPROCS(0))
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d vs %d findings", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("finding %d differs:\n%+v\n%+v", i, a[i], b[i])
		}
	}
}

func TestTargetOutsideData(t *testing.T) {
	db := kubeversion.Default()
	_, err := Run(context.Background(), Options{Target: db.Newest().Next(), Render: render.Options{Paths: []string{"."}}})
	if err == nil || !strings.Contains(err.Error(), db.Newest().String()) {
		t.Errorf("err = %v, want it to name the newest version %s", err, db.Newest())
	}
}

// TestCRDServedVersions: CRDs in the scan decide removed-api and
// deprecated-api for their custom resources.
func TestCRDServedVersions(t *testing.T) {
	rep := scanAt(t, kubeversion.MustParse("1.33"), "../../testdata/manifests/schema/crd")
	got := map[string]string{}
	for _, f := range rep.Findings {
		if f.Rule == "removed-api" || f.Rule == "deprecated-api" {
			got[f.Name] = f.Rule + ": " + f.Message
		}
	}
	want := map[string]string{
		"old":               "deprecated-api: example.com/v1beta1 Widget is deprecated by CRD widgets.example.com: example.com/v1beta1 Widget is deprecated; use example.com/v1",
		"unserved":          "removed-api: example.com/v1alpha1 Widget is not served: CRD widgets.example.com marks version v1alpha1 served: false; use example.com/v1 or example.com/v1beta1",
		"undefined-version": "removed-api: example.com/v2 Widget is not served: CRD widgets.example.com does not define version v2; use example.com/v1 or example.com/v1beta1",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %q\nwant %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d API findings, want %d: %v", len(got), len(want), got)
	}
}

func TestOldTargetSkipsSchemasWithNotice(t *testing.T) {
	rep := scanAt(t, kubeversion.MustParse("1.22"), "../../testdata/manifests/current")
	if len(rep.Notices) != 1 || !strings.Contains(rep.Notices[0], "schema validation skipped") {
		t.Errorf("notices = %v", rep.Notices)
	}
}

// TestCorpusDeterministic scans the whole shared corpus (charts, overlays,
// manifests) with one and with many workers, twice, and compares the
// findings exactly.
func TestCorpusDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-corpus scan")
	}
	dir := testcorpus.Dir(t)
	scanWith := func(workers int) []model.Finding {
		rep, err := Run(context.Background(), Options{Target: kubeversion.MustParse("1.33"), Render: render.Options{Paths: []string{dir}, Workers: workers}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Findings
	}
	a, b := scanWith(1), scanWith(4)
	if len(a) != len(b) || len(a) < 1000 {
		t.Fatalf("%d vs %d findings", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("finding %d differs:\n%+v\n%+v", i, a[i], b[i])
		}
	}
}

// TestCorpusChartsSchema: the current corpus charts, rendered for 1.33,
// validate cleanly for every built-in kind; the one real upstream problem
// (velero's locations with provider: null under default values) is found.
func TestCorpusChartsSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every corpus chart")
	}
	dir := filepath.Join(testcorpus.Dir(t), "helm", "current")
	rep := scanAt(t, kubeversion.MustParse("1.33"), dir)
	velero := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule != "schema-invalid" {
			continue
		}
		if strings.Contains(f.File, "/velero/") && f.FieldPath == "spec.provider" {
			velero[f.Kind] = true
			continue
		}
		t.Errorf("unexpected schema-invalid at %s:%d on %s: %s", f.File, f.Line, f.Ref(), f.Message)
	}
	if !velero["BackupStorageLocation"] || !velero["VolumeSnapshotLocation"] {
		t.Errorf("velero provider: null not reported: %v", velero)
	}
}

// TestCorpusAddonsDetected renders the current corpus charts (the two that
// need a value get it through per-chart settings) and checks that every
// addon among them is detected from the rendered objects with the version
// its chart ships.
func TestCorpusAddonsDetected(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every corpus chart")
	}
	dir := filepath.Join(testcorpus.Dir(t), "helm", "current")
	res, err := Render(context.Background(), Options{Target: kubeversion.MustParse("1.33"), Render: render.Options{
		Paths: []string{dir},
		Helm: render.HelmOptions{Charts: map[string]render.ChartConfig{
			filepath.Join(dir, "aws-load-balancer-controller"): {Set: map[string]string{"clusterName": "prod"}},
			filepath.Join(dir, "external-dns"):                 {Set: map[string]string{"policy": "sync"}},
			filepath.Join(dir, "cluster-autoscaler"):           {Set: map[string]string{"autoDiscovery.clusterName": "prod"}},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range addons.Default().Detect(res.Objects) {
		v := d.Version
		if v == "" {
			v = "unknown: " + d.Unknown
		}
		got[d.Addon+" "+filepath.Base(d.Origin)] = v
	}
	for key, want := range map[string]string{
		"argo-cd argo-cd": "v3.4.4",
		"aws-load-balancer-controller aws-load-balancer-controller": "v3.5.0",
		"cert-manager cert-manager":                                 "unknown",
		"cilium cilium":                                             "v1.19.6",
		"cluster-autoscaler cluster-autoscaler":                     "v1.35.0",
		"external-dns external-dns":                                 "v0.21.0",
		"gatekeeper gatekeeper":                                     "v3.24.0-beta.0",
		"ingress-nginx ingress-nginx":                               "v1.15.1",
		"kube-state-metrics kube-state-metrics":                     "v2.20.0",
		"kyverno kyverno":                                           "v1.14.4",
		"metrics-server metrics-server":                             "v0.8.1",
		"velero velero":                                             "v1.18.1",
	} {
		if !strings.HasPrefix(got[key], want) {
			t.Errorf("%s: detected %q, want %s", key, got[key], want)
		}
	}
}
