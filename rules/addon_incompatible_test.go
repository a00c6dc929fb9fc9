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
	// The embedded matrix is covered by testdata/addon-incompatible; a
	// user matrix merged over it (the config's addons files) is not
	// expressible there.
	_, clean := checkAddonRule(t, AddonIncompatible, []addonCase{
		{name: "cert-manager user override", files: []string{"cert-manager.yaml"}, target: "1.33", env: &Inputs{Addons: user},
			want: map[string]string{"ok": "", "old": ""}},
	})
	if clean == 0 {
		t.Errorf("%s: the override case checked nothing", AddonIncompatible.ID)
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
