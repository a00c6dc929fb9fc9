package rules

import "testing"

var pdbNoMatchCases = []ruleCase{
	{name: "matching deployment in another file", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 1\n"+selWeb)}},
	{name: "no workload with the labels", files: []string{deploy("api", "prod", "3", map[string]string{"app": "api"}), pdb("web-pdb", "prod", "maxUnavailable: 1\n"+selWeb)},
		want: []want{{"web-pdb", "spec.selector", `selector app=web matches no pod template in namespace "prod"`}}},
	{name: "same labels in another namespace gives a hint", files: []string{deploy("web", "staging", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 1\n"+selWeb)},
		want: []want{{"web-pdb", "spec.selector", `Deployment web in namespace "staging" has matching labels`}}},
	{name: "matchExpressions Exists matches", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 1\nselector:\n  matchExpressions:\n  - key: app\n    operator: Exists")}},
	{name: "matchExpressions DoesNotExist fails", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 1\nselector:\n  matchExpressions:\n  - key: app\n    operator: DoesNotExist")},
		want: []want{{"web-pdb", "spec.selector", "!app"}}},
	{name: "custom workload with a pod template counts", files: []string{"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers: []\n", pdb("web-pdb", "prod", "maxUnavailable: 1\n"+selWeb)}},
	{name: "bare pod counts", files: []string{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: prod\n  labels:\n    app: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n", pdb("web-pdb", "prod", "maxUnavailable: 1\n"+selWeb)}},
	{name: "missing selector selects nothing", files: []string{deploy("web", "prod", "3", app), pdb("web-pdb", "prod", "maxUnavailable: 1")},
		want: []want{{"web-pdb", "spec", "spec.selector is missing"}}},
	{name: "invalid operator is left to schema validation", files: []string{pdb("web-pdb", "prod", "maxUnavailable: 1\nselector:\n  matchExpressions:\n  - {key: app, operator: Like}")}},
}

func TestPDBNoMatch(t *testing.T) {
	if fired, clean := runCases(t, PDBNoMatch, pdbNoMatchCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", PDBNoMatch.ID, fired, clean)
	}
}
