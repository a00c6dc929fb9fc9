package addons

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

const fixtures = "../../testdata/manifests/addons"

func decodeFile(t *testing.T, name string) []*model.Object {
	t.Helper()
	p := filepath.Join(fixtures, name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	objs, probs := render.DecodeBytes(b, render.DecodeOptions{File: p, Exact: true})
	if len(probs) > 0 {
		t.Fatalf("%s: %v", p, probs)
	}
	return objs
}

func find(dets []Detection, addon, ns string) (Detection, bool) {
	for _, d := range dets {
		if d.Addon == addon && d.Namespace == ns {
			return d, true
		}
	}
	return Detection{}, false
}

func kinds(vs []Verdict) string {
	var ks []string
	for _, v := range vs {
		ks = append(ks, string(v.Kind))
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func suggestion(vs []Verdict) string {
	for _, v := range vs {
		if v.Kind != Retired && v.Suggest != "" {
			return v.Suggest
		}
	}
	return ""
}

// TestAddonFixtures checks every covered addon: the version in namespace
// "ok" fits the target, the one in "old" does not and the verdict names the
// version to move to.
func TestAddonFixtures(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addon, ns, target string
		version, kinds    string
		suggest           string
	}{
		{"ingress-nginx", "ok", "1.33", "v1.13.2", "retired", ""},
		{"ingress-nginx", "old", "1.33", "v1.9.4", "incompatible,retired", "1.13.0"},
		{"cert-manager", "ok", "1.33", "v1.18.2", "", ""},
		{"cert-manager", "old", "1.33", "v1.13.3", "incompatible", "1.17.0"},
		{"metrics-server", "ok", "1.33", "v0.7.2", "", ""},
		{"metrics-server", "old", "1.33", "v0.9.0", "incompatible", "0.8.0"},
		{"cluster-autoscaler", "ok", "1.33", "v1.33.0", "", ""},
		{"cluster-autoscaler", "old", "1.33", "v1.30.2", "skew", "1.33.0"},
		{"coredns", "ok", "1.33", "v1.12.0", "", ""},
		{"coredns", "old", "1.33", "v1.11.1", "untested", "1.12.0"},
		{"kube-state-metrics", "ok", "1.33", "v2.17.0", "", ""},
		{"kube-state-metrics", "old", "1.33", "v2.10.1", "untested", "2.17.0"},
		{"cilium", "ok", "1.33", "v1.18.4", "", ""},
		{"cilium", "old", "1.33", "v1.15.6", "untested", "1.18.0"},
		{"calico", "ok", "1.30", "v3.29.1", "", ""},
		{"calico", "old", "1.30", "v3.25.0", "untested", "3.28.0"},
		{"argo-cd", "ok", "1.33", "v3.1.0", "", ""},
		{"argo-cd", "old", "1.33", "v2.12.3", "untested", "3.1.0"},
		{"flux", "ok", "1.32", "v2.6.0", "", ""},
		{"flux", "old", "1.32", "v2.8.0", "incompatible", "2.7.0"},
		{"kyverno", "ok", "1.31", "v1.13.4", "", ""},
		{"kyverno", "old", "1.31", "v1.10.7", "incompatible", "1.13.0"},
		{"gatekeeper", "ok", "1.33", "v3.23.0", "", ""},
		{"gatekeeper", "old", "1.34", "v3.23.1", "untested", ""},
		{"prometheus-operator", "ok", "1.33", "v0.85.0", "", ""},
		{"prometheus-operator", "old", "1.15", "v0.86.1", "incompatible", ""},
		{"velero", "ok", "1.33", "v1.16.2", "", ""},
		{"velero", "old", "1.33", "v1.13.2", "untested", "1.16.0"},
		{"aws-load-balancer-controller", "ok", "1.33", "v2.8.1", "", ""},
		{"aws-load-balancer-controller", "old", "1.33", "v2.3.1", "incompatible", "2.4.0"},
		{"external-dns", "ok", "1.33", "v0.18.0", "", ""},
		{"external-dns", "old", "1.33", "v0.14.2", "incompatible", "0.18.0"},
		{"istio", "ok", "1.33", "1.27.1-distroless", "", ""},
		{"istio", "old", "1.33", "1.22.3", "incompatible", "1.27.0"},
		{"linkerd", "ok", "1.33", "enterprise-2.19.1", "", ""},
		{"linkerd", "old", "1.33", "stable-2.14.10", "incompatible", "2.19.0"},
		{"karpenter", "ok", "1.33", "1.6.2", "", ""},
		{"karpenter", "old", "1.33", "0.37.0", "incompatible", "1.5.0"},
		{"aws-ebs-csi-driver", "ok", "1.33", "v1.30.0", "", ""},
		{"aws-ebs-csi-driver", "old", "1.12", "v1.30.0", "incompatible", "0.1.0"},
	}
	for _, tc := range tests {
		t.Run(tc.addon+"/"+tc.ns, func(t *testing.T) {
			dets := m.Detect(decodeFile(t, tc.addon+".yaml"))
			d, ok := find(dets, tc.addon, tc.ns)
			if !ok {
				t.Fatalf("%s not detected in namespace %s; got %+v", tc.addon, tc.ns, dets)
			}
			if d.Version != tc.version {
				t.Errorf("version %q, want %q (from %s)", d.Version, tc.version, d.VersionFrom)
			}
			vs := m.Check(d, kubeversion.MustParse(tc.target))
			if got := kinds(vs); got != tc.kinds {
				t.Errorf("verdicts %q, want %q: %+v", got, tc.kinds, vs)
			}
			if got := suggestion(vs); got != tc.suggest {
				t.Errorf("suggestion %q, want %q", got, tc.suggest)
			}
			for _, v := range vs {
				if v.Kind == Incompatible || v.Kind == Untested {
					if !strings.Contains(v.Message, d.Version) || !strings.Contains(v.Message, tc.target) {
						t.Errorf("message %q does not name the version and target", v.Message)
					}
					if tc.suggest != "" && !strings.Contains(v.Message, tc.suggest) {
						t.Errorf("message %q does not name %s", v.Message, tc.suggest)
					}
					if !v.Verified && !strings.HasPrefix(v.Message, "unverified data: ") {
						t.Errorf("unverified verdict not marked: %q", v.Message)
					}
				}
			}
		})
	}
}

func TestDetectSpecial(t *testing.T) {
	m := Default()
	dets := m.Detect(decodeFile(t, "special.yaml"))
	target := kubeversion.MustParse("1.33")
	tests := []struct {
		addon, ns, version, kinds, path string
	}{
		// Digest-only: detected, version unknown.
		{"cert-manager", "digest", "", "unknown-version", "spec.template.spec.containers[0].image"},
		// latest tag in a CronJob.
		{"velero", "latest", "", "unknown-version", "spec.jobTemplate.spec.template.spec.containers[0].image"},
		// Registry moves: the old and new registry read the same.
		{"ingress-nginx", "moved-old", "v1.9.4", "incompatible,retired", "spec.template.spec.containers[0].image"},
		{"ingress-nginx", "moved-new", "v1.9.4", "incompatible,retired", "spec.template.spec.containers[0].image"},
		// Pre-1.21 CoreDNS image name without the coredns/ path and "v".
		{"coredns", "kube-system", "1.7.0", "untested", "spec.template.spec.containers[0].image"},
		// Chart label mapped to the controller version (exact chart 4.11.3 entry).
		{"ingress-nginx", "chart", "1.11.3", "incompatible,retired", `metadata.labels["helm.sh/chart"]`},
	}
	for _, tc := range tests {
		t.Run(tc.addon+"/"+tc.ns, func(t *testing.T) {
			d, ok := find(dets, tc.addon, tc.ns)
			if !ok {
				t.Fatalf("not detected; got %+v", dets)
			}
			if d.Version != tc.version {
				t.Errorf("version %q, want %q", d.Version, tc.version)
			}
			if got := kinds(m.Check(d, target)); got != tc.kinds {
				t.Errorf("verdicts %q, want %q", got, tc.kinds)
			}
			if p := d.Primary().Path; p != tc.path {
				t.Errorf("path %q, want %q", p, tc.path)
			}
		})
	}
	// CRDs alone are a fallback: velero and cert-manager are detected from
	// workloads, so their CRDs add no separate detection.
	for _, d := range dets {
		if !d.hasNonCRD() {
			t.Errorf("CRD-only detection kept although the addon has workloads: %+v", d)
		}
	}
	// Without the workloads the CRD is enough, with no version.
	var crds []*model.Object
	for _, o := range decodeFile(t, "special.yaml") {
		if o.Kind == "CustomResourceDefinition" {
			crds = append(crds, o)
		}
	}
	got := m.Detect(crds)
	if len(got) != 2 || got[0].Addon != "cert-manager" || got[1].Addon != "velero" || got[0].Version != "" {
		t.Errorf("CRD-only detections = %+v", got)
	}
	if vs := m.Check(got[0], target); len(vs) != 0 {
		t.Errorf("CRD-only detection should have no verdicts, got %+v", vs)
	}
}

func TestParseImage(t *testing.T) {
	tests := []struct{ in, repo, tag, digest string }{
		{"registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:abc", "ingress-nginx/controller", "v1.15.1", "sha256:abc"},
		{"localhost:5000/velero/velero:v1.16.2", "velero/velero", "v1.16.2", ""},
		{"my.registry:5000/velero/velero", "velero/velero", "", ""},
		{"nginx", "nginx", "", ""},
		{"docker.io/library/nginx:1.27", "nginx", "1.27", ""},
		{"openpolicyagent/gatekeeper:v3.23.1", "openpolicyagent/gatekeeper", "v3.23.1", ""},
	}
	for _, tc := range tests {
		r := parseImage(tc.in)
		if r.Repo != tc.repo || r.Tag != tc.tag || r.Digest != tc.digest {
			t.Errorf("parseImage(%q) = %+v", tc.in, r)
		}
	}
	if hasSuffix("my-controller", "controller") || !hasSuffix("mirror/ingress-nginx/controller", "ingress-nginx/controller") {
		t.Error("hasSuffix must match on path boundaries")
	}
}

func TestSplitChartLabel(t *testing.T) {
	tests := []struct{ in, name, ver string }{
		{"ingress-nginx-4.15.1", "ingress-nginx", "4.15.1"},
		{"cert-manager-v1.21.2", "cert-manager", "v1.21.2"},
		{"kube-prometheus-stack-88.5.3", "kube-prometheus-stack", "88.5.3"},
		{"gatekeeper-3.24.0-beta.0", "gatekeeper", "3.24.0-beta.0"},
		{"k8s-1-thing-1.0.0", "k8s-1-thing", "1.0.0"},
		{"noversion", "noversion", ""},
	}
	for _, tc := range tests {
		n, v := splitChartLabel(tc.in)
		if n != tc.name || v != tc.ver {
			t.Errorf("splitChartLabel(%q) = %q, %q", tc.in, n, v)
		}
	}
}

func TestEmbeddedData(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"argo-cd", "aws-ebs-csi-driver", "aws-load-balancer-controller", "calico", "cert-manager", "cilium",
		"cluster-autoscaler", "coredns", "external-dns", "flux", "gatekeeper", "ingress-nginx", "istio", "karpenter",
		"kube-prometheus", "kube-state-metrics", "kyverno", "linkerd", "metrics-server", "prometheus-operator", "velero"}
	var got []string
	for _, a := range m.Addons() {
		got = append(got, a.Name)
		for _, r := range a.Versions {
			if r.AsOf == "" {
				t.Errorf("%s row %s: asOf missing", a.Name, r.Versions)
			}
		}
		if a.URL == "" || a.Description == "" {
			t.Errorf("%s: url and description are required", a.Name)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("addons = %v", got)
	}
	if a, _ := m.Addon("ingress-nginx"); !a.Retired {
		t.Error("ingress-nginx must be retired")
	}
	if a, _ := m.Addon("cluster-autoscaler"); !a.MustMatchClusterMinor {
		t.Error("cluster-autoscaler must match the cluster minor")
	}
}

func TestMerge(t *testing.T) {
	m := Default()
	user := []byte(`addons:
  - name: cert-manager
    versions:
      - {versions: ">=1.13.0 <1.14.0", kind: supported, k8sMin: "1.21", k8sMax: "1.33", source: "internal testing", asOf: "2026-11-01", verified: true}
  - name: acme-operator
    description: in-house operator
    detect:
      images: [acme/operator]
    versions:
      - {versions: "<2.0.0", kind: supported, k8sMax: "1.30", source: "team wiki", asOf: "2026-11-01", verified: false}
`)
	if err := m.Merge(user); err != nil {
		t.Fatal(err)
	}
	// The embedded default is unchanged.
	if a, _ := Default().Addon("cert-manager"); a.Versions[0].Source == "internal testing" {
		t.Fatal("Merge modified the embedded matrix")
	}
	objs, _ := render.DecodeBytes([]byte(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec:
  containers:
    - {name: a, image: "quay.io/jetstack/cert-manager-controller:v1.13.3"}
    - {name: b, image: "registry.example.com/acme/operator:1.4.0"}
`), render.DecodeOptions{File: "pod.yaml"})
	dets := m.Detect(objs)
	target := kubeversion.MustParse("1.33")
	if len(dets) != 2 {
		t.Fatalf("detections = %+v", dets)
	}
	if vs := m.Check(dets[1], target); kinds(vs) != "" {
		t.Errorf("user row should make cert-manager 1.13 fine on 1.33: %+v", vs)
	}
	vs := m.Check(dets[0], target)
	if kinds(vs) != "incompatible" || !strings.HasPrefix(vs[0].Message, "unverified data: acme-operator 1.4.0") {
		t.Errorf("in-house addon verdicts = %+v", vs)
	}

	for _, bad := range []string{
		"name: x\nversions: [{versions: '>=1', kind: supported, k8sMin: '1.20', source: s, asOf: d}]", // verified missing
		"name: x\nversions: [{versions: '>=1', kind: maybe, k8sMin: '1.20', source: s, asOf: d, verified: true}]",
		"name: x\nversions: [{versions: 'nope', kind: minimum, k8sMin: '1.20', source: s, asOf: d, verified: true}]",
		"name: X Y",
		"name: [",
	} {
		if err := Default().Merge([]byte(bad)); err == nil {
			t.Errorf("Merge(%q) succeeded", bad)
		}
	}
	if err := Default().LoadFile("does-not-exist.yaml"); err == nil || !strings.Contains(err.Error(), "does-not-exist.yaml") {
		t.Errorf("LoadFile error %v should name the file", err)
	}
}

func TestLowerBound(t *testing.T) {
	tests := map[string]string{
		">=1.15.0 <1.16.0": "1.15.0",
		"~1.2":             "1.2.0",
		"1.3.x":            "1.3.0",
		"=1.14.6":          "1.14.6",
		"<0.10.0":          "",
		">1.2.3":           "1.2.4",
		"1.2.x || >=2.0.0": "1.2.0",
	}
	for in, want := range tests {
		got := ""
		if v := lowerBound(in); v != nil {
			got = v.String()
		}
		if got != want {
			t.Errorf("lowerBound(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	m := Default()
	dets := m.Detect(decodeFile(t, "ingress-nginx.yaml"))
	var buf bytes.Buffer
	if err := WriteTable(&buf, m, kubeversion.MustParse("1.33"), dets); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"ADDON", "AT KUBERNETES 1.33",
		"cert-manager", "supported from 1.17.0",
		"cluster-autoscaler", "use 1.33.x",
		"ingress-nginx", "retired; supported from 1.13.0",
		"v1.9.4", "incompatible (use 1.13.0)",
		"calico", "(some unverified)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	var again bytes.Buffer
	_ = WriteTable(&again, m, kubeversion.MustParse("1.33"), dets)
	if again.String() != out {
		t.Error("WriteTable output is not deterministic")
	}
}

// TestRowsConsistent checks that rows of one kind that overlap agree on the
// window, and that generated files carry their provenance.
func TestRowsConsistent(t *testing.T) {
	m := Default()
	for _, a := range m.Addons() {
		for i, r := range a.Versions {
			lb := lowerBound(r.Versions)
			if lb == nil {
				continue
			}
			if !r.Matches(lb) {
				t.Errorf("%s row %q does not match its own lower bound %s", a.Name, r.Versions, lb)
			}
			for j, o := range a.Versions {
				if i == j || o.Kind != r.Kind || !o.Matches(lb) {
					continue
				}
				if o.Window() != r.Window() {
					t.Errorf("%s: rows %q (%s) and %q (%s) overlap with different windows", a.Name, r.Versions, r.Window(), o.Versions, o.Window())
				}
			}
		}
	}
	for _, name := range []string{"argo-cd", "cilium", "coredns", "flux", "karpenter", "kube-state-metrics", "prometheus-operator"} {
		b, err := dataFS.ReadFile("data/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.HasPrefix(s, "# Code generated by internal/gen/addons; DO NOT EDIT.") || !strings.Contains(s, "# Inputs:\n#   ") {
			t.Errorf("%s.yaml lacks the generated header and provenance", name)
		}
	}
}

func TestLoadWith(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "inhouse.yaml")
	if err := os.WriteFile(f, []byte("name: acme\ndetect: {images: [acme/op]}\nversions: []\n---\nname: istio\nretired: true\nretiredNote: test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := LoadWith(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Addon("acme"); !ok {
		t.Error("in-house addon missing")
	}
	if a, _ := m.Addon("istio"); !a.Retired || len(a.Versions) == 0 {
		t.Errorf("override lost data: %+v", a)
	}
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte("name: x\nversions: [{versions: '>=1', kind: tested, source: s, asOf: d, verified: true}]\n"), 0o644)
	if _, err := LoadWith(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("error %v should name the file", err)
	}
}

// A Chart.yaml that is a symlink to a device or out of the chart is an
// error, never a hang or a read of the target.
func TestDetectChartDirRefusesSpecialFiles(t *testing.T) {
	for _, target := range []string{"/dev/zero", "/etc/hostname"} {
		dir := t.TempDir()
		if err := os.Symlink(target, filepath.Join(dir, "Chart.yaml")); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := Default().DetectChartDir(dir)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "outside the scanned tree") {
				t.Errorf("Chart.yaml -> %s: %v", target, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Chart.yaml -> %s: blocked", target)
		}
	}
}

// Versions the data does not reach get a verdict that says so: older than
// the oldest row is a warning, newer than the newest an info.
func TestCheckVersionsOutsideTheData(t *testing.T) {
	m := Default()
	target := kubeversion.MustParse("1.33")
	for _, tc := range []struct {
		chart, app string
		kind       VerdictKind
		want       string
	}{
		{"argo-cd", "v1.7.0", Untested, "argo-cd v1.7.0 (chart argo-cd 1.0.0 appVersion) is older than every release in the compatibility data (it starts at"},
		{"metrics-server", "v0.1.0", Untested, "metrics-server v0.1.0 (chart metrics-server 1.0.0 appVersion) is older than every release in the compatibility data"},
		{"argo-cd", "v99.0.0", UnknownVersion, "argo-cd v99.0.0 (chart argo-cd 1.0.0 appVersion) is newer than the compatibility data"},
	} {
		d, ok := m.DetectChart(tc.chart, "1.0.0", tc.app)
		if !ok {
			t.Fatalf("%s not detected", tc.chart)
		}
		vs := m.Check(d, target)
		if len(vs) != 1 || vs[0].Kind != tc.kind || !strings.Contains(vs[0].Message, tc.want) {
			t.Errorf("%s %s: verdicts %+v, want one %s containing %q", tc.chart, tc.app, vs, tc.kind, tc.want)
		}
	}
}

// What objects showed and what charts and declarations say are one list:
// a version from Chart.yaml replaces a CRDs-only detection of the same
// instance, and one Chart.yaml read twice is one detection.
func TestMergeDetections(t *testing.T) {
	m := Default()
	chart, ok := m.DetectChart("cluster-autoscaler", "9.59.0", "1.35.0")
	if !ok {
		t.Fatal("cluster-autoscaler chart not detected")
	}
	chart.Origin, chart.File, chart.Line = "charts/ca", "charts/ca/Chart.yaml", 4
	crdsOnly := Detection{Addon: "cluster-autoscaler", Origin: "charts/ca"}
	got := MergeDetections([]Detection{crdsOnly}, []Detection{chart, chart})
	if len(got) != 1 || got[0].Version != "1.35.0" || got[0].File != "charts/ca/Chart.yaml" {
		t.Errorf("merged %+v, want the one Chart.yaml detection", got)
	}
	imaged := chart
	imaged.File, imaged.Line = "", 0
	got = MergeDetections([]Detection{imaged}, []Detection{chart})
	if len(got) != 1 || got[0].File != "" {
		t.Errorf("merged %+v, want the detection from objects only", got)
	}
}
