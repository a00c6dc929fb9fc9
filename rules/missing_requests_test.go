package rules

import "testing"

var missingRequestsCases = []ruleCase{
	{name: "requests and memory limit set", files: []string{podWith("web", "", fullResources)}},
	{name: "no resources at all", files: []string{podWith("web", "", "containers:\n- name: app\n  image: nginx")},
		want: []want{{"web", "spec.template.spec.containers[0]", `container "app" of Deployment web has no CPU or memory request`}}},
	{name: "memory request missing", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests:\n      cpu: 100m")},
		want: []want{{"web", "spec.template.spec.containers[0].resources.requests", "has no memory request"}}},
	{name: "second container named", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: 1, memory: 1Gi}\n- name: sidecar\n  resources: {}")},
		want: []want{{"web", "spec.template.spec.containers[1].resources", `container "sidecar"`}}},
	{name: "init container checked", files: []string{podWith("web", "", "initContainers:\n- name: setup\n  image: busybox\ncontainers:\n- name: app\n  resources:\n    requests: {cpu: 1, memory: 1Gi}")},
		want: []want{{"web", "spec.template.spec.initContainers[0]", `init container "setup" of Deployment web has no CPU or memory request`}}},
	{name: "limits default the requests", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    limits: {cpu: 1, memory: 1Gi}")}},
	{name: "limitrange in the namespace defaults requests", files: []string{podWith("web", "team", "containers:\n- name: app"), "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: team\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 100m, memory: 64Mi}\n"}},
	{name: "limitrange in another namespace does not", files: []string{podWith("web", "team", "containers:\n- name: app"), "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: other\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 100m, memory: 64Mi}\n"},
		want: []want{{"web", "spec.template.spec.containers[0]", "CPU or memory"}}},
	{name: "cronjob template", files: []string{"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: job\n            resources:\n              requests: {cpu: 1}\n"},
		want: []want{{"nightly", "spec.jobTemplate.spec.template.spec.containers[0].resources.requests", "CronJob nightly has no memory request"}}},
	{name: "custom kind with the same name is ignored", files: []string{"apiVersion: example.com/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n"}},
	{name: "odd container entries do not panic", files: []string{podWith("web", "", "containers:\n- just-a-string\n- name: app\n  resources: oops")},
		want: []want{{"web", "spec.template.spec.containers[1]", `container "app"`}}},
}

func TestMissingRequests(t *testing.T) {
	if fired, clean := runCases(t, MissingRequests, missingRequestsCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", MissingRequests.ID, fired, clean)
	}
}
