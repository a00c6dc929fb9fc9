package rules

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// LocalStorageState flags state kept on node-local volumes.
var LocalStorageState = &Rule{
	ID:       "local-storage-state",
	Title:    "state kept on node-local storage",
	Severity: model.SeverityWarning,
	Summary:  "A workload keeps state on an emptyDir or hostPath volume, or a PersistentVolume lives on one node's disk, so a node drain loses or strands the data.",
	Doc: `An upgrade drains and often replaces every node. An emptyDir volume is deleted with its pod
when the pod is evicted; a hostPath volume stays on the old node while the pod is rescheduled
elsewhere, and is gone when the node is replaced; a local or hostPath PersistentVolume pins its
pods to one node, so they cannot move at all while it is drained.

The rule reports:
- StatefulSets without volumeClaimTemplates or PersistentVolumeClaim volumes whose main
  containers mount an emptyDir or hostPath volume read-write;
- Deployments, ReplicaSets, ReplicationControllers and Pods without PersistentVolumeClaims that
  mount such a volume as data (a volume name or mount path like data, db, storage, or a path
  under /var/lib/);
- PersistentVolumes of type local or hostPath.

Scratch space (mount paths under /tmp, /run or /dev/shm, memory-backed emptyDirs), read-only
mounts, host system paths (/var/log, /sys, /proc, container runtime sockets) and init containers
are not reported. DaemonSets and Jobs are not checked: node agents use host paths by design and
Jobs do not keep state across runs.`,
	Remediation: "Keep state on a PersistentVolumeClaim backed by network or replicated storage (a volumeClaimTemplate for StatefulSets), or make sure the data can be rebuilt (replicated databases, caches) and document it by suppressing the finding.",
	Tags:        []string{"storage", "drain", "upgrade"},
	Kinds:       []string{"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Pod", "PersistentVolume"},
	Check: func(p *Pass) {
		if p.Object.Kind == "PersistentVolume" {
			checkLocalPV(p)
			return
		}
		checkLocalVolumes(p)
	},
}

func checkLocalPV(p *Pass) {
	if p.Object.Group() != "" {
		return
	}
	for _, typ := range []string{"local", "hostPath"} {
		if v, ok := p.Object.Get("spec." + typ); ok && v != nil {
			p.Report(Diagnostic{Path: "spec." + typ,
				Message: fmt.Sprintf("persistent volume %s keeps its data on one node's disk (spec.%s); pods bound to it cannot move while that node is drained, and the data is lost if the node is replaced during the upgrade", p.Object.Name, typ)})
		}
	}
}

// localVolume is an emptyDir or hostPath volume of a pod template.
type localVolume struct {
	typ, hostPath string
}

func checkLocalVolumes(p *Pass) {
	o := p.Object
	t, ok := servingPodTemplate(o)
	if !ok {
		return
	}
	local := map[string]localVolume{}
	vols, _ := t.Spec["volumes"].([]any)
	for _, it := range vols {
		v, _ := it.(map[string]any)
		name, _ := v["name"].(string)
		switch {
		case v["persistentVolumeClaim"] != nil, v["ephemeral"] != nil:
			return // state has a claim; local volumes are scratch
		case hasKey(v, "emptyDir"):
			ed, _ := v["emptyDir"].(map[string]any)
			if medium, _ := ed["medium"].(string); medium == "Memory" {
				continue
			}
			local[name] = localVolume{typ: "emptyDir"}
		case v["hostPath"] != nil:
			hp, _ := v["hostPath"].(map[string]any)
			path, _ := hp["path"].(string)
			if isSystemHostPath(path) {
				continue
			}
			local[name] = localVolume{typ: "hostPath", hostPath: path}
		}
	}
	if o.Kind == "StatefulSet" {
		if vct, _ := mapAt(o, "spec")["volumeClaimTemplates"].([]any); len(vct) > 0 {
			return
		}
	}
	if len(local) == 0 {
		return
	}
	for _, c := range t.containers() {
		if c.Init {
			continue
		}
		mounts, _ := c.Data["volumeMounts"].([]any)
		for i, it := range mounts {
			m, _ := it.(map[string]any)
			name, _ := m["name"].(string)
			mp, _ := m["mountPath"].(string)
			lv, isLocal := local[name]
			if !isLocal || m["readOnly"] == true || isScratchPath(mp) {
				continue
			}
			if o.Kind != "StatefulSet" && !looksLikeData(name) && !looksLikeData(mp) {
				continue
			}
			what := fmt.Sprintf("%s volume %q mounted at %s", lv.typ, name, mp)
			why := "the data is lost when the pod is evicted during a node drain"
			if lv.typ == "hostPath" {
				what = fmt.Sprintf("hostPath volume %q (%s) mounted at %s", name, lv.hostPath, mp)
				why = "the data stays behind on the old node when the pod is rescheduled during a drain, and is lost when the node is replaced"
			}
			p.Report(Diagnostic{Path: model.JoinIndex(c.Path+".volumeMounts", i), Key: c.Name + "/" + name,
				Message: fmt.Sprintf("%s of %s keeps state in %s; %s", c.Label(), kindName(o), what, why)})
		}
	}
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

var scratchPrefixes = []string{"/tmp", "/var/tmp", "/run", "/var/run", "/dev/shm", "/var/cache"}

func isScratchPath(p string) bool {
	for _, s := range scratchPrefixes {
		if p == s || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return false
}

var systemHostPrefixes = []string{"/sys", "/proc", "/dev", "/etc", "/var/log", "/lib/modules", "/run", "/var/run", "/usr", "/boot",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/cni", "/opt/cni"}

func isSystemHostPath(p string) bool {
	for _, s := range systemHostPrefixes {
		if p == s || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return p == "/"
}

var dataWords = map[string]bool{"data": true, "db": true, "database": true, "storage": true, "pgdata": true, "persistence": true, "persistent": true, "state": true}

// looksLikeData reports whether a volume name or mount path names data.
func looksLikeData(s string) bool {
	if strings.HasPrefix(s, "/var/lib/") {
		return true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		if dataWords[w] {
			return true
		}
	}
	return false
}
