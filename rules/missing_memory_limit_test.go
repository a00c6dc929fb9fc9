package rules

import "testing"

var missingMemoryLimitCases = []ruleCase{
	{name: "memory limit set", files: []string{podWith("web", "", fullResources)}},
	{name: "no limits", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: 1, memory: 1Gi}")},
		want: []want{{"web", "spec.template.spec.containers[0].resources", `container "app" of Deployment web has no memory limit`}}},
	{name: "cpu limit only", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    limits: {cpu: 1}")},
		want: []want{{"web", "spec.template.spec.containers[0].resources.limits", "no memory limit"}}},
	{name: "init container without limit", files: []string{podWith("web", "", "initContainers:\n- name: setup\ncontainers:\n- name: app\n  resources:\n    limits: {memory: 1Gi}")},
		want: []want{{"web", "spec.template.spec.initContainers[0]", `init container "setup"`}}},
	{name: "pod-level memory limit", files: []string{podWith("web", "", "resources:\n  limits: {memory: 1Gi}\ncontainers:\n- name: app")}},
	{name: "limitrange default limit", files: []string{podWith("web", "", "containers:\n- name: app"), "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: d\nspec:\n  limits:\n  - type: Container\n    default: {memory: 512Mi}\n"}},
}

func TestMissingMemoryLimit(t *testing.T) {
	if fired, clean := runCases(t, MissingMemoryLimit, missingMemoryLimitCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", MissingMemoryLimit.ID, fired, clean)
	}
}
