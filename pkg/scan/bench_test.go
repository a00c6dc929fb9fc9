package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/monorepo"
	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// writeCorpus writes files×docs documents that look like real application
// manifests: Deployments, Services, ConfigMaps, Ingresses and some removed
// APIs, so every rule has work to do.
func writeCorpus(tb testing.TB, files, docs int) string {
	tb.Helper()
	dir := tb.TempDir()
	kinds := []string{deploymentDoc, serviceDoc, configMapDoc, ingressDoc, oldCronDoc}
	for f := 0; f < files; f++ {
		var b strings.Builder
		for d := 0; d < docs; d++ {
			if d > 0 {
				b.WriteString("---\n")
			}
			fmt.Fprintf(&b, kinds[(f+d)%len(kinds)], fmt.Sprintf("app-%d-%d", f, d))
		}
		sub := filepath.Join(dir, fmt.Sprintf("team-%02d", f%20))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("app-%04d.yaml", f)), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

const deploymentDoc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: shop
  labels: {app: %[1]s, tier: backend}
spec:
  replicas: 3
  selector:
    matchLabels: {app: %[1]s}
  template:
    metadata:
      labels: {app: %[1]s, tier: backend}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers:
        - name: app
          image: registry.example.com/shop/%[1]s:1.2.3
          ports: [{containerPort: 8080, name: http}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: DB_HOST, value: db.shop.svc}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
`

const serviceDoc = `apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: shop
spec:
  selector: {app: %[1]s}
  ports: [{port: 80, targetPort: http}]
`

const configMapDoc = `apiVersion: v1
kind: ConfigMap
metadata:
  name: %[1]s
  namespace: shop
data:
  settings.json: |
    {"feature": true, "limit": 10}
`

const ingressDoc = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %[1]s
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
    - host: %[1]s.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: %[1]s, port: {number: 80}}}
`

const oldCronDoc = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: %[1]s
  namespace: shop
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: job, image: "registry.example.com/shop/job:1.0"}]
`

// BenchmarkScan10kDocuments decodes and checks 10,000 documents in 1,000
// files with every rule.
func BenchmarkScan10kDocuments(b *testing.B) {
	dir := writeCorpus(b, 1000, 10)
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
