package rules

import "testing"

func TestAddonVersionSkew(t *testing.T) {
	fired, clean := checkAddonRule(t, AddonVersionSkew, []addonCase{
		{name: "target 1.33", files: []string{"cluster-autoscaler.yaml"}, target: "1.33",
			want: map[string]string{"ok": "", "old": "cluster-autoscaler v1.30.2 (image registry.k8s.io/autoscaling/cluster-autoscaler:v1.30.2) is built for Kubernetes 1.30, not 1.33; use cluster-autoscaler 1.33.x"}},
		{name: "target 1.30", files: []string{"cluster-autoscaler.yaml"}, target: "1.30",
			want: map[string]string{"ok": "is built for Kubernetes 1.33, not 1.30", "old": ""}},
		{name: "other addons never skew", files: []string{"karpenter.yaml"}, target: "1.33",
			want: map[string]string{}},
	})
	if fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", AddonVersionSkew.ID, fired, clean)
	}
}
