package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// render runs Run at a target with the target's served APIs, as the scan does.
func render(t testing.TB, target string, opts Options, paths ...string) *Result {
	t.Helper()
	tv := kubeversion.MustParse(target)
	opts.Paths = paths
	opts.Target = tv
	opts.APIVersions = kubeversion.Default().ServedAPIs(tv)
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// findings runs the API lifecycle rules and the input rules over a result.
func findings(target string, res *Result) []string {
	tv := kubeversion.MustParse(target)
	fs := rules.Run(rules.Config{Target: tv, Lifecycle: kubeversion.Default(), Inputs: rules.Inputs{Problems: res.Problems}},
		[]*rules.Rule{rules.RemovedAPI, rules.DeprecatedAPI}, res.Objects)
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s:%d %s/%s", f.Rule, f.File, f.Line, f.APIVersion, f.Kind))
	}
	sort.Strings(out)
	return out
}

func objectsByFile(res *Result) map[string][]*model.Object {
	m := map[string][]*model.Object{}
	for _, o := range res.Objects {
		m[o.Source.File] = append(m[o.Source.File], o)
	}
	return m
}

const capChart = "testdata/charts/capabilities"

func TestHelmRendersForTarget(t *testing.T) {
	tests := []struct {
		target       string
		has, semver  string // apiVersion of the CronJob from each template
		wantFindings []string
	}{
		{target: "1.20", has: "batch/v1beta1", semver: "batch/v1beta1"},
		{target: "1.24", has: "batch/v1", semver: "batch/v1beta1", wantFindings: []string{
			"deprecated-api " + capChart + "/templates/cronjob-semver.yaml:4 batch/v1beta1/CronJob",
		}},
		{target: "1.33", has: "batch/v1", semver: "batch/v1"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res := render(t, tt.target, Options{}, capChart)
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %+v", res.Problems)
			}
			by := objectsByFile(res)
			check := func(file, want string, line int) {
				objs := by[capChart+"/templates/"+file]
				if len(objs) != 1 {
					t.Fatalf("%s: %d objects, want 1", file, len(objs))
				}
				o := objs[0]
				if o.APIVersion != want || o.Source.Line != line {
					t.Errorf("%s: %s at line %d, want %s at line %d", file, o.APIVersion, o.Source.Line, want, line)
				}
			}
			lineOf := map[string]map[string]int{
				"cronjob-has.yaml":    {"batch/v1": 3, "batch/v1beta1": 5},
				"cronjob-semver.yaml": {"batch/v1": 2, "batch/v1beta1": 4},
			}
			check("cronjob-has.yaml", tt.has, lineOf["cronjob-has.yaml"][tt.has])
			check("cronjob-semver.yaml", tt.semver, lineOf["cronjob-semver.yaml"][tt.semver])
			got := findings(tt.target, res)
			if strings.Join(got, "\n") != strings.Join(tt.wantFindings, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.wantFindings, "\n"))
			}
		})
	}
}

func TestHelmSourceMapping(t *testing.T) {
	res := render(t, "1.33", Options{}, capChart)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	type want struct {
		file  string
		line  int
		exact bool
	}
	wants := map[string]want{
		"Deployment/capabilities":                      {capChart + "/templates/deployment.yaml", 1, false},
		"Service/capabilities":                         {capChart + "/templates/deployment.yaml", 19, false},
		"PodDisruptionBudget/capabilities-sub":         {capChart + "/charts/sub/templates/pdb.yaml", 1, false},
		"CustomResourceDefinition/widgets.example.com": {capChart + "/crds/widget.yaml", 1, true},
		// Rendered only because the chart's own CRD is treated as installed.
		"Widget/capabilities":         {capChart + "/templates/widget.yaml", 2, false},
		"CronJob/capabilities-has":    {capChart + "/templates/cronjob-has.yaml", 3, false},
		"CronJob/capabilities-semver": {capChart + "/templates/cronjob-semver.yaml", 2, false},
	}
	got := map[string]*model.Object{}
	for _, o := range res.Objects {
		got[o.Kind+"/"+o.Name] = o
	}
	if len(got) != len(wants) || len(res.Objects) != len(wants) {
		t.Errorf("got %d objects %v, want %d", len(res.Objects), keys(got), len(wants))
	}
	for ref, w := range wants {
		o := got[ref]
		if o == nil {
			t.Errorf("%s not rendered", ref)
			continue
		}
		if o.Source.File != w.file || o.Source.Line != w.line || o.Source.Exact != w.exact {
			t.Errorf("%s at %s:%d exact=%v, want %s:%d exact=%v", ref, o.Source.File, o.Source.Line, o.Source.Exact, w.file, w.line, w.exact)
		}
		if o.Source.Kind != model.SourceHelm || o.Source.Origin != capChart || o.DefaultNamespace != "default" {
			t.Errorf("%s: kind %s origin %s namespace %s", ref, o.Source.Kind, o.Source.Origin, o.DefaultNamespace)
		}
		if len(o.Source.Values) != 1 || o.Source.Values[0] != capChart+"/values.yaml" {
			t.Errorf("%s: values %v", ref, o.Source.Values)
		}
	}
	// Fields are found in the template's literal structure; what the
	// template does not spell out falls back to the nearest literal parent.
	if d := got["Deployment/capabilities"]; d != nil {
		if l, _ := d.PosOf("spec.replicas"); l != 6 {
			t.Errorf("PosOf(spec.replicas) = %d, want 6", l)
		}
		if l, _ := d.PosOf("spec.selector.matchLabels.app"); l != 8 {
			t.Errorf("PosOf(spec.selector.matchLabels.app) = %d, want 8", l)
		}
	}
	if u := res.Units; len(u) != 1 || u[0].Kind != model.SourceHelm || u[0].Path != capChart || u[0].Objects != len(wants) {
		t.Errorf("units = %+v", u)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestHelmValues(t *testing.T) {
	valuesFile := filepath.Join(t.TempDir(), "prod.yaml")
	if err := os.WriteFile(valuesFile, []byte("replicas: 2\nschedule: \"@daily\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		helm      HelmOptions
		replicas  []int // of each rendered Deployment
		release   string
		namespace string
		noSub     bool
		values    []string
		schedule  string
	}{
		{name: "defaults", replicas: []int{1}, release: "capabilities", namespace: "default", values: []string{capChart + "/values.yaml"}},
		{name: "values file", helm: HelmOptions{ValuesFiles: []string{valuesFile}}, replicas: []int{2}, release: "capabilities", namespace: "default",
			values: []string{capChart + "/values.yaml", paths.Display(valuesFile)}},
		{name: "set wins over file", helm: HelmOptions{ValuesFiles: []string{valuesFile}, Set: []string{"replicas=3"}}, replicas: []int{3}, release: "capabilities", namespace: "default",
			values: []string{capChart + "/values.yaml", paths.Display(valuesFile)}},
		{name: "set disables subchart", helm: HelmOptions{Set: []string{"sub.enabled=false"}}, replicas: []int{1}, release: "capabilities", namespace: "default", noSub: true,
			values: []string{capChart + "/values.yaml"}},
		{name: "per-chart config", helm: HelmOptions{Set: []string{"replicas=3"}, Charts: map[string]ChartConfig{
			capChart + "/": {Set: map[string]string{"replicas": "4"}, ReleaseName: "web", Namespace: "apps"},
		}}, replicas: []int{4}, release: "web", namespace: "apps", values: []string{capChart + "/values.yaml"}},
		{name: "per-chart set-string", helm: HelmOptions{Charts: map[string]ChartConfig{
			capChart: {SetString: map[string]string{"schedule": "1,2 * * * *"}},
		}}, replicas: []int{1}, release: "capabilities", namespace: "default", schedule: "1,2 * * * *"},
		{name: "ci values", helm: HelmOptions{CIValues: true}, replicas: []int{1, 5}, release: "capabilities", namespace: "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(t, "1.33", Options{Helm: tt.helm}, capChart)
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %+v", res.Problems)
			}
			var reps []int
			sub := false
			for _, o := range res.Objects {
				switch o.Kind {
				case "Deployment":
					n, _ := o.Get("spec.replicas")
					var r int
					fmt.Sscan(fmt.Sprint(n), &r)
					reps = append(reps, r)
					if o.Name != tt.release || o.DefaultNamespace != tt.namespace {
						t.Errorf("deployment %s in %s, want %s in %s", o.Name, o.DefaultNamespace, tt.release, tt.namespace)
					}
					if tt.values != nil && strings.Join(o.Source.Values, ",") != strings.Join(tt.values, ",") {
						t.Errorf("values %v, want %v", o.Source.Values, tt.values)
					}
				case "PodDisruptionBudget":
					sub = true
				case "CronJob":
					if s, _ := o.Get("spec.schedule"); tt.schedule != "" && s != tt.schedule {
						t.Errorf("schedule %v, want %q", s, tt.schedule)
					}
				}
			}
			if fmt.Sprint(reps) != fmt.Sprint(tt.replicas) {
				t.Errorf("replicas %v, want %v", reps, tt.replicas)
			}
			if sub == tt.noSub {
				t.Errorf("subchart rendered = %v", sub)
			}
		})
	}
}

func TestHelmProblems(t *testing.T) {
	tests := []struct {
		name, chart, target string
		set                 []string
		wantObjects         int
		wantRule, wantFile  string
		wantLine            int
		wantText            []string
	}{
		{name: "kubeVersion excludes target", chart: "kube-version", target: "1.28", wantObjects: 1,
			wantRule: "chart-kube-version", wantFile: "Chart.yaml", wantLine: 4, wantText: []string{`">=1.30.0-0"`, "target 1.28"}},
		{name: "kubeVersion satisfied", chart: "kube-version", target: "1.33", wantObjects: 1},
		{name: "missing dependency", chart: "missing-dep", target: "1.33",
			wantRule: "render-error", wantFile: "Chart.yaml", wantLine: 5, wantText: []string{"redis", "oci://registry.example.com/charts", "not vendored"}},
		{name: "template error", chart: "broken", target: "1.33",
			wantRule: "render-error", wantFile: "templates/configmap.yaml", wantLine: 6, wantText: []string{"chart broken", "nil pointer"}},
		{name: "template error fixed by values", chart: "broken", target: "1.33", set: []string{"database.url=postgres://db"}, wantObjects: 1},
		{name: "schema failure", chart: "schema", target: "1.33",
			wantRule: "render-error", wantFile: "values.schema.json", wantText: []string{"values.schema.json", "policy"}},
		{name: "schema satisfied", chart: "schema", target: "1.33", set: []string{"policy=sync"}, wantObjects: 1},
		{name: "library chart", chart: "library", target: "1.33"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := "testdata/charts/" + tt.chart
			res := render(t, tt.target, Options{Helm: HelmOptions{Set: tt.set}}, dir)
			if len(res.Objects) != tt.wantObjects {
				t.Errorf("%d objects, want %d", len(res.Objects), tt.wantObjects)
			}
			if tt.wantRule == "" {
				if len(res.Problems) > 0 {
					t.Errorf("problems: %+v", res.Problems)
				}
				return
			}
			if len(res.Problems) != 1 {
				t.Fatalf("problems = %+v, want one", res.Problems)
			}
			p := res.Problems[0]
			if p.Rule != tt.wantRule || p.File != dir+"/"+tt.wantFile || p.Line != tt.wantLine || p.Origin != dir {
				t.Errorf("problem %s at %s:%d (origin %s), want %s at %s:%d", p.Rule, p.File, p.Line, p.Origin, tt.wantRule, dir+"/"+tt.wantFile, tt.wantLine)
			}
			for _, s := range tt.wantText {
				if !strings.Contains(p.Message, s) {
					t.Errorf("message %q lacks %q", p.Message, s)
				}
			}
		})
	}
}

func TestPackagedChart(t *testing.T) {
	ch, err := loader.LoadDir(capChart)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tgz, err := chartutil.Save(ch, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A .tgz that is not a chart stays unscanned.
	if err := os.WriteFile(filepath.Join(dir, "other.tgz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !helm.IsPackagedChart(tgz) || helm.IsPackagedChart(filepath.Join(dir, "other.tgz")) {
		t.Fatal("IsPackagedChart misclassifies")
	}
	res := render(t, "1.33", Options{}, dir)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if len(res.Units) != 1 || res.Units[0].Kind != model.SourceHelm || res.Units[0].Path != paths.Display(tgz) {
		t.Fatalf("units = %+v", res.Units)
	}
	if len(res.Objects) != 7 {
		t.Errorf("%d objects, want 7", len(res.Objects))
	}
	for _, o := range res.Objects {
		// Lines of files inside an archive are not lines of the archive.
		if o.Source.File != paths.Display(tgz) || o.Source.Line != 0 || o.Source.Exact {
			t.Errorf("%s/%s at %s:%d", o.Kind, o.Name, o.Source.File, o.Source.Line)
		}
		if o.Kind == "CronJob" && o.APIVersion != "batch/v1" {
			t.Errorf("%s %s rendered with %s", o.Kind, o.Name, o.APIVersion)
		}
	}
}

func TestSetArgs(t *testing.T) {
	got := SetArgs(map[string]string{"b": `x\y`, "a.list": "1,2"})
	want := []string{`a.list=1\,2`, `b=x\\y`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("SetArgs = %q, want %q", got, want)
	}
	res := render(t, "1.33", Options{Helm: HelmOptions{Set: SetArgs(map[string]string{"schedule": "1,2 * * * *"})}}, capChart)
	for _, o := range res.Objects {
		if s, _ := o.Get("spec.schedule"); o.Kind == "CronJob" && s != "1,2 * * * *" {
			t.Errorf("schedule %v", s)
		}
	}
}
