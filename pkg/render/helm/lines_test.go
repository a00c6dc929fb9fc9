package helm

import (
	"strings"
	"testing"
)

const locatorTemplate = `{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      initContainers:
      {{- range .Values.extraInit }}
      - name: {{ .name }}
      {{- end }}
      containers:
        - name: web
          image: "{{ .Values.image }}"
          env:
          {{- range .Values.env }}
            - name: {{ .name }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
        - name: sidecar
          image: busybox
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: web
`

func TestTemplateLocator(t *testing.T) {
	lines := strings.Split(locatorTemplate, "\n")
	loc := newTemplateLocator(lines, 2)
	tests := []struct {
		path      string
		line, col int
	}{
		{"spec.replicas", 9, 3},
		{"metadata.labels.app", 6, 3},                                       // from an include: the literal parent
		{"spec.template.spec.containers[0].image", 18, 11},                  // a literal field
		{"spec.template.spec.containers[0].resources.requests.cpu", 23, 11}, // values: the resources key
		{"spec.template.spec.containers[1].image", 26, 11},                  // the second item
		{"spec.template.spec.containers[0].env[3].name", 19, 11},            // items made by range: the parent
		{"spec.template.spec.initContainers[0].name", 12, 7},                // a range at the list's level
		{"spec.template.spec.containers[5]", 16, 7},                         // no such item
		{"spec.selector", 8, 1},                                             // missing key: its parent
		{"status", 0, 0},                                                    // nothing literal
	}
	for _, tt := range tests {
		l, c := loc.Locate(tt.path)
		if l != tt.line || c != tt.col {
			t.Errorf("Locate(%s) = %d:%d, want %d:%d", tt.path, l, c, tt.line, tt.col)
		}
	}
	// The Service document is separate: its locator does not see the
	// Deployment's keys.
	svc := newTemplateLocator(lines, 29)
	if l, _ := svc.Locate("spec.replicas"); l != 0 {
		t.Errorf("service locator found spec.replicas at %d", l)
	}
	if l, _ := svc.Locate("metadata.name"); l != 32 {
		t.Errorf("service metadata.name at %d, want 32", l)
	}
	if newTemplateLocator(lines, 0) != nil || newTemplateLocator(lines, 999) != nil {
		t.Error("out-of-range anchors must give no locator")
	}
}
