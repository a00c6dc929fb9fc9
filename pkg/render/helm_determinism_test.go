package render

import (
	"fmt"
	"strings"
	"testing"
	"text/template/parse"

	"gopkg.in/yaml.v3"
)

func TestRewriteActions(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{{ now | date "2006" }}`, `{{ ` + fixedNow + ` | date "2006" }}`},
		{`{{ date "2006" now }}`, `{{ date "2006" ` + fixedNow + ` }}`},
		{`{{ now.Unix }}`, `{{ ` + fixedNow + `.Unix }}`},
		{`{{- $now := now }}{{ $now }} {{ .Values.now }} {{ "now" }}`, `{{- $now := ` + fixedNow + ` }}{{ $now }} {{ .Values.now }} {{ "now" }}`},
		{`{{ randBytes 32 }}`, "{{ coalesce `" + placeholderB64 + "` 32 }}"},
		{`{{ 32 | randBytes | b64dec }}`, "{{ 32 | coalesce `" + placeholderB64 + "` | b64dec }}"},
		{`{{ shuffle "abc" }}`, `{{ toString "abc" }}`},
		{`{{ range keys .Values.m }}{{ . }}{{ end }}`, `{{ range keys .Values.m | sortAlpha }}{{ . }}{{ end }}`},
		{`{{ keys .a .b | join "," -}}`, `{{ keys .a .b | sortAlpha | join "," -}}`},
		{`{{ join "," (keys .a) -}}`, `{{ join "," (keys .a | sortAlpha) -}}`},
		{`{{ keys .a -}}`, `{{ keys .a | sortAlpha -}}`},
		{`{{ define "x" }}{{ randAlphaNum 3 }}{{ end }}{{ include "x" . }}`, `{{ define "x" }}{{ toString 3 }}{{ end }}{{ include "x" . }}`},
		{`{{ if eq (randInt 1 3) 2 }}a{{ else if uuidv4 }}b{{ end }}`, "{{ if eq (max 1 3) 2 }}a{{ else if `00000000-0000-4000-8000-000000000000` }}b{{ end }}"},
		{"{{/* now */}}{{ printf `}} now` }}", "{{/* now */}}{{ printf `}} now` }}"},
		{`plain now {{ .x }}`, `plain now {{ .x }}`},
		// Date functions given no time get the fixed one, not the clock.
		{`{{ .Values.t | date "2006" }}`, `{{ .Values.t | default ` + fixedNow + ` | date "2006" }}`},
		{`{{ date "2006" .Values.t -}}`, `{{ date "2006" (default ` + fixedNow + ` .Values.t) -}}`},
		{`{{ dateInZone "2006" ( .Values.t ) "UTC" }}`, `{{ dateInZone "2006" (default ` + fixedNow + ` ( .Values.t )) "UTC" }}`},
		{`{{ $x := .a }}{{ htmlDate $x.y | quote }}`, `{{ $x := .a }}{{ htmlDate (default ` + fixedNow + ` $x.y) | quote }}`},
		{`{{ htmlDateInZone (index .a 0).b "UTC" }}`, `{{ htmlDateInZone (default ` + fixedNow + ` (index .a 0).b) "UTC" }}`},
		{`{{ date "2006" now }}`, `{{ date "2006" ` + fixedNow + ` }}`},
	}
	for _, tt := range tests {
		got, _ := rewriteActions(tt.in)
		if got != tt.want {
			t.Errorf("rewriteActions(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
	// Text that does not parse is left for Helm to report.
	if got, ok := rewriteActions(`{{ randAlphaNum 5 `); ok || got != `{{ randAlphaNum 5 ` {
		t.Errorf("unparsable text rewritten: %q", got)
	}
}

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
		`bytes: "` + placeholderB64 + `"`,
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

// The rewrite keeps templates parsable and every line where it was.
func FuzzRewriteActions(f *testing.F) {
	for _, s := range []string{
		`{{ now | date "2006" }}`,
		"{{ range keys .a }}{{ . }}{{ end }}",
		"{{ keys .a .b | join \",\" -}}\n{{ (keys .x) }}",
		"{{ define \"x\" }}{{ randAlphaNum 3 }}{{ end }}{{ $now := now }}",
		"{{ if eq (randInt 1 3) 2 }}a{{ else if uuidv4 }}b{{ end }}",
		"{{ printf `}} now` | tpl . }}{{/* now */}}",
		"{{ shuffle \"ab\" | randBytes | genCA \"x\" 3 }}",
		"{{ .a.b | date \"x\" }}{{ dateInZone \"x\" (.a) \"UTC\" }}{{ htmlDate (index .a 1).b }}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := rewriteActions(in)
		if !ok {
			if out != in {
				t.Fatalf("unchanged result differs")
			}
			return
		}
		if strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Errorf("lines moved: %q -> %q", in, out)
		}
		tr := parse.New("\x00fuzz")
		tr.Mode = parse.SkipFuncCheck
		if _, err := tr.Parse(out, "", "", map[string]*parse.Tree{}); err != nil {
			t.Errorf("%q -> %q does not parse: %v", in, out, err)
		}
	})
}
