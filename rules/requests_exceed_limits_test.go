package rules

import "testing"

var requestsExceedLimitsCases = []ruleCase{
	{name: "requests below limits", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: 500m, memory: 1G}\n    limits: {cpu: 1, memory: 1Gi}")}},
	{name: "cpu request above limit", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: 1500m, memory: 1Gi}\n    limits: {cpu: 1, memory: 1Gi}")},
		want: []want{{"web", "spec.template.spec.containers[0].resources.requests.cpu", `container "app" of Deployment web requests 1500m cpu but its limit is 1`}}},
	{name: "memory units compared by value", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {memory: 1Gi}\n    limits: {memory: 1G}")},
		want: []want{{"web", "spec.template.spec.containers[0].resources.requests.memory", "requests 1Gi memory but its limit is 1G"}}},
	{name: "numbers and strings", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: 2}\n    limits: {cpu: \"2\"}")}},
	{name: "extended resource key is quoted", files: []string{podWith("web", "", "initContainers:\n- name: gpu\n  resources:\n    requests: {nvidia.com/gpu: 2}\n    limits: {nvidia.com/gpu: 1}\ncontainers:\n- name: app")},
		want: []want{{"web", `spec.template.spec.initContainers[0].resources.requests["nvidia.com/gpu"]`, `init container "gpu"`}}},
	{name: "request without limit", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: 4}")}},
	{name: "templated quantity skipped", files: []string{podWith("web", "", "containers:\n- name: app\n  resources:\n    requests: {cpu: \"{{ .Values.cpu }}\"}\n    limits: {cpu: 1}")}},
}

func TestRequestsExceedLimits(t *testing.T) {
	if fired, clean := runCases(t, RequestsExceedLimits, requestsExceedLimitsCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", RequestsExceedLimits.ID, fired, clean)
	}
}
