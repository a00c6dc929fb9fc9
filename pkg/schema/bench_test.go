package schema

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// benchObjects are the fixtures, the corpus's plain manifests when
// KUPGRADE_BENCH_CORPUS is set, and any rendered YAML under $KUPGRADE_BENCH_DIR (e.g. the corpus charts
// rendered to files).
func benchObjects(b *testing.B) []*model.Object {
	var objs []*model.Object
	for _, f := range []string{"valid.yaml", "invalid.yaml", "crd/crd.yaml", "crd/widgets.yaml"} {
		objs = append(objs, decode(b, f)...)
	}
	if os.Getenv("KUPGRADE_BENCH_CORPUS") != "" {
		objs = append(objs, corpusObjects(b)...)
	}
	if dir := os.Getenv("KUPGRADE_BENCH_DIR"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range files {
			o, _ := yamltest.DecodeFile(f)
			objs = append(objs, o...)
		}
	}
	return objs
}

func newScanValidator(b *testing.B, objs []*model.Object) *Validator {
	v, err := New(kubeversion.MustParse("1.33"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range objs {
		if IsCRD(o) {
			_ = v.AddCRD(o)
		}
	}
	return v
}

// BenchmarkValidate measures validating every object with warm schemas (the
// per-object cost).
func BenchmarkValidate(b *testing.B) {
	objs := benchObjects(b)
	v := newScanValidator(b, objs)
	for _, o := range objs {
		v.Validate(o)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, o := range objs {
			v.Validate(o)
		}
	}
	b.ReportMetric(float64(len(objs)), "objects")
}

// BenchmarkValidateCold measures what one scan pays: a new validator, CRD
// registration, compiling every kind on first use, then validation.
func BenchmarkValidateCold(b *testing.B) {
	objs := benchObjects(b)
	for b.Loop() {
		v := newScanValidator(b, objs)
		for _, o := range objs {
			v.Validate(o)
		}
	}
	b.ReportMetric(float64(len(objs)), "objects")
}

// TestWriteKubeconformSchemas writes the embedded schemas of one version in
// kubeconform's local layout when KUPGRADE_KUBECONFORM_DIR is set, so the
// kubeconform command can be benchmarked on the same schemas:
//
//	<dir>/v1.33.0-standalone-strict/_definitions.json
//	<dir>/v1.33.0-standalone-strict/deployment-apps-v1.json  ({"$ref": ...})
func TestWriteKubeconformSchemas(t *testing.T) {
	dir := os.Getenv("KUPGRADE_KUBECONFORM_DIR")
	if dir == "" {
		t.Skip("KUPGRADE_KUBECONFORM_DIR not set")
	}
	v := kubeversion.MustParse("1.33")
	defs, err := strictDefinitions(v)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := load(v)
	out := filepath.Join(dir, "v1.33.0-standalone-strict")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"definitions": defs})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "_definitions.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for gvk, def := range c.byGVK {
		i := strings.LastIndexByte(gvk, '/')
		apiVersion, kind := gvk[:i], gvk[i+1:]
		name, err := expandLocation("{{ .ResourceKind }}{{ .KindSuffix }}.json", "", apiVersion, kind)
		if err != nil {
			t.Fatal(err)
		}
		stub := fmt.Sprintf(`{"$ref":"_definitions.json#/definitions/%s"}`, def)
		if err := os.WriteFile(filepath.Join(out, name), []byte(stub), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
