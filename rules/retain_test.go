package rules

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// factsFixture covers what the whole-set rules read of workloads, budgets
// and autoscalers: replicas as numbers, strings and unset, autoscaler
// minimums, budgets that block, overlap or match nothing, v1beta1 empty
// selectors, init containers, resources at container and pod level, a
// Helm test hook, a CronJob and a LimitRange.
var factsFixture = []string{`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: app
          image: example/web:1
          resources:
            requests: {cpu: 100m}
        - name: side
          image: example/side:1
          resources: {}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-a, namespace: shop}
spec:
  minAvailable: 100%
  selector: {matchLabels: {app: web}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-b, namespace: shop}
spec:
  maxUnavailable: 0
  selector:
    matchExpressions:
      - {key: tier, operator: In, values: [front]}
`, `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: "2"
  selector: {matchLabels: {app: db}}
  template:
    metadata:
      labels: {app: db}
    spec:
      resources:
        requests: {cpu: "1", memory: 1Gi}
        limits: {memory: 2Gi}
      containers:
        - name: db
          image: example/db:1
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 4
  maxReplicas: 8
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1
          resources:
            limits: {cpu: "1", memory: 1Gi}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: empty, namespace: shop}
spec:
  minAvailable: 1
  selector: {}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: lost, namespace: other}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: db}}
`, `
apiVersion: v1
kind: Pod
metadata:
  name: test
  namespace: shop
  annotations: {helm.sh/hook: test}
spec:
  containers:
    - name: t
      image: busybox
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: jobs}
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: job
              image: example/job:1
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: jobs}
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: 100m}
`}

// wholeSetRules are the rules that read workloads, budgets and
// autoscalers from the whole set.
var wholeSetRules = []*Rule{MissingPDB, PDBBlocksDrain, PDBNoMatch, MissingRequests, MissingMemoryLimit}

// TestCompactFactsGiveWholeObjectFindings runs the whole-set rules once
// over whole objects and once, as a streaming scan does, over what Retain
// keeps of them: the findings, lines and fingerprints must be the same.
func TestCompactFactsGiveWholeObjectFindings(t *testing.T) {
	objs := decodeFiles(t, factsFixture)
	cfg := Config{Target: kubeversion.MustParse("1.33"), Lifecycle: kubeversion.Default()}
	whole := sortFindings(Run(cfg, wholeSetRules, objs))

	var kept []*model.Object
	compacted := 0
	for _, o := range objs {
		c := Retain(o, nil)
		if c == nil {
			continue
		}
		if c.Facts != nil {
			compacted++
			if c.Data != nil || c.Node != nil || c.Pos != nil {
				t.Errorf("%s: compact copy keeps data, nodes or positions", o.Ref())
			}
		}
		kept = append(kept, c)
	}
	// The LimitRange keeps a pruned copy of its data.
	if compacted != 10 || len(kept) != 11 {
		t.Fatalf("%d of %d kept objects are compact facts, want the 10 workloads, budgets and autoscalers of 11", compacted, len(kept))
	}
	s := NewSession(cfg, wholeSetRules)
	streamed := sortFindings(s.Finish(kept))
	byRule := map[string]int{}
	for _, f := range whole {
		byRule[f.Rule]++
	}
	for _, r := range wholeSetRules {
		if byRule[r.ID] == 0 {
			t.Errorf("fixture gives no %s finding", r.ID)
		}
	}
	t.Logf("findings per rule: %v", byRule)
	if !reflect.DeepEqual(whole, streamed) {
		t.Errorf("findings differ\nwhole objects: %+v\ncompact facts: %+v", whole, streamed)
	}
	// Spot-check exact places: a position resolved from the whole object.
	for _, f := range streamed {
		if f.Rule == "missing-memory-limit" && f.Name == "web" && f.FieldPath == "spec.template.spec.containers[1].resources" {
			if f.File != "file0.yaml" || f.Line != 21 {
				t.Errorf("missing-memory-limit of container side at %s:%d, want file0.yaml:21", f.File, f.Line)
			}
			return
		}
	}
	t.Errorf("no missing-memory-limit finding on container side: %+v", streamed)
}

// TestRetainKeepsDataForAddonEvidence: a workload whose image names an
// addon keeps a pruned copy of its data, which the addon rules read.
func TestRetainKeepsDataForAddonEvidence(t *testing.T) {
	objs := decodeFiles(t, []string{`
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: ingress-nginx}
spec:
  replicas: 2
  selector: {matchLabels: {app: ingress}}
  template:
    metadata:
      labels: {app: ingress}
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.9.0
`})
	c := Retain(objs[0], nil)
	if c == nil || c.Facts != nil || c.Data == nil {
		t.Fatalf("addon workload kept as %+v, want a pruned copy with data", c)
	}
	if img, _ := c.Get("spec.template.spec.containers[0].image"); img != "registry.k8s.io/ingress-nginx/controller:v1.9.0" {
		t.Errorf("pruned copy lost the image: %v", img)
	}
}

// TestCompactFactsStaySmall bounds what a kept Deployment costs, so memory
// does not grow with a repository beyond compact facts (the pruned maps
// and position tables cost 3-6 KB each).
func TestCompactFactsStaySmall(t *testing.T) {
	const n = 2000
	kept := make([]*model.Object, n)
	for i := range kept {
		// Each its own decode (the Deployment web), as in a scan.
		kept[i] = Retain(decodeFiles(t, factsFixture[:1])[0], nil)
	}
	var with, without runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&with)
	clear(kept) // the slice itself counts in both readings
	runtime.GC()
	runtime.ReadMemStats(&without)
	per := (int64(with.HeapAlloc) - int64(without.HeapAlloc)) / n
	t.Logf("%d bytes kept per Deployment", per)
	if per > 1500 {
		t.Errorf("a compact Deployment costs %d bytes, want at most 1,500", per)
	}
}
