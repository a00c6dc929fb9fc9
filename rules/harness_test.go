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
	env    map[string]any
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

func runRule(t testing.TB, r *Rule, target string, env map[string]any, objs []*model.Object) []model.Finding {
	t.Helper()
	if target == "" {
		target = "1.33"
	}
	fs := Run(Config{Target: kubeversion.MustParse(target), Lifecycle: kubeversion.Default(), Env: env}, []*Rule{r}, objs)
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

func runCases(t *testing.T, r *Rule, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := runRule(t, r, tc.target, tc.env, decodeFiles(t, tc.files))
			checkFindings(t, fs, tc.want)
		})
	}
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
