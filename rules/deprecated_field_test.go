package rules

import (
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// The testdata harness (testdata/deprecated-field) covers the embedded
// facts; these cases feed extra facts through the scan's environment, which
// testdata cannot express.
var deprecatedFieldEnvCases = []ruleCase{
	{name: "extra facts from the environment", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n    appProtocol: x\n  - port: 81\n"},
		env:  &Inputs{FieldFacts: []FieldFact{{What: FactField, Key: "spec.ports[*].appProtocol", Kinds: []string{"Service"}, Deprecated: "1.30", Replacement: "nothing", Source: "test"}}},
		want: []want{{"s", "spec.ports[0].appProtocol", "field spec.ports[0].appProtocol is deprecated since Kubernetes 1.30"}}},
	{name: "extra pod-spec facts from the environment", files: []string{podWith("web", "", "serviceAccount: old\ncontainers:\n- name: app")},
		env:  &Inputs{FieldFacts: []FieldFact{{What: FactPodField, Key: "serviceAccount", Deprecated: "1.0", Replacement: "serviceAccountName", Source: "test"}}},
		want: []want{{"web", "spec.template.spec.serviceAccount", "field spec.template.spec.serviceAccount is deprecated since Kubernetes 1.0; use serviceAccountName instead"}}},
	{name: "an extra fact repeating an embedded one reports once", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 1.2.3.4\n"},
		env:  &Inputs{FieldFacts: []FieldFact{{What: FactField, Key: "spec.loadBalancerIP", Kinds: []string{"Service"}, Deprecated: "1.25", DeprecatedBy: true, Note: "from the schema", Source: "test"}}},
		want: []want{{"s", "spec.loadBalancerIP", "field spec.loadBalancerIP is deprecated since Kubernetes 1.24"}}},
	{name: "extra facts for other kinds stay quiet", files: []string{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  appProtocol: x\n"},
		env: &Inputs{FieldFacts: []FieldFact{{What: FactField, Key: "data.appProtocol", Kinds: []string{"Service"}, Deprecated: "1.30", Source: "test"}}}},
}

func TestDeprecatedFieldEnv(t *testing.T) {
	if fired, clean := runCases(t, DeprecatedField, deprecatedFieldEnvCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", DeprecatedField.ID, fired, clean)
	}
}

// TestAPIServerWarningFacts covers the deprecations the API server warns
// about (pkg/api/*/warnings.go and the registry strategies): each manifest
// must give a finding at the exact file and line at 1.37, value facts must
// stay quiet for other values, and nothing fires before the first release.
func TestAPIServerWarningFacts(t *testing.T) {
	files := map[string]string{
		"svc.yaml": `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  trafficDistribution: PreferClose
  externalIPs:
  - 192.0.2.10
  ports:
  - port: 80
`,
		"svc-ok.yaml": `apiVersion: v1
kind: Service
metadata:
  name: ok
spec:
  trafficDistribution: PreferSameZone
  ports:
  - port: 80
`,
		"pv.yaml": `apiVersion: v1
kind: PersistentVolume
metadata:
  name: scratch
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Recycle
  hostPath: {path: /data}
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: kept
spec:
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /data}
`,
		"sa.yaml": `apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
  annotations:
    kubernetes.io/enforce-mountable-secrets: "true"
`,
		"eps.yaml": `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext
addressType: FQDN
endpoints:
- addresses: [db.example.com]
`,
		"node.yaml": `apiVersion: v1
kind: Node
metadata:
  name: n1
spec:
  externalID: i-0123
`,
	}
	var objs []*model.Object
	for _, name := range sortedKeys(files) {
		o, probs := render.DecodeBytes([]byte(files[name]), render.DecodeOptions{File: name, Exact: true})
		if len(probs) > 0 {
			t.Fatalf("%s: %+v", name, probs)
		}
		objs = append(objs, o...)
	}
	type at struct {
		file string
		line int
		msg  string
	}
	wants := []at{
		{"eps.yaml", 5, "field addressType: FQDN is deprecated since Kubernetes 1.27; use addressType IPv4 or IPv6 instead"},
		{"node.yaml", 6, "field spec.externalID is deprecated since Kubernetes 1.27"},
		{"pv.yaml", 8, "field spec.persistentVolumeReclaimPolicy: Recycle is deprecated since Kubernetes 1.30; use dynamic provisioning"},
		{"sa.yaml", 6, "annotation kubernetes.io/enforce-mountable-secrets is deprecated since Kubernetes 1.32"},
		{"svc.yaml", 6, "field spec.trafficDistribution: PreferClose is deprecated since Kubernetes 1.35; use PreferSameZone"},
		{"svc.yaml", 7, "field spec.externalIPs is deprecated since Kubernetes 1.36"},
	}
	fs := runRule(t, DeprecatedField, "1.37", nil, objs)
	if len(fs) != len(wants) {
		for _, f := range fs {
			t.Logf("%s:%d %s", f.File, f.Line, f.Message)
		}
		t.Fatalf("%d findings, want %d", len(fs), len(wants))
	}
	for i, w := range wants {
		f := fs[i]
		if f.File != w.file || f.Line != w.line || !strings.Contains(f.Message, w.msg) {
			t.Errorf("finding %d = %s:%d %q, want %s:%d containing %q", i, f.File, f.Line, f.Message, w.file, w.line, w.msg)
		}
	}
	// Each fact starts at its first release: one minor earlier none fires.
	for _, tc := range []struct {
		target string
		n      int
	}{{"1.26", 0}, {"1.27", 2}, {"1.29", 2}, {"1.30", 3}, {"1.32", 4}, {"1.35", 5}, {"1.36", 6}} {
		if got := len(runRule(t, DeprecatedField, tc.target, nil, objs)); got != tc.n {
			t.Errorf("at %s: %d findings, want %d", tc.target, got, tc.n)
		}
	}
}
