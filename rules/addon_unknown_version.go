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
	Summary:  "An addon image is pinned by digest only or uses a tag such as latest, so its compatibility with the target cannot be checked.",
	Doc: `The addon rules read the version from the image tag (or the labels and chart metadata that
carry it). A digest-only reference, "latest" or another non-version tag leaves nothing to
compare with the compatibility data, so the addon is skipped by addon-incompatible and
addon-untested.`,
	Remediation: "Reference the image by version tag (a tag plus digest, image:v1.2.3@sha256:..., keeps the pin) so the version can be checked.",
	Tags:        []string{"addons"},
	Global:      true,
	Check:       func(p *Pass) { reportAddonVerdicts(p, addons.UnknownVersion) },
}
