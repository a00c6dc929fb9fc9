package rules

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// TestPrometheusChart checks hand-verified facts on the rendered prometheus
// chart of the corpus: the single-replica server gets no missing-pdb, and
// every finding names a rendered object.
func TestPrometheusChart(t *testing.T) {
	chart := filepath.Join(corpusDir(t), "helm", "current", "prometheus")
	target := kubeversion.MustParse("1.33")
	res, err := render.Run(context.Background(), render.Options{Paths: []string{chart}, Target: target})
	if err != nil {
		t.Fatal(err)
	}
	server := false
	for _, o := range res.Objects {
		if o.Kind == "Deployment" && strings.HasSuffix(o.Name, "-server") {
			server = true
		}
	}
	if !server {
		t.Fatal("no prometheus server Deployment rendered")
	}
	fs := Run(Config{Target: target, Lifecycle: kubeversion.Default()}, upgradeRules, res.Objects)
	for _, f := range fs {
		if f.Rule == "missing-pdb" && strings.HasSuffix(f.Name, "-server") {
			t.Errorf("single-replica server got missing-pdb: %s", f.Message)
		}
		if strings.Contains(f.Message, "internal error") || f.Kind == "" || f.Name == "" {
			t.Errorf("bad finding: %+v", f)
		}
	}
}

// TestChartReplicasFromValues renders a chart whose replicas and budget come
// from values: the PDB rules judge the rendered numbers.
func TestChartReplicasFromValues(t *testing.T) {
	target := kubeversion.MustParse("1.33")
	tests := []struct {
		name string
		set  []string
		want string // rule IDs found, sorted, comma-separated
	}{
		{"one replica by default", nil, ""},
		{"three replicas, no budget", []string{"replicas=3"}, "missing-pdb"},
		{"three replicas with a budget", []string{"replicas=3", "pdb.enabled=true"}, ""},
		{"budget needs every replica", []string{"replicas=3", "pdb.enabled=true", "pdb.minAvailable=3"}, "pdb-blocks-drain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := render.Run(context.Background(), render.Options{
				Paths: []string{"testdata/charts/web"}, Target: target,
				APIVersions: kubeversion.Default().ServedAPIs(target),
				Helm:        render.HelmOptions{Set: tt.set},
			})
			if err != nil || len(res.Problems) > 0 {
				t.Fatalf("render: %v %+v", err, res.Problems)
			}
			var got []string
			for _, f := range Run(Config{Target: target, Lifecycle: kubeversion.Default()}, []*Rule{MissingPDB, PDBBlocksDrain, PDBNoMatch}, res.Objects) {
				got = append(got, f.Rule)
				if f.File != "testdata/charts/web/templates/deployment.yaml" && f.File != "testdata/charts/web/templates/pdb.yaml" {
					t.Errorf("finding at %s, want a template file", f.File)
				}
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("rules %v, want %q", got, tt.want)
			}
		})
	}
}
