package rules

import (
	"testing"
)

// TestFindingLines checks that findings land on the line of the field they
// name, in a file with several documents.
func TestFindingLines(t *testing.T) {
	src := `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: web
    spec:
      nodeSelector:
        beta.kubernetes.io/os: linux
      containers:
      - name: app
        image: nginx
      - name: sidecar
        resources:
          requests:
            cpu: 2
          limits:
            cpu: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: prod
spec:
  minAvailable: 3
  selector:
    matchLabels:
      app: web
`
	objs := decodeFiles(t, []string{src})
	for _, tc := range []struct {
		rule  *Rule
		lines []int
	}{
		{PDBBlocksDrain, []int{32}},
		{DeprecatedField, []int{15}},
		{RequestsExceedLimits, []int{22}},
		{MissingRequests, []int{17, 21}},
	} {
		fs := runRule(t, tc.rule, "1.33", nil, objs)
		if len(fs) != len(tc.lines) {
			t.Errorf("%s: %d findings, want %d: %+v", tc.rule.ID, len(fs), len(tc.lines), fs)
			continue
		}
		for i, f := range fs {
			if f.Line != tc.lines[i] || f.File != "file0.yaml" {
				t.Errorf("%s: at %s:%d, want file0.yaml:%d (%s)", tc.rule.ID, f.File, f.Line, tc.lines[i], f.FieldPath)
			}
		}
	}
}
