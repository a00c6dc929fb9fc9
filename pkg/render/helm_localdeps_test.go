package render

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// A dependency declared with a file:// repository renders from its own
// directory, as `helm dependency build` would vendor it, when that is
// inside the scanned tree; findings point at its templates.
func TestHelmFileDependencyInsideTree(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"apps/umbrella/Chart.yaml":          "apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n  - name: web\n    version: 0.1.0\n    repository: file://../../charts/web\n",
		"charts/web/Chart.yaml":             "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"charts/web/templates/cronjob.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: {{ .Release.Name }}-web\n",
	})
	res := render(t, "1.33", Options{}, root)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var got []string
	for _, o := range res.Objects {
		if o.Source.Origin == paths.Display(filepath.Join(root, "apps/umbrella")) {
			got = append(got, fmt.Sprintf("%s %s:%d", o.Name, o.Source.File, o.Source.Line))
		}
	}
	want := "umbrella-web " + paths.Display(filepath.Join(root, "charts/web/templates/cronjob.yaml")) + ":1"
	if len(got) != 1 || got[0] != want {
		t.Errorf("objects of the umbrella chart %q, want %q", got, want)
	}
	// The same dependency outside the scanned tree is not read.
	res = render(t, "1.33", Options{}, filepath.Join(root, "apps", "umbrella"))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "depends on web (from file://../../charts/web), which is not vendored") {
		t.Errorf("dependency outside the tree: %+v", res.Problems)
	}
}
