package rules

import "testing"

var removedFieldCases = []ruleCase{
	{name: "seccomp annotations at removal", target: "1.27", files: []string{"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n        container.seccomp.security.alpha.kubernetes.io/app: runtime/default\n    spec:\n      containers:\n      - name: app\n"},
		want: []want{
			{"web", `spec.template.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]`, "pod annotation seccomp.security.alpha.kubernetes.io/pod no longer works since Kubernetes 1.27 (deprecated since 1.19); use spec.securityContext.seccompProfile instead"},
			{"web", `spec.template.metadata.annotations["container.seccomp.security.alpha.kubernetes.io/app"]`, "pod annotation container.seccomp.security.alpha.kubernetes.io/app no longer works"},
		}},
	{name: "seccomp annotation before removal", target: "1.26", files: []string{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\nspec:\n  containers:\n  - name: c\n"}},
	{name: "critical-pod annotation", target: "1.16", files: []string{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    scheduler.alpha.kubernetes.io/critical-pod: \"\"\nspec:\n  containers:\n  - name: c\n"},
		want: []want{{"p", `metadata.annotations["scheduler.alpha.kubernetes.io/critical-pod"]`, "no longer works since Kubernetes 1.16; use spec.priorityClassName"}}},
	{name: "service topologyKeys", target: "1.22", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  topologyKeys: [\"kubernetes.io/hostname\", \"*\"]\n"},
		want: []want{{"s", "spec.topologyKeys", "field spec.topologyKeys no longer works since Kubernetes 1.22"}}},
	{name: "service topologyKeys before removal", target: "1.21", files: []string{"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  topologyKeys: [\"*\"]\n"}},
	{name: "removed volume plugins in a cronjob", target: "1.31", files: []string{"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n          volumes:\n          - name: g\n            glusterfs: {endpoints: e, path: p}\n          - name: r\n            rbd: {monitors: [m], image: i}\n"},
		want: []want{
			{"backup", "spec.jobTemplate.spec.template.spec.volumes[0].glusterfs", `volume "g" (glusterfs) no longer works since Kubernetes 1.26 (deprecated since 1.25)`},
			{"backup", "spec.jobTemplate.spec.template.spec.volumes[1].rbd", `volume "r" (rbd) no longer works since Kubernetes 1.31`},
		}},
	{name: "gitRepo disabled by default", target: "1.33", files: []string{podWith("web", "", "containers:\n- name: app\nvolumes:\n- name: src\n  gitRepo: {repository: x}")},
		want: []want{{"web", "spec.template.spec.volumes[0].gitRepo", "disabled by default behind the GitRepoVolumeDriver feature gate"}}},
	{name: "csi-migrated plugin is not removed", target: "1.37", files: []string{podWith("web", "", "containers:\n- name: app\nvolumes:\n- name: disk\n  gcePersistentDisk: {pdName: d}")}},
	{name: "node labels are never removed", target: "1.37", files: []string{podWith("web", "", "nodeSelector:\n  beta.kubernetes.io/os: linux\ncontainers:\n- name: app")}},
	{name: "clusterName on any kind", target: "1.25", files: []string{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  clusterName: old\n"},
		want: []want{{"cm", "metadata.clusterName", "field metadata.clusterName no longer works since Kubernetes 1.25"}}},
	{name: "node configSource after dynamic kubelet config was removed", target: "1.24", files: []string{"apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nspec:\n  configSource:\n    configMap: {name: kubelet, namespace: kube-system, kubeletConfigKey: kubelet}\n"},
		want: []want{{"n1", "spec.configSource", "field spec.configSource no longer works since Kubernetes 1.24 (deprecated since 1.22); use the kubelet configuration file on each node instead"}}},
	{name: "value facts are not removals", target: "1.37", files: []string{"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  persistentVolumeReclaimPolicy: Recycle\n  hostPath: {path: /x}\n"}},
}

func TestRemovedField(t *testing.T) {
	if fired, clean := runCases(t, RemovedField, removedFieldCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", RemovedField.ID, fired, clean)
	}
}
