package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// AddonUntested flags addons whose project only publishes tested versions
// and has not tested the detected version on the target.
var AddonUntested = &Rule{
	ID:       "addon-untested",
	Title:    "addon version not tested on the target",
	Severity: model.SeverityWarning,
	Summary:  "An installed addon's project lists the Kubernetes versions it tested, and the target is not among them for the detected version.",
	Doc: `Some projects (Cilium, Argo CD, Calico, kube-state-metrics, Velero, and kubeadm's CoreDNS
pairing) publish the Kubernetes minors each release was tested on rather than a supported
range. Running on another minor may work, but nobody checked. The message names the detected
version, the tested minors and the first version tested on the target.`,
	Remediation: "Upgrade the addon to a version tested on the target, or test the current version on the target in a staging cluster before upgrading.",
	Tags:        []string{"addons", "upgrade"},
	Global:      true,
	Check:       func(p *Pass) { reportAddonVerdicts(p, addons.Untested) },
}
