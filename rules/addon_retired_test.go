package rules

import "testing"

func TestAddonRetired(t *testing.T) {
	fired, clean := checkAddonRule(t, AddonRetired, []addonCase{
		{name: "ingress-nginx", files: []string{"ingress-nginx.yaml"}, target: "1.33",
			want: map[string]string{"ok": "ingress-nginx is retired", "old": "ingress-nginx is retired"}},
		{name: "maintained addon", files: []string{"cert-manager.yaml", "cilium.yaml"}, target: "1.33",
			want: map[string]string{}},
	})
	if fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", AddonRetired.ID, fired, clean)
	}
}
