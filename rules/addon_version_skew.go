package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// AddonVersionSkew flags components released per Kubernetes minor whose
// minor differs from the target's.
var AddonVersionSkew = &Rule{
	ID:       "addon-version-skew",
	Title:    "addon minor differs from the cluster minor",
	Severity: model.SeverityWarning,
	Summary:  "An installed component that is released once per Kubernetes minor does not match the target minor.",
	Doc: `cluster-autoscaler is released once per Kubernetes minor and its project recommends running
the release made for the control plane's minor: it vendors the scheduler of that release to
simulate scheduling. After the upgrade the deployed release must move to the target minor too.`,
	Remediation: "Upgrade the component together with the control plane to the release with the target's minor.",
	Tags:        []string{"addons", "upgrade"},
	Global:      true,
	Check:       func(p *Pass) { reportAddonVerdicts(p, addons.Skew) },
}
