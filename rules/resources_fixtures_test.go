package rules

import (
	"strings"
)

// podWith renders a Deployment whose pod spec is the given YAML (indented
// two spaces per level below spec.template.spec).
func podWith(name, ns, podSpec string) string {
	var b strings.Builder
	b.WriteString("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n")
	if ns != "" {
		b.WriteString("  namespace: " + ns + "\n")
	}
	b.WriteString("spec:\n  template:\n    metadata:\n      labels:\n        app: " + name + "\n    spec:\n")
	for _, l := range strings.Split(strings.Trim(podSpec, "\n"), "\n") {
		b.WriteString("      " + l + "\n")
	}
	return b.String()
}

const fullResources = `
containers:
- name: app
  image: nginx
  resources:
    requests: {cpu: 100m, memory: 128Mi}
    limits: {memory: 128Mi}
`

func splitLines(s string) []string { return strings.Split(strings.Trim(s, "\n"), "\n") }
