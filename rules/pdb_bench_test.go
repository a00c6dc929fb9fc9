package rules

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// benchObjects builds n workloads and m PDBs spread over ns namespaces.
// Every workload carries a shared "tier" label so that label-pair lookups
// see crowded buckets; each PDB selects one app, and a tenth of the PDBs use
// matchExpressions only (tested against the whole namespace).
func benchObjects(b *testing.B, n, m, ns int) []*model.Object {
	// Files of at most 1,000 documents: one file is capped at 5,000.
	var files []string
	var sb strings.Builder
	docs := 0
	next := func() {
		sb.WriteString("---\n")
		if docs++; docs%1000 == 0 {
			files = append(files, sb.String())
			sb.Reset()
		}
	}
	for i := 0; i < n; i++ {
		sb.WriteString(deploy(fmt.Sprintf("app-%d", i), fmt.Sprintf("ns-%d", i%ns), fmt.Sprint(1+i%4),
			map[string]string{"app": fmt.Sprintf("app-%d", i), "tier": "web", "team": fmt.Sprintf("t%d", i%7)}))
		next()
	}
	for j := 0; j < m; j++ {
		i := j * (n / m)
		spec := fmt.Sprintf("minAvailable: %d\nselector:\n  matchLabels:\n    app: app-%d\n    tier: web", 1+j%3, i)
		if j%10 == 0 {
			spec = fmt.Sprintf("maxUnavailable: 1\nselector:\n  matchExpressions:\n  - {key: app, operator: In, values: [app-%d, missing]}", i)
		}
		sb.WriteString(pdb(fmt.Sprintf("pdb-%d", j), fmt.Sprintf("ns-%d", i%ns), spec))
		next()
	}
	if sb.Len() > 0 {
		files = append(files, sb.String())
	}
	return decodeFiles(b, files)
}

func benchmarkPDB(b *testing.B, workloads, ns int) {
	objs := benchObjects(b, workloads, workloads/5, ns)
	cfg := Config{Target: kubeversion.MustParse("1.33"), Lifecycle: kubeversion.Default()}
	rs := []*Rule{MissingPDB, PDBBlocksDrain, PDBNoMatch}
	var findings int
	b.ReportAllocs()
	b.ResetTimer()
	// The machine is shared, so wall time is noisy; CPU time of the process
	// per run is reported next to it.
	start := cpuTime()
	for b.Loop() {
		findings = len(Run(cfg, rs, objs))
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(findings), "findings")
}

// BenchmarkPDBRules runs the three PDB rules over 10,000 Deployments and
// 2,000 PodDisruptionBudgets in 50 namespaces, and in a single namespace
// (the worst case for a per-namespace scan); the scale cases show the
// growth is linear in the number of objects.
func BenchmarkPDBRules(b *testing.B) {
	b.Run("50-namespaces", func(b *testing.B) { benchmarkPDB(b, 10000, 50) })
	b.Run("1-namespace", func(b *testing.B) { benchmarkPDB(b, 10000, 1) })
	b.Run("scale-5000", func(b *testing.B) { benchmarkPDB(b, 5000, 50) })
	b.Run("scale-20000", func(b *testing.B) { benchmarkPDB(b, 20000, 50) })
}

// cpuTime is the user+system CPU time of the process in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
