package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// AddonUnknownVersion notes addons whose version cannot be read.
var AddonUnknownVersion = &Rule{
	ID:       "addon-unknown-version",
	Title:    "addon detected but its version cannot be read",
	Severity: model.SeverityInfo,
	Summary:  "An addon image is pinned by digest only or uses a tag such as latest, or its chart is declared with a floating version, so its compatibility with the target cannot be checked.",
	Doc: `The addon rules read the version from the image tag (or the labels and chart metadata that
carry it), or from a declaration that installs the chart (Flux HelmRelease and the
OCIRepository or HelmChart it references, Argo CD Application/ApplicationSet, Chart.yaml
dependencies, Kustomize helmCharts, Terraform helm_release). A digest-only reference, "latest"
or another non-version tag, a floating chart version ("1.x", "*", HEAD, ">=1.2", none at all),
a Terraform version taken from a variable, a templated version ({{version}}, ${VERSION}), or
a chart version the chart data cannot map to an addon version leaves nothing to compare with
the compatibility data, so the addon is skipped by addon-incompatible and addon-untested. The finding is on the line of the version.`,
	Remediation: "Reference the image by version tag (a tag plus digest, image:v1.2.3@sha256:..., keeps the pin) so the version can be checked.",
	Tags:        []string{"addons"},
	Global:      true,
	Check:       func(p *Pass) { reportAddonVerdicts(p, addons.UnknownVersion) },
}
