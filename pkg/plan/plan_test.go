package plan_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/plan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

// The test binary serves as its own render worker, as in the CLI.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

// fixturePlan plans testdata/plan/repo from 1.25 to 1.32, run from
// testdata/plan so paths read as a user would see them.
func fixturePlan(t *testing.T) *plan.Plan {
	t.Helper()
	t.Chdir("../../testdata/plan")
	p, err := plan.Run(context.Background(), scan.Options{
		Current: kubeversion.MustParse("1.25"), Target: kubeversion.MustParse("1.32"),
		FailOn: model.SeverityError, Render: render.Options{Paths: []string{"repo"}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// where lists "now" or the hop of every finding of rule at file:line.
func where(p *plan.Plan) map[string][]string {
	out := map[string][]string{}
	key := func(f model.Finding) string { return f.Rule + " " + f.File + ":" + strconv.Itoa(f.Line) }
	for _, f := range p.AlreadyBroken {
		out[key(f)] = append(out[key(f)], "now")
	}
	for _, h := range p.Hops {
		for _, f := range h.Findings {
			out[key(f)] = append(out[key(f)], h.From+"→"+h.To)
		}
	}
	return out
}

func TestHopPlacement(t *testing.T) {
	got := where(fixturePlan(t))
	want := map[string]string{
		"removed-api repo/manifests/apis.yaml:2":                          "now",       // batch/v1beta1 CronJob, gone in 1.25
		"removed-api repo/manifests/apis.yaml:21":                         "1.25→1.26", // autoscaling/v2beta2
		"deprecated-api repo/manifests/apis.yaml:21":                      "now",
		"removed-api repo/manifests/apis.yaml:31":                         "1.26→1.27", // storage v1beta1 CSIStorageCapacity
		"removed-api repo/manifests/apis.yaml:38":                         "1.28→1.29", // flowcontrol v1beta2
		"deprecated-api repo/manifests/apis.yaml:38":                      "1.25→1.26",
		"deprecated-api repo/manifests/apis.yaml:48":                      "1.28→1.29", // flowcontrol v1beta3 deprecated
		"removed-api repo/manifests/apis.yaml:48":                         "1.31→1.32",
		"chart-kube-version repo/charts/legacy/Chart.yaml:4":              "1.29→1.30",           // "<1.30.0-0": the hop, not now
		"stale-release-api repo/charts/flows/templates/flowschema.yaml:2": "1.28→1.29,1.31→1.32", // v1beta2, then v1beta3
		"stale-release-api repo/charts/hpa/templates/hpa.yaml:3":          "1.25→1.26",
	}
	for k, w := range want {
		if g := strings.Join(got[k], ","); g != w {
			t.Errorf("%s: placed at %s, want exactly %s", k, g, w)
		}
	}
}

func TestStaleReleaseWindows(t *testing.T) {
	p := fixturePlan(t)
	want := map[string]string{
		"1.28→1.29": "as flowcontrol.apiserver.k8s.io/v1beta2 until 1.25 and as flowcontrol.apiserver.k8s.io/v1beta3 from 1.26; redeploy it on 1.26–1.28, before the hop to 1.29 removes flowcontrol.apiserver.k8s.io/v1beta2",
		"1.31→1.32": "as flowcontrol.apiserver.k8s.io/v1beta3 until 1.28 and as flowcontrol.apiserver.k8s.io/v1 from 1.29; redeploy it on 1.29–1.31, before the hop to 1.32 removes flowcontrol.apiserver.k8s.io/v1beta3",
		"1.25→1.26": "as autoscaling/v2beta2 until 1.25 and as autoscaling/v2 only from 1.26: no minor of the plan refreshes the stored release",
	}
	n := 0
	for _, h := range p.Hops {
		for _, f := range h.Findings {
			if f.Rule != plan.StaleReleaseRule {
				continue
			}
			n++
			if w := want[h.From+"→"+h.To]; w == "" || !strings.Contains(f.Message, w) {
				t.Errorf("hop %s→%s: %s", h.From, h.To, f.Message)
			}
		}
	}
	var wins []string
	for _, w := range p.RedeployWindows {
		wins = append(wins, w.From+"–"+w.To)
	}
	if strings.Join(wins, ",") != "1.26–1.28,1.29–1.31" {
		t.Errorf("redeploy windows %v", wins)
	}
	if n != len(want) || p.Summary.StaleReleases != len(want) {
		t.Errorf("%d stale-release findings (summary %d), want %d", n, p.Summary.StaleReleases, len(want))
	}
}

func TestAddonSteps(t *testing.T) {
	p := fixturePlan(t)
	var ingress, autoscaler []string
	for _, h := range p.Hops {
		for _, a := range h.Addons {
			s := h.From + "→" + h.To + " " + a.Version + "→" + a.UpgradeTo
			switch a.Name {
			case "ingress-nginx":
				ingress = append(ingress, s)
			case "cluster-autoscaler":
				autoscaler = append(autoscaler, s)
			}
		}
	}
	if want := []string{"1.28→1.29 1.9.4→1.12.0"}; strings.Join(ingress, ";") != strings.Join(want, ";") {
		t.Errorf("ingress-nginx steps %v, want %v", ingress, want)
	}
	if len(autoscaler) != len(p.Hops) {
		t.Errorf("cluster-autoscaler steps %v, want one per hop (%d)", autoscaler, len(p.Hops))
	}
	if p.ExitCode != 1 {
		t.Errorf("exit code %d, want 1", p.ExitCode)
	}
}

// The case: ingress-nginx 1.9.4 going 1.27 → 1.31 moves once,
// before the hop to 1.29, to a 1.12 release (supports 1.28–1.32).
func TestBridgeSingleUpgrade(t *testing.T) {
	m, err := addons.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds := m.Detect(objectsWithImage(t, "registry.k8s.io/ingress-nginx/controller:v1.9.4"))
	if len(ds) != 1 {
		t.Fatalf("detections: %+v", ds)
	}
	steps := m.Bridges(ds[0], plan.Minors(kubeversion.MustParse("1.27"), kubeversion.MustParse("1.31")))
	if len(steps) != 1 || steps[0].At != kubeversion.MustParse("1.28") || steps[0].To != "1.12.0" || steps[0].Window != "1.28–1.32" {
		t.Fatalf("steps %+v, want one upgrade to 1.12.0 (1.28–1.32) on 1.28", steps)
	}
	// Going further than 1.12 supports needs a second move, not more.
	steps = m.Bridges(ds[0], plan.Minors(kubeversion.MustParse("1.27"), kubeversion.MustParse("1.34")))
	if len(steps) != 2 || steps[1].At != kubeversion.MustParse("1.32") {
		t.Fatalf("steps to 1.34: %+v", steps)
	}
}

// A version built for newer minors than the cluster runs is not upgraded:
// it is flagged once, now, and fine from its window on.
func TestBridgeVersionAheadOfCluster(t *testing.T) {
	m, err := addons.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds := m.Detect(objectsWithImage(t, "registry.k8s.io/ingress-nginx/controller:v1.15.1"))
	steps := m.Bridges(ds[0], plan.Minors(kubeversion.MustParse("1.25"), kubeversion.MustParse("1.33")))
	if len(steps) != 1 || !steps[0].Now || steps[0].To != "" || !strings.Contains(steps[0].Reason, "until the control plane reaches 1.31") {
		t.Fatalf("steps %+v", steps)
	}
}

// A version older than anything the data lists is unsupported everywhere:
// it moves now, then as few times as the range needs.
func TestBridgeVersionOlderThanData(t *testing.T) {
	m, err := addons.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds := m.Detect(objectsWithImage(t, "registry.k8s.io/ingress-nginx/controller:v0.43.0"))
	steps := m.Bridges(ds[0], plan.Minors(kubeversion.MustParse("1.25"), kubeversion.MustParse("1.33")))
	var got []string
	for _, s := range steps {
		got = append(got, s.At.String()+":"+s.To+":"+strconv.FormatBool(s.Now))
	}
	if want := "1.25:1.9.6:true,1.29:1.13.0:false"; strings.Join(got, ",") != want {
		t.Fatalf("steps %v, want %s", got, want)
	}
}

func objectsWithImage(t *testing.T, image string) []*model.Object {
	t.Helper()
	o := &model.Object{
		APIVersion: "apps/v1", Kind: "Deployment", Name: "ingress-nginx-controller", Namespace: "ingress-nginx",
		Source: model.Source{Kind: model.SourcePlain, File: "x.yaml", Line: 1},
		Data: map[string]any{
			"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": map[string]any{"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
			"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
				"containers": []any{map[string]any{"name": "controller", "image": image}},
			}}},
		},
	}
	return []*model.Object{o}
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	a := fixturePlanJSON(t)
	runtime.GOMAXPROCS(4)
	b := fixturePlanJSON(t)
	runtime.GOMAXPROCS(old)
	if a != b {
		t.Fatal("plan differs between GOMAXPROCS 1 and 4")
	}
}

func fixturePlanJSON(t *testing.T) string {
	t.Helper()
	b, err := json.Marshal(fixturePlan(t))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each removal from 1.16 to 1.32 lands in exactly the hop that removes it
// (or, removed by the current minor, among the already broken).
func TestRemovalsAcrossReleases(t *testing.T) {
	docs := []struct{ apiVersion, kind, want string }{
		{"apps/v1beta1", "Deployment", "now"},
		{"networking.k8s.io/v1beta1", "Ingress", "1.21→1.22"},
		{"policy/v1beta1", "PodSecurityPolicy", "1.24→1.25"},
		{"autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.25→1.26"},
		{"storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.26→1.27"},
		{"flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.28→1.29"},
		{"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "1.31→1.32"},
	}
	var body strings.Builder
	for i, d := range docs {
		body.WriteString("---\napiVersion: " + d.apiVersion + "\nkind: " + d.kind + "\nmetadata:\n  name: o" + strconv.Itoa(i) + "\n")
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/all.yaml", []byte(body.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(context.Background(), scan.Options{
		Current: kubeversion.MustParse("1.16"), Target: kubeversion.MustParse("1.32"),
		FailOn: model.SeverityError, Render: render.Options{Paths: []string{dir}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range p.AlreadyBroken {
		if f.Rule == "removed-api" {
			got[f.APIVersion+" "+f.Kind] = append(got[f.APIVersion+" "+f.Kind], "now")
		}
	}
	for _, h := range p.Hops {
		for _, f := range h.Findings {
			if f.Rule == "removed-api" {
				got[f.APIVersion+" "+f.Kind] = append(got[f.APIVersion+" "+f.Kind], h.From+"→"+h.To)
			}
		}
	}
	for _, d := range docs {
		k := d.apiVersion + " " + d.kind
		if g := got[k]; len(g) != 1 || g[0] != d.want {
			t.Errorf("%s: removed-api at %v, want exactly %s", k, g, d.want)
		}
	}
	if len(p.Hops) != 16 {
		t.Errorf("%d hops, want 16", len(p.Hops))
	}
}

// Minors before the embedded schemas are not validated: a typo first seen
// at 1.25 is already broken, not a blocker of the hop to 1.25.
func TestSchemaFindingsBeforeEmbeddedSchemas(t *testing.T) {
	dir := t.TempDir()
	body := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  replcas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n"
	if err := os.WriteFile(filepath.Join(dir, "web.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(context.Background(), scan.Options{
		Current: kubeversion.MustParse("1.23"), Target: kubeversion.MustParse("1.26"),
		FailOn: model.SeverityError, Render: render.Options{Paths: []string{dir}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	got := where(p)
	k := "schema-invalid " + filepath.Join(dir, "web.yaml") + ":6"
	if g := strings.Join(got[k], ","); g != "now" {
		t.Errorf("%s placed at %q, want now (%v)", k, g, got)
	}
	if !strings.Contains(strings.Join(p.Evidence.Notices, "\n"), "1 schema-invalid finding(s) first seen at 1.25") {
		t.Errorf("evidence notices: %q", p.Evidence.Notices)
	}
}
