package schema

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
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

func crdWithRef(ref string) string {
	return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {$ref: "` + ref + `"}
`
}

// A CRD from the scanned tree cannot make the validator read a file or
// fetch a URL through $ref: only what lies below a schema location is
// loaded, and never a FIFO.
func TestRefsStayBelowLocations(t *testing.T) {
	tmp := t.TempDir()
	secret := filepath.Join(tmp, "secret.json")
	if err := os.WriteFile(secret, []byte(`{"type":"object","properties":{"size":{"enum":["sekrit"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	loc := filepath.Join(tmp, "schemas")
	if err := os.MkdirAll(loc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(loc, "spec.json"), []byte(`{"type":"object","properties":{"size":{"type":"integer"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(loc, "pipe.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(loc, "link.json")); err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"type":"object","properties":{"size":{"enum":["remote-sekrit"]}}}`))
	}))
	defer srv.Close()
	opts := Options{Locations: []string{loc, srv.URL + "/schemas/{{ .ResourceKind }}.json"}, AllowRemote: true}
	cr := "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: one}\n"
	for ref, want := range map[string]string{
		"file://" + secret:                          "is not below a schema location; not read",
		"file://" + filepath.Join(loc, "link.json"): "is not below a schema location; not read",
		"file://" + filepath.Join(loc, "pipe.json"): "pipe.json\": is not a regular file (a named pipe (FIFO))",
		"file://" + loc + "/../secret.json":         "is not below a schema location; not read",
		srv.URL + "/other/secret.json":              "is not below a remote schema location; not fetched",
		srv.URL + "/schemasX/secret.json":           "is not below a remote schema location; not fetched",
		"file://" + filepath.Join(loc, "spec.json"): "", // inside: used
	} {
		v := newValidator(t, "1.33", opts)
		if err := v.AddCRD(decodeString(t, crdWithRef(ref))); err != nil {
			t.Fatal(err)
		}
		done := make(chan Result, 1)
		go func() { done <- v.Validate(decodeString(t, cr)) }()
		var r Result
		select {
		case r = <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: Validate blocked", ref)
		}
		if want == "" {
			if r.Status != Invalid || len(r.Violations) != 1 || r.Violations[0].Message != "expected integer, got string" {
				t.Errorf("%s: %+v", ref, r)
			}
			continue
		}
		if r.Status != NoSchema || !strings.Contains(r.Reason, want) || strings.Contains(fmt.Sprint(r), "sekrit") {
			t.Errorf("%s: status %v reason %q, want %q", ref, r.Status, r.Reason, want)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server was asked %d times", n)
	}
	if got := remotePrefixes([]string{"https://a.com", "HTTPS://b.org/x/{{ .Group }}/y.json", "/local"}); strings.Join(got, " ") != "https://a.com/ HTTPS://b.org/x/" {
		t.Errorf("remotePrefixes = %v", got)
	}
}

// A schema file that is a symlink out of its location, or a FIFO, is
// refused, not read.
func TestLocationFilesStayInside(t *testing.T) {
	tmp := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmp, "secret.json"), []byte(`{"type":"object","properties":{"spec":{"enum":["sekrit"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	loc := filepath.Join(tmp, "schemas")
	if err := os.MkdirAll(loc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(tmp, "secret.json"), filepath.Join(loc, "widget.json")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(loc, "gadget.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, "1.33", Options{Locations: []string{filepath.Join(loc, "{{ .ResourceKind }}.json")}})
	for kind, want := range map[string]string{
		"Widget": "schemas/widget.json resolves outside its schema location; not read",
		"Gadget": "gadget.json: is not a regular file (a named pipe (FIFO))",
	} {
		done := make(chan Result, 1)
		go func() {
			done <- v.Validate(decodeString(t, "apiVersion: example.com/v1\nkind: "+kind+"\nmetadata: {name: w}\nspec: {size: one}\n"))
		}()
		select {
		case r := <-done:
			if r.Status != NoSchema || !strings.Contains(r.Reason, want) || strings.Contains(fmt.Sprint(r), "sekrit") {
				t.Errorf("%s: %v %q, want %q", kind, r.Status, r.Reason, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: Validate blocked", kind)
		}
	}
}
