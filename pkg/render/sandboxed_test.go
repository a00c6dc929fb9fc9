package render

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// The test binary serves as its own render worker, so the tests exercise
// the sandboxed path the CLI takes.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

const removedIngress = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
`

// Charts that exhaust memory or never finish cost one render-error each,
// at the chart, naming the budget; everything else is still scanned.
func TestSandboxBudgets(t *testing.T) {
	if !sandbox.Available() {
		t.Skip("no sandbox")
	}
	root := t.TempDir()
	chart := func(name, tpl, values string) map[string]string {
		return map[string]string{
			name + "/Chart.yaml":             "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n",
			name + "/values.yaml":            values,
			name + "/templates/cm.yaml":      tpl,
			name + "/templates/ok.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
			name + "/templates/_helpers.tpl": "",
		}
	}
	files := map[string]string{"legacy/ingress.yaml": removedIngress}
	for _, c := range []map[string]string{
		// A loop that takes far longer than the budget.
		chart("spin", "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}\n", ""),
		// A list far over the memory budget.
		chart("until", "{{ range until 100000000 }}{{ end }}\n", ""),
		// One string far over the memory budget.
		chart("repeat", "x: {{ repeat 1500000000 \"ab\" }}\n", ""),
		// tpl recursion through values: each level renders the next.
		chart("tplbomb", "x: {{ tpl .Values.a . }}\n", "a: '{{ tpl .Values.a . }}{{ tpl .Values.a . }}'\n"),
		// A plain chart next to them still renders.
		chart("fine", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n", ""),
	} {
		for k, v := range c {
			files[k] = v
		}
	}
	writeTree(t, root, files)
	start := time.Now()
	res := render(t, "1.33", Options{Sandbox: SandboxOptions{Limits: sandbox.Limits{Memory: 512 << 20, Timeout: 5 * time.Second}}}, root)
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("scan took %v", d)
	}
	byOrigin := map[string][]model.Problem{}
	for _, p := range res.Problems {
		byOrigin[filepath.Base(p.Origin)] = append(byOrigin[filepath.Base(p.Origin)], p)
	}
	for chart, want := range map[string]string{
		"spin":    "exceeded the time budget of 5s",
		"repeat":  "exceeded the memory budget of 512 MiB",
		"until":   "exceeded the memory budget of 512 MiB",
		"tplbomb": "budget of",
	} {
		ps := byOrigin[chart]
		if len(ps) != 1 {
			t.Errorf("%s: problems %+v, want one render-error", chart, ps)
			continue
		}
		p := ps[0]
		if p.Rule != "render-error" || !strings.HasSuffix(p.File, chart+"/Chart.yaml") || !strings.Contains(p.Message, want) {
			t.Errorf("%s: %s %s: %s; want render-error at %s/Chart.yaml containing %q", chart, p.Rule, p.File, p.Message, chart, want)
		}
	}
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Kind+"/"+o.Name)
	}
	for _, want := range []string{"Ingress/legacy", "ConfigMap/fine"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("objects %v: %s missing", names, want)
		}
	}
}

// Objects that cross the sandbox are the objects an in-process render
// gives: same data types, node trees with lines, locators.
func TestSandboxedEqualsInProcess(t *testing.T) {
	if !sandbox.Available() {
		t.Skip("no sandbox")
	}
	paths := []string{"testdata/charts", "testdata/kustomize"}
	if c := testcorpus.Find(); c != "" && !testing.Short() {
		paths = append(paths, filepath.Join(c, "helm"), filepath.Join(c, "kustomize"))
	}
	muteStderr(t)
	in := render(t, "1.33", Options{Sandbox: SandboxOptions{Disabled: true}}, paths...)
	out := render(t, "1.33", Options{}, paths...)
	if len(in.Objects) != len(out.Objects) || len(in.Objects) == 0 {
		t.Fatalf("%d objects in process, %d sandboxed", len(in.Objects), len(out.Objects))
	}
	if !reflect.DeepEqual(in.Problems, out.Problems) {
		t.Errorf("problems differ:\n%+v\n%+v", in.Problems, out.Problems)
	}
	located := 0
	for i := range in.Objects {
		a, b := in.Objects[i], out.Objects[i]
		if a.Kind != b.Kind || a.Name != b.Name || !reflect.DeepEqual(a.Source, b.Source) {
			t.Fatalf("object %d: %s/%s at %+v vs %s/%s at %+v", i, a.Kind, a.Name, a.Source, b.Kind, b.Name, b.Source)
		}
		if !reflect.DeepEqual(a.Data, b.Data) || !reflect.DeepEqual(a.Extra, b.Extra) {
			t.Fatalf("object %d %s/%s: data differs", i, a.Kind, a.Name)
		}
		if !sameNode(a.Node, b.Node, map[*yaml.Node]bool{}) {
			t.Fatalf("object %d %s/%s: node differs", i, a.Kind, a.Name)
		}
		if (a.Locator == nil) != (b.Locator == nil) {
			t.Fatalf("object %d %s/%s: locator lost", i, a.Kind, a.Name)
		}
		if a.Locator != nil {
			located++
			if !reflect.DeepEqual(a.Locator, b.Locator) {
				t.Fatalf("object %d %s/%s: locator differs", i, a.Kind, a.Name)
			}
		}
	}
	if located == 0 {
		t.Error("no object with a template locator: the comparison misses locators")
	}
}

func sameNode(a, b *yaml.Node, seen map[*yaml.Node]bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	if seen[a] {
		return true
	}
	seen[a] = true
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Line != b.Line || a.Column != b.Column || a.HeadComment != b.HeadComment || a.LineComment != b.LineComment ||
		a.FootComment != b.FootComment || len(a.Content) != len(b.Content) || !sameNode(a.Alias, b.Alias, seen) {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i], seen) {
			return false
		}
	}
	return true
}
