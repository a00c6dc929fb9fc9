// Package workload knows where each built-in workload kind keeps its pod
// template, for the rules and for addon detection alike.
package workload

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// templatePaths maps built-in kinds to the path of their pod template (""
// for a Pod, which is its own template).
var templatePaths = map[string]string{
	"Deployment":            "spec.template",
	"StatefulSet":           "spec.template",
	"DaemonSet":             "spec.template",
	"ReplicaSet":            "spec.template",
	"ReplicationController": "spec.template",
	"Job":                   "spec.template",
	"CronJob":               "spec.jobTemplate.spec.template",
	"PodTemplate":           "template",
	"Pod":                   "",
}

// paths are the metadata and spec paths of templatePaths, joined once:
// Template runs for every object in several rules.
var paths = func() map[string][2]string {
	out := map[string][2]string{}
	for kind, base := range templatePaths {
		if base == "" {
			out[kind] = [2]string{"metadata", "spec"}
			continue
		}
		out[kind] = [2]string{base + ".metadata", base + ".spec"}
	}
	return out
}()

// builtinGroups are the API groups whose kinds templatePaths describes; a
// CRD that reuses a kind name elsewhere is not a workload.
var builtinGroups = map[string]bool{"": true, "apps": true, "extensions": true, "batch": true}

// Template says where o's pod template is: the paths of its metadata and
// of its pod spec. ok is false for objects that are not built-in workloads.
// A PodTemplate has a template but runs no pods (CreatesPods false).
func Template(o *model.Object) (metaPath, specPath string, createsPods, ok bool) {
	p, ok := paths[o.Kind]
	if !ok || !builtinGroups[o.Group()] {
		return "", "", false, false
	}
	return p[0], p[1], o.Kind != "PodTemplate", true
}

// Kinds lists the built-in kinds that run pods, sorted.
func Kinds() []string {
	return []string{"CronJob", "DaemonSet", "Deployment", "Job", "Pod", "ReplicaSet", "ReplicationController", "StatefulSet"}
}
