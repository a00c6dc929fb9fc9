package rules

// Facts about deprecated and removed fields, labels, annotations and volume
// plugins live in data/fields.yaml; this file loads them and finds where an
// object uses them. The deprecated-field and removed-field rules only decide
// which uses matter at the target.

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Inputs.FieldFacts holds extra FieldFacts that the scan adds to the
// embedded ones. It is the hook for the fields the OpenAPI documents
// mark deprecated (pkg/schema's field_deprecations.json): the scan converts
// each property it can place into a FieldFact — What "field" with Kinds and
// a path from the object root (Service spec.loadBalancerIP), or What
// "pod-field" with a path relative to every pod spec (serviceAccount,
// containers[*].someField) — with Deprecated set to the first minor whose
// schema says so, and Source naming the schema.
// Kinds of FieldFact.What.
const (
	FactNodeLabel           = "node-label"
	FactPodAnnotation       = "pod-annotation"
	FactPodAnnotationPrefix = "pod-annotation-prefix"
	FactAnnotation          = "annotation"
	FactField               = "field"
	FactPodField            = "pod-field"
	FactVolumePlugin        = "volume-plugin"
)

// FieldFact is one deprecated or removed thing (see data/fields.yaml).
type FieldFact struct {
	What string `yaml:"what"`
	Key  string `yaml:"key"`
	// Value restricts a field fact to one value of the field (Service
	// spec.trafficDistribution PreferClose); empty means any value.
	Value       string   `yaml:"value,omitempty"`
	Kinds       []string `yaml:"kinds,omitempty"`
	Deprecated  string   `yaml:"deprecated,omitempty"`
	Removed     string   `yaml:"removed,omitempty"`
	Replacement string   `yaml:"replacement,omitempty"`
	CSIDriver   string   `yaml:"csiDriver,omitempty"`
	Note        string   `yaml:"note,omitempty"`
	Source      string   `yaml:"source"`
	// DeprecatedBy marks Deprecated as an upper bound: the fact was already
	// deprecated in the oldest release the source covers.
	DeprecatedBy bool `yaml:"deprecatedBy,omitempty"`

	deprecated, removed kubeversion.Version
	// segs is Key as a field path, parsed once (field and pod field
	// facts are walked on every object).
	segs []model.PathSegment
}

// DeprecatedIn and RemovedIn are the parsed versions (zero when unset).
func (f *FieldFact) DeprecatedIn() kubeversion.Version { return f.deprecated }
func (f *FieldFact) RemovedIn() kubeversion.Version    { return f.removed }

// prepare parses and checks the fact.
func (f *FieldFact) prepare() error {
	switch f.What {
	case FactNodeLabel, FactPodAnnotation, FactPodAnnotationPrefix, FactVolumePlugin, FactPodField:
	case FactAnnotation, FactField:
		if len(f.Kinds) == 0 {
			return fmt.Errorf("%s %q: kinds is required", f.What, f.Key)
		}
	default:
		return fmt.Errorf("%q: unknown what %q", f.Key, f.What)
	}
	if f.Key == "" || f.Source == "" {
		return fmt.Errorf("%s %q: key and source are required", f.What, f.Key)
	}
	if f.Value != "" && f.What != FactField && f.What != FactPodField {
		return fmt.Errorf("%s %q: value applies to field facts only", f.What, f.Key)
	}
	f.segs = model.ParsePath(f.Key)
	var err error
	if f.Deprecated != "" {
		if f.deprecated, err = kubeversion.Parse(f.Deprecated); err != nil {
			return fmt.Errorf("%s %q: %w", f.What, f.Key, err)
		}
	}
	if f.Removed != "" {
		if f.removed, err = kubeversion.Parse(f.Removed); err != nil {
			return fmt.Errorf("%s %q: %w", f.What, f.Key, err)
		}
	}
	switch {
	case f.deprecated.IsZero() && f.removed.IsZero():
		return fmt.Errorf("%s %q: deprecated or removed is required", f.What, f.Key)
	case !f.deprecated.IsZero() && !f.removed.IsZero() && !f.deprecated.Less(f.removed):
		return fmt.Errorf("%s %q: deprecated %s is not before removed %s", f.What, f.Key, f.Deprecated, f.Removed)
	}
	return nil
}

//go:embed data/fields.yaml
var fieldsYAML []byte

// embeddedFacts parses data/fields.yaml once.
var embeddedFacts = sync.OnceValues(func() ([]FieldFact, error) { return parseFieldFacts(fieldsYAML) })

func parseFieldFacts(b []byte) ([]FieldFact, error) {
	var doc struct {
		Entries []FieldFact `yaml:"entries"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("rules/data/fields.yaml: %w", err)
	}
	for i := range doc.Entries {
		if err := doc.Entries[i].prepare(); err != nil {
			return nil, fmt.Errorf("rules/data/fields.yaml: %w", err)
		}
	}
	return doc.Entries, nil
}

// factSet indexes facts for lookups while walking an object.
type factSet struct {
	nodeLabels  map[string]*FieldFact
	podAnn      map[string]*FieldFact
	podPrefixes []*FieldFact
	annotations map[string][]*FieldFact // by key
	fields      []*FieldFact
	podFields   []*FieldFact
	volumes     map[string]*FieldFact
	// volumeKeys are the volume plugin names in sorted order.
	volumeKeys []string
}

const sharedFieldFacts = "field-facts"

// factsOf returns the embedded facts plus Inputs.FieldFacts, built once per
// scan. Invalid extra facts are skipped.
func factsOf(p *Pass) *factSet {
	return p.Shared(sharedFieldFacts, func() any {
		base, _ := embeddedFacts()
		all := append([]FieldFact(nil), base...)
		// A hand-kept fact has exact releases; an extra fact on the same
		// field would report the same line twice.
		kept := map[[3]string]bool{}
		for _, f := range base {
			kept[[3]string{f.What, f.Key, f.Value}] = true
		}
		for _, f := range p.FieldFacts {
			if kept[[3]string{f.What, f.Key, f.Value}] {
				continue
			}
			if f.prepare() == nil {
				all = append(all, f)
			}
		}
		return newFactSet(all)
	}).(*factSet)
}

func newFactSet(all []FieldFact) *factSet {
	fs := &factSet{nodeLabels: map[string]*FieldFact{}, podAnn: map[string]*FieldFact{}, annotations: map[string][]*FieldFact{}, volumes: map[string]*FieldFact{}}
	for i := range all {
		f := &all[i]
		switch f.What {
		case FactNodeLabel:
			fs.nodeLabels[f.Key] = f
		case FactPodAnnotation:
			fs.podAnn[f.Key] = f
		case FactPodAnnotationPrefix:
			fs.podPrefixes = append(fs.podPrefixes, f)
		case FactAnnotation:
			fs.annotations[f.Key] = append(fs.annotations[f.Key], f)
		case FactField:
			fs.fields = append(fs.fields, f)
		case FactPodField:
			fs.podFields = append(fs.podFields, f)
		case FactVolumePlugin:
			fs.volumes[f.Key] = f
			fs.volumeKeys = append(fs.volumeKeys, f.Key)
		}
	}
	sort.Strings(fs.volumeKeys)
	return fs
}

// fieldUse is one place where an object uses a fact.
type fieldUse struct {
	Fact *FieldFact
	Path string
	// Subject names the use in messages ("node label X in nodeSelector").
	Subject string
}

// fieldUses lists every use of a fact in o, in a stable order.
func (fs *factSet) fieldUses(o *model.Object) []fieldUse {
	var out []fieldUse
	add := func(f *FieldFact, path, subject string) {
		out = append(out, fieldUse{Fact: f, Path: path, Subject: subject})
	}
	nodeLabel := func(key, path, where string) {
		if f := fs.nodeLabels[key]; f != nil {
			add(f, path, fmt.Sprintf("node label %s in %s", key, where))
		}
	}
	if t, ok := podTemplateOf(o); ok {
		fs.podTemplateUses(t, nodeLabel, add)
		fs.pvcTemplateUses(o, t, add)
	}
	switch {
	case o.Kind == "StorageClass" && o.Group() == "storage.k8s.io":
		for i, term := range listAt(o.Data, "allowedTopologies") {
			for j, e := range listAt(term, "matchLabelExpressions") {
				key, _ := e["key"].(string)
				nodeLabel(key, fmt.Sprintf("allowedTopologies[%d].matchLabelExpressions[%d].key", i, j), "StorageClass allowedTopologies")
			}
		}
	case o.Kind == "PersistentVolume" && o.Group() == "":
		for i, term := range listAt(mapAt(o, "spec.nodeAffinity.required"), "nodeSelectorTerms") {
			for j, e := range listAt(term, "matchExpressions") {
				key, _ := e["key"].(string)
				nodeLabel(key, fmt.Sprintf("spec.nodeAffinity.required.nodeSelectorTerms[%d].matchExpressions[%d].key", i, j), "PersistentVolume nodeAffinity")
			}
		}
		spec := mapAt(o, "spec")
		for _, k := range fs.volumeKeys {
			if v, ok := spec[k]; ok && v != nil {
				add(fs.volumes[k], "spec."+k, "volume source "+k)
			}
		}
	case o.Kind == "RuntimeClass" && o.Group() == "node.k8s.io":
		for _, base := range []string{"scheduling", "spec.scheduling"} {
			for _, k := range sortedKeys(stringMap(mapAt(o, base)["nodeSelector"])) {
				nodeLabel(k, model.JoinKey(base+".nodeSelector", k), "RuntimeClass nodeSelector")
			}
		}
	}
	ann := stringMap(mapAt(o, "metadata")["annotations"])
	for _, k := range sortedKeys(ann) {
		for _, f := range fs.annotations[k] {
			if f.appliesTo(o.Kind) {
				add(f, model.JoinKey("metadata.annotations", k), "annotation "+k)
			}
		}
	}
	for _, f := range fs.fields {
		if !f.appliesTo(o.Kind) {
			continue
		}
		walkFieldPath(o.Data, f.segs, "", func(path string, v any) {
			if f.matchesValue(v) {
				add(f, path, f.subject(path))
			}
		})
	}
	return out
}

// matchesValue reports whether v is a value the fact is about.
func (f *FieldFact) matchesValue(v any) bool {
	if f.Value == "" {
		return true
	}
	s, ok := v.(string)
	return ok && s == f.Value
}

// subject names a field use in messages, with the value when the fact is
// about one value.
func (f *FieldFact) subject(path string) string {
	if f.Value != "" {
		return fmt.Sprintf("field %s: %s", path, f.Value)
	}
	return "field " + path
}

func (f *FieldFact) appliesTo(kind string) bool {
	for _, k := range f.Kinds {
		if k == "*" || k == kind {
			return true
		}
	}
	return false
}

func (fs *factSet) podTemplateUses(t podTemplate, nodeLabel func(key, path, where string), add func(*FieldFact, string, string)) {
	sp := t.SpecPath
	for _, k := range sortedKeys(stringMap(t.Spec["nodeSelector"])) {
		nodeLabel(k, model.JoinKey(sp+".nodeSelector", k), "nodeSelector")
	}
	na, _ := mapAtMap(t.Spec, "affinity", "nodeAffinity")
	req, _ := mapAtMap(na, "requiredDuringSchedulingIgnoredDuringExecution")
	for i, term := range listAt(req, "nodeSelectorTerms") {
		for j, e := range listAt(term, "matchExpressions") {
			key, _ := e["key"].(string)
			nodeLabel(key, fmt.Sprintf("%s.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[%d].matchExpressions[%d].key", sp, i, j), "node affinity")
		}
	}
	for i, pref := range listAt(na, "preferredDuringSchedulingIgnoredDuringExecution") {
		p, _ := pref["preference"].(map[string]any)
		for j, e := range listAt(p, "matchExpressions") {
			key, _ := e["key"].(string)
			nodeLabel(key, fmt.Sprintf("%s.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[%d].preference.matchExpressions[%d].key", sp, i, j), "node affinity")
		}
	}
	for i, c := range listAt(t.Spec, "topologySpreadConstraints") {
		key, _ := c["topologyKey"].(string)
		nodeLabel(key, fmt.Sprintf("%s.topologySpreadConstraints[%d].topologyKey", sp, i), "topologySpreadConstraints")
	}
	for _, kind := range []string{"podAffinity", "podAntiAffinity"} {
		pa, _ := mapAtMap(t.Spec, "affinity", kind)
		base := sp + ".affinity." + kind
		for i, term := range listAt(pa, "requiredDuringSchedulingIgnoredDuringExecution") {
			key, _ := term["topologyKey"].(string)
			nodeLabel(key, fmt.Sprintf("%s.requiredDuringSchedulingIgnoredDuringExecution[%d].topologyKey", base, i), kind+" topologyKey")
		}
		for i, w := range listAt(pa, "preferredDuringSchedulingIgnoredDuringExecution") {
			term, _ := w["podAffinityTerm"].(map[string]any)
			key, _ := term["topologyKey"].(string)
			nodeLabel(key, fmt.Sprintf("%s.preferredDuringSchedulingIgnoredDuringExecution[%d].podAffinityTerm.topologyKey", base, i), kind+" topologyKey")
		}
	}
	ann := t.Annotations()
	for _, k := range sortedKeys(ann) {
		path := model.JoinKey(t.MetaPath+".annotations", k)
		if f := fs.podAnn[k]; f != nil {
			add(f, path, "pod annotation "+k)
		}
		for _, f := range fs.podPrefixes {
			if strings.HasPrefix(k, f.Key) {
				add(f, path, "pod annotation "+k)
			}
		}
	}
	for _, f := range fs.podFields {
		walkFieldPath(t.Spec, f.segs, sp, func(path string, v any) {
			if f.matchesValue(v) {
				add(f, path, f.subject(path))
			}
		})
	}
	for i, v := range listAt(t.Spec, "volumes") {
		name, _ := v["name"].(string)
		for _, k := range fs.volumeKeys {
			if x, ok := v[k]; ok && x != nil {
				add(fs.volumes[k], fmt.Sprintf("%s.volumes[%d].%s", sp, i, k), fmt.Sprintf("volume %q (%s)", name, k))
			}
		}
	}
}

// pvcTemplateUses applies PersistentVolumeClaim annotation facts to claim
// templates: StatefulSet volumeClaimTemplates and generic ephemeral volumes.
func (fs *factSet) pvcTemplateUses(o *model.Object, t podTemplate, add func(*FieldFact, string, string)) {
	type meta struct {
		path string
		m    map[string]any
	}
	var metas []meta
	if o.Kind == "StatefulSet" {
		for i, vct := range listAt(mapAt(o, "spec"), "volumeClaimTemplates") {
			m, _ := vct["metadata"].(map[string]any)
			metas = append(metas, meta{fmt.Sprintf("spec.volumeClaimTemplates[%d].metadata", i), m})
		}
	}
	for i, v := range listAt(t.Spec, "volumes") {
		m, _ := mapAtMap(v, "ephemeral", "volumeClaimTemplate", "metadata")
		metas = append(metas, meta{fmt.Sprintf("%s.volumes[%d].ephemeral.volumeClaimTemplate.metadata", t.SpecPath, i), m})
	}
	for _, md := range metas {
		ann := stringMap(md.m["annotations"])
		for _, k := range sortedKeys(ann) {
			for _, f := range fs.annotations[k] {
				if f.appliesTo("PersistentVolumeClaim") {
					add(f, model.JoinKey(md.path+".annotations", k), "annotation "+k+" on a claim template")
				}
			}
		}
	}
}

// walkFieldPath calls fn with the concrete path and the value of every
// non-null value at segs, where an index segment of -1 ("[*]" in data) means
// every element.
func walkFieldPath(v any, segs []model.PathSegment, path string, fn func(string, any)) {
	if len(segs) == 0 {
		if v != nil {
			fn(path, v)
		}
		return
	}
	s := segs[0]
	switch c := v.(type) {
	case map[string]any:
		if s.IsIdx {
			return
		}
		if x, ok := c[s.Key]; ok {
			walkFieldPath(x, segs[1:], model.JoinKey(path, s.Key), fn)
		}
	case []any:
		switch {
		case s.Key == "[*]" || s.Key == "*":
			for i, x := range c {
				walkFieldPath(x, segs[1:], model.JoinIndex(path, i), fn)
			}
		case s.IsIdx && s.Index >= 0 && s.Index < len(c):
			walkFieldPath(c[s.Index], segs[1:], model.JoinIndex(path, s.Index), fn)
		}
	}
}

// listAt returns the mappings of the list at m[key].
func listAt(m map[string]any, key string) []map[string]any {
	items, _ := m[key].([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		x, _ := it.(map[string]any)
		out = append(out, x) // keep indexes aligned; nil entries read as empty
	}
	return out
}

// mapAtMap walks nested mappings.
func mapAtMap(m map[string]any, keys ...string) (map[string]any, bool) {
	cur := m
	for _, k := range keys {
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}
