package rules

// The workload index is built once per scan (Pass.Shared) and shared by the
// PodDisruptionBudget rules. Matching is near-linear: PDBs are grouped by
// namespace and, inside a namespace, by one of their matchLabels pairs, so a
// workload only tests the PDBs that could possibly select it.

import (
	"sort"
	"strconv"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

const sharedWorkloads = "workloads"

// workload is an object that creates pods.
type workload struct {
	Obj    *model.Object
	NS     string
	Labels labels.Set
	// Builtin is true for kinds whose pod template we understand; custom
	// kinds only help pdb-no-match avoid false claims.
	Builtin bool
	// Replicas is spec.replicas (unset = 1) for scalable kinds; ReplicasOK is
	// false when the value could not be read (template text) or the kind
	// has no fixed count (DaemonSet, Job, custom kinds).
	Replicas   int
	ReplicasOK bool
	// HPA is the autoscaler targeting the workload and its minReplicas
	// (default 1); HPAMinOK is false when minReplicas could not be read.
	HPA      *model.Object
	HPAMin   int
	HPAMinOK bool
	// PDBs selecting the workload's pods.
	PDBs []*pdbInfo
}

// scalable reports whether the kind keeps a replica count that a drain
// can take down together (the kinds missing-pdb looks at).
func (w *workload) scalable() bool {
	switch w.Obj.Kind {
	case "Deployment", "StatefulSet", "ReplicaSet":
		return w.Builtin
	}
	return false
}

// minReplicas is the smallest pod count the workload runs with: the HPA's
// minReplicas when an autoscaler owns the scale, else spec.replicas.
func (w *workload) minReplicas() (int, bool) {
	if w.HPA != nil {
		return w.HPAMin, w.HPAMinOK
	}
	return w.Replicas, w.ReplicasOK
}

// describe names the workload and its replica count for messages.
func (w *workload) describe() string {
	n, ok := w.minReplicas()
	switch {
	case !ok:
		return kindName(w.Obj)
	case w.HPA != nil:
		return kindName(w.Obj) + " (" + plural(n, "replica") + " at the minimum of HorizontalPodAutoscaler " + w.HPA.Name + ")"
	}
	return kindName(w.Obj) + " (" + plural(n, "replica") + ")"
}

// pdbInfo is a PodDisruptionBudget and the workloads it selects.
type pdbInfo struct {
	Obj      *model.Object
	NS       string
	Selector labels.Selector // nil when the selector is invalid
	// SelectsNone is true for a missing (null) selector.
	SelectsNone bool
	// Pairs are the sorted matchLabels pairs; the first one indexes the PDB.
	Pairs     []string
	Workloads []*workload
}

type workloadIndex struct {
	Workloads []*workload
	PDBs      []*pdbInfo
	// byLabel lists workloads by "key=value" pod label across namespaces,
	// for hints about PDBs that would match in another namespace.
	byLabel map[string][]*workload
}

// workloadsOf returns the scan's workload index, building it on first use.
func workloadsOf(p *Pass) *workloadIndex {
	return p.Shared(sharedWorkloads, func() any { return buildWorkloadIndex(p.Objects) }).(*workloadIndex)
}

func buildWorkloadIndex(objs []*model.Object) *workloadIndex {
	idx := &workloadIndex{byLabel: map[string][]*workload{}}
	type key struct{ ns, kind, name string }
	byKey := map[key]*workload{}
	var hpas []*model.Object
	for _, o := range objs {
		switch {
		case o.Kind == "PodDisruptionBudget" && o.Group() == "policy":
			idx.PDBs = append(idx.PDBs, newPDBInfo(o))
			continue
		case o.Kind == "HorizontalPodAutoscaler" && o.Group() == "autoscaling":
			hpas = append(hpas, o)
			continue
		case o.Kind == "PodTemplate":
			continue // templates create no pods by themselves
		}
		t, ok := genericPodTemplate(o)
		if !ok {
			continue
		}
		w := &workload{Obj: o, NS: o.EffectiveNamespace(), Labels: t.Labels(), Builtin: isWorkloadKind(o)}
		switch {
		case w.Builtin && o.Kind == "Pod":
			w.Replicas, w.ReplicasOK = 1, true
		case w.Builtin && (o.Kind == "Deployment" || o.Kind == "StatefulSet" || o.Kind == "ReplicaSet" || o.Kind == "ReplicationController"):
			if v, set := o.Get("spec.replicas"); set && v != nil {
				w.Replicas, w.ReplicasOK = intValue(v)
			} else {
				w.Replicas, w.ReplicasOK = 1, true
			}
		}
		idx.Workloads = append(idx.Workloads, w)
		for k, v := range w.Labels {
			idx.byLabel[k+"="+v] = append(idx.byLabel[k+"="+v], w)
		}
		byKey[key{w.NS, o.Kind, o.Name}] = w
	}
	for _, h := range hpas {
		kind, _ := stringAt(h, "spec.scaleTargetRef.kind")
		name, _ := stringAt(h, "spec.scaleTargetRef.name")
		w := byKey[key{h.EffectiveNamespace(), kind, name}]
		if w == nil || w.HPA != nil {
			continue
		}
		w.HPA = h
		w.HPAMin, w.HPAMinOK = 1, true
		if v, set := h.Get("spec.minReplicas"); set && v != nil {
			w.HPAMin, w.HPAMinOK = intValue(v)
		}
	}
	idx.match()
	return idx
}

func newPDBInfo(o *model.Object) *pdbInfo {
	pi := &pdbInfo{Obj: o, NS: o.EffectiveNamespace()}
	raw, set := o.Get("spec.selector")
	if !set {
		raw = nil
	}
	if o.Version() == "v1beta1" && isEmptySelector(raw) {
		// policy/v1beta1 treated an empty selector as matching nothing;
		// policy/v1 matches every pod of the namespace.
		raw = nil
	}
	pi.SelectsNone = raw == nil
	sel, err := labelSelector(raw)
	if err == nil {
		pi.Selector = sel
	}
	pi.Pairs = matchLabelPairs(raw)
	return pi
}

func isEmptySelector(v any) bool {
	m, _ := v.(map[string]any)
	ml, _ := m["matchLabels"].(map[string]any)
	me, _ := m["matchExpressions"].([]any)
	return m != nil && len(ml) == 0 && len(me) == 0
}

// match fills pdbInfo.Workloads and workload.PDBs.
func (idx *workloadIndex) match() {
	// Per namespace: PDBs indexed by their first matchLabels pair; PDBs
	// without matchLabels are tested against every workload of the namespace.
	type nsIndex struct {
		byPair map[string][]*pdbInfo
		scan   []*pdbInfo
	}
	nss := map[string]*nsIndex{}
	for _, pi := range idx.PDBs {
		if pi.Selector == nil || pi.SelectsNone {
			continue
		}
		ni := nss[pi.NS]
		if ni == nil {
			ni = &nsIndex{byPair: map[string][]*pdbInfo{}}
			nss[pi.NS] = ni
		}
		if len(pi.Pairs) > 0 {
			ni.byPair[pi.Pairs[0]] = append(ni.byPair[pi.Pairs[0]], pi)
		} else {
			ni.scan = append(ni.scan, pi)
		}
	}
	for _, w := range idx.Workloads {
		ni := nss[w.NS]
		if ni == nil {
			continue
		}
		try := func(pi *pdbInfo) {
			if pi.Selector.Matches(w.Labels) {
				w.PDBs = append(w.PDBs, pi)
				pi.Workloads = append(pi.Workloads, w)
			}
		}
		for k, v := range w.Labels {
			for _, pi := range ni.byPair[k+"="+v] {
				try(pi)
			}
		}
		for _, pi := range ni.scan {
			try(pi)
		}
	}
	// Map iteration above is unordered: restore the scan order.
	for _, pi := range idx.PDBs {
		sort.SliceStable(pi.Workloads, func(i, j int) bool { return objLess(pi.Workloads[i].Obj, pi.Workloads[j].Obj) })
	}
	for _, w := range idx.Workloads {
		sort.SliceStable(w.PDBs, func(i, j int) bool { return objLess(w.PDBs[i].Obj, w.PDBs[j].Obj) })
	}
}

func objLess(a, b *model.Object) bool {
	if a.Source.File != b.Source.File {
		return a.Source.File < b.Source.File
	}
	if a.Source.Doc != b.Source.Doc {
		return a.Source.Doc < b.Source.Doc
	}
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	return a.Name < b.Name
}

// stringAt returns the string at path.
func stringAt(o *model.Object, path string) (string, bool) {
	v, ok := o.Get(path)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// elsewhere returns workloads outside the PDB's namespace whose pods its
// selector would match (at most a few, in scan order).
func (idx *workloadIndex) elsewhere(pi *pdbInfo) []*workload {
	if pi.Selector == nil || len(pi.Pairs) == 0 {
		return nil
	}
	var out []*workload
	for _, w := range idx.byLabel[pi.Pairs[0]] {
		if w.NS != pi.NS && pi.Selector.Matches(w.Labels) {
			out = append(out, w)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return objLess(out[i].Obj, out[j].Obj) })
	return out
}
