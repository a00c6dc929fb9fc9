package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// What the rules that need the whole object set (Global and Scanwide) read,
// so a streaming scan can keep a compact copy of each object they look at
// and release the rest. A rule that reads more must say so here; the
// golden and corpus tests compare streaming with whole-set results.
var (
	// metaKeep: names and labels (addon identity labels, pod selection);
	// annotations are read before objects are released (suppressions).
	metaKeep = model.Keep{"apiVersion": nil, "kind": nil, "metadata": model.Keep{"name": nil, "namespace": nil, "labels": nil,
		// Helm test hooks are left out of the resource and drain rules.
		"annotations": model.Keep{"helm.sh/hook": nil}}}
	// containerKeep is what is read of a container: its name and kind
	// (restartable init containers), image and resources.
	containerKeep = model.Keep{"name": nil, "image": nil, "resources": nil, "restartPolicy": nil}
	// podKeep is what is read of a pod spec.
	podKeep      = model.Keep{"containers": containerKeep, "initContainers": containerKeep, "ephemeralContainers": containerKeep, "resources": nil, "volumes": nil}
	templateKeep = model.Keep{"metadata": model.Keep{"labels": nil}, "spec": podKeep}
	workloadKeep = model.Keep{
		"apiVersion": nil, "kind": nil, "metadata": metaKeep["metadata"],
		"spec": model.Keep{
			"replicas": nil, "selector": nil, "template": templateKeep, "volumeClaimTemplates": nil,
			"jobTemplate": model.Keep{"spec": model.Keep{"template": templateKeep}},
			// A Pod's own spec.
			"containers": containerKeep, "initContainers": containerKeep, "ephemeralContainers": containerKeep, "resources": nil, "volumes": nil,
		},
	}
	specKeep = model.Keep{"apiVersion": nil, "kind": nil, "metadata": metaKeep["metadata"], "spec": nil}
	hpaKeep  = model.Keep{"apiVersion": nil, "kind": nil, "metadata": metaKeep["metadata"], "spec": model.Keep{"scaleTargetRef": nil, "minReplicas": nil}}
	crdKeep  = model.Keep{"apiVersion": nil, "kind": nil, "metadata": metaKeep["metadata"], "spec": model.Keep{"group": nil, "names": nil}}
)

// Retain returns the compact copy of o that the whole-set rules need, or nil
// when none of them looks at it. m is the scan's addon matrix (nil: the
// embedded one).
func Retain(o *model.Object, m *addons.Matrix) *model.Object {
	if m == nil {
		m = addons.Default()
	}
	// Budgets, autoscalers and workloads are most of what a large
	// repository keeps: they become facts, unless an addon rule reads
	// their labels or images or the backup rule their volumes (those keep
	// a pruned copy of their data).
	switch {
	case o.Kind == "PodDisruptionBudget" && o.Group() == "policy":
		if m.HasEvidence(o) {
			return model.Prune(o, specKeep)
		}
		return model.Compact(o, newPDBFacts(o))
	case o.Kind == "LimitRange" && o.Group() == "":
		return model.Prune(o, specKeep)
	case o.Kind == "HorizontalPodAutoscaler" && o.Group() == "autoscaling":
		if m.HasEvidence(o) {
			return model.Prune(o, hpaKeep)
		}
		return model.Compact(o, newHPAFacts(o))
	case o.Kind == "CustomResourceDefinition" && o.Group() == "apiextensions.k8s.io":
		return model.Prune(o, crdKeep)
	case o.Kind == "Schedule" && o.Group() == "velero.io",
		// Addon declarations (pkg/addons/declare.go) carry versions in spec.
		o.Kind == "HelmRelease" && o.Group() == "helm.toolkit.fluxcd.io",
		(o.Kind == "OCIRepository" || o.Kind == "HelmChart") && o.Group() == "source.toolkit.fluxcd.io",
		(o.Kind == "Application" || o.Kind == "ApplicationSet") && o.Group() == "argoproj.io":
		return model.Prune(o, specKeep)
	case (o.Kind == "PersistentVolumeClaim" || o.Kind == "Namespace") && o.Group() == "":
		// backup-coverage: persistent data and namespace labels.
		return model.Prune(o, metaKeep)
	}
	if _, ok := genericPodTemplate(o); ok {
		if m.HasEvidence(o) || len(persistentData(o)) > 0 {
			return model.Prune(o, workloadKeep)
		}
		return model.Compact(o, newWorkloadFacts(o))
	}
	if m.HasEvidence(o) {
		return model.Prune(o, metaKeep)
	}
	return nil
}
