package schema

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/yamltest"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// benchObjects are the fixtures, the corpus's plain manifests when present,
// and any rendered YAML under $KUPGRADE_BENCH_DIR (e.g. the corpus charts
// rendered to files).
func benchObjects(b *testing.B) []*model.Object {
	var objs []*model.Object
	for _, f := range []string{"valid.yaml", "invalid.yaml", "crd/crd.yaml", "crd/widgets.yaml"} {
		objs = append(objs, decode(b, f)...)
	}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus")); err == nil || os.Getenv("KUPGRADE_BENCH_CORPUS") != "" {
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
	b.ReportMetric(float64(len(objs)), "objects")
	b.ResetTimer()
	for b.Loop() {
		for _, o := range objs {
			v.Validate(o)
		}
	}
}

// BenchmarkValidateCold measures what one scan pays: a new validator, CRD
// registration, compiling every kind on first use, then validation.
func BenchmarkValidateCold(b *testing.B) {
	objs := benchObjects(b)
	b.ReportMetric(float64(len(objs)), "objects")
	for b.Loop() {
		v := newScanValidator(b, objs)
		for _, o := range objs {
			v.Validate(o)
		}
	}
}
