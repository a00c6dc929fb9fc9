package schema

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

func TestTmpRendered(t *testing.T) {
	files, _ := filepath.Glob("/tmp/schema-bench/rendered/*.yaml")
	var objs []*model.Object
	for _, f := range files {
		o, err := yamltest.DecodeFile(f)
		if err != nil {
			t.Log(err)
		}
		objs = append(objs, o...)
	}
	start := time.Now()
	v, _ := New(kubeversion.MustParse("1.33"), Options{})
	for _, o := range objs {
		if IsCRD(o) {
			if err := v.AddCRD(o); err != nil {
				t.Log(err)
			}
		}
	}
	counts := map[Status]int{}
	msgs := map[string]int{}
	for _, o := range objs {
		r := v.Validate(o)
		counts[r.Status]++
		for _, x := range r.Violations {
			msgs[filepath.Base(o.Source.File)+" "+o.APIVersion+" "+o.Kind+" "+x.Path+": "+x.Message]++
		}
		if r.Status == NoSchema {
			msgs["NOSCHEMA "+o.APIVersion+" "+o.Kind+" "+r.Reason]++
		}
	}
	t.Logf("%d objects in %v: %v", len(objs), time.Since(start), counts)
	for k, n := range msgs {
		t.Logf("%3d %s", n, k)
	}
}
