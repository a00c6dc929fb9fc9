package rules

import "testing"

var missingPDBCases = []ruleCase{
	{name: "three replicas without pdb fires", files: []string{deploy("web", "prod", "3", app)},
		want: []want{{"web", "spec.replicas", `namespace "prod" selects the pods of Deployment web with 3 replicas`}}},
	{name: "pdb in another file of the scan covers", files: []string{deploy("web", "prod", "3", app), pdb("web", "prod", "maxUnavailable: 1\nselector:\n  matchLabels:\n    app: web")}},
	{name: "pdb with same labels in another namespace does not cover", files: []string{deploy("web", "prod", "3", app), pdb("web", "staging", "maxUnavailable: 1\nselector:\n  matchLabels:\n    app: web")},
		want: []want{{"web", "spec.replicas", `namespace "prod"`}}},
	{name: "unset namespace defaults to default", files: []string{deploy("web", "", "2", app), pdb("web", "default", "maxUnavailable: 1\nselector:\n  matchLabels:\n    app: web")}},
	{name: "matchExpressions In covers", files: []string{docs(deploy("web", "prod", "3", map[string]string{"app": "web", "tier": "fe"}), pdb("web", "prod", "maxUnavailable: 1\nselector:\n  matchExpressions:\n  - key: app\n    operator: In\n    values: [web, api]"))}},
	{name: "matchExpressions NotIn excludes", files: []string{docs(deploy("web", "prod", "3", app), pdb("web", "prod", "maxUnavailable: 1\nselector:\n  matchExpressions:\n  - {key: app, operator: NotIn, values: [web]}"))},
		want: []want{{"web", "spec.replicas", "3 replicas"}}},
	{name: "selector needing an extra label does not cover", files: []string{docs(deploy("web", "prod", "3", app), pdb("web", "prod", "maxUnavailable: 1\nselector:\n  matchLabels: {app: web, tier: db}"))},
		want: []want{{"web", "spec.replicas", "3 replicas"}}},
	{name: "unset replicas is one", files: []string{deploy("web", "prod", "", app)}},
	{name: "single replica is fine", files: []string{deploy("web", "prod", "1", app)}},
	{name: "replicas as string", files: []string{deploy("web", "prod", `"4"`, app)},
		want: []want{{"web", "spec.replicas", "4 replicas"}}},
	{name: "templated replicas are skipped", files: []string{deploy("web", "prod", `"{{ .Values.replicas }}"`, app)}},
	{name: "hpa minReplicas above one fires", files: []string{deploy("web", "prod", "", app), hpa("autoscaling/v2", "web-hpa", "prod", "Deployment", "web", "2")},
		want: []want{{"web", "spec.template.metadata.labels", "HorizontalPodAutoscaler web-hpa keeps at least 2"}}},
	{name: "hpa v2beta2 with default minReplicas", files: []string{docs(deploy("web", "prod", "1", app), hpa("autoscaling/v2beta2", "web-hpa", "prod", "Deployment", "web", ""))}},
	{name: "hpa v1 in another namespace is ignored", files: []string{deploy("web", "prod", "1", app), hpa("autoscaling/v1", "web-hpa", "other", "Deployment", "web", "5")}},
	{name: "statefulset fires", files: []string{workloadYAML("apps/v1", "StatefulSet", "db", "prod", "3", map[string]string{"app": "db"})},
		want: []want{{"db", "spec.replicas", "StatefulSet db with 3 replicas"}}},
	{name: "daemonset is not checked", files: []string{workloadYAML("apps/v1", "DaemonSet", "agent", "prod", "", map[string]string{"app": "agent"})}},
	{name: "empty policy/v1 selector covers the namespace", files: []string{deploy("web", "prod", "3", app), pdb("all", "prod", "maxUnavailable: 1\nselector: {}")}},
	{name: "empty policy/v1beta1 selector covers nothing", files: []string{deploy("web", "prod", "3", app), pdbVersion("policy/v1beta1", "all", "prod", "maxUnavailable: 1\nselector: {}")},
		want: []want{{"web", "spec.replicas", "3 replicas"}}},
}

func TestMissingPDB(t *testing.T) {
	if fired, clean := runCases(t, MissingPDB, missingPDBCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", MissingPDB.ID, fired, clean)
	}
}
