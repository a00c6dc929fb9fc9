package rules

// Compact facts: what the whole-set rules read of a workload, a
// PodDisruptionBudget or a HorizontalPodAutoscaler, as small structs. Retain
// extracts them once, while the object is whole, and keeps them on a copy
// without Data (model.Compact); a whole object (a non-streaming run, tests)
// computes the same facts on demand, so both paths share one reader and
// give the same findings.

import (
	"sort"
	"unique"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// filePos is where a finding at one field path lands (Object.FilePosOf),
// resolved while the object is whole: compact copies keep no positions.
type filePos struct {
	file      string
	line, col int
}

func posOf(o *model.Object, path string) filePos {
	f, l, c := o.FilePosOf(path)
	return filePos{f, l, c}
}

// report reports d about o at path, placed at pos.
func (pos filePos) report(p *Pass, o *model.Object, d Diagnostic) {
	d.Object, d.File, d.Line, d.Column = o, pos.file, pos.line, pos.col
	p.Report(d)
}

// podLabels is a small label set sorted by key, with keys and values
// interned (the same few labels repeat across a repository's workloads):
// a Go map per workload was a large share of a big scan's kept facts.
type podLabels []string // key, value, key, value, ...

func newPodLabels(m map[string]string) podLabels {
	if len(m) == 0 {
		return nil
	}
	out := make(podLabels, 0, 2*len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, unique.Make(k).Value(), unique.Make(m[k]).Value())
	}
	return out
}

func (l podLabels) find(key string) int {
	i := sort.Search(len(l)/2, func(i int) bool { return l[2*i] >= key })
	if i < len(l)/2 && l[2*i] == key {
		return 2 * i
	}
	return -1
}

// Has, Get and Lookup make podLabels a labels.Labels for selectors.
func (l podLabels) Has(key string) bool { return l.find(key) >= 0 }

func (l podLabels) Get(key string) string {
	v, _ := l.Lookup(key)
	return v
}

func (l podLabels) Lookup(key string) (string, bool) {
	if i := l.find(key); i >= 0 {
		return l[i+1], true
	}
	return "", false
}

// each calls fn for every label in key order.
func (l podLabels) each(fn func(k, v string)) {
	for i := 0; i+1 < len(l); i += 2 {
		fn(l[i], l[i+1])
	}
}

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
	labels   podLabels
	// builtin: a built-in kind whose pod template we understand.
	builtin  bool
	helmTest bool
	// replicas as the workload index reads them; replicasSet: the
	// spec.replicas key exists (even null).
	replicas    int
	replicasOK  bool
	replicasSet bool
	// pdbPos is where missing-pdb reports: spec.replicas when set, else
	// the pod template labels.
	pdbPos filePos
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
	// reqPos and limPos are where missing-requests and
	// missing-memory-limit report (reqPath, limPath).
	reqPos, limPos filePos
}

// label names the container in messages.
func (c containerFacts) label() string { return container{Name: c.name, Init: c.init}.Label() }

// paths mirror resourcesOf: the container, its resources, and the
// requests and limits in it, whichever exist.
func (c containerFacts) path(specPath string) string {
	key := "containers"
	if c.init {
		key = "initContainers"
	}
	return model.JoinIndex(specPath+"."+key, c.index)
}

func (c containerFacts) reqPath(specPath string) string {
	switch p := c.path(specPath); {
	case c.reqMap:
		return p + ".resources.requests"
	case c.res:
		return p + ".resources"
	default:
		return p
	}
}

func (c containerFacts) limPath(specPath string) string {
	switch p := c.path(specPath); {
	case c.limMap:
		return p + ".resources.limits"
	case c.res:
		return p + ".resources"
	default:
		return p
	}
}

func newWorkloadFacts(o *model.Object) *workloadFacts {
	f := &workloadFacts{builtin: isWorkloadKind(o), helmTest: isHelmTestHook(o)}
	if t, ok := genericPodTemplate(o); ok {
		f.template = true
		f.labels = newPodLabels(t.Labels())
	}
	v, set := o.Get("spec.replicas")
	f.replicasSet = set
	if set {
		f.pdbPos = posOf(o, "spec.replicas")
	} else {
		f.pdbPos = posOf(o, "spec.template.metadata.labels")
	}
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
		pf := &podFacts{specPath: unique.Make(t.SpecPath).Value()}
		req, lim := t.podLevel()
		pf.podReq, pf.podLim = resourceBits(req), resourceBits(lim)
		for _, c := range t.containers() {
			r := resourcesOf(c)
			cf := containerFacts{name: c.Name, init: c.Init, res: r.Path == r.Base, reqMap: r.Requests != nil, limMap: r.Limits != nil,
				req: resourceBits(r.Requests), lim: resourceBits(r.Limits), index: c.Index}
			cf.reqPos, cf.limPos = posOf(o, cf.reqPath(pf.specPath)), posOf(o, cf.limPath(pf.specPath))
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
	// Positions of spec, spec.selector, spec.maxUnavailable and
	// spec.minAvailable.
	specPos, selectorPos, maxPos, minPos filePos
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
	f.specPos, f.selectorPos = posOf(o, "spec"), posOf(o, "spec.selector")
	f.maxPos, f.minPos = posOf(o, "spec.maxUnavailable"), posOf(o, "spec.minAvailable")
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
