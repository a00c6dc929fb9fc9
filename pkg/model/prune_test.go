package model

import (
	"testing"

	"gopkg.in/yaml.v3"
)

const pruneDoc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
  annotations:
    note: dropped
spec:
  replicas: 3
  template:
    metadata:
      labels: &l {app: web}
    spec:
      volumes: [{name: v}]
      containers:
        - name: app
          image: nginx:1
          env: [{name: A, value: b}]
          resources:
            limits: {memory: 1Gi}
        - name: side
          image: envoy
`

// The compact position table reports what NodeAt reports on the full node
// for every kept path, and the nearest kept ancestor for dropped ones.
func TestPrunePositions(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(pruneDoc), &doc); err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := doc.Decode(&data); err != nil {
		t.Fatal(err)
	}
	o := &Object{Kind: "Deployment", Node: &doc, Data: data, Source: Source{Exact: true, Line: 1, Col: 1, LineOffset: 10}}
	keep := Keep{"metadata": Keep{"name": nil, "labels": nil}, "spec": Keep{"replicas": nil, "template": Keep{"metadata": nil, "spec": Keep{"containers": Keep{"name": nil, "resources": nil}}}}}
	c := Prune(o, keep)
	if c.Node != nil || o.Node == nil {
		t.Fatal("Prune must drop the copy's node and leave the original alone")
	}
	kept := []string{"metadata", "metadata.name", "metadata.labels.app", "spec.replicas", "spec.template.metadata.labels",
		"spec.template.spec.containers[0].name", "spec.template.spec.containers[0].resources.limits.memory",
		"spec.template.spec.containers[1]", "spec.template.spec.containers[1].resources", "spec.template.spec.containers[5]",
		"spec.template.spec.containers[0].resources.requests", "spec.nothing.here"}
	for _, p := range kept {
		wl, wc := o.PosOf(p)
		if gl, gc := c.PosOf(p); gl != wl || gc != wc {
			t.Errorf("%s: compact %d:%d, full %d:%d", p, gl, gc, wl, wc)
		}
	}
	// Dropped fields fall back to their nearest kept ancestor.
	if l, _ := c.PosOf("spec.template.spec.containers[0].env[0].name"); l != 10+16 {
		t.Errorf("dropped field at line %d, want the container at %d", l, 10+16)
	}
	if _, ok := c.Data["metadata"].(map[string]any)["annotations"]; ok {
		t.Error("annotations were kept")
	}
	if got := c.Data["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any); len(got) != 2 {
		t.Errorf("containers = %v", got)
	}
}
