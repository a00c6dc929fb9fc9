package schema

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

const fixtures = "../../testdata/manifests/schema/"

func decode(t testing.TB, file string) []*model.Object {
	t.Helper()
	objs, err := yamltest.DecodeFile(fixtures + file)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func decodeString(t testing.TB, s string) *model.Object {
	t.Helper()
	objs, err := yamltest.Decode("inline.yaml", []byte(s))
	if err != nil || len(objs) != 1 {
		t.Fatalf("decode: %v (%d objects)", err, len(objs))
	}
	return objs[0]
}

func newValidator(t testing.TB, target string, opts Options) *Validator {
	t.Helper()
	v, err := New(kubeversion.MustParse(target), opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVersionsDecode(t *testing.T) {
	vs := Versions()
	if len(vs) != 13 || vs[0].String() != "1.25" || vs[len(vs)-1].String() != "1.37" {
		t.Fatalf("Versions() = %v, want 1.25 … 1.37", vs)
	}
	for i, v := range vs {
		if i > 0 && vs[i-1].Minor+1 != v.Minor {
			t.Errorf("gap before %s", v)
		}
		kinds := Kinds(v)
		if len(kinds) < 60 {
			t.Errorf("%s: only %d kinds", v, len(kinds))
		}
		for _, want := range []string{"apps/v1/Deployment", "v1/Service", "v1/Pod", "batch/v1/CronJob", "networking.k8s.io/v1/Ingress"} {
			if !contains(kinds, want) {
				t.Errorf("%s: Kinds lacks %s", v, want)
			}
		}
		src, err := Source(v)
		if err != nil || !strings.Contains(src, "k8s.io/kubernetes@v"+v.String()+".") {
			t.Errorf("%s: Source = %q, %v", v, src, err)
		}
		if _, err := strictDefinitions(v); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
	// Served APIs appear and disappear with their releases.
	if !contains(Kinds(kubeversion.MustParse("1.25")), "autoscaling/v2beta2/HorizontalPodAutoscaler") {
		t.Error("1.25 lacks autoscaling/v2beta2 HPA")
	}
	if contains(Kinds(kubeversion.MustParse("1.26")), "autoscaling/v2beta2/HorizontalPodAutoscaler") {
		t.Error("1.26 still has autoscaling/v2beta2 HPA (removed in 1.26)")
	}
	if contains(Kinds(kubeversion.MustParse("1.33")), "apps/v1/DeleteOptions") {
		t.Error("Kinds lists DeleteOptions of every group")
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func TestNewOutsideRange(t *testing.T) {
	for _, target := range []string{"1.24", "1.38", "1.16"} {
		_, err := New(kubeversion.MustParse(target), Options{})
		if err == nil || !strings.Contains(err.Error(), "supported versions are 1.25 to 1.37") {
			t.Errorf("New(%s) error = %v, want the supported range", target, err)
		}
	}
	if Kinds(kubeversion.MustParse("1.24")) != nil {
		t.Error("Kinds(1.24) should be nil")
	}
	if _, err := New(kubeversion.MustParse("1.33"), Options{Locations: []string{"https://example.com/schemas"}}); err == nil {
		t.Error("a remote location was accepted without AllowRemote")
	}
}

// want is one expected violation: field path, message, line in the fixture.
type want struct {
	path, msg string
	line      int
}

func checkResult(t *testing.T, o *model.Object, r Result, status Status, wants []want) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %s (%s), want %s", o.Ref(), r.Status, r.Reason, status)
	}
	var got []want
	for _, x := range r.Violations {
		line, _ := o.PosOf(x.Path)
		if x.Line > 0 {
			line = x.Line
		}
		got = append(got, want{x.Path, x.Message, line})
		if model.PointerToPath(x.Pointer) != x.Path {
			t.Errorf("%s: pointer %s and path %s disagree", o.Ref(), x.Pointer, x.Path)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(wants) {
		t.Errorf("%s: violations\n got  %v\n want %v", o.Ref(), got, wants)
	}
}

func TestValidObjects(t *testing.T) {
	for _, target := range []string{"1.25", "1.29", "1.33", "1.37"} {
		v := newValidator(t, target, Options{})
		for _, o := range decode(t, "valid.yaml") {
			r := v.Validate(o)
			checkResult(t, o, r, Valid, nil)
			if r.Schema != "Kubernetes "+target {
				t.Errorf("%s: schema %q", o.Ref(), r.Schema)
			}
		}
	}
}

func TestInvalidObjects(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	wants := map[string][]want{
		"Deployment/typo": {
			{"spec.replcas", `unknown field "replcas"`, 6},
			{"spec.template.spec.containers[0].resource", `unknown field "resource"`, 19},
		},
		"Deployment/wrong-types": {
			{"spec.replicas", "expected integer, got string", 28},
			{"spec.template.spec.containers[0].ports[0].containerPort", "expected integer, got boolean", 41},
			{"spec.template.spec.containers[0].resources.limits.memory", "expected string or number, got array", 44},
		},
		"Service/topology": {
			{"spec.topologyKeys", `unknown field "topologyKeys"`, 53},
		},
		"ConfigMap/missing": {
			{"data.number", "expected string, got number", 66},
			{"metadata.labels.team", "expected string, got array", 63},
		},
		"Pod/required": {
			{"spec.containers[0]", `missing required field "name"`, 74},
			{"spec.containers[0].env[1]", `missing required field "name"`, 78},
		},
	}
	objs := decode(t, "invalid.yaml")
	if len(objs) != len(wants) {
		t.Fatalf("%d objects, want %d", len(objs), len(wants))
	}
	for _, o := range objs {
		checkResult(t, o, v.Validate(o), Invalid, wants[o.Ref()])
	}
}

func TestRemovedFieldByTarget(t *testing.T) {
	// ObjectMeta.clusterName left the schema in 1.25; validating against
	// each target reflects that target's schema.
	o := decodeString(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  clusterName: x\n")
	for _, target := range []string{"1.25", "1.37"} {
		r := newValidator(t, target, Options{})
		checkResult(t, o, r.Validate(o), Invalid, []want{{"metadata.clusterName", `unknown field "clusterName"`, 5}})
	}
	// A field added in 1.33 (Pod spec.hostnameOverride is newer) is unknown to older targets.
	fresh := decodeString(t, `apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  trafficDistribution: PreferClose
  ports: [{port: 80}]
`)
	checkResult(t, fresh, newValidator(t, "1.29", Options{}).Validate(fresh), Invalid,
		[]want{{"spec.trafficDistribution", `unknown field "trafficDistribution"`, 6}})
	checkResult(t, fresh, newValidator(t, "1.31", Options{}).Validate(fresh), Valid, nil)
}

func TestNulls(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	tests := []struct {
		name   string
		doc    string
		status Status
		wants  []want
	}{
		{"optional null accepted", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: null\ndata: ~\n", Valid, nil},
		{"required null reported", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: null\n      image: x\n", Invalid,
			[]want{{"spec.containers[0].name", `required field "name" is null`, 7}}},
		{"null list item reported", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - null\n", Invalid,
			[]want{{"spec.containers[0]", "expected object, got null", 7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := decodeString(t, tc.doc)
			checkResult(t, o, v.Validate(o), tc.status, tc.wants)
		})
	}
}

func TestDuplicateKeys(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	o := decodeString(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: x\n  b: y\n  a: z\n")
	checkResult(t, o, v.Validate(o), Invalid, []want{{"data.a", `duplicate key "a"`, 8}})
}

func TestCRDs(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	for _, o := range decode(t, "crd/crd.yaml") {
		if err := v.AddCRD(o); err != nil {
			t.Fatal(err)
		}
	}
	type exp struct {
		status Status
		wants  []want
	}
	wants := map[string]exp{
		"Widget/good": {Valid, nil},
		"Widget/bad": {Invalid, []want{
			{"metadata.lables", `unknown field "lables"`, 20},
			{"spec.color", `unsupported value "purple": expected one of "red", "green", "blue"`, 25},
			{"spec.colour", `unknown field "colour"`, 27},
			{"spec.port", "expected string or integer, got boolean", 26},
			{"spec.provider", `required field "provider" is null`, 24},
			{"spec.size", "expected at least 1, got 0", 23},
		}},
		"Widget/old":               {Valid, nil},
		"Widget/unserved":          {NotServed, nil},
		"Widget/undefined-version": {NotServed, nil},
		"Gadget/unknown":           {NoSchema, nil},
	}
	for _, o := range decode(t, "crd/widgets.yaml") {
		w, ok := wants[o.Ref()]
		if !ok {
			t.Fatalf("unexpected object %s", o.Ref())
		}
		checkResult(t, o, v.Validate(o), w.status, w.wants)
	}

	statuses := []struct {
		apiVersion, kind          string
		served, deprecated, known bool
		warning                   string
	}{
		{"example.com/v1", "Widget", true, false, true, ""},
		{"example.com/v1beta1", "Widget", true, true, true, "example.com/v1beta1 Widget is deprecated; use example.com/v1"},
		{"example.com/v1alpha1", "Widget", false, false, true, ""},
		{"example.com/v2", "Widget", false, false, true, ""},
		{"other.example.com/v1", "Gadget", false, false, false, ""},
		{"v1", "Pod", false, false, false, ""},
	}
	for _, s := range statuses {
		served, deprecated, warning, known := v.CRDVersionStatus(s.apiVersion, s.kind)
		if served != s.served || deprecated != s.deprecated || warning != s.warning || known != s.known {
			t.Errorf("CRDVersionStatus(%s, %s) = %v %v %q %v", s.apiVersion, s.kind, served, deprecated, warning, known)
		}
	}
	if got := fmt.Sprint(v.CRDServedVersions("example.com/v1alpha1", "Widget")); got != "[example.com/v1 example.com/v1beta1]" {
		t.Errorf("CRDServedVersions = %s", got)
	}
	if st, reason := v.Lookup("example.com/v1alpha1", "Widget"); st != NotServed || reason != "CRD widgets.example.com marks version v1alpha1 served: false" {
		t.Errorf("Lookup = %s %q", st, reason)
	}
	if got := v.CRDName("example.com/v1", "Widget"); got != "widgets.example.com" {
		t.Errorf("CRDName = %q", got)
	}
}

func TestCRDv1beta1(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	crd := decodeString(t, `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: things.example.org
spec:
  group: example.org
  version: v1
  names: {kind: Thing, plural: things}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            count: {type: integer}
`)
	if err := v.AddCRD(crd); err != nil {
		t.Fatal(err)
	}
	o := decodeString(t, "apiVersion: example.org/v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n  count: x\n  extra: 1\n")
	checkResult(t, o, v.Validate(o), Invalid, []want{
		{"spec.count", "expected integer, got string", 6},
		{"spec.extra", `unknown field "extra"`, 7},
	})
	if err := v.AddCRD(decodeString(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")); err == nil {
		t.Error("AddCRD accepted a ConfigMap")
	}
	if err := v.AddCRD(decodeString(t, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a\nspec: 3\n")); err == nil {
		t.Error("AddCRD accepted a CRD without group")
	}
}

func TestNotServedBuiltins(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	for _, doc := range []string{
		"apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: a\n",
		"apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: a\n",
	} {
		o := decodeString(t, doc)
		if r := v.Validate(o); r.Status != NotServed {
			t.Errorf("%s %s: %s (%s), want not-served", o.APIVersion, o.Kind, r.Status, r.Reason)
		}
	}
	for _, doc := range []string{"kind: ConfigMap\n", "apiVersion: v1\n", "apiVersion: v1\nkind: ConfigMap\nmetadata: 3\n"} {
		o := decodeString(t, doc)
		_ = v.Validate(o) // must not panic
	}
}

func TestLocations(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "v1.33.0-standalone-strict")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	schema := `{"type":"object","properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},"spec":{"type":"object","properties":{"size":{"type":"integer"}},"additionalProperties":false}}}`
	if err := os.WriteFile(filepath.Join(sub, "gadget-other-v1.json"), []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	flat := filepath.Join(dir, "catalog", "other.example.com")
	if err := os.MkdirAll(flat, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(flat, "gizmo_v1.json"), []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, "1.33", Options{Locations: []string{
		filepath.Join(dir, "missing"),
		dir,
		filepath.Join(dir, "catalog", "{{ .Group }}", "{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"),
	}})
	tests := []struct {
		doc    string
		status Status
		wants  []want
	}{
		{"apiVersion: other.example.com/v1\nkind: Gadget\nmetadata:\n  name: a\nspec:\n  size: 1\n", Valid, nil},
		{"apiVersion: other.example.com/v1\nkind: Gadget\nmetadata:\n  name: a\nspec:\n  size: one\n", Invalid, []want{{"spec.size", "expected integer, got string", 6}}},
		{"apiVersion: other.example.com/v1\nkind: Gizmo\nmetadata:\n  name: a\nspec:\n  sise: 1\n", Invalid, []want{{"spec.sise", `unknown field "sise"`, 6}}},
		{"apiVersion: other.example.com/v2\nkind: Gadget\nmetadata:\n  name: a\n", NoSchema, nil},
	}
	for _, tc := range tests {
		o := decodeString(t, tc.doc)
		checkResult(t, o, v.Validate(o), tc.status, tc.wants)
	}
	if got, err := expandLocation("/s/{{ .ResourceKind }}{{ .KindSuffix }}.json", "v1.33.0", "networking.k8s.io/v1", "Ingress"); err != nil || got != "/s/ingress-networking-v1.json" {
		t.Errorf("expandLocation = %q, %v", got, err)
	}
	if got, _ := expandLocation("/s", "v1.33.0", "v1", "Pod"); got != "/s/v1.33.0-standalone-strict/pod-v1.json" {
		t.Errorf("expandLocation dir = %q", got)
	}
	if _, err := expandLocation("/s/{{ .Nope }}.json", "v1.33.0", "v1", "Pod"); err == nil {
		t.Error("unknown template variable accepted")
	}
}

func TestConcurrent(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	objs := append(decode(t, "valid.yaml"), decode(t, "invalid.yaml")...)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, o := range objs {
				v.Validate(o)
			}
		}()
	}
	wg.Wait()
}

func TestFieldDeprecations(t *testing.T) {
	fd, err := FieldDeprecations()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fd {
		if f.Definition == "io.k8s.api.core.v1.ServiceSpec" && f.Field == "loadBalancerIP" {
			found = strings.HasPrefix(f.Note, "Deprecated:") && f.First.String() == "1.25" && f.Last.String() == "1.37"
		}
		if f.Field == "deprecated" || f.Field == "secrets" {
			t.Errorf("false positive %s.%s: %s", f.Definition, f.Field, f.Note)
		}
	}
	if !found {
		t.Error("ServiceSpec.loadBalancerIP deprecation missing")
	}
}

// TestKindIndexMatchesDefinitions checks kinds.json against the definitions
// it summarises.
func TestKindIndexMatchesDefinitions(t *testing.T) {
	for _, v := range Versions() {
		c, err := load(v)
		if err != nil {
			t.Fatal(err)
		}
		kinds := Kinds(v)
		lists := 0
		for k := range c.byGVK {
			if strings.HasSuffix(k, "List") {
				lists++
			}
		}
		if len(kinds) != len(c.byGVK)-lists {
			t.Errorf("%s: Kinds has %d kinds, definitions %d (%d lists)", v, len(kinds), len(c.byGVK), lists)
		}
		for _, k := range kinds {
			if _, ok := c.byGVK[k]; !ok {
				t.Errorf("%s: %s listed but has no definition", v, k)
			}
		}
	}
}

func TestOddValues(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	o := decodeString(t, "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: a\nspec:\n  replicas: 1\n  minReadySeconds: 2\n")
	spec := o.Data["spec"].(map[string]any)
	spec["replicas"] = math.NaN()
	spec["minReadySeconds"] = float32(3)
	r := v.Validate(o)
	if r.Status != Invalid || len(r.Violations) != 1 || r.Violations[0].Path != "spec.replicas" || r.Violations[0].Message != "expected integer, got string" {
		t.Errorf("got %s %v", r.Status, r.Violations)
	}
}

func TestForTarget(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	crds := decode(t, "crd/crd.yaml")
	old, err := v.ForTarget(kubeversion.MustParse("1.29"))
	if err != nil {
		t.Fatal(err)
	}
	if same, _ := v.ForTarget(kubeversion.MustParse("1.33")); same != v {
		t.Error("ForTarget(own target) is not the validator itself")
	}
	if again, _ := v.ForTarget(kubeversion.MustParse("1.29")); again != old {
		t.Error("ForTarget is not cached")
	}
	if _, err := v.ForTarget(kubeversion.MustParse("1.20")); err == nil {
		t.Error("ForTarget(1.20) succeeded")
	}
	// A CRD registered after the sibling was made reaches it too.
	if err := v.AddCRD(crds[0]); err != nil {
		t.Fatal(err)
	}
	if _, _, _, known := old.CRDVersionStatus("example.com/v1", "Widget"); !known || old.Target().String() != "1.29" {
		t.Error("sibling did not get the CRD")
	}
	svc := decodeString(t, "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  trafficDistribution: PreferClose\n")
	if r := old.Validate(svc); r.Status != Invalid {
		t.Errorf("1.29 sibling: %s, want invalid (trafficDistribution is newer)", r.Status)
	}
	if r := v.Validate(svc); r.Status != Valid {
		t.Errorf("1.33: %s %v", r.Status, r.Violations)
	}
}

// TestWithRenderDecoder checks that objects from the scan's real decoder
// validate exactly like the test decoder's.
func TestWithRenderDecoder(t *testing.T) {
	v := newValidator(t, "1.33", Options{})
	for _, f := range []string{"valid.yaml", "invalid.yaml", "crd/crd.yaml", "crd/widgets.yaml"} {
		b, err := os.ReadFile(fixtures + f)
		if err != nil {
			t.Fatal(err)
		}
		objs, probs := render.DecodeBytes(b, render.DecodeOptions{File: f, Exact: true})
		if len(probs) > 0 {
			t.Fatalf("%s: %v", f, probs)
		}
		ref := decode(t, f)
		if len(objs) != len(ref) {
			t.Fatalf("%s: %d objects, test decoder %d", f, len(objs), len(ref))
		}
		for i, o := range objs {
			if IsCRD(o) {
				if err := v.AddCRD(o); err != nil {
					t.Fatal(err)
				}
			}
			got, want := v.Validate(o), v.Validate(ref[i])
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s %s:\n render  %v\n yamltest %v", f, o.Ref(), got, want)
			}
			for _, x := range got.Violations {
				l1, _ := o.PosOf(x.Path)
				l2, _ := ref[i].PosOf(x.Path)
				if l1 != l2 {
					t.Errorf("%s %s %s: line %d, test decoder %d", f, o.Ref(), x.Path, l1, l2)
				}
			}
		}
	}
}

func TestNewForObjects(t *testing.T) {
	objs := append(decode(t, "crd/crd.yaml"), decode(t, "crd/widgets.yaml")...)
	v, err := NewForObjects(kubeversion.MustParse("1.33"), Options{}, objs)
	if err != nil {
		t.Fatal(err)
	}
	if v.CRDName("example.com/v1", "Widget") != "widgets.example.com" {
		t.Error("CRD not registered")
	}
	if _, err := NewForObjects(kubeversion.MustParse("1.24"), Options{}, objs); err == nil {
		t.Error("1.24 accepted")
	}
}
