package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

const schemaFixtures = "../testdata/manifests/schema/"

// runSchemaRules decodes fixture files, registers their CRDs as the scan
// does, and runs rs against target.
func runSchemaRules(t *testing.T, target string, rs []*Rule, files ...string) []model.Finding {
	t.Helper()
	tv := kubeversion.MustParse(target)
	v, err := schema.New(tv, schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var objs []*model.Object
	for _, f := range files {
		o, err := yamltest.DecodeFile(schemaFixtures + f)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o...)
	}
	for _, o := range objs {
		if schema.IsCRD(o) {
			if err := v.AddCRD(o); err != nil {
				t.Fatal(err)
			}
		}
	}
	return sortFindings(Run(Config{Target: tv, Lifecycle: kubeversion.Default(), Inputs: Inputs{Schema: v}}, rs, objs))
}

func schemaFindingLine(f model.Finding) string {
	file := f.File[strings.LastIndex(f.File, "/")+1:]
	return fmt.Sprintf("%s:%d %s %s/%s %s | %s", file, f.Line, f.Severity, f.Kind, f.Name, f.FieldPath, f.Message)
}

func TestSchemaInvalid(t *testing.T) {
	tests := []struct {
		name   string
		target string
		files  []string
		want   []string
	}{
		{"valid objects of every common kind", "1.33", []string{"valid.yaml"}, nil},
		{"valid objects at the oldest target", "1.25", []string{"valid.yaml"}, nil},
		{"typos, wrong types, removed fields", "1.33", []string{"invalid.yaml"}, []string{
			`invalid.yaml:6 error Deployment/typo spec.replcas | spec.replcas: unknown field "replcas" (Kubernetes 1.33 schema of apps/v1 Deployment)`,
			`invalid.yaml:19 error Deployment/typo spec.template.spec.containers[0].resource | spec.template.spec.containers[0].resource: unknown field "resource" (Kubernetes 1.33 schema of apps/v1 Deployment)`,
			`invalid.yaml:28 error Deployment/wrong-types spec.replicas | spec.replicas: expected integer, got string (Kubernetes 1.33 schema of apps/v1 Deployment)`,
			`invalid.yaml:41 error Deployment/wrong-types spec.template.spec.containers[0].ports[0].containerPort | spec.template.spec.containers[0].ports[0].containerPort: expected integer, got boolean (Kubernetes 1.33 schema of apps/v1 Deployment)`,
			`invalid.yaml:44 error Deployment/wrong-types spec.template.spec.containers[0].resources.limits.memory | spec.template.spec.containers[0].resources.limits.memory: expected string or number, got array (Kubernetes 1.33 schema of apps/v1 Deployment)`,
			`invalid.yaml:53 error Service/topology spec.topologyKeys | spec.topologyKeys: unknown field "topologyKeys" (Kubernetes 1.33 schema of v1 Service)`,
			`invalid.yaml:63 error ConfigMap/missing metadata.labels.team | metadata.labels.team: expected string, got array (Kubernetes 1.33 schema of v1 ConfigMap)`,
			`invalid.yaml:66 error ConfigMap/missing data.number | data.number: expected string, got number (Kubernetes 1.33 schema of v1 ConfigMap)`,
			`invalid.yaml:74 error Pod/required spec.containers[0] | spec.containers[0]: missing required field "name" (Kubernetes 1.33 schema of v1 Pod)`,
			`invalid.yaml:78 error Pod/required spec.containers[0].env[1] | spec.containers[0].env[1]: missing required field "name" (Kubernetes 1.33 schema of v1 Pod)`,
		}},
		{"CRD and custom resources in one directory", "1.33", []string{"crd/crd.yaml", "crd/widgets.yaml"}, []string{
			`widgets.yaml:20 error Widget/bad metadata.lables | metadata.lables: unknown field "lables" (schema from CRD widgets.example.com)`,
			`widgets.yaml:23 error Widget/bad spec.size | spec.size: expected at least 1, got 0 (schema from CRD widgets.example.com)`,
			`widgets.yaml:24 error Widget/bad spec.provider | spec.provider: required field "provider" is null (schema from CRD widgets.example.com)`,
			`widgets.yaml:25 error Widget/bad spec.color | spec.color: unsupported value "purple": expected one of "red", "green", "blue" (schema from CRD widgets.example.com)`,
			`widgets.yaml:26 error Widget/bad spec.port | spec.port: expected string or integer, got boolean (schema from CRD widgets.example.com)`,
			`widgets.yaml:27 error Widget/bad spec.colour | spec.colour: unknown field "colour" (schema from CRD widgets.example.com)`,
		}},
		{"custom resources without their CRD", "1.33", []string{"crd/widgets.yaml"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range runSchemaRules(t, tc.target, []*Rule{SchemaInvalid}, tc.files...) {
				got = append(got, schemaFindingLine(f))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestSchemaInvalidDuplicateKey(t *testing.T) {
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: x\n  a: y\n"
	objs, err := yamltest.Decode("dup.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	objs[0].Source.LineOffset = 10 // a document further down a file
	v, _ := schema.New(kubeversion.MustParse("1.33"), schema.Options{})
	fs := Run(Config{Target: v.Target(), Inputs: Inputs{Schema: v}}, []*Rule{SchemaInvalid}, objs)
	if len(fs) != 1 || fs[0].Line != 17 || fs[0].FieldPath != "data.a" || fs[0].Kind != "ConfigMap" || !strings.HasPrefix(fs[0].Message, `data.a: duplicate key "a"`) {
		t.Errorf("findings = %+v", fs)
	}
}

func TestSchemaRulesWithoutValidator(t *testing.T) {
	objs, _ := yamltest.DecodeFile(schemaFixtures + "invalid.yaml")
	fs := Run(Config{Target: kubeversion.MustParse("1.33"), Lifecycle: kubeversion.Default()}, []*Rule{SchemaInvalid, UnknownSchema}, objs)
	if len(fs) != 0 {
		t.Errorf("findings without a validator: %v", fs)
	}
}

func TestSchemaRulesMetadata(t *testing.T) {
	if err := Validate([]*Rule{SchemaInvalid, UnknownSchema}); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaInvalidPerHop(t *testing.T) {
	objs, err := yamltest.Decode("svc.yaml", []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  trafficDistribution: PreferClose\n  ports: [{port: 80}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := schema.New(kubeversion.MustParse("1.33"), schema.Options{})
	for _, tc := range []struct {
		target string
		want   int
	}{{"1.33", 0}, {"1.29", 1}} {
		fs := Run(Config{Target: kubeversion.MustParse(tc.target), Inputs: Inputs{Schema: v}}, []*Rule{SchemaInvalid}, objs)
		if len(fs) != tc.want {
			t.Errorf("target %s: %d findings, want %d: %v", tc.target, len(fs), tc.want, fs)
		}
	}
}
