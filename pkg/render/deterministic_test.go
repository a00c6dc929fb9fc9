package render

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRandomFunctionsRenderDeterministically(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: rnd\nversion: 0.1.0\n",
		"templates/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: test-{{ randAlphaNum 5 | lower }}
  annotations:
    id: {{ uuidv4 | quote }}
    n: "{{ randInt 1 9 }}"
    plain: "randAlphaNum outside an action stays"
    {{- $ca := genCA "test-ca" 365 }}
    {{- $cert := genSignedCert "svc" nil (list "svc.ns") 365 $ca }}
    ca: {{ $ca.Cert | b64enc | quote }}
    cert: {{ $cert.Cert | b64enc | quote }}
spec:
  containers: [{name: c, image: "busybox:1.36"}]
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for i := 0; i < 2; i++ {
		res := render(t, "1.33", Options{}, dir)
		if len(res.Objects) != 1 {
			t.Fatalf("objects %d, problems %+v", len(res.Objects), res.Problems)
		}
		o := res.Objects[0]
		a := o.Annotations()
		if a["id"] != "00000000-0000-4000-8000-000000000000" || a["n"] != "9" || a["plain"] != "randAlphaNum outside an action stays" ||
			a["ca"] == "" || a["ca"] != a["cert"] {
			t.Errorf("annotations %v", a)
		}
		names = append(names, o.Name)
	}
	if names[0] != "test-5" || names[1] != names[0] {
		t.Errorf("names %v, want test-5 twice", names)
	}
}
