package rules

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

const addonFixtures = "../testdata/manifests/addons"

// runAddonRule decodes fixture files and runs one rule at target.
func runAddonRule(t *testing.T, r *Rule, target string, env *Inputs, files ...string) []model.Finding {
	t.Helper()
	var objs []*model.Object
	for _, f := range files {
		p := filepath.Join(addonFixtures, f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		o, probs := render.DecodeBytes(b, render.DecodeOptions{File: p, Exact: true})
		if len(probs) > 0 {
			t.Fatalf("%s: %v", p, probs)
		}
		objs = append(objs, o...)
	}
	fs := Run(Config{Target: kubeversion.MustParse(target), Lifecycle: kubeversion.Default(), Inputs: derefInputs(env)}, []*Rule{r}, objs)
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].File != fs[j].File {
			return fs[i].File < fs[j].File
		}
		return fs[i].Line < fs[j].Line
	})
	return fs
}

// addonCase is one table row of the addon rule tests: the findings expected
// for a fixture at a target, as namespace → substring of the message.
type addonCase struct {
	name   string
	files  []string
	target string
	env    *Inputs
	want   map[string]string // namespace → message substring; "" → no finding
}

// checkAddonRule runs an addon rule's table and returns how many expected
// findings and how many asserted-clean instances (a namespace wanting "",
// or a case wanting nothing at all) it checked.
func checkAddonRule(t *testing.T, r *Rule, tests []addonCase) (fired, clean int) {
	t.Helper()
	if err := Validate([]*Rule{r}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		if len(tc.want) == 0 {
			clean++
		}
		for _, sub := range tc.want {
			if sub == "" {
				clean++
			} else {
				fired++
			}
		}
		t.Run(tc.name, func(t *testing.T) {
			fs := runAddonRule(t, r, tc.target, tc.env, tc.files...)
			got := map[string]model.Finding{}
			for _, f := range fs {
				if _, dup := got[f.Namespace]; dup {
					t.Errorf("two findings in namespace %s: %v", f.Namespace, fs)
				}
				got[f.Namespace] = f
			}
			for ns, sub := range tc.want {
				f, ok := got[ns]
				switch {
				case sub == "" && ok:
					t.Errorf("namespace %s: unexpected finding %q", ns, f.Message)
				case sub != "" && !ok:
					t.Errorf("namespace %s: no finding, want %q (all: %v)", ns, sub, fs)
				case sub != "" && !contains(f.Message, sub):
					t.Errorf("namespace %s: message %q lacks %q", ns, f.Message, sub)
				}
				if ok && (f.Line == 0 || f.FieldPath == "") {
					t.Errorf("namespace %s: finding not located: %+v", ns, f)
				}
			}
			for ns := range got {
				if _, ok := tc.want[ns]; !ok {
					t.Errorf("unexpected finding in namespace %s: %q", ns, got[ns].Message)
				}
			}
		})
	}
	return fired, clean
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
