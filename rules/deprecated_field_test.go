package rules

import (
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

const affinityPod = `
nodeSelector:
  beta.kubernetes.io/os: linux
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
        - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a]}
    preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 1
      preference:
        matchExpressions:
        - {key: beta.kubernetes.io/instance-type, operator: Exists}
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 1
      podAffinityTerm:
        topologyKey: failure-domain.beta.kubernetes.io/region
        labelSelector: {matchLabels: {app: web}}
topologySpreadConstraints:
- {maxSkew: 1, topologyKey: failure-domain.beta.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
containers:
- name: app
`

const sp = "spec.template.spec"

var deprecatedFieldCases = []ruleCase{
	{name: "node labels everywhere in a pod template", files: []string{podWith("web", "", affinityPod)},
		want: []want{
			{"web", sp + `.nodeSelector["beta.kubernetes.io/os"]`, "node label beta.kubernetes.io/os in nodeSelector is deprecated since Kubernetes 1.14; use kubernetes.io/os instead"},
			{"web", sp + ".affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].key", "failure-domain.beta.kubernetes.io/zone in node affinity"},
			{"web", sp + ".affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key", "node.kubernetes.io/instance-type"},
			{"web", sp + ".affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey", "in podAntiAffinity topologyKey"},
			{"web", sp + ".topologySpreadConstraints[0].topologyKey", "in topologySpreadConstraints"},
		}},
	{name: "current labels are fine", files: []string{podWith("web", "", "nodeSelector:\n  kubernetes.io/os: linux\ncontainers:\n- name: app")}},
	{name: "before the deprecation nothing fires", target: "1.13", files: []string{podWith("web", "", "nodeSelector:\n  beta.kubernetes.io/os: linux\ncontainers:\n- name: app")}},
	{name: "apparmor annotation on the template", target: "1.30", files: []string{"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/agent: runtime/default\n    spec:\n      containers:\n      - name: agent\n"},
		want: []want{{"agent", `spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/agent"]`, "pod annotation container.apparmor.security.beta.kubernetes.io/agent is deprecated since Kubernetes 1.30; use securityContext.appArmorProfile instead"}}},
	{name: "apparmor annotation before 1.30", target: "1.29", files: []string{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: runtime/default\nspec:\n  containers:\n  - name: c\n"}},
	{name: "seccomp annotation between deprecation and removal", target: "1.26", files: []string{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\nspec:\n  containers:\n  - name: c\n"},
		want: []want{{"p", `metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]`, "deprecated since Kubernetes 1.19 and stops working in 1.27"}}},
	{name: "seccomp annotation after removal is removed-field's", target: "1.27", files: []string{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\nspec:\n  containers:\n  - name: c\n"}},
	{name: "ingress class annotation", files: []string{"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing\n  annotations:\n    kubernetes.io/ingress.class: nginx\nspec: {}\n"},
		want: []want{{"ing", `metadata.annotations["kubernetes.io/ingress.class"]`, "annotation kubernetes.io/ingress.class is deprecated since Kubernetes 1.18; use spec.ingressClassName instead"}}},
	{name: "ingress class annotation on a service is ignored", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    kubernetes.io/ingress.class: nginx\nspec: {}\n"}},
	{name: "storage-class annotation on pvc and claim template", files: []string{
		"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n  annotations:\n    volume.beta.kubernetes.io/storage-class: fast\nspec: {}\n",
		sts("db", "containers:\n- name: m", "  volumeClaimTemplates:\n  - metadata:\n      name: data\n      annotations:\n        volume.beta.kubernetes.io/storage-class: fast\n")},
		want: []want{
			{"c", `metadata.annotations["volume.beta.kubernetes.io/storage-class"]`, "use spec.storageClassName instead"},
			{"db", `spec.volumeClaimTemplates[0].metadata.annotations["volume.beta.kubernetes.io/storage-class"]`, "on a claim template is deprecated since Kubernetes 1.8"},
		}},
	{name: "storage class allowedTopologies and pv node affinity", files: []string{
		"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: sc\nprovisioner: x\nallowedTopologies:\n- matchLabelExpressions:\n  - key: failure-domain.beta.kubernetes.io/zone\n    values: [a]\n",
		"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: beta.kubernetes.io/os, operator: In, values: [linux]}\n  csi: {driver: x, volumeHandle: y}\n"},
		want: []want{
			{"sc", "allowedTopologies[0].matchLabelExpressions[0].key", "in StorageClass allowedTopologies"},
			{"pv", "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key", "in PersistentVolume nodeAffinity"},
		}},
	{name: "volume plugin needing csi migration", target: "1.28", files: []string{podWith("web", "", "containers:\n- name: app\nvolumes:\n- name: disk\n  awsElasticBlockStore: {volumeID: vol-1}")},
		want: []want{{"web", sp + ".volumes[0].awsElasticBlockStore", `volume "disk" (awsElasticBlockStore) relies on the in-tree awsElasticBlockStore plugin, removed in Kubernetes 1.27; it only works through CSI migration with the ebs.csi.aws.com CSI driver installed`}}},
	{name: "deprecated volume plugin on a pv", target: "1.29", files: []string{"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  cephfs: {monitors: [a]}\n"},
		want: []want{{"pv", "spec.cephfs", "volume source cephfs is deprecated since Kubernetes 1.28 and stops working in 1.31; use the CephFS CSI driver (ceph-csi) instead"}}},
	{name: "service loadBalancerIP", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 1.2.3.4\n"},
		want: []want{{"s", "spec.loadBalancerIP", "field spec.loadBalancerIP is deprecated since Kubernetes 1.24"}}},
	{name: "extra facts from the environment", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n    appProtocol: x\n  - port: 81\n"},
		env:  &Inputs{FieldFacts: []FieldFact{{What: FactField, Key: "spec.ports[*].appProtocol", Kinds: []string{"Service"}, Deprecated: "1.30", Replacement: "nothing", Source: "test"}}},
		want: []want{{"s", "spec.ports[0].appProtocol", "field spec.ports[0].appProtocol is deprecated since Kubernetes 1.30"}}},
	{name: "extra pod-spec facts from the environment", files: []string{podWith("web", "", "serviceAccount: old\ncontainers:\n- name: app")},
		env:  &Inputs{FieldFacts: []FieldFact{{What: FactPodField, Key: "serviceAccount", Deprecated: "1.0", Replacement: "serviceAccountName", Source: "test"}}},
		want: []want{{"web", "spec.template.spec.serviceAccount", "field spec.template.spec.serviceAccount is deprecated since Kubernetes 1.0; use serviceAccountName instead"}}},
	{name: "odd values do not panic", files: []string{podWith("web", "", "nodeSelector: 5\naffinity:\n  nodeAffinity: [1, 2]\ntopologySpreadConstraints:\n- 3\n- topologyKey: 7\nvolumes:\n- x\ncontainers:\n- name: app")}},
}

func TestDeprecatedField(t *testing.T) {
	if fired, clean := runCases(t, DeprecatedField, deprecatedFieldCases); fired == 0 || clean == 0 {
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
