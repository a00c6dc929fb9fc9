package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/monorepo"
	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// BenchmarkScan10kDocuments decodes and checks 10,000 documents in 1,000
// files (the monorepo generator's mix) with every rule.
func BenchmarkScan10kDocuments(b *testing.B) {
	dir := b.TempDir()
	if _, err := monorepo.Write(dir, 10000); err != nil {
		b.Fatal(err)
	}
	target := kubeversion.MustParse("1.33")
	b.ReportAllocs()
	b.ResetTimer()
	var objects int
	for i := 0; i < b.N; i++ {
		rep, err := Run(context.Background(), Options{Target: target, Render: render.Options{Paths: []string{dir}}})
		if err != nil {
			b.Fatal(err)
		}
		objects = rep.Summary.Objects
	}
	if objects != 10000 {
		b.Fatalf("scanned %d objects, want 10000", objects)
	}
	b.ReportMetric(float64(objects)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkScanCorpusManifests scans ../shared/corpus/manifests.
func BenchmarkScanCorpusManifests(b *testing.B) {
	dir := filepath.Join(testcorpus.Dir(b), "manifests")
	target := kubeversion.MustParse("1.33")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), Options{Target: target, Render: render.Options{Paths: []string{dir}}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanMonorepo scans the generated monorepo of plain manifests
// (internal/monorepo: Deployments with probes and resources, Services,
// ConfigMaps, Ingresses, HPAs, PDBs, RBAC, removed CronJobs, 10 per file).
// KUPGRADE_BENCH_OBJECTS sets the size (default 10,000; the figures in
// docs/benchmarks.md use 100,000; `make bench-monorepo` measures the CLI's
// peak RSS on the same tree).
func BenchmarkScanMonorepo(b *testing.B) {
	n := 10000
	if s := os.Getenv("KUPGRADE_BENCH_OBJECTS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	if _, err := monorepo.Write(dir, n); err != nil {
		b.Fatal(err)
	}
	target := kubeversion.MustParse("1.33")
	b.ReportAllocs()
	b.ResetTimer()
	var objects int
	for i := 0; i < b.N; i++ {
		rep, err := Run(context.Background(), Options{Target: target, Render: render.Options{Paths: []string{dir}}})
		if err != nil {
			b.Fatal(err)
		}
		objects = rep.Summary.Objects
	}
	if objects != n {
		b.Fatalf("scanned %d objects, want %d", objects, n)
	}
	b.ReportMetric(float64(objects)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
