package rules

import "testing"

func sts(name, podSpec, extra string) string {
	s := "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: " + name + "\nspec:\n  serviceName: " + name + "\n" + extra + "  template:\n    spec:\n"
	for _, l := range splitLines(podSpec) {
		s += "      " + l + "\n"
	}
	return s
}

const pgMount = `
containers:
- name: postgres
  volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: /var/lib/postgresql
volumes:
- name: tmp
  emptyDir: {}
- name: data
  emptyDir: {}
`

var localStorageStateCases = []ruleCase{
	{name: "statefulset on emptyDir", files: []string{sts("db", pgMount, "")},
		want: []want{{"db", "spec.template.spec.containers[0].volumeMounts[1]", `container "postgres" of StatefulSet db keeps state in emptyDir volume "data" mounted at /var/lib/postgresql; the data is lost`}}},
	{name: "statefulset with volumeClaimTemplates", files: []string{sts("db", pgMount, "  volumeClaimTemplates:\n  - metadata:\n      name: pvc\n    spec:\n      accessModes: [ReadWriteOnce]\n")}},
	{name: "statefulset on hostPath", files: []string{sts("db", "containers:\n- name: m\n  volumeMounts:\n  - {name: d, mountPath: /srv}\nvolumes:\n- name: d\n  hostPath:\n    path: /mnt/disks/d1", "")},
		want: []want{{"db", "spec.template.spec.containers[0].volumeMounts[0]", `hostPath volume "d" (/mnt/disks/d1) mounted at /srv; the data stays behind`}}},
	{name: "read-only and memory and system paths are fine", files: []string{sts("db", "containers:\n- name: m\n  volumeMounts:\n  - {name: a, mountPath: /cfg, readOnly: true}\n  - {name: b, mountPath: /cache}\n  - {name: c, mountPath: /host/log}\nvolumes:\n- {name: a, emptyDir: {}}\n- {name: b, emptyDir: {medium: Memory}}\n- {name: c, hostPath: {path: /var/log}}", "")}},
	{name: "init container mount is not state", files: []string{sts("db", "initContainers:\n- name: init\n  volumeMounts:\n  - {name: d, mountPath: /data}\ncontainers:\n- name: m\nvolumes:\n- {name: d, emptyDir: {}}", "")}},
	{name: "deployment with data volume", files: []string{podWith("cache", "", "containers:\n- name: redis\n  volumeMounts:\n  - {name: redis-data, mountPath: /data}\nvolumes:\n- {name: redis-data, emptyDir: {}}")},
		want: []want{{"cache", "spec.template.spec.containers[0].volumeMounts[0]", "Deployment cache keeps state"}}},
	{name: "deployment scratch emptyDir is fine", files: []string{podWith("web", "", "containers:\n- name: web\n  volumeMounts:\n  - {name: html, mountPath: /usr/share/nginx/html}\nvolumes:\n- {name: html, emptyDir: {}}")}},
	{name: "deployment with pvc is fine", files: []string{podWith("cache", "", "containers:\n- name: redis\n  volumeMounts:\n  - {name: data, mountPath: /data}\n  - {name: scratch, mountPath: /data/tmp}\nvolumes:\n- {name: data, persistentVolumeClaim: {claimName: c}}\n- {name: scratch, emptyDir: {}}")}},
	{name: "local persistent volume", files: []string{"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n  capacity: {storage: 1Gi}\n  local:\n    path: /mnt/disks/ssd1\n"},
		want: []want{{"pv1", "spec.local", "keeps its data on one node's disk (spec.local)"}}},
	{name: "network persistent volume", files: []string{"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n  nfs: {server: nfs, path: /x}\n"}},
}

func TestLocalStorageState(t *testing.T) {
	if fired, clean := runCases(t, LocalStorageState, localStorageStateCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", LocalStorageState.ID, fired, clean)
	}
}
