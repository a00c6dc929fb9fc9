package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// UnknownSchema reports custom resources that nothing describes.
var UnknownSchema = &Rule{
	ID:       "unknown-schema",
	Title:    "no schema for a custom resource",
	Severity: model.SeverityInfo,
	Summary:  "No built-in schema, CRD in the scan or schema location describes the object's apiVersion and kind, so its fields were not validated.",
	Doc: `kupgrade-lint validates built-in kinds against the target release's schemas, and custom
resources against the CRDs it finds in the scanned tree (plain files, chart ` + "`crds/`" + ` directories,
rendered output) or against files under ` + "`--schema-location`" + `. When none of them defines an
object's apiVersion and kind, the object is only checked by the other rules: a typo in one of
its fields would go unnoticed.

This is informational. Add the CRD to the scan, point ` + "`--schema-location`" + ` at a directory of
JSON schemas (kubeconform's layout works), or disable the rule in ` + "`.kupgrade-lint.yaml`" + ` when the
CRDs are installed separately. Built-in API versions that the target no longer serves are
reported by removed-api instead.`,
	Remediation: "Include the CustomResourceDefinition in the scanned files, or add a schema location that holds a JSON schema for this kind, or disable unknown-schema in the configuration if the CRD is managed elsewhere.",
	Tags:        []string{"schema"},
	Check: func(p *Pass) {
		v := schemaValidatorFor(p, p.Object)
		if v == nil {
			return
		}
		o := p.Object
		if o.APIVersion == "" || o.Kind == "" {
			return
		}
		st, reason := v.Lookup(o.APIVersion, o.Kind)
		if st != schema.NoSchema {
			return
		}
		if crd := v.CRDName(o.APIVersion, o.Kind); crd != "" {
			// The CRD exists but its schema is unusable.
			p.Report(Diagnostic{Path: "kind", Message: fmt.Sprintf("the schema of CRD %s for %s could not be used, so its fields were not validated: %s", crd, o.APIVersion, reason)})
			return
		}
		// Built-in APIs belong to removed-api, even without a schema.
		if p.Lifecycle != nil {
			if _, ok := p.Lifecycle.Lookup(o.APIVersion, o.Kind); ok || p.Lifecycle.KnowsGroupVersion(o.APIVersion) {
				return
			}
		}
		p.Report(Diagnostic{
			Path:    "kind",
			Message: fmt.Sprintf("no schema for %s %s: no CRD in the scan or schema location defines it, so its fields were not validated against Kubernetes %s", o.APIVersion, o.Kind, v.Target()),
		})
	},
}
