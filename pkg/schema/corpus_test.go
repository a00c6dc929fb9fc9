package schema

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// corpusObjects decodes every YAML document under the corpus's plain
// manifests; files that do not decode are skipped (parse errors are another
// rule's business).
func corpusObjects(t testing.TB) []*model.Object {
	root := filepath.Join(corpusDir(t), "manifests")
	var objs []*model.Object
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		o, _ := yamltest.DecodeFile(p)
		objs = append(objs, o...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func TestCorpus(t *testing.T) {
	objs := corpusObjects(t)
	v, err := New(kubeversion.MustParse("1.33"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if IsCRD(o) {
			_ = v.AddCRD(o)
		}
	}
	counts := map[Status]int{}
	violations := 0
	msgs := map[string]int{}
	for _, o := range objs {
		r := v.Validate(o)
		counts[r.Status]++
		violations += len(r.Violations)
		for _, x := range r.Violations {
			msgs[o.APIVersion+" "+o.Kind+" "+x.Path+": "+x.Message]++
			// Current upstream releases apply cleanly: any violation there
			// is a false positive of ours.
			for _, current := range []string{"/microservices-demo/", "/gatekeeper/", "/ingress-nginx-static/"} {
				if strings.Contains(filepath.ToSlash(o.Source.File), current) {
					t.Errorf("%s: %s %s: %s: %s", o.Source.File, o.Kind, o.Name, x.Path, x.Message)
				}
			}
		}
		if r.Status == NoSchema {
			msgs["(no schema) "+o.APIVersion+" "+o.Kind]++
		}
	}
	t.Logf("%d objects: %d valid, %d invalid (%d violations), %d without schema, %d not served",
		len(objs), counts[Valid], counts[Invalid], violations, counts[NoSchema], counts[NotServed])
	if testing.Verbose() {
		keys := make([]string, 0, len(msgs))
		for k := range msgs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("%4d %s", msgs[k], strings.TrimSpace(k))
		}
	}
	if counts[Valid] == 0 {
		t.Fatal("no object of the corpus validated")
	}
}

// TestCorpusVelero checks the upstream problem the issue names: velero's
// chart renders its BackupStorageLocation with "provider:" empty (null) under
// default values, and the chart's own CRD requires a string there.
func TestCorpusVelero(t *testing.T) {
	crdFile := filepath.Join(corpusDir(t), "helm", "current", "velero", "crds", "backupstoragelocations.yaml")
	crds, err := yamltest.DecodeFile(crdFile)
	if err != nil {
		t.Skip(err)
	}
	v, err := New(kubeversion.MustParse("1.33"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range crds {
		if err := v.AddCRD(o); err != nil {
			t.Fatal(err)
		}
	}
	// What the template renders with the chart's default values.
	rendered := `apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata:
  name: default
  namespace: velero
spec:
  provider: 
  accessMode: ReadWrite
  objectStorage:
    bucket: 
`
	objs, err := yamltest.Decode("velero/templates/backupstoragelocation.yaml", []byte(rendered))
	if err != nil {
		t.Fatal(err)
	}
	r := v.Validate(objs[0])
	var got []string
	for _, x := range r.Violations {
		got = append(got, x.Path+": "+x.Message)
	}
	want := []string{`spec.objectStorage.bucket: required field "bucket" is null`, `spec.provider: required field "provider" is null`}
	if r.Status != Invalid || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("velero BackupStorageLocation: %s %q, want %q", r.Status, got, want)
	}
}

func corpusDir(tb testing.TB) string { return testcorpus.Dir(tb) }
