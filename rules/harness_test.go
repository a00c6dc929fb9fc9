package rules

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// ruleCase is one table entry of a rule test: YAML files decoded separately
// (as separate files of one scan), the target version, and the findings
// expected. An empty want is a clean case.
type ruleCase struct {
	name   string
	target string // default "1.33"
	files  []string
	env    *Inputs
	want   []want
}

// want is one expected finding: the object name, the field path, and text
// the message must contain.
type want struct {
	obj, path, msg string
}

func decodeFiles(t testing.TB, files []string) []*model.Object {
	t.Helper()
	var objs []*model.Object
	for i, f := range files {
		o, probs := render.DecodeBytes([]byte(strings.TrimLeft(f, "\n")), render.DecodeOptions{File: fmt.Sprintf("file%d.yaml", i), Exact: true})
		if len(probs) > 0 {
			t.Fatalf("fixture %d does not decode: %+v", i, probs)
		}
		objs = append(objs, o...)
	}
	return objs
}

func runRule(t testing.TB, r *Rule, target string, env *Inputs, objs []*model.Object) []model.Finding {
	t.Helper()
	if target == "" {
		target = "1.33"
	}
	return sortFindings(Run(Config{Target: kubeversion.MustParse(target), Lifecycle: kubeversion.Default(), Inputs: derefInputs(env)}, []*Rule{r}, objs))
}

// sortFindings orders findings by file, line and message so tests can
// compare them (the engine reports in scheduling order).
func sortFindings(fs []model.Finding) []model.Finding {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].File != fs[j].File {
			return fs[i].File < fs[j].File
		}
		if fs[i].Line != fs[j].Line {
			return fs[i].Line < fs[j].Line
		}
		return fs[i].Message < fs[j].Message
	})
	return fs
}

// runCases runs a rule's table and returns how many cases made it fire and
// how many stayed clean, so each rule's test can require both.
func runCases(t *testing.T, r *Rule, cases []ruleCase) (fired, clean int) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := runRule(t, r, tc.target, tc.env, decodeFiles(t, tc.files))
			checkFindings(t, fs, tc.want)
			if len(fs) > 0 {
				fired++
			} else {
				clean++
			}
		})
	}
	return fired, clean
}

func checkFindings(t *testing.T, fs []model.Finding, wants []want) {
	t.Helper()
	used := make([]bool, len(fs))
	for _, w := range wants {
		found := false
		for i, f := range fs {
			if used[i] || f.Name != w.obj || f.FieldPath != w.path || !strings.Contains(f.Message, w.msg) {
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			t.Errorf("missing finding on %s at %s containing %q", w.obj, w.path, w.msg)
		}
	}
	for i, f := range fs {
		if !used[i] {
			t.Errorf("unexpected finding: %s %s at %s (line %d): %s", f.Rule, f.Name, f.FieldPath, f.Line, f.Message)
		}
		if f.Line == 0 {
			t.Errorf("finding without a line: %+v", f)
		}
		if m := f.Message; m == "" || strings.HasSuffix(m, ".") || strings.ToLower(m[:1]) != m[:1] {
			t.Errorf("message style: %q", m)
		}
	}
}

// Fixture builders for the PDB and workload rules.
// deploy renders a Deployment; replicas "" leaves spec.replicas unset.
func deploy(name, ns, replicas string, labels map[string]string) string {
	return workloadYAML("apps/v1", "Deployment", name, ns, replicas, labels)
}

func workloadYAML(apiVersion, kind, name, ns, replicas string, labels map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n", apiVersion, kind, name)
	if ns != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", ns)
	}
	b.WriteString("spec:\n")
	if replicas != "" {
		fmt.Fprintf(&b, "  replicas: %s\n", replicas)
	}
	b.WriteString("  template:\n    metadata:\n      labels:\n")
	for _, k := range sortedKeys(labels) {
		fmt.Fprintf(&b, "        %s: %s\n", k, labels[k])
	}
	b.WriteString("    spec:\n      containers:\n      - name: app\n        image: nginx\n")
	return b.String()
}

// pdb renders a policy/v1 PodDisruptionBudget; spec is indented YAML under
// spec (selector and min/max).
func pdb(name, ns, spec string) string {
	return pdbVersion("policy/v1", name, ns, spec)
}

func pdbVersion(apiVersion, name, ns, spec string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: %s\nkind: PodDisruptionBudget\nmetadata:\n  name: %s\n", apiVersion, name)
	if ns != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", ns)
	}
	b.WriteString("spec:\n")
	for _, l := range strings.Split(strings.Trim(spec, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// Fixture builders for the resource rules.
// podWith renders a Deployment whose pod spec is the given YAML (indented
// two spaces per level below spec.template.spec).
func podWith(name, ns, podSpec string) string {
	var b strings.Builder
	b.WriteString("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n")
	if ns != "" {
		b.WriteString("  namespace: " + ns + "\n")
	}
	b.WriteString("spec:\n  template:\n    metadata:\n      labels:\n        app: " + name + "\n    spec:\n")
	for _, l := range strings.Split(strings.Trim(podSpec, "\n"), "\n") {
		b.WriteString("      " + l + "\n")
	}
	return b.String()
}

func derefInputs(in *Inputs) Inputs {
	if in == nil {
		return Inputs{}
	}
	return *in
}
