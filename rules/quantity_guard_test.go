package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// Quantities whose parse would never return are refused before parsing and
// reported by schema-invalid at their line; requests-exceed-limits skips
// them instead of hanging.
func TestAbsurdQuantitiesAreReportedNotParsed(t *testing.T) {
	long := "1" + strings.Repeat("0", 80)
	manifest := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          resources:
            requests:
              cpu: "1e-999999999"
              memory: "64Mi"
            limits:
              cpu: 1E+999999999
              memory: "` + long + `"
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: nginx
      resources: {requests: {ephemeral-storage: "2.5e-31"}, limits: {ephemeral-storage: "1e30"}}
`
	objs := decodeFiles(t, []string{manifest})
	v, err := schema.New(kubeversion.MustParse("1.33"), schema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []string, 1)
	go func() {
		var got []string
		for _, f := range runRule(t, SchemaInvalid, "1.33", &Inputs{Schema: v}, objs) {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Column, f.Rule, f.Message))
		}
		for _, f := range runRule(t, RequestsExceedLimits, "1.33", nil, objs) {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Column, f.Rule, f.Message))
		}
		done <- got
	}()
	var got []string
	select {
	case got = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("quantity checks did not return")
	}
	want := []string{
		`file0.yaml:14:15 schema-invalid spec.template.spec.containers[0].resources.requests.cpu: value "1e-999999999" is not a valid quantity: exponent -999999999 is out of range (at most ±30) (Kubernetes 1.33 schema of apps/v1 Deployment)`,
		`file0.yaml:17:15 schema-invalid spec.template.spec.containers[0].resources.limits.cpu: value "1E+999999999" is not a valid quantity: exponent +999999999 is out of range (at most ±30) (Kubernetes 1.33 schema of apps/v1 Deployment)`,
		`file0.yaml:18:15 schema-invalid spec.template.spec.containers[0].resources.limits.memory: value "1000000000000000000000000000000000000000..." is not a valid quantity: quantity is 81 characters long, more than 64 (Kubernetes 1.33 schema of apps/v1 Deployment)`,
		`file0.yaml:27:30 schema-invalid spec.containers[0].resources.requests.ephemeral-storage: value "2.5e-31" is not a valid quantity: exponent -31 is out of range (at most ±30) (Kubernetes 1.33 schema of v1 Pod)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
