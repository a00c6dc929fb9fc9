package rules

import "testing"

var missingPriorityClassCases = []ruleCase{
	{name: "daemonset without priority", files: []string{workloadYAML("apps/v1", "DaemonSet", "agent", "monitoring", "", map[string]string{"app": "agent"})},
		want: []want{{"agent", "spec.template.spec", "pod template of DaemonSet agent has no priorityClassName although it runs on every node"}}},
	{name: "daemonset with priority", files: []string{"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      priorityClassName: system-node-critical\n      containers:\n      - name: a\n"}},
	{name: "kube-system deployment", files: []string{deploy("dns", "kube-system", "2", map[string]string{"k8s-app": "dns"})},
		want: []want{{"dns", "spec.template.spec", "runs in kube-system"}}},
	{name: "application deployment is fine", files: []string{deploy("web", "prod", "2", app)}},
	{name: "templated empty priority", files: []string{"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      priorityClassName: \"\"\n      containers:\n      - name: a\n"},
		want: []want{{"agent", "spec.template.spec", "no priorityClassName"}}},
}

func TestMissingPriorityClass(t *testing.T) {
	if fired, clean := runCases(t, MissingPriorityClass, missingPriorityClassCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", MissingPriorityClass.ID, fired, clean)
	}
}
