package rules

import (
	"fmt"
	"strings"
	"testing"
)

// schedule renders a velero.io/v1 Schedule; tmpl is indented YAML under
// spec.template.
func schedule(name, tmpl string, extra ...string) string {
	s := fmt.Sprintf("apiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: %s\n  namespace: velero\nspec:\n  schedule: \"0 3 * * *\"\n", name)
	for _, e := range extra {
		s += "  " + e + "\n"
	}
	s += "  template:\n"
	for _, l := range strings.Split(strings.Trim(tmpl, "\n"), "\n") {
		s += "    " + l + "\n"
	}
	return s
}

func pvc(name, ns string, labels ...string) string {
	s := "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: " + name + "\n  namespace: " + ns + "\n"
	if len(labels) > 0 {
		s += "  labels:\n"
		for _, l := range labels {
			k, v, _ := strings.Cut(l, "=")
			s += "    " + k + ": " + v + "\n"
		}
	}
	return s + "spec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n"
}

const pgStatefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: pg
  namespace: db
spec:
  selector:
    matchLabels:
      app: pg
  template:
    metadata:
      labels:
        app: pg
    spec:
      containers:
      - name: pg
        image: postgres
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`

var backupCoverageCases = []ruleCase{
	{name: "no schedule in the scan: nothing to compare", files: []string{pvc("data", "app")}},
	{name: "empty includedNamespaces covers everything", files: []string{schedule("all", "ttl: 720h"), pvc("data", "app"), pgStatefulSet}},
	{name: "star covers everything", files: []string{schedule("all", "includedNamespaces: ['*']"), pvc("data", "app")}},
	{name: "namespace left out of includedNamespaces", files: []string{schedule("apps", "includedNamespaces: [app]"), pvc("data", "app"), pgStatefulSet},
		want: []want{{"pg", "spec.volumeClaimTemplates", `namespace "db" holds persistent data (StatefulSet pg volumeClaimTemplates) that no Velero Schedule of the scan backs up; schedules considered: velero/apps (includedNamespaces: app)`}}},
	{name: "excluded namespace", files: []string{schedule("all", "excludedNamespaces: [db, kube-system]"), pvc("data", "app"), pgStatefulSet},
		want: []want{{"pg", "spec.volumeClaimTemplates", "velero/all (excludedNamespaces: db)"}}},
	{name: "glob include", files: []string{schedule("teams", "includedNamespaces: ['team-*']"), pvc("data", "team-a"), pvc("data", "other")},
		want: []want{{"data", "metadata.name", `namespace "other" holds persistent data (PersistentVolumeClaim data)`}}},
	{name: "second schedule covers what the first misses", files: []string{schedule("apps", "includedNamespaces: [app]"), schedule("db", "includedNamespaces: [db]"), pvc("data", "app"), pgStatefulSet}},
	{name: "paused schedule covers nothing", files: []string{schedule("all", "ttl: 720h", "paused: true"), pvc("data", "app")},
		want: []want{{"data", "metadata.name", "velero/all (paused)"}}},
	{name: "label selector matches the claim", files: []string{schedule("labelled", "labelSelector:\n  matchLabels:\n    backup: \"true\""), pvc("data", "app", "backup=true")}},
	{name: "label selector misses one claim", files: []string{schedule("labelled", "labelSelector:\n  matchLabels:\n    backup: \"true\""), pvc("a", "app", "backup=true"), pvc("b", "app")},
		want: []want{{"b", "metadata.name", "velero/labelled (labelSelector backup=true does not match its labels)"}}},
	{name: "orLabelSelectors and statefulset selector labels", files: []string{schedule("labelled", "orLabelSelectors:\n- matchLabels: {app: web}\n- matchLabels: {app: pg}"), pgStatefulSet}},
	{name: "workload mounting a claim", files: []string{schedule("apps", "includedNamespaces: [app]"),
		podWith("web", "shop", "volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: web-data\ncontainers:\n- name: app\n  image: nginx")},
		want: []want{{"web", "spec.template.spec.volumes[0].persistentVolumeClaim", `Deployment web mounts claim "web-data"`}}},
	{name: "emptyDir is not persistent", files: []string{schedule("apps", "includedNamespaces: [app]"),
		podWith("web", "shop", "volumes:\n- name: tmp\n  emptyDir: {}\ncontainers:\n- name: app\n  image: nginx")}},
	{name: "one finding per namespace, on its first object", files: []string{schedule("apps", "includedNamespaces: [app]"), pvc("a", "db"), pvc("b", "db"), pgStatefulSet},
		want: []want{{"a", "metadata.name", "(PersistentVolumeClaim a, PersistentVolumeClaim b, StatefulSet pg volumeClaimTemplates)"}}},
	{name: "schedule of another group is not velero", files: []string{strings.Replace(schedule("x", "includedNamespaces: [none]"), "velero.io/v1", "example.com/v1", 1), pvc("data", "app")}},
}

func TestBackupCoverage(t *testing.T) {
	if fired, clean := runCases(t, BackupCoverage, backupCoverageCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", BackupCoverage.ID, fired, clean)
	}
}

// TestBackupCoverageLine pins the exact location: the finding is on the
// volumeClaimTemplates line of the StatefulSet's file.
func TestBackupCoverageLine(t *testing.T) {
	fs := runRule(t, BackupCoverage, "", nil, decodeFiles(t, []string{schedule("apps", "includedNamespaces: [app]"), pgStatefulSet}))
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
	}
	if f := fs[0]; f.File != "file1.yaml" || f.Line != 18 || f.Rule != "backup-coverage" {
		t.Errorf("finding at %s:%d (%s), want file1.yaml:18", f.File, f.Line, f.Rule)
	}
}
