package helm

import (
	"strings"
	"testing"
)

// FuzzTemplateLocator: any template text and field path give a line inside
// the template or 0, never a panic.
func FuzzTemplateLocator(f *testing.F) {
	f.Add(locatorTemplate, 2, "spec.template.spec.containers[1].image")
	f.Add("- a\n-\n  - b: {{ x }}\n---\n", 1, "[0][1].b")
	f.Fuzz(func(t *testing.T, src string, anchor int, path string) {
		lines := strings.Split(src, "\n")
		loc := newTemplateLocator(lines, anchor)
		if loc == nil {
			return
		}
		if l, _ := loc.Locate(path); l < 0 || l > len(lines) {
			t.Errorf("line %d outside 0..%d", l, len(lines))
		}
	})
}
