package helm

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

func TestLineMapper(t *testing.T) {
	src := "{{- range .Values.items }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ . }}\n{{- end }}\n---\napiVersion: {{ .Values.api }}\nkind: Secret\n"
	m := newLineMapper(src)
	cm := &model.Object{APIVersion: "v1", Kind: "ConfigMap"}
	sec := &model.Object{APIVersion: "v1", Kind: "Secret"}
	for i, tt := range []struct {
		o    *model.Object
		want int
	}{{cm, 3}, {cm, 3}, {sec, 9}, {&model.Object{APIVersion: "v1", Kind: "Pod"}, 0}} {
		if got := m.find(tt.o); got != tt.want {
			t.Errorf("%d: %s mapped to %d, want %d", i, tt.o.Kind, got, tt.want)
		}
	}
}

// A panic while rendering becomes a problem at the chart, with a bounded
// message, instead of ending the scan. (A render without the list of the
// repository's CRDs panics when it asks for them.)
func TestHelmPanicBecomesProblem(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"Chart.yaml":       "apiVersion: v2\nname: p\nversion: 0.1.0\n",
		"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := Chart{Path: filepath.ToSlash(dir), Dir: dir, Root: dir}
	objs, probs, _ := Render(context.Background(), c, Config{Target: kubeversion.MustParse("1.33")})
	if len(objs) != 0 || len(probs) != 1 || probs[0].Rule != "render-error" || probs[0].File != filepath.ToSlash(filepath.Join(dir, "Chart.yaml")) ||
		!strings.HasPrefix(probs[0].Message, "rendering the chart crashed: ") {
		t.Fatalf("objects %d, problems %+v", len(objs), probs)
	}
	if got := clip(strings.Repeat("é", 600), 501); len(got) > 540 || !strings.HasSuffix(got, "... (700 more bytes)") {
		t.Errorf("clip: %q", got)
	}
}
