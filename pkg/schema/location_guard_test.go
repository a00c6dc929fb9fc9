package schema

import (
	"os"
	"path/filepath"
	"testing"
)

// Kinds and apiVersions from scanned files cannot steer a schema location
// outside its directory.
func TestLocationIgnoresPathLikeKinds(t *testing.T) {
	tmp := t.TempDir()
	schema := `{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}`
	// A schema outside the location that a traversing kind would reach.
	if err := os.WriteFile(filepath.Join(tmp, "outside.json"), []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	loc := filepath.Join(tmp, "schemas")
	if err := os.MkdirAll(filepath.Join(loc, "other.example.com"), 0o755); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, "1.33", Options{Locations: []string{filepath.Join(loc, "{{ .Group }}", "{{ .ResourceKind }}.json")}})
	for _, doc := range []string{
		"apiVersion: other.example.com/v1\nkind: ../../outside\nmetadata: {name: a}\nspec: {size: one}\n",
		"apiVersion: ../v1\nkind: outside\nmetadata: {name: a}\nspec: {size: one}\n",
		"apiVersion: x/../../v1\nkind: outside\nmetadata: {name: a}\nspec: {size: one}\n",
	} {
		o := decodeString(t, doc)
		if r := v.Validate(o); r.Status == Invalid || r.Status == Valid {
			t.Errorf("%q: validated against %s (%v)", doc, r.Schema, r.Status)
		}
	}
	for s, ok := range map[string]bool{"Deployment": true, "apps/v1": true, "v1": true, "cert-manager.io/v1": true, "../x": false, "a/b/c": false, "x\\y": false, "": false, "a b": false} {
		if pathSafe(s) != ok {
			t.Errorf("pathSafe(%q) = %v", s, !ok)
		}
	}
}
