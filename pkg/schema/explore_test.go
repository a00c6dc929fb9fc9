package schema

import (
	"fmt"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

func TestExplore(t *testing.T) {
	v, err := New(kubeversion.MustParse("1.33"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"valid.yaml", "invalid.yaml", "crd/crd.yaml", "crd/widgets.yaml"} {
		objs, err := yamltest.DecodeFile("../../testdata/manifests/schema/" + f)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			if IsCRD(o) {
				if err := v.AddCRD(o); err != nil {
					t.Fatal(err)
				}
			}
			r := v.Validate(o)
			fmt.Println(f, o.Kind, o.Name, r.Status, r.Schema, r.Reason)
			for _, x := range r.Violations {
				l, _ := o.PosOf(x.Path)
				fmt.Printf("   %d %s %s: %s\n", l, x.Pointer, x.Path, x.Message)
			}
		}
	}
}
