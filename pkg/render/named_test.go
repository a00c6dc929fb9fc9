package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// namedTree is a repository with a chart, a base with an overlay, and a
// plain file; every object but the ConfigMap uses an API removed in 1.25.
func namedTree(t *testing.T) string {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":                         "ref: refs/heads/main\n",
		"charts/web/Chart.yaml":             "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"charts/web/values.yaml":            "name: web\n",
		"charts/web/templates/_helpers.tpl": "{{- define \"web.name\" -}}{{ .Values.name }}{{- end -}}\n",
		"charts/web/templates/pdb.yaml":     "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: {{ include \"web.name\" . }}\nspec:\n  minAvailable: 1\n",
		"charts/web/templates/ingress.yaml": "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: {{ include \"web.name\" . }}\n",
		"app/base/kustomization.yaml":       "resources:\n  - cronjob.yaml\n  - hpa.yaml\n",
		"app/base/cronjob.yaml":             "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: '@daily'\n",
		"app/base/hpa.yaml":                 "apiVersion: autoscaling/v2beta1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n",
		"app/prod/kustomization.yaml":       "resources:\n  - ../base\npatches:\n  - path: schedule.yaml\n",
		"app/prod/schedule.yaml":            "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: '@hourly'\n",
		"plain/cm.yaml":                     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n",
	})
	return root
}

// reported renders paths (relative to root) and lists the reported
// findings and the units, with root cut from paths.
func reported(t *testing.T, root string, paths ...string) (fs, units []string) {
	t.Helper()
	var args []string
	for _, p := range paths {
		args = append(args, filepath.Join(root, p))
	}
	res := render(t, "1.25", Options{Sandbox: SandboxOptions{Disabled: true}}, args...)
	all := rules.Run(rules.Config{Target: kubeversion.MustParse("1.25"), Lifecycle: kubeversion.Default(), Inputs: rules.Inputs{Problems: res.Problems}},
		[]*rules.Rule{rules.RemovedAPI, rules.ParseError, rules.RenderError}, res.Objects)
	cut := func(s string) string { return strings.TrimPrefix(s, filepath.ToSlash(root)+"/") }
	for _, f := range res.Reported(all) {
		fs = append(fs, fmt.Sprintf("%s %s:%d", f.Rule, cut(f.File), f.Line))
	}
	for _, u := range res.Units {
		units = append(units, string(u.Kind)+" "+cut(u.Path))
	}
	sort.Strings(fs)
	sort.Strings(units)
	return fs, units
}

func TestNamedFilesRenderTheirUnit(t *testing.T) {
	root := namedTree(t)
	for _, tc := range []struct {
		name        string
		paths       []string
		want, wantU string
	}{
		{"template", []string{"charts/web/templates/pdb.yaml"},
			"removed-api charts/web/templates/pdb.yaml:1", "helm charts/web"},
		// Values and helpers shape every template: the whole chart.
		{"values", []string{"charts/web/values.yaml"},
			"removed-api charts/web/templates/ingress.yaml:1|removed-api charts/web/templates/pdb.yaml:1", "helm charts/web"},
		{"helper", []string{"charts/web/templates/_helpers.tpl"},
			"removed-api charts/web/templates/ingress.yaml:1|removed-api charts/web/templates/pdb.yaml:1", "helm charts/web"},
		// A directory argument reports the chart in full.
		{"template and chart", []string{"charts/web/templates/pdb.yaml", "charts/web"},
			"removed-api charts/web/templates/ingress.yaml:1|removed-api charts/web/templates/pdb.yaml:1", "helm charts/web"},
		{"base resource", []string{"app/base/cronjob.yaml"},
			"removed-api app/base/cronjob.yaml:1", "kustomize app/base"},
		// A patch is judged on the fields it sets: here none is a finding.
		{"patch", []string{"app/prod/schedule.yaml"}, "", "kustomize app/prod"},
		// The base's file through the overlay that names the patch.
		{"patch and base", []string{"app/prod/schedule.yaml", "app/base/hpa.yaml"},
			"removed-api app/base/hpa.yaml:1", "kustomize app/prod"},
		{"kustomization", []string{"app/prod/kustomization.yaml"},
			"removed-api app/base/cronjob.yaml:1|removed-api app/base/hpa.yaml:1", "kustomize app/prod"},
		{"plain", []string{"plain/cm.yaml", "charts/web/templates/ingress.yaml"},
			"removed-api charts/web/templates/ingress.yaml:1", "file plain/cm.yaml|helm charts/web"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, units := reported(t, root, tc.paths...)
			if got := strings.Join(fs, "|"); got != tc.want {
				t.Errorf("findings\n%s\nwant\n%s", got, tc.want)
			}
			if got := strings.Join(units, "|"); got != tc.wantU {
				t.Errorf("units %s, want %s", got, tc.wantU)
			}
		})
	}
}

// Outside a git work tree and the working directory, a named file's unit
// reads only its own directory, as a directory scan of it would.
func TestNamedFileWithoutRepository(t *testing.T) {
	root := namedTree(t)
	if err := os.RemoveAll(filepath.Join(root, ".git")); err != nil {
		t.Fatal(err)
	}
	fs, units := reported(t, root, "charts/web/templates/pdb.yaml")
	if got := strings.Join(fs, "|"); got != "removed-api charts/web/templates/pdb.yaml:1" {
		t.Errorf("findings %s", got)
	}
	if got := strings.Join(units, "|"); got != "helm charts/web" {
		t.Errorf("units %s", got)
	}
	// The overlay's base is outside its directory: not read, and said so.
	fs, _ = reported(t, root, "app/prod/schedule.yaml")
	if len(fs) != 1 || !strings.HasPrefix(fs[0], "render-error app/prod/kustomization.yaml:2") {
		t.Errorf("findings %v, want the refused base", fs)
	}
}
