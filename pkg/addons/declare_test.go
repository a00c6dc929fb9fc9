package addons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

func TestFloating(t *testing.T) {
	for v, want := range map[string]bool{
		"": true, "*": true, "HEAD": true, "latest": true, "1.x": true, "4.X": true, "1.2.*": true,
		">=1.2": true, "~1.2.0": true, "^1": true, "~> 1.18": true, "1.2 - 1.4": true, "1 || 2": true,
		"1": true, "1.2": true,
		"1.2.3": false, "v1.12.0": false, "4.7.3": false, "1.0.0-rc.1": false,
	} {
		if got := Floating(v); got != want {
			t.Errorf("Floating(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestChartBase(t *testing.T) {
	for in, want := range map[string]string{
		"cert-manager":                                 "cert-manager",
		"jetstack/cert-manager":                        "cert-manager",
		"oci://quay.io/jetstack/charts/cert-manager":   "cert-manager",
		"oci://ghcr.io/org/charts/ingress-nginx:4.7.3": "ingress-nginx",
	} {
		if got := chartBase(in); got != want {
			t.Errorf("chartBase(%q) = %q, want %q", in, got, want)
		}
	}
}

// decodeText decodes an inline manifest as a scanned file would be.
func decodeText(t *testing.T, text string) []*Detection {
	t.Helper()
	objs, probs := render.DecodeBytes([]byte(text), render.DecodeOptions{File: "decl.yaml", Exact: true})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var out []*Detection
	for _, d := range Default().Detect(objs) {
		out = append(out, &d)
	}
	return out
}

func TestDetectDeclarations(t *testing.T) {
	dets := decodeText(t, `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ingress, namespace: edge}
spec:
  chart:
    spec:
      chart: ingress-nginx
      version: "4.9.1"
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: certs, namespace: certs}
spec:
  chartRef: {kind: OCIRepository, name: cm}
---
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: cm, namespace: certs}
spec:
  url: oci://quay.io/jetstack/charts/cert-manager
  ref:
    semver: ">=1.15.0"
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: dangling, namespace: certs}
spec:
  chartRef: {kind: OCIRepository, name: missing}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: podinfo, namespace: argocd}
spec:
  source:
    repoURL: https://stefanprodan.github.io/podinfo
    chart: podinfo
    targetRevision: 6.5.0
`)
	if len(dets) != 2 {
		t.Fatalf("got %d detections, want 2 (podinfo is no addon, a dangling chartRef declares nothing): %+v", len(dets), dets)
	}
	cm, ing := dets[0], dets[1]
	if cm.Addon != "cert-manager" || cm.Semver() != nil || !strings.Contains(cm.Unknown, `">=1.15.0", a floating version`) {
		t.Errorf("cert-manager: %+v", cm)
	}
	if p := cm.Primary(); p.Object == nil || p.Object.Kind != "OCIRepository" || p.Path != "spec.ref.semver" {
		t.Errorf("cert-manager evidence at %+v, want the OCIRepository's spec.ref.semver", p)
	}
	if l, _ := cm.Primary().Object.PosOf(cm.Primary().Path); l != 22 {
		t.Errorf("cert-manager version line %d, want 22", l)
	}
	// Chart 4.9.1 ships controller 1.9.6 (Chart.yaml appVersion at helm-chart-4.9.1).
	if ing.Addon != "ingress-nginx" || ing.Version != "1.9.6" || ing.Namespace != "edge" {
		t.Errorf("ingress-nginx: %+v", ing)
	}
	vs := Default().Check(*ing, kubeversion.MustParse("1.33"))
	if got := kinds(vs); got != "incompatible,retired" {
		t.Errorf("ingress-nginx 1.9.6 at 1.33: verdicts %q", got)
	}
	if got := kinds(Default().Check(*cm, kubeversion.MustParse("1.33"))); got != "unknown-version" {
		t.Errorf("floating cert-manager: verdicts %q", got)
	}
}

func TestIngressNginxChartMapBefore410(t *testing.T) {
	m := Default()
	for chart, app := range map[string]string{
		"4.0.1": "1.0.0", "4.2.5": "1.3.1", "4.3.0": "1.4.0", "4.4.2": "1.5.1", "4.5.2": "1.6.4",
		"4.7.3": "1.8.4", "4.8.3": "1.9.4", "4.9.0": "1.9.5", "4.10.1": "1.10.1",
		"4.15.9": "1.15.0", // not tagged: the 4.N → 1.N range
	} {
		d, ok := m.DetectDeclared(Declared{Kind: "test", Chart: "ingress-nginx", Version: chart})
		if !ok || d.Version != app {
			t.Errorf("chart %s: version %q, want %q", chart, d.Version, app)
		}
	}
	// An untagged pre-4.10 chart maps to nothing rather than a guess.
	if d, _ := m.DetectDeclared(Declared{Kind: "test", Chart: "ingress-nginx", Version: "4.7.4"}); d.Version != "" || d.Unknown == "" {
		t.Errorf("chart 4.7.4: %+v, want no version and a reason", d)
	}
}

func TestDetectFiles(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(dir, "platform")
	overlay := filepath.Join(dir, "overlay")
	tf := filepath.Join(dir, "tf")
	for _, d := range []string{chart, overlay, tf} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(chart, "Chart.yaml"), "apiVersion: v2\nname: platform\nversion: 0.1.0\ndependencies:\n  - name: cert-manager\n    repository: https://charts.jetstack.io\n    version: v1.12.0\n  - name: podinfo\n    version: 6.0.0\n  - name: metrics-server\n    version: 3.8.0\n  - name: ingress-nginx\n    version: 4.7.3\n")
	// A vendored dependency is left to the renderer (and its condition).
	if err := os.MkdirAll(filepath.Join(chart, "charts", "metrics-server"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(chart, "charts", "metrics-server", "Chart.yaml"), "apiVersion: v2\nname: metrics-server\nversion: 3.8.0\n")
	write(filepath.Join(chart, "charts", "ingress-nginx-4.7.3.tgz"), "not read")
	write(filepath.Join(overlay, "kustomization.yaml"), "helmCharts:\n- name: ingress-nginx\n  version: 4.x\n")
	write(filepath.Join(tf, "a.tf"), "resource \"helm_release\" \"x\" {\n  chart = \"ingress-nginx\"\n  version = \"4.8.3\"\n}\n")
	write(filepath.Join(tf, "b.tf"), "resource \"helm_release\" \"y\" {\n")
	dets, errs := Default().DetectFiles(FileInputs{Charts: []string{chart}, Overlays: []string{overlay}, TerraformDirs: []string{tf, tf}})
	if len(errs) != 1 || errs[0].File != filepath.ToSlash(filepath.Join(tf, "b.tf")) || errs[0].Line != 1 {
		t.Errorf("errors %+v, want one for b.tf at line 1", errs)
	}
	type got struct {
		addon, version, file string
		line                 int
	}
	want := []got{
		{"cert-manager", "1.12.0", filepath.ToSlash(filepath.Join(chart, "Chart.yaml")), 7},
		{"ingress-nginx", "", filepath.ToSlash(filepath.Join(overlay, "kustomization.yaml")), 3},
		{"ingress-nginx", "1.9.4", filepath.ToSlash(filepath.Join(tf, "a.tf")), 3},
	}
	if len(dets) != len(want) {
		t.Fatalf("got %d detections, want %d: %+v", len(dets), len(want), dets)
	}
	for i, w := range want {
		d := dets[i]
		if g := (got{d.Addon, d.Version, d.File, d.Line}); g != w {
			t.Errorf("detection %d = %+v, want %+v", i, g, w)
		}
	}
	if !strings.Contains(dets[1].Unknown, `"4.x", a floating version`) {
		t.Errorf("helmCharts 4.x: unknown %q", dets[1].Unknown)
	}
}

func TestChartMapsFromChartYAML(t *testing.T) {
	m := Default()
	for _, tc := range []struct{ chart, version, app string }{
		{"metrics-server", "3.8.2", "0.6.1"},
		{"metrics-server", "3.12.0", "0.7.0"},
		{"external-dns", "1.14.4", "0.14.1"},
		{"external-dns", "1.9.0", "0.11.0"},
	} {
		d, ok := m.DetectDeclared(Declared{Kind: "test", Chart: tc.chart, Version: tc.version})
		if !ok || d.Version != tc.app {
			t.Errorf("%s chart %s: version %q, want %q", tc.chart, tc.version, d.Version, tc.app)
		}
	}
}
