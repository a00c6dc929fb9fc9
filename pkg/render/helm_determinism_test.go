package render

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// renderedText renders dir and returns every object as YAML, in order.
func renderedText(t *testing.T, opts Options, dir string) string {
	t.Helper()
	res := render(t, "1.33", opts, dir)
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var b strings.Builder
	for _, o := range res.Objects {
		y, err := yaml.Marshal(o.Node)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "# %s:%d\n%s", o.Source.File, o.Source.Line, y)
	}
	return b.String()
}

func TestHelmRendersDeterministically(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: clock\nversion: 0.1.0\n",
		"values.yaml": `fromValues: "id-{{ randAlphaNum 8 }}"
nested:
  list: ["{{ uuidv4 }}", "at {{ now | unixEpoch }}"]
labels: {c: 3, a: 1, b: 2, d: 4, e: 5, f: 6, g: 7, h: 8}
`,
		"files/snippet.txt": "file-{{ randNumeric 4 }}-{{ now | htmlDate }}",
		"templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: clock
data:
  date: {{ now | date "2006-01-02" | quote }}
  epoch: {{ now | unixEpoch | quote }}
  zone: {{ dateInZone "2006-01-02T15:04" (now) "UTC" | quote }}
  html: {{ htmlDate now | quote }}
  bytes: {{ randBytes 16 | quote }}
  shuffled: {{ shuffle "abcdef" | quote }}
  keys: {{ keys .Values.labels | join "," | quote }}
  hash: {{ htpasswd "user" "pw" | quote }}
  tplValue: {{ tpl .Values.fromValues . | quote }}
  tplList: {{ tpl (toJson .Values.nested.list) . | quote }}
  tplFile: {{ tpl (.Files.Get "files/snippet.txt") . | quote }}
  tplSet: {{ tpl (.Values.extra | default "") . | quote }}
  unsetPiped: {{ .Values.unset | date "2006-01-02" | quote }}
  unsetArg: {{ htmlDateInZone .Values.unset "UTC" | quote }}
`,
	})
	opts := Options{Helm: HelmOptions{Set: []string{"extra=set-{{ randAlpha 3 }}"}}}
	first := renderedText(t, opts, dir)
	if second := renderedText(t, opts, dir); second != first {
		t.Fatalf("renders differ:\n%s\n---\n%s", first, second)
	}
	for _, want := range []string{
		`date: "2000-01-01"`,
		`epoch: "946728000"`,
		`zone: "2000-01-01T12:00"`,
		`html: "2000-01-01"`,
		`bytes: "a3VwZ3JhZGUtbGludCBwbGFjZWhvbGRlcg=="`, // helm.placeholderB64
		`shuffled: "abcdef"`,
		`keys: "a,b,c,d,e,f,g,h"`,
		`hash: "kupgrade-lint:placeholder-htpasswd"`,
		`tplValue: "id-8"`,
		`tplList: "[\"00000000-0000-4000-8000-000000000000\",\"at 946728000\"]"`,
		`tplFile: "file-4-2000-01-01"`,
		`tplSet: "set-3"`,
		`unsetPiped: "2000-01-01"`,
		`unsetArg: "2000-01-01"`,
	} {
		if !strings.Contains(first, want) {
			t.Errorf("render lacks %s:\n%s", want, first)
		}
	}
}
