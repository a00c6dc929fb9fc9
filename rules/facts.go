package rules

// Compact facts: what the whole-set rules read of a workload, a
// PodDisruptionBudget or a HorizontalPodAutoscaler, as small structs. Retain
// extracts them once, while the object is whole, and keeps them on a copy
// without Data (model.Compact); a whole object (a non-streaming run, tests)
// computes the same facts on demand, so both paths share one reader and
// give the same findings.

import (
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// resBits says which of the resources the rules ask about are set.
type resBits uint8

const (
	resCPU resBits = 1 << iota
	resMemory
)

func (b resBits) has(name string) bool {
	switch name {
	case "cpu":
		return b&resCPU != 0
	case "memory":
		return b&resMemory != 0
	}
	return false
}

func resourceBits(m map[string]any) resBits {
	var b resBits
	if has(m, "cpu") {
		b |= resCPU
	}
	if has(m, "memory") {
		b |= resMemory
	}
	return b
}

// workloadFacts is what the disruption-budget and resource rules read of
// an object with a pod template.
type workloadFacts struct {
	// template: genericPodTemplate found a pod template; labels are its
	// pod labels.
	template bool
	labels   labels.Set
	// builtin: a built-in kind whose pod template we understand.
	builtin  bool
	helmTest bool
	// replicas as the workload index reads them; replicasSet: the
	// spec.replicas key exists (even null).
	replicas    int
	replicasOK  bool
	replicasSet bool
	// pod is the pod spec of a built-in workload (podTemplateOf), nil
	// when there is none.
	pod *podFacts
}

// podFacts is what the resource rules read of a pod spec.
type podFacts struct {
	specPath       string
	podReq, podLim resBits
	containers     []containerFacts
}

// containerFacts is one container, as podTemplate.containers lists it.
type containerFacts struct {
	name  string
	index int
	init  bool
	// res: resources is a mapping; reqMap, limMap: requests and limits
	// are mappings; req, lim: what they set.
	res, reqMap, limMap bool
	req, lim            resBits
}

// container returns the container as the podtemplate helpers name it.
func (c containerFacts) container(specPath string) container {
	key := "containers"
	if c.init {
		key = "initContainers"
	}
	return container{Name: c.name, Path: model.JoinIndex(specPath+"."+key, c.index), Init: c.init}
}

// resources mirrors resourcesOf: the paths findings land on.
func (c containerFacts) resources(specPath string) (path, base string) {
	p := c.container(specPath).Path
	base = p + ".resources"
	if c.res {
		return base, base
	}
	return p, base
}

func newWorkloadFacts(o *model.Object) *workloadFacts {
	f := &workloadFacts{builtin: isWorkloadKind(o), helmTest: isHelmTestHook(o)}
	if t, ok := genericPodTemplate(o); ok {
		f.template = true
		f.labels = t.Labels()
	}
	v, set := o.Get("spec.replicas")
	f.replicasSet = set
	switch {
	case f.builtin && o.Kind == "Pod":
		f.replicas, f.replicasOK = 1, true
	case f.builtin && (o.Kind == "Deployment" || o.Kind == "StatefulSet" || o.Kind == "ReplicaSet" || o.Kind == "ReplicationController"):
		if set && v != nil {
			f.replicas, f.replicasOK = intValue(v)
		} else {
			f.replicas, f.replicasOK = 1, true
		}
	}
	if t, ok := podTemplateOf(o); ok {
		pf := &podFacts{specPath: t.SpecPath}
		req, lim := t.podLevel()
		pf.podReq, pf.podLim = resourceBits(req), resourceBits(lim)
		for _, c := range t.containers() {
			r := resourcesOf(c)
			cf := containerFacts{name: c.Name, init: c.Init, res: r.Path == r.Base, reqMap: r.Requests != nil, limMap: r.Limits != nil,
				req: resourceBits(r.Requests), lim: resourceBits(r.Limits)}
			cf.index = c.Index
			pf.containers = append(pf.containers, cf)
		}
		if len(pf.containers) > 0 {
			pf.containers = append([]containerFacts(nil), pf.containers...) // no spare capacity
		}
		f.pod = pf
	}
	return f
}

// workloadFactsOf returns o's workload facts: kept ones, or computed from
// its data.
func workloadFactsOf(o *model.Object) *workloadFacts {
	if f, ok := o.Facts.(*workloadFacts); ok {
		return f
	}
	return newWorkloadFacts(o)
}

// servingPod is servingPodTemplate for the resource rules: the pod spec of
// a built-in workload that is not a Helm test hook, or nil.
func servingPod(o *model.Object) *podFacts {
	f := workloadFactsOf(o)
	if f.helmTest {
		return nil
	}
	return f.pod
}

// pdbFacts is what the disruption-budget rules read of a budget.
type pdbFacts struct {
	selector    labels.Selector // nil when the selector is invalid
	selectsNone bool
	pairs       []string
	index       []labelReq
	// maxUnavailable and minAvailable when set and readable.
	maxUnavailable, minAvailable     intOrPercent
	maxUnavailableOK, minAvailableOK bool
}

func newPDBFacts(o *model.Object) *pdbFacts {
	f := &pdbFacts{}
	raw, set := o.Get("spec.selector")
	if !set {
		raw = nil
	}
	if o.Version() == "v1beta1" && isEmptySelector(raw) {
		// policy/v1beta1 treated an empty selector as matching nothing;
		// policy/v1 matches every pod of the namespace.
		raw = nil
	}
	f.selectsNone = raw == nil
	if sel, err := labelSelector(raw); err == nil {
		f.selector = sel
	}
	f.pairs = matchLabelPairs(raw)
	f.index = indexReqs(raw)
	if v, set := o.Get("spec.maxUnavailable"); set && v != nil {
		f.maxUnavailable, f.maxUnavailableOK = parseIntOrPercent(v)
	}
	if v, set := o.Get("spec.minAvailable"); set && v != nil {
		f.minAvailable, f.minAvailableOK = parseIntOrPercent(v)
	}
	return f
}

func pdbFactsOf(o *model.Object) *pdbFacts {
	if f, ok := o.Facts.(*pdbFacts); ok {
		return f
	}
	return newPDBFacts(o)
}

// hpaFacts is what the workload index reads of an autoscaler.
type hpaFacts struct {
	kind, name string // spec.scaleTargetRef
	min        int    // spec.minReplicas, 1 when unset
	minOK      bool
}

func newHPAFacts(o *model.Object) *hpaFacts {
	f := &hpaFacts{min: 1, minOK: true}
	f.kind, _ = stringAt(o, "spec.scaleTargetRef.kind")
	f.name, _ = stringAt(o, "spec.scaleTargetRef.name")
	if v, set := o.Get("spec.minReplicas"); set && v != nil {
		f.min, f.minOK = intValue(v)
	}
	return f
}

func hpaFactsOf(o *model.Object) *hpaFacts {
	if f, ok := o.Facts.(*hpaFacts); ok {
		return f
	}
	return newHPAFacts(o)
}
