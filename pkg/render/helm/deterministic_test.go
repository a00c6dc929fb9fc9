package helm

import (
	"strings"
	"testing"
	"text/template/parse"
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
