// Package monorepo writes a synthetic repository of plain manifests the size
// of a large monorepo, for benchmarks of memory and speed (docs/benchmarks.md).
package monorepo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// PerFile is the number of documents in each file.
const PerFile = 10

// Write writes objects documents (PerFile per file, 50 team directories)
// below dir and returns the number of files written. The output depends
// only on objects.
func Write(dir string, objects int) (int, error) {
	files := 0
	for start := 0; start < objects; start += PerFile {
		var b strings.Builder
		for d := start; d < start+PerFile && d < objects; d++ {
			if d > start {
				b.WriteString("---\n")
			}
			app := d / len(docs)
			fmt.Fprintf(&b, docs[d%len(docs)], fmt.Sprintf("app-%d", app), fmt.Sprintf("team-%02d", app%50))
		}
		sub := filepath.Join(dir, fmt.Sprintf("team-%02d", files%50))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return files, err
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("app-%05d.yaml", files)), []byte(b.String()), 0o644); err != nil {
			return files, err
		}
		files++
	}
	return files, nil
}

// docs cycle so that every application gets a Deployment, its Service,
// ConfigMap, Ingress, HPA, PDB, RBAC and, for some, a removed CronJob.
// %[1]s is the application name, %[2]s its namespace.
var docs = []string{deployment, service, configMap, ingress, hpa, pdb, serviceAccount, role, roleBinding, oldCronJob, deployment2}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: %[2]s
  labels: {app: %[1]s, tier: backend}
spec:
  replicas: 3
  selector:
    matchLabels: {app: %[1]s}
  template:
    metadata:
      labels: {app: %[1]s, tier: backend}
    spec:
      serviceAccountName: %[1]s
      containers:
        - name: app
          image: registry.example.com/%[2]s/%[1]s:1.2.3
          ports: [{containerPort: 8080, name: http}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: DB_HOST, value: db.%[2]s.svc}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
          livenessProbe:
            httpGet: {path: /livez, port: http}
            periodSeconds: 20
`

// deployment2 has no PDB and no memory limit, so cross-object and
// per-object rules both report.
const deployment2 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s-worker
  namespace: %[2]s
spec:
  replicas: 2
  selector:
    matchLabels: {app: %[1]s-worker}
  template:
    metadata:
      labels: {app: %[1]s-worker}
    spec:
      containers:
        - name: worker
          image: registry.example.com/%[2]s/%[1]s-worker:1.2.3
          resources:
            requests: {cpu: 50m, memory: 64Mi}
`

const service = `apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  selector: {app: %[1]s}
  ports: [{port: 80, targetPort: http}]
`

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: %[1]s
  namespace: %[2]s
data:
  settings.json: |
    {"feature": true, "limit": 10}
`

const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  ingressClassName: nginx
  rules:
    - host: %[1]s.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: %[1]s, port: {number: 80}}}
`

const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %[1]s}
  minReplicas: 3
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
`

const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: %[1]s}
`

const serviceAccount = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: %[1]s
  namespace: %[2]s
`

const role = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: %[1]s
  namespace: %[2]s
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
`

const roleBinding = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: %[1]s
  namespace: %[2]s
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %[1]s}
subjects:
  - {kind: ServiceAccount, name: %[1]s, namespace: %[2]s}
`

const oldCronJob = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: job, image: "registry.example.com/%[2]s/job:1.0"}]
`
