package rules

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

func TestAddonIncompatible(t *testing.T) {
	user := addons.Default()
	if err := user.Merge([]byte(`name: cert-manager
versions:
  - {versions: ">=1.13.0 <1.14.0", kind: supported, k8sMin: "1.21", k8sMax: "1.33", source: "in-house tests", asOf: "2026-11-01", verified: true}
`)); err != nil {
		t.Fatal(err)
	}
	fired, clean := checkAddonRule(t, AddonIncompatible, []addonCase{
		{name: "ingress-nginx", files: []string{"ingress-nginx.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "ingress-nginx v1.9.4 (image registry.k8s.io/ingress-nginx/controller:v1.9.4) supports Kubernetes 1.25–1.28, not 1.33; the first ingress-nginx version that supports 1.33 is 1.13.0"}},
		{name: "cert-manager", files: []string{"cert-manager.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "the first cert-manager version that supports 1.33 is 1.17.0"}},
		{name: "cert-manager user override", files: []string{"cert-manager.yaml"}, target: "1.33", env: &Inputs{Addons: user},
			want: map[string]string{"ok": "", "old": ""}},
		{name: "metrics-server too new", files: []string{"metrics-server.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "needs Kubernetes 1.34 or later, the target 1.33 is older; the newest metrics-server version that supports 1.33 is 0.8.0"}},
		{name: "flux minimum", files: []string{"flux.yaml"}, target: "1.32",
			want: map[string]string{"ok": "", "old": "flux v2.8.0 (label app.kubernetes.io/version=v2.8.0) needs Kubernetes 1.33 or later"}},
		{name: "kyverno", files: []string{"kyverno.yaml"}, target: "1.31",
			want: map[string]string{"ok": "", "old": "the first kyverno version that supports 1.31 is 1.13.0"}},
		{name: "external-dns", files: []string{"external-dns.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 0.18.0"}},
		{name: "istio", files: []string{"istio.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "istio 1.22.3 (image docker.io/istio/proxyv2:1.22.3) supports Kubernetes 1.27–1.30, not 1.33; the first istio version that supports 1.33 is 1.27.0"}},
		{name: "linkerd", files: []string{"linkerd.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 2.19.0"}},
		{name: "karpenter", files: []string{"karpenter.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 1.5.0"}},
		{name: "aws-load-balancer-controller", files: []string{"aws-load-balancer-controller.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 2.4.0"}},
		{name: "registry move", files: []string{"special.yaml"}, target: "1.33",
			want: map[string]string{"moved-old": "ingress-nginx v1.9.4", "moved-new": "ingress-nginx v1.9.4", "chart": "ingress-nginx 1.11.0 (label helm.sh/chart=ingress-nginx-4.11.3)"}},
		{name: "cilium untested is not incompatible", files: []string{"cilium.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": ""}},
	})
	if fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", AddonIncompatible.ID, fired, clean)
	}

	// Unverified rows are warnings and say so (the embedded data has none
	// for this addon, so a user row supplies one).
	um := addons.Default()
	if err := um.Merge([]byte(`{name: aws-ebs-csi-driver, versions: [{versions: ">=1.0.0", kind: minimum, k8sMin: "1.20", source: "test", asOf: "2026-01-01", verified: false}]}`)); err != nil {
		t.Fatal(err)
	}
	fs := runAddonRule(t, AddonIncompatible, "1.12", &Inputs{Addons: um}, "aws-ebs-csi-driver.yaml")
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, f := range fs {
		if f.Severity != model.SeverityWarning || !contains(f.Message, "unverified data: ") {
			t.Errorf("unverified finding = %+v", f)
		}
	}
	// The finding points at the image line.
	fs = runAddonRule(t, AddonIncompatible, "1.33", nil, "cert-manager.yaml")
	if len(fs) != 1 || fs[0].FieldPath != "spec.template.spec.containers[0].image" || fs[0].Line != 42 || fs[0].Severity != model.SeverityError {
		t.Errorf("location = %+v", fs)
	}
}
