package rules

import "testing"

const selWeb = "selector:\n  matchLabels:\n    app: web"

var pdbBlocksDrainCases = []ruleCase{
	{name: "maxUnavailable 0 fires and names the workload", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 0\n"+selWeb)},
		want: []want{{"web-pdb", "spec.maxUnavailable", "maxUnavailable is 0, so none of the pods of Deployment web (3 replicas) can ever be evicted; kubectl drain retries"}}},
	{name: "maxUnavailable 0% fires", files: []string{docs(deploy("web", "prod", "3", app), pdb("web-pdb", "prod", `maxUnavailable: "0%"`+"\n"+selWeb))},
		want: []want{{"web-pdb", "spec.maxUnavailable", "maxUnavailable is 0%"}}},
	{name: "maxUnavailable 1 is fine", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 1\n"+selWeb)}},
	{name: "maxUnavailable 10% rounds up to one pod", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 10%\n"+selWeb)}},
	{name: "minAvailable 100% fires", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "minAvailable: 100%\n"+selWeb)},
		want: []want{{"web-pdb", "spec.minAvailable", "minAvailable is 100%"}}},
	{name: "minAvailable equal to replicas fires", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "minAvailable: 3\n"+selWeb)},
		want: []want{{"web-pdb", "spec.minAvailable", "minAvailable 3, which needs all 3 pods of Deployment web (3 replicas) to stay up"}}},
	{name: "minAvailable below replicas is fine", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "minAvailable: 2\n"+selWeb)}},
	{name: "minAvailable 1 with unset replicas fires", files: []string{deploy("web", "prod", "", app), pdb("web-pdb", "prod", "minAvailable: 1\n"+selWeb)},
		want: []want{{"web-pdb", "spec.minAvailable", "(1 replica)"}}},
	{name: "minAvailable 50% of one replica rounds up", files: []string{deploy("web", "prod", "1", app), pdb("web-pdb", "prod", "minAvailable: 50%\n"+selWeb)},
		want: []want{{"web-pdb", "spec.minAvailable", "minAvailable 50% of 1 pod rounds up to 1"}}},
	{name: "minAvailable 50% of four replicas is fine", files: []string{deploy("web", "prod", "4", app), pdb("web-pdb", "prod", "minAvailable: 50%\n"+selWeb)}},
	{name: "minAvailable counts all selected workloads", files: []string{docs(deploy("web", "prod", "2", app), workloadYAML("apps/v1", "StatefulSet", "web-cache", "prod", "1", app)), pdb("web-pdb", "prod", "minAvailable: 2\n"+selWeb)}},
	{name: "minAvailable at hpa minimum fires", files: []string{deploy("web", "prod", "5", app), hpa("autoscaling/v2", "web", "prod", "Deployment", "web", "2"), pdb("web-pdb", "prod", "minAvailable: 2\n"+selWeb)},
		want: []want{{"web-pdb", "spec.minAvailable", "at the minimum of HorizontalPodAutoscaler web"}}},
	{name: "workload in another namespace does not count", files: []string{deploy("web", "other", "1", app), pdb("web-pdb", "prod", "minAvailable: 1\n"+selWeb)}},
	{name: "templated minAvailable is skipped", files: []string{deploy("web", "prod", "1", app), pdb("web-pdb", "prod", `minAvailable: "{{ .Values.min }}"`+"\n"+selWeb)}},
	{name: "templated replicas skip the count check", files: []string{deploy("web", "prod", `"{{ .Values.n }}"`, app), pdb("web-pdb", "prod", "minAvailable: 1\n"+selWeb)}},
	{name: "daemonset pods are skipped by drain", files: []string{workloadYAML("apps/v1", "DaemonSet", "agent", "prod", "", app), pdb("web-pdb", "prod", "maxUnavailable: 0\n"+selWeb)}},
	{name: "maxUnavailable 0 without matching workload still fires", files: []string{pdb("web-pdb", "prod", "maxUnavailable: 0\n"+selWeb)},
		want: []want{{"web-pdb", "spec.maxUnavailable", "none of the pods it selects can ever be evicted"}}},
	{name: "two budgets over one workload", files: []string{deploy("web", "prod", "3", app), pdb("a-pdb", "prod", "maxUnavailable: 1\n"+selWeb), pdb("b-pdb", "prod", "maxUnavailable: 1\nselector:\n  matchExpressions:\n  - {key: app, operator: In, values: [web]}")},
		want: []want{{"b-pdb", "spec.selector", "selector also matches the pods of Deployment web, which PodDisruptionBudget a-pdb already covers; the eviction API refuses"}}},
	{name: "two budgets over different workloads", files: []string{docs(deploy("web", "prod", "3", app), deploy("api", "prod", "3", map[string]string{"app": "api"})), pdb("a-pdb", "prod", "maxUnavailable: 1\n"+selWeb), pdb("b-pdb", "prod", "maxUnavailable: 1\nselector:\n  matchLabels: {app: api}")}},
}

func TestPDBBlocksDrain(t *testing.T) {
	if fired, clean := runCases(t, PDBBlocksDrain, pdbBlocksDrainCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", PDBBlocksDrain.ID, fired, clean)
	}
}
