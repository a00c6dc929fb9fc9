package rules

import "testing"

func TestAddonUntested(t *testing.T) {
	fired, clean := checkAddonRule(t, AddonUntested, []addonCase{
		{name: "cilium", files: []string{"cilium.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "cilium v1.15.6 (image quay.io/cilium/cilium:v1.15.6) was tested on Kubernetes 1.26–1.29, not 1.33; the first cilium version tested on 1.33 is 1.18.0"}},
		{name: "argo-cd", files: []string{"argo-cd.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 3.1.0"}},
		{name: "coredns", files: []string{"coredns.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "coredns v1.11.1 (image registry.k8s.io/coredns/coredns:v1.11.1) was tested on Kubernetes 1.29–1.31, not 1.33; the first coredns version tested on 1.33 is 1.12.0"}},
		{name: "kube-state-metrics", files: []string{"kube-state-metrics.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 2.17.0"}},
		{name: "velero", files: []string{"velero.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "is 1.16.0"}},
		{name: "calico", files: []string{"calico.yaml"}, target: "1.30",
			want: map[string]string{"ok": "", "old": "calico v3.25.0 (image docker.io/calico/node:v3.25.0) was tested on Kubernetes 1.23–1.28, not 1.30; the first calico version tested on 1.30 is 3.28.0"}},
		{name: "gatekeeper gap", files: []string{"gatekeeper.yaml"}, target: "1.34",
			want: map[string]string{"ok": "Kubernetes 1.31, 1.32, 1.33, 1.35, not 1.34", "old": "not 1.34"}},
		{name: "target below the tested list", files: []string{"cilium.yaml"}, target: "1.30",
			want: map[string]string{"ok": "", "old": "was tested on Kubernetes 1.26–1.29, not 1.30; the first cilium version tested on 1.30 is 1.16.0"}},
		{name: "target older than the tested list", files: []string{"cilium.yaml"}, target: "1.29",
			want: map[string]string{"ok": "cilium v1.18.4 (image quay.io/cilium/cilium:v1.18.4@sha256:", "old": ""}},
		{name: "supported range wins", files: []string{"cert-manager.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": ""}},
	})
	if fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", AddonUntested.ID, fired, clean)
	}
}
