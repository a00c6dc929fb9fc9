package rules

import (
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

func TestUnknownSchema(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"CRD present: only the kind nobody defines", []string{"crd/crd.yaml", "crd/widgets.yaml"}, []string{
			`widgets.yaml:51 info Gadget/unknown kind | no schema for other.example.com/v1 Gadget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
		}},
		{"CRD absent: every custom resource", []string{"crd/widgets.yaml"}, []string{
			`widgets.yaml:2 info Widget/good kind | no schema for example.com/v1 Widget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
			`widgets.yaml:17 info Widget/bad kind | no schema for example.com/v1 Widget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
			`widgets.yaml:30 info Widget/old kind | no schema for example.com/v1beta1 Widget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
			`widgets.yaml:37 info Widget/unserved kind | no schema for example.com/v1alpha1 Widget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
			`widgets.yaml:44 info Widget/undefined-version kind | no schema for example.com/v2 Widget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
			`widgets.yaml:51 info Gadget/unknown kind | no schema for other.example.com/v1 Gadget: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes 1.33`,
		}},
		{"built-in kinds never", []string{"valid.yaml", "invalid.yaml"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range runSchemaRules(t, "1.33", []*Rule{UnknownSchema}, tc.files...) {
				got = append(got, schemaFindingLine(f))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestUnknownSchemaUnusableCRD(t *testing.T) {
	docs := `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: broken.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Broken, plural: brokens}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {$ref: "#/definitions/missing"}
---
apiVersion: example.com/v1
kind: Broken
metadata:
  name: b
`
	objs, err := yamltest.Decode("broken.yaml", []byte(docs))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := schema.New(kubeversion.MustParse("1.33"), schema.Options{})
	if err := v.AddCRD(objs[0]); err != nil {
		t.Fatal(err)
	}
	fs := Run(Config{Target: v.Target(), Lifecycle: kubeversion.Default(), Inputs: Inputs{Schema: v}}, []*Rule{UnknownSchema, SchemaInvalid}, objs)
	if len(fs) != 1 || fs[0].Rule != "unknown-schema" || fs[0].Line != 20 ||
		!strings.HasPrefix(fs[0].Message, "the schema of CRD broken.example.com for example.com/v1 could not be used") {
		t.Errorf("findings = %v", fs)
	}
}
