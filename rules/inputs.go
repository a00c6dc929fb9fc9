package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// Inputs are the scan-wide data the data-driven rules read, built once per
// scan. Each is a typed field so that a rule cannot silently miss its input
// because of a wrong key; a zero field means "not configured" and every rule
// documents what it does then.
type Inputs struct {
	// CRDs indexes the CustomResourceDefinitions of the scan. The engine
	// fills it (from Schema, else from the objects) when left nil, so the
	// API rules see CRDs at every target version.
	CRDs *crdindex.Index
	// Schema validates objects for the target version, with the scan's CRDs
	// (nil: schema validation is off or the target has no schemas).
	Schema *schema.Validator
	// Addons is the addon compatibility matrix: the embedded data merged
	// with --addon-matrix and the config's addons: (nil: the embedded data).
	Addons *addons.Matrix
	// FieldFacts are added to the embedded field facts: the fields the
	// OpenAPI documents mark deprecated, converted by the scan.
	FieldFacts []FieldFact
	// Problems are what discovery and rendering could not handle; the
	// parse-error and render-error rules report them.
	Problems []model.Problem
	// Units are the files, charts and overlays of the scan (the addon rules
	// read chart metadata and declarations next to them).
	Units []model.Unit
	// ScanDirs are extra directories searched for Terraform *.tf files
	// (the scan's directory arguments); without them the directories of the
	// scanned files, charts and overlays are searched.
	ScanDirs []string
}
