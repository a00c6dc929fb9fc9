package rules

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// SchemaInvalid reports every way an object violates the target's schema.
var SchemaInvalid = &Rule{
	ID:       "schema-invalid",
	Title:    "object does not match the target's schema",
	Severity: model.SeverityError,
	Summary:  "A field is unknown, has the wrong type or a wrong value, or a required field is missing, according to the target version's OpenAPI schema.",
	Doc: `Every object is validated strictly against the OpenAPI schema of its apiVersion and kind in
the **target** Kubernetes release: the schemas of every release from 1.25 on are built in, so the
check runs offline. Custom resources are validated against the ` + "`openAPIV3Schema`" + ` of the CRDs
found anywhere in the scan, or against schema files given with ` + "`--schema-location`" + `.

Strict means what the API server does with field validation set to Strict, which kubectl uses
by default: an unknown field (a typo such as ` + "`replcas`" + `, or a field that the target release
removed, such as Service ` + "`spec.topologyKeys`" + `) is an error rather than silently dropped, and so
is a duplicate key. A field set to null counts as unset, as in Kubernetes: allowed when
optional, reported when required.

Each violation is its own finding, located at the offending field.`,
	Remediation: "Fix the field named in the message: correct its spelling or type, add the missing required field, or remove a field the target release no longer has (the Kubernetes changelog names its replacement).",
	Tags:        []string{"schema", "upgrade"},
	Check: func(p *Pass) {
		v := schemaValidatorFor(p, p.Object)
		if v == nil {
			return
		}
		o := p.Object
		r := v.ValidateMemo(o, p.schemaMemo)
		if r.Status != schema.Invalid {
			return
		}
		origin := schemaOrigin(o, r)
		for i, x := range r.Violations {
			msg := x.Message + " (" + origin + ")"
			if x.Path != "" {
				msg = x.Path + ": " + msg
			}
			d := Diagnostic{Object: o, Path: x.Path, Message: msg}
			// Several problems on one path (missing required fields) need
			// distinct fingerprints.
			if (i > 0 && r.Violations[i-1].Path == x.Path) || (i+1 < len(r.Violations) && r.Violations[i+1].Path == x.Path) {
				d.Key = x.Message
			}
			_, byField := o.Locator.(model.FileLocator)
			if x.Line > 0 && (!byField || o.Source.Exact || x.Path == "") {
				// Else the engine locates the path (a Kustomize patch's file).
				d.File = o.Source.File
				d.Line, d.Column = o.Source.Line, o.Source.Col
				if o.Source.Exact {
					d.Line, d.Column = x.Line+o.Source.LineOffset, x.Column
				}
			}
			p.Report(d)
		}
	},
}

// schemaOrigin names the schema an object was checked against.
func schemaOrigin(o *model.Object, r schema.Result) string {
	switch {
	case strings.HasPrefix(r.Schema, "Kubernetes "):
		return fmt.Sprintf("%s schema of %s %s", r.Schema, o.APIVersion, o.Kind)
	case strings.HasPrefix(r.Schema, "CRD "):
		return "schema from " + r.Schema
	case r.Schema != "":
		return "schema " + r.Schema
	}
	return "schema"
}

// validatorFor returns the scan's validator for the pass's target (the scan
// builds it for the final target; other hops get a sibling with the same
// CRDs), or nil when schema validation is off or the version has no schemas.
func validatorFor(p *Pass) *schema.Validator {
	v := p.Schema
	if v == nil {
		return nil
	}
	if !p.Target.IsZero() && p.Target != v.Target() {
		s, err := v.ForTarget(p.Target)
		if err != nil {
			return nil
		}
		return s
	}
	return v
}
