package rules

import (
	"fmt"
	"strings"
)

// deploy renders a Deployment; replicas "" leaves spec.replicas unset.
func deploy(name, ns, replicas string, labels map[string]string) string {
	return workloadYAML("apps/v1", "Deployment", name, ns, replicas, labels)
}

func workloadYAML(apiVersion, kind, name, ns, replicas string, labels map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n", apiVersion, kind, name)
	if ns != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", ns)
	}
	b.WriteString("spec:\n")
	if replicas != "" {
		fmt.Fprintf(&b, "  replicas: %s\n", replicas)
	}
	b.WriteString("  template:\n    metadata:\n      labels:\n")
	for _, k := range sortedKeys(labels) {
		fmt.Fprintf(&b, "        %s: %s\n", k, labels[k])
	}
	b.WriteString("    spec:\n      containers:\n      - name: app\n        image: nginx\n")
	return b.String()
}

// pdb renders a policy/v1 PodDisruptionBudget; spec is indented YAML under
// spec (selector and min/max).
func pdb(name, ns, spec string) string {
	return pdbVersion("policy/v1", name, ns, spec)
}

func pdbVersion(apiVersion, name, ns, spec string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: %s\nkind: PodDisruptionBudget\nmetadata:\n  name: %s\n", apiVersion, name)
	if ns != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", ns)
	}
	b.WriteString("spec:\n")
	for _, l := range strings.Split(strings.Trim(spec, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

func hpa(apiVersion, name, ns, kind, target, minReplicas string) string {
	s := fmt.Sprintf("apiVersion: %s\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: %s\n", apiVersion, name)
	if ns != "" {
		s += "  namespace: " + ns + "\n"
	}
	s += fmt.Sprintf("spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: %s\n    name: %s\n  maxReplicas: 10\n", kind, target)
	if minReplicas != "" {
		s += "  minReplicas: " + minReplicas + "\n"
	}
	return s
}

func docs(ds ...string) string { return strings.Join(ds, "---\n") }

var app = map[string]string{"app": "web"}
