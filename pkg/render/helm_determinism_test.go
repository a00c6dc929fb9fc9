package render

import "testing"

func TestRewriteActions(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{{ now | date "2006" }}`, `{{ ` + fixedNow + ` | date "2006" }}`},
		{`{{ date "2006" now }}`, `{{ date "2006" ` + fixedNow + ` }}`},
		{`{{ now.Unix }}`, `{{ ` + fixedNow + `.Unix }}`},
		{`{{- $now := now }}{{ $now }} {{ .Values.now }} {{ "now" }}`, `{{- $now := ` + fixedNow + ` }}{{ $now }} {{ .Values.now }} {{ "now" }}`},
		{`{{ randBytes 32 }}`, `{{ coalesce ` + placeholderB64 + ` 32 }}`},
		{`{{ 32 | randBytes | b64dec }}`, `{{ 32 | coalesce ` + placeholderB64 + ` | b64dec }}`},
		{`{{ shuffle "abc" }}`, `{{ toString "abc" }}`},
		{`{{ range keys .Values.m }}{{ . }}{{ end }}`, `{{ range keys .Values.m | sortAlpha }}{{ . }}{{ end }}`},
		{`{{ keys .a .b | join "," -}}`, `{{ keys .a .b | sortAlpha | join "," -}}`},
		{`{{ join "," (keys .a) -}}`, `{{ join "," (keys .a | sortAlpha) -}}`},
		{`{{ keys .a -}}`, `{{ keys .a | sortAlpha -}}`},
		{`{{ define "x" }}{{ randAlphaNum 3 }}{{ end }}{{ include "x" . }}`, `{{ define "x" }}{{ toString 3 }}{{ end }}{{ include "x" . }}`},
		{`{{ if eq (randInt 1 3) 2 }}a{{ else if uuidv4 }}b{{ end }}`, `{{ if eq (max 1 3) 2 }}a{{ else if "00000000-0000-4000-8000-000000000000" }}b{{ end }}`},
		{"{{/* now */}}{{ printf `}} now` }}", "{{/* now */}}{{ printf `}} now` }}"},
		{`plain now {{ .x }}`, `plain now {{ .x }}`},
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
