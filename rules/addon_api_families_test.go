package rules

import (
	"strings"
	"testing"
)

// One valid custom resource per addon family, without its CRD: each is
// judged by the embedded data, so none may give unknown-schema or any other
// finding at 1.33.
var addonFamilyResources = map[string]string{
	"prometheus-operator": `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  endpoints:
  - port: http
    interval: 30s
`,
	"flux": `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app, namespace: flux-system}
spec:
  interval: 1m
  url: https://github.com/example/app
  ref: {branch: main}
`,
	"argo-cd": `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    targetRevision: HEAD
    path: guestbook
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
`,
	"argo-rollouts": `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
  strategy:
    canary:
      steps:
      - setWeight: 20
`,
	"istio": `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web}
`,
	"gateway-api": `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs:
  - name: gateway
  rules:
  - backendRefs:
    - name: web
      port: 80
`,
	"kyverno": `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-labels}
spec:
  rules:
  - name: check-team
    match:
      any:
      - resources: {kinds: [Pod]}
    validate:
      message: label team is required
      pattern:
        metadata:
          labels:
            team: "?*"
`,
	"velero": `apiVersion: velero.io/v1
kind: Schedule
metadata: {name: daily, namespace: velero}
spec:
  schedule: "0 3 * * *"
  template:
    includedNamespaces: ["*"]
    ttl: 720h0m0s
`,
	"keda": `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web}
spec:
  scaleTargetRef: {name: web}
  triggers:
  - type: cpu
    metricType: Utilization
    metadata: {value: "60"}
`,
	"external-secrets": `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db}
spec:
  refreshInterval: 1h
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: db}
  data:
  - secretKey: password
    remoteRef: {key: db/password}
`,
	"karpenter": `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - key: kubernetes.io/arch
        operator: In
        values: [amd64]
`,
}

// deprecatedFamilies: the newest release deprecates the version used, which
// deprecated-api reports (Kyverno 1.19 deprecates kyverno.io/v1 policies).
var deprecatedFamilies = map[string]string{
	"kyverno": "warning ClusterPolicy/require-labels apiVersion | kyverno.io/v1 ClusterPolicy is deprecated in kyverno 1.19.1: kyverno.io/v1 ClusterPolicy is deprecated and will be removed in a future release",
}

func TestAddonFamiliesValid(t *testing.T) {
	for family, doc := range addonFamilyResources {
		t.Run(family, func(t *testing.T) {
			fs := runWithSchema(t, "1.33", apiRules, doc)
			if want, ok := deprecatedFamilies[family]; ok {
				if len(fs) != 1 || !strings.Contains(findingLines(fs), want) {
					t.Errorf("want only %q, got:\n%s", want, findingLines(fs))
				}
				return
			}
			if len(fs) > 0 {
				t.Errorf("findings on a valid %s resource:\n%s", family, findingLines(fs))
			}
		})
	}
}

// Breaking each resource must be noticed: an unknown field in spec is a
// schema-invalid error from the embedded schema.
func TestAddonFamiliesTypo(t *testing.T) {
	for family, doc := range addonFamilyResources {
		t.Run(family, func(t *testing.T) {
			bad := strings.Replace(doc, "\nspec:\n", "\nspec:\n  definitelyNotAField: 1\n", 1)
			fs := runWithSchema(t, "1.33", []*Rule{SchemaInvalid, UnknownSchema}, bad)
			if len(fs) != 1 || fs[0].Rule != "schema-invalid" || !strings.Contains(fs[0].Message, `unknown field "definitelyNotAField"`) || !strings.Contains(fs[0].Message, "(embedded, "+family+" ") {
				t.Errorf("want one schema-invalid finding from the embedded %s schema, got:\n%s", family, findingLines(fs))
			}
		})
	}
}

func TestKarpenterV1beta1Removed(t *testing.T) {
	doc := strings.Replace(addonFamilyResources["karpenter"], "karpenter.sh/v1", "karpenter.sh/v1beta1", 1)
	fs := runWithSchema(t, "1.33", []*Rule{RemovedAPI}, doc)
	want := "no karpenter release that supports Kubernetes 1.33 serves karpenter.sh/v1beta1 NodePool; last served by karpenter 1.0.8, no longer by 1.1.1; use karpenter.sh/v1"
	if len(fs) != 1 || fs[0].Message != want {
		t.Errorf("got:\n%s\nwant message:\n%s", findingLines(fs), want)
	}
}
