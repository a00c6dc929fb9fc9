package rules

// The workload index is built once per scan (Pass.Shared) and shared by the
// PodDisruptionBudget rules. Matching is near-linear: PDBs are grouped by
// namespace and, inside a namespace, by one of their matchLabels pairs, so a
// workload only tests the PDBs that could possibly select it.

import (
	"sort"
	"strconv"
	"sync"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

const sharedWorkloads = "workloads"

// workload is an object that creates pods.
type workload struct {
	Obj    *model.Object
	NS     string
	Labels podLabels
	Facts  *workloadFacts
	// Builtin is true for kinds whose pod template we understand; custom
	// kinds only help pdb-no-match avoid false claims.
	Builtin bool
	// Replicas is spec.replicas (unset = 1) for scalable kinds; ReplicasOK is
	// false when the value could not be read (template text) or the kind
	// has no fixed count (DaemonSet, Job, custom kinds).
	Replicas   int
	ReplicasOK bool
	// ReplicasSet: the spec.replicas key exists.
	ReplicasSet bool
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
	Facts    *pdbFacts
	NS       string
	Selector labels.Selector // nil when the selector is invalid
	// SelectsNone is true for a missing (null) selector.
	SelectsNone bool
	// Pairs are the sorted matchLabels pairs.
	Pairs []string
	// Index places the PDB in the per-namespace index: a workload can only
	// match if it carries one of these labels. Empty means test every
	// workload of the namespace.
	Index     []labelReq
	Workloads []*workload
}

type workloadIndex struct {
	Workloads []*workload
	PDBs      []*pdbInfo
	// byLabel lists workloads by pod label across namespaces, for hints
	// about PDBs that would match in another namespace; built on first use.
	byLabelOnce sync.Once
	byLabel     map[string]map[string][]*workload
}

// labelReq is one indexable requirement: label key=value, or key present.
type labelReq struct {
	key, value string
	exists     bool
}

// workloadsOf returns the scan's workload index, building it on first use.
func workloadsOf(p *Pass) *workloadIndex {
	return p.Shared(sharedWorkloads, func() any { return buildWorkloadIndex(p.Objects) }).(*workloadIndex)
}

func buildWorkloadIndex(objs []*model.Object) *workloadIndex {
	idx := &workloadIndex{}
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
		f := workloadFactsOf(o)
		if f.helmTest || !f.template {
			continue // a test hook runs once on helm test, never drained
		}
		w := &workload{Obj: o, NS: o.EffectiveNamespace(), Labels: f.labels, Facts: f, Builtin: f.builtin, Replicas: f.replicas, ReplicasOK: f.replicasOK, ReplicasSet: f.replicasSet}
		idx.Workloads = append(idx.Workloads, w)
		byKey[key{w.NS, o.Kind, o.Name}] = w
	}
	for _, h := range hpas {
		f := hpaFactsOf(h)
		w := byKey[key{h.EffectiveNamespace(), f.kind, f.name}]
		if w == nil || w.HPA != nil {
			continue
		}
		w.HPA = h
		w.HPAMin, w.HPAMinOK = f.min, f.minOK
	}
	idx.match()
	return idx
}

func newPDBInfo(o *model.Object) *pdbInfo {
	f := pdbFactsOf(o)
	return &pdbInfo{Obj: o, NS: o.EffectiveNamespace(), Facts: f, Selector: f.selector, SelectsNone: f.selectsNone, Pairs: f.pairs, Index: f.index}
}

// indexReqs picks the narrowest requirement every selected pod must meet:
// the first matchLabels pair, else the values of one In expression, else the
// key of one Exists expression. NotIn and DoesNotExist alone cannot be
// indexed.
func indexReqs(raw any) []labelReq {
	m, _ := raw.(map[string]any)
	if ml := stringMap(m["matchLabels"]); len(ml) > 0 {
		k := sortedKeys(ml)[0]
		return []labelReq{{key: k, value: ml[k]}}
	}
	exprs, _ := m["matchExpressions"].([]any)
	var exists []labelReq
	for _, it := range exprs {
		e, _ := it.(map[string]any)
		key, _ := e["key"].(string)
		switch op, _ := e["operator"].(string); op {
		case "In":
			vals, _ := e["values"].([]any)
			reqs := make([]labelReq, 0, len(vals))
			for _, v := range vals {
				if s, ok := str(v); ok {
					reqs = append(reqs, labelReq{key: key, value: s})
				}
			}
			return reqs
		case "Exists":
			if exists == nil {
				exists = []labelReq{{key: key, exists: true}}
			}
		}
	}
	return exists
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
		byLabel map[string]map[string][]*pdbInfo // key -> value -> PDBs
		byKey   map[string][]*pdbInfo            // Exists key -> PDBs
		scan    []*pdbInfo
	}
	nss := map[string]*nsIndex{}
	for _, pi := range idx.PDBs {
		if pi.Selector == nil || pi.SelectsNone {
			continue
		}
		ni := nss[pi.NS]
		if ni == nil {
			ni = &nsIndex{byLabel: map[string]map[string][]*pdbInfo{}, byKey: map[string][]*pdbInfo{}}
			nss[pi.NS] = ni
		}
		if len(pi.Index) == 0 {
			ni.scan = append(ni.scan, pi)
		}
		for _, r := range pi.Index {
			if r.exists {
				ni.byKey[r.key] = append(ni.byKey[r.key], pi)
				continue
			}
			if ni.byLabel[r.key] == nil {
				ni.byLabel[r.key] = map[string][]*pdbInfo{}
			}
			ni.byLabel[r.key][r.value] = append(ni.byLabel[r.key][r.value], pi)
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
		// A PDB sits under one requirement (one pair, one In expression's
		// values, or one Exists key), so it is tried at most once here.
		w.Labels.each(func(k, v string) {
			for _, pi := range ni.byLabel[k][v] {
				try(pi)
			}
			for _, pi := range ni.byKey[k] {
				try(pi)
			}
		})
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
	if pi.Selector == nil || len(pi.Index) != 1 || pi.Index[0].exists {
		return nil
	}
	idx.byLabelOnce.Do(func() {
		idx.byLabel = map[string]map[string][]*workload{}
		for _, w := range idx.Workloads {
			w.Labels.each(func(k, v string) {
				if idx.byLabel[k] == nil {
					idx.byLabel[k] = map[string][]*workload{}
				}
				idx.byLabel[k][v] = append(idx.byLabel[k][v], w)
			})
		}
	})
	var out []*workload
	for _, w := range idx.byLabel[pi.Index[0].key][pi.Index[0].value] {
		if w.NS != pi.NS && pi.Selector.Matches(w.Labels) {
			out = append(out, w)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return objLess(out[i].Obj, out[j].Obj) })
	return out
}
