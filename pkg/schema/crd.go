package schema

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// IsCRD reports whether obj is a CustomResourceDefinition.
func IsCRD(obj *model.Object) bool { return crdindex.IsCRD(obj) }

// CRDs is the validator's CRD index (shared with its ForTarget siblings).
func (v *Validator) CRDs() *crdindex.Index { return v.crds }

// AddCRD registers the versions of a CustomResourceDefinition
// (apiextensions.k8s.io/v1 or v1beta1) so that its custom resources are
// validated against their openAPIV3Schema. The first CRD registered for a
// group and kind wins; later duplicates are ignored. Call AddCRD for every
// CRD before validating custom resources.
func (v *Validator) AddCRD(obj *model.Object) error {
	k, err := v.crds.Add(obj)
	if err != nil || k == nil {
		return err
	}
	v.forget(k)
	return nil
}

// forget drops kinds resolved before k was registered, here and in the
// sibling validators.
func (v *Validator) forget(k *crdindex.Kind) {
	v.mu.Lock()
	for av := range k.Versions {
		delete(v.entries, gvkKey(k.Group+"/"+av, k.Kind))
	}
	sibs := make([]*Validator, 0, len(v.siblings))
	for _, s := range v.siblings {
		sibs = append(sibs, s)
	}
	v.mu.Unlock()
	for _, s := range sibs {
		s.forget(k)
	}
}

// CRDVersionStatus tells what the registered CRDs say about a custom
// resource's apiVersion and kind. known is false when no CRD defines the
// group and kind; served is false when the CRD does not list the version or
// marks it served: false.
func (v *Validator) CRDVersionStatus(apiVersion, kind string) (served, deprecated bool, warning string, known bool) {
	cv, ck := v.crds.Lookup(apiVersion, kind)
	if ck == nil {
		return false, false, "", false
	}
	if cv == nil {
		return false, false, "", true
	}
	return cv.Served, cv.Deprecated, cv.Warning, true
}

// CRDName returns the name of the CRD that defines apiVersion's group and
// kind ("" if none).
func (v *Validator) CRDName(apiVersion, kind string) string {
	_, ck := v.crds.Lookup(apiVersion, kind)
	if ck == nil {
		return ""
	}
	return ck.CRD
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
// no CRD defines them.
func (v *Validator) CRDServedVersions(apiVersion, kind string) []string {
	return v.crds.ServedVersions(apiVersion, kind)
}

// NewForObjects returns a validator for target with every
// CustomResourceDefinition among objs registered, in order (the first CRD of
// a group and kind wins), unless opts.CRDs already holds the scan's index.
func NewForObjects(target kubeversion.Version, opts Options, objs []*model.Object) (*Validator, error) {
	if opts.CRDs == nil {
		opts.CRDs = crdindex.Build(objs)
	}
	return New(target, opts)
}
