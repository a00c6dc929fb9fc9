package rules

import (
	"os"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// At 1.24 there are no embedded schemas, so no validator: the API rules must
// still see the scan's CRDs (they used to read them from the validator and
// went quiet below 1.25).
func TestCRDVersionsWithoutSchemas(t *testing.T) {
	const dir = "../testdata/manifests/schema/crd/"
	const file = dir + "widgets.yaml"
	var objs []*model.Object
	for _, f := range []string{dir + "crd.yaml", file} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		o, probs := render.DecodeBytes(b, render.DecodeOptions{File: f, Exact: true})
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		objs = append(objs, o...)
	}
	for _, target := range []string{"1.24", "1.33"} {
		got := sortFindings(Run(Config{Target: kubeversion.MustParse(target), Lifecycle: kubeversion.Default()}, []*Rule{RemovedAPI, DeprecatedAPI}, objs))
		want := []string{
			"29 deprecated-api example.com/v1beta1 Widget is deprecated by CRD widgets.example.com: example.com/v1beta1 Widget is deprecated; use example.com/v1",
			"36 removed-api example.com/v1alpha1 Widget is not served: CRD widgets.example.com marks version v1alpha1 served: false; use example.com/v1 or example.com/v1beta1",
			"43 removed-api example.com/v2 Widget is not served: CRD widgets.example.com does not define version v2; use example.com/v1 or example.com/v1beta1",
		}
		if len(got) != len(want) {
			t.Fatalf("target %s: %d findings, want %d: %+v", target, len(got), len(want), got)
		}
		for i, f := range got {
			if s := itoa(f.Line) + " " + f.Rule + " " + f.Message; s != want[i] || f.File != file {
				t.Errorf("target %s: got %s:%s, want %s", target, f.File, s, want[i])
			}
		}
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
