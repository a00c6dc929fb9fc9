package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// loadCorpusManifests decodes every plain manifest of the corpus.
func loadCorpusManifests(t testing.TB) []*model.Object {
	root := filepath.Join(corpusDir(t), "manifests")
	var objs []*model.Object
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !render.IsManifestName(d.Name()) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		o, _ := render.DecodeBytes(b, render.DecodeOptions{File: filepath.ToSlash(rel), Exact: true})
		objs = append(objs, o...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestCorpusManifests runs the upgrade rules over the corpus's plain
// manifests: no rule may panic, and every finding must point at a real
// object, a field that exists, and a container that exists.
func TestCorpusManifests(t *testing.T) {
	objs := loadCorpusManifests(t)
	if len(objs) < 100 {
		t.Fatalf("only %d objects decoded from the corpus", len(objs))
	}
	byKey := map[string]*model.Object{}
	for _, o := range objs {
		byKey[o.Source.File+"\x00"+o.Kind+"\x00"+o.Namespace+"\x00"+o.Name] = o
	}
	counts := map[string]int{}
	for _, target := range []string{"1.25", "1.33"} {
		fs := Run(Config{Target: kubeversion.MustParse(target), Lifecycle: kubeversion.Default()}, upgradeRules, objs)
		for _, f := range fs {
			counts[f.Rule]++
			if strings.Contains(f.Message, "internal error") {
				t.Errorf("%s panicked on %s %s: %s", f.Rule, f.File, f.Name, f.Message)
				continue
			}
			o := byKey[f.File+"\x00"+f.Kind+"\x00"+f.Namespace+"\x00"+f.Name]
			if o == nil {
				t.Errorf("%s: finding names no object: %+v", f.Rule, f)
				continue
			}
			if f.FieldPath != "" {
				if _, ok := o.Get(f.FieldPath); !ok {
					t.Errorf("%s: %s %s has no field %s", f.Rule, o.Kind, o.Name, f.FieldPath)
				}
			}
			if f.Line < o.Source.Line {
				t.Errorf("%s: line %d before the object at %d", f.Rule, f.Line, o.Source.Line)
			}
			if name, ok := quotedContainer(f.Message); ok && !hasContainer(o, name) {
				t.Errorf("%s: %s %s has no container %q: %s", f.Rule, o.Kind, o.Name, name, f.Message)
			}
		}
	}
	t.Logf("findings over %d objects at 1.25 and 1.33: %v", len(objs), counts)
	for _, id := range []string{"missing-requests", "missing-memory-limit", "deprecated-field"} {
		if counts[id] == 0 {
			t.Errorf("%s found nothing in the corpus", id)
		}
	}
}

// quotedContainer extracts the name from `container "x"` in a message.
func quotedContainer(msg string) (string, bool) {
	i := strings.Index(msg, `container "`)
	if i < 0 {
		return "", false
	}
	rest := msg[i+len(`container "`):]
	j := strings.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return rest[:j], true
}

func hasContainer(o *model.Object, name string) bool {
	t, ok := podTemplateOf(o)
	if !ok {
		return false
	}
	for _, c := range t.containers() {
		if c.Name == name {
			return true
		}
	}
	return false
}

func corpusDir(tb testing.TB) string { return testcorpus.Dir(tb) }
