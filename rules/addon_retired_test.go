package rules

import "testing"

func TestAddonRetired(t *testing.T) {
	checkAddonRule(t, AddonRetired, []addonCase{
		{name: "ingress-nginx", files: []string{"ingress-nginx.yaml"}, target: "1.33",
			want: map[string]string{"ok": "ingress-nginx is retired", "old": "ingress-nginx is retired"}},
		{name: "maintained addon", files: []string{"cert-manager.yaml", "cilium.yaml"}, target: "1.33",
			want: map[string]string{}},
	})
}
