package addons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

type chartMeta struct {
	Name       string `yaml:"name"`
	Version    string `yaml:"version"`
	AppVersion string `yaml:"appVersion"`
}

func readChart(t *testing.T, dir string) chartMeta {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c chartMeta
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return c
}

// TestCorpusCharts detects the addons of the corpus charts (and their
// vendored dependencies) from Chart.yaml metadata.
func TestCorpusCharts(t *testing.T) {
	corpus := corpusDir(t)
	if corpus == "" {
		t.Skip("../shared/corpus not present")
	}
	m := Default()
	tests := []struct {
		dir, addon, version string
		readable            bool
	}{
		{"helm/current/cert-manager", "cert-manager", "v0.0.0", false}, // unreleased placeholder
		{"helm/current/ingress-nginx", "ingress-nginx", "1.15.1", true},
		{"helm/current/metrics-server", "metrics-server", "0.8.1", true},
		{"helm/current/cluster-autoscaler", "cluster-autoscaler", "1.35.0", true},
		{"helm/current/kube-state-metrics", "kube-state-metrics", "2.20.0", true},
		{"helm/current/prometheus/charts/kube-state-metrics", "kube-state-metrics", "2.20.0", true},
		{"helm/current/argo-cd", "argo-cd", "v3.4.4", true},
		{"helm/current/cilium", "cilium", "1.19.6", true},
		{"helm/current/kyverno", "kyverno", "v1.14.4", true},
		{"helm/current/gatekeeper", "gatekeeper", "v3.24.0-beta.0", true},
		{"helm/current/velero", "velero", "1.18.1", true},
		{"helm/current/external-dns", "external-dns", "0.21.0", true},
		{"helm/current/aws-load-balancer-controller", "aws-load-balancer-controller", "v3.5.0", true},
		{"helm/current/kube-prometheus-stack", "prometheus-operator", "v0.93.1", true},
		{"helm/old/cluster-autoscaler-9.9.2-2021", "cluster-autoscaler", "1.20.0", true},
		{"helm/old/ingress-nginx-3.22.0-2021", "ingress-nginx", "0.43.0", true},
		{"helm/old/stable-prometheus-operator-2019", "prometheus-operator", "0.31.1", true},
		// Not addons.
		{"helm/current/grafana", "", "", false},
		{"helm/current/bitnami-redis", "", "", false},
		{"helm/current/argo-rollouts", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join(corpus, tc.dir)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("%s not in this corpus", tc.dir)
			}
			c := readChart(t, dir)
			d, ok := m.DetectChart(c.Name, c.Version, c.AppVersion)
			if tc.addon == "" {
				if ok {
					t.Errorf("chart %s detected as %s", c.Name, d.Addon)
				}
				return
			}
			if !ok || d.Addon != tc.addon || d.Version != tc.version {
				t.Fatalf("DetectChart(%s, %s, %s) = %+v, %v; want %s %s", c.Name, c.Version, c.AppVersion, d, ok, tc.addon, tc.version)
			}
			if (d.Semver() != nil) != tc.readable {
				t.Errorf("readable version = %v, want %v (%s)", d.Semver() != nil, tc.readable, d.Unknown)
			}
		})
	}
	// The corpus cluster-autoscaler is built for 1.35.
	d, _ := m.DetectChart("cluster-autoscaler", "9.59.0", "1.35.0")
	if vs := m.Check(d, kubeversion.MustParse("1.34")); kinds(vs) != "skew" {
		t.Errorf("cluster-autoscaler 1.35 on 1.34: %+v", vs)
	}
}

// TestCorpusChartDirs reads chart directories with vendored dependencies.
func TestCorpusChartDirs(t *testing.T) {
	corpus := corpusDir(t)
	if corpus == "" {
		t.Skip("../shared/corpus not present")
	}
	m := Default()
	tests := []struct {
		dir  string
		want []string // addon@version in order
	}{
		{"helm/current/prometheus", []string{"kube-state-metrics@2.20.0"}},
		{"helm/current/kube-prometheus-stack", []string{"prometheus-operator@v0.93.1", "kube-state-metrics@2.20.0"}}, // and its vendored subchart
		{"helm/current/argo-cd", []string{"argo-cd@v3.4.4"}},
		{"helm/current/grafana", nil},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			dir := filepath.Join(corpus, tc.dir)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("%s not in this corpus", tc.dir)
			}
			ds, err := m.DetectChartDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.Addon+"@"+d.Version)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := m.DetectChartDir(filepath.Join(corpus, "no-such-chart")); err == nil || !strings.Contains(err.Error(), "no-such-chart") {
		t.Errorf("missing chart error %v should name the path", err)
	}
}

// TestCorpusManifests detects addons in the plain corpus manifests.
func TestCorpusManifests(t *testing.T) {
	corpus := corpusDir(t)
	if corpus == "" {
		t.Skip("../shared/corpus not present")
	}
	m := Default()
	tests := []struct {
		file, addon, version, unknown string
		objects                       int // objects evidencing the detection, at least
	}{
		{"manifests/ingress-nginx-static/deploy-cloud.yaml", "ingress-nginx", "v1.15.1", "", 5},
		{"manifests/ingress-nginx-static-2019/mandatory.yaml", "ingress-nginx", "0.26.1", "", 1},
		{"manifests/gatekeeper/gatekeeper.yaml", "gatekeeper", "v3.24.0-beta.0", "", 2},
		{"kustomize/metrics-server-manifests/base/deployment.yaml", "metrics-server", "", `image tag "master" is not a version`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p := filepath.Join(corpus, tc.file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Skipf("%s not in this corpus", tc.file)
			}
			objs, _ := render.DecodeBytes(b, render.DecodeOptions{File: p, Exact: true})
			var found *Detection
			dets := m.Detect(objs)
			for i := range dets {
				if dets[i].Addon == tc.addon {
					if found != nil {
						t.Errorf("two detections of %s: %+v and %+v", tc.addon, *found, dets[i])
					}
					found = &dets[i]
				}
			}
			if found == nil {
				t.Fatalf("%s not detected: %+v", tc.addon, dets)
			}
			if found.Version != tc.version || found.Unknown != tc.unknown {
				t.Errorf("version %q unknown %q, want %q %q", found.Version, found.Unknown, tc.version, tc.unknown)
			}
			seen := map[*model.Object]bool{}
			for _, e := range found.Evidence {
				seen[e.Object] = true
			}
			if len(seen) < tc.objects {
				t.Errorf("%d evidencing objects, want at least %d", len(seen), tc.objects)
			}
		})
	}
}

// corpusDir returns the shared corpus, or "" when it is absent.
func corpusDir(*testing.T) string { return testcorpus.Find() }
