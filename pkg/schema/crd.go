package schema

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// crdVersion is one version of a CustomResourceDefinition.
type crdVersion struct {
	crd        string // metadata.name of the CRD
	file       string // where the CRD was found
	served     bool
	deprecated bool
	warning    string
	// schema is the openAPIV3Schema (nil: the CRD accepts anything).
	schema map[string]any
}

// crdKind is what the CRDs of the scan say about one group and kind.
type crdKind struct {
	crd      string
	versions map[string]*crdVersion
}

// IsCRD reports whether obj is a CustomResourceDefinition.
func IsCRD(obj *model.Object) bool {
	return obj != nil && obj.Kind == "CustomResourceDefinition" && obj.Group() == "apiextensions.k8s.io"
}

// AddCRD registers the versions of a CustomResourceDefinition
// (apiextensions.k8s.io/v1 or v1beta1) so that its custom resources are
// validated against their openAPIV3Schema. The first CRD registered for a
// group and kind wins; later duplicates are ignored. Call AddCRD for every
// CRD before validating custom resources.
func (v *Validator) AddCRD(obj *model.Object) error {
	if !IsCRD(obj) {
		return fmt.Errorf("%s: %s %s is not a CustomResourceDefinition", obj.Source.File, obj.APIVersion, obj.Kind)
	}
	spec, _ := obj.Data["spec"].(map[string]any)
	group, _ := spec["group"].(string)
	names, _ := spec["names"].(map[string]any)
	kind, _ := names["kind"].(string)
	if group == "" || kind == "" {
		return fmt.Errorf("%s: CustomResourceDefinition %q has no spec.group or spec.names.kind", obj.Source.File, obj.Name)
	}
	ck := &crdKind{crd: obj.Name, versions: map[string]*crdVersion{}}
	// v1beta1 allows one schema for all versions (spec.validation) and a
	// single spec.version.
	common := openAPISchema(spec["validation"])
	list, _ := spec["versions"].([]any)
	if len(list) == 0 {
		if name, _ := spec["version"].(string); name != "" {
			list = []any{map[string]any{"name": name, "served": true}}
		}
	}
	for _, e := range list {
		m, _ := e.(map[string]any)
		name, _ := m["name"].(string)
		if name == "" {
			continue
		}
		cv := &crdVersion{crd: obj.Name, file: obj.Source.File, schema: common}
		cv.served, _ = m["served"].(bool)
		cv.deprecated, _ = m["deprecated"].(bool)
		cv.warning, _ = m["deprecationWarning"].(string)
		if s := openAPISchema(m["schema"]); s != nil {
			cv.schema = s
		}
		ck.versions[name] = cv
	}
	if len(ck.versions) == 0 {
		return fmt.Errorf("%s: CustomResourceDefinition %q lists no versions", obj.Source.File, obj.Name)
	}
	v.addCRDKind(group, kind, ck)
	return nil
}

// addCRDKind registers ck unless the group and kind are known, here and in
// the sibling validators.
func (v *Validator) addCRDKind(group, kind string, ck *crdKind) {
	key := group + "/" + kind
	v.mu.Lock()
	if _, dup := v.crds[key]; dup {
		v.mu.Unlock()
		return
	}
	v.crds[key] = ck
	// Forget kinds resolved before this CRD was known.
	for av := range ck.versions {
		delete(v.entries, gvkKey(group+"/"+av, kind))
	}
	sibs := make([]*Validator, 0, len(v.siblings))
	for _, s := range v.siblings {
		sibs = append(sibs, s)
	}
	v.mu.Unlock()
	for _, s := range sibs {
		s.addCRDKind(group, kind, ck)
	}
}

func openAPISchema(v any) map[string]any {
	m, _ := v.(map[string]any)
	s, _ := m["openAPIV3Schema"].(map[string]any)
	return s
}

// CRDVersionStatus tells what the registered CRDs say about a custom
// resource's apiVersion and kind. known is false when no CRD defines the
// group and kind; served is false when the CRD does not list the version or
// marks it served: false.
func (v *Validator) CRDVersionStatus(apiVersion, kind string) (served, deprecated bool, warning string, known bool) {
	cv, ck := v.crdVersion(apiVersion, kind)
	if ck == nil {
		return false, false, "", false
	}
	if cv == nil {
		return false, false, "", true
	}
	return cv.served, cv.deprecated, cv.warning, true
}

// CRDName returns the name of the CRD that defines apiVersion's group and
// kind ("" if none).
func (v *Validator) CRDName(apiVersion, kind string) string {
	_, ck := v.crdVersion(apiVersion, kind)
	if ck == nil {
		return ""
	}
	return ck.crd
}

func (v *Validator) crdVersion(apiVersion, kind string) (*crdVersion, *crdKind) {
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return nil, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	ck := v.crds[group+"/"+kind]
	if ck == nil {
		return nil, nil
	}
	return ck.versions[version], ck
}

// crdDocument turns a CRD version's openAPIV3Schema into a strict schema
// document whose metadata is checked against the built-in ObjectMeta.
func crdDocument(s map[string]any, defsURL string) map[string]any {
	doc, _ := strictify(deepCopy(s), true).(map[string]any)
	if doc == nil {
		doc = map[string]any{}
	}
	props, _ := doc["properties"].(map[string]any)
	if props == nil {
		// No structure declared: anything goes, but metadata is still metadata.
		return map[string]any{
			"type":       "object",
			"properties": map[string]any{"metadata": map[string]any{"$ref": defsURL + "#/definitions/" + objectMetaDef}},
		}
	}
	props["apiVersion"] = map[string]any{"type": "string"}
	props["kind"] = map[string]any{"type": "string"}
	props["metadata"] = map[string]any{"$ref": defsURL + "#/definitions/" + objectMetaDef}
	return doc
}

// CRDServedVersions lists the versions that the CRD defining apiVersion's
// group and kind serves, sorted, as apiVersions ("example.com/v1"); nil when
// no CRD defines them. Rules use it to name the replacement of an unserved
// or deprecated version.
func (v *Validator) CRDServedVersions(apiVersion, kind string) []string {
	_, ck := v.crdVersion(apiVersion, kind)
	if ck == nil {
		return nil
	}
	group, _, _ := strings.Cut(apiVersion, "/")
	var out []string
	for _, name := range sortedKeys(ck.versions) {
		if ck.versions[name].served {
			out = append(out, group+"/"+name)
		}
	}
	return out
}

// NewForObjects returns a validator for target with every
// CustomResourceDefinition among objs registered, in order (the first CRD of
// a group and kind wins). CRDs that cannot be registered are skipped: the
// schema-invalid rule reports what is wrong with them.
func NewForObjects(target kubeversion.Version, opts Options, objs []*model.Object) (*Validator, error) {
	v, err := New(target, opts)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if IsCRD(o) {
			_ = v.AddCRD(o)
		}
	}
	return v, nil
}
