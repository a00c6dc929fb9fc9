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
// every finding names a rendered object. It skips while Helm rendering is
// not available (the render branch fills pkg/render/helm.go).
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
		t.Skip("helm rendering not available: no prometheus server Deployment rendered")
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
