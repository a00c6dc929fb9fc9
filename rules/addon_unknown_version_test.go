package rules

import "testing"

func TestAddonUnknownVersion(t *testing.T) {
	fired, clean := checkAddonRule(t, AddonUnknownVersion, []addonCase{
		{name: "digest and latest", files: []string{"special.yaml"}, target: "1.33",
			want: map[string]string{
				"digest": "cert-manager detected but its version cannot be read (image quay.io/jetstack/cert-manager-controller@sha256:",
				"latest": "velero detected but its version cannot be read (image velero/velero:latest has no version tag)",
			}},
		{name: "tag plus digest is readable", files: []string{"cilium.yaml", "karpenter.yaml"}, target: "1.33",
			want: map[string]string{}},
	})
	if fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", AddonUnknownVersion.ID, fired, clean)
	}
}
