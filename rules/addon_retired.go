package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// AddonRetired flags addons whose project is retired.
var AddonRetired = &Rule{
	ID:       "addon-retired",
	Title:    "addon project is retired",
	Severity: model.SeverityWarning,
	Summary:  "An installed addon comes from a retired project that gets no more releases, so it will not gain support for new Kubernetes versions.",
	Doc: `A retired project (ingress-nginx since March 2026) publishes no more releases or security
fixes. Every Kubernetes upgrade moves the cluster further from the last version it was tested
with, so the addon should be replaced before it blocks an upgrade.`,
	Remediation: "Plan a migration to a maintained alternative (for ingress-nginx, a Gateway API implementation or another Ingress controller).",
	Tags:        []string{"addons", "upgrade"},
	Global:      true,
	Check:       func(p *Pass) { reportAddonVerdicts(p, addons.Retired) },
}
