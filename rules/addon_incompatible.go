package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// AddonIncompatible flags addons whose detected version does not support the
// target.
var AddonIncompatible = &Rule{
	ID:       "addon-incompatible",
	Title:    "addon version does not support the target",
	Severity: model.SeverityError,
	Summary:  "An installed addon's version is outside the range of Kubernetes versions its project supports at the target.",
	Doc: `Cluster addons (ingress controllers, cert-manager, CNIs, autoscalers, GitOps controllers,
policy engines, service meshes) each support a window of Kubernetes minors. kupgrade-lint finds
them by container image (any registry, digest ignored), Helm chart labels and
app.kubernetes.io labels, and by the declarations that install their charts from elsewhere
(Flux HelmRelease with its OCIRepository or HelmChart, Argo CD Application and ApplicationSet
sources, Chart.yaml dependencies even when not vendored, Kustomize helmCharts, Terraform
helm_release), mapping chart versions to addon versions with the chart data. It checks the
version against per-addon data: a supported range, or a minimum version. The message names the detected version, the window and the first addon
version that supports the target, and says which kind of statement it rests on and as of when.
Findings resting on rows marked unverified start with "unverified data:" and are reported as
warnings. See ` + "`kupgrade-lint addons --target-version X`" + ` for the data.`,
	Remediation: "Upgrade the addon to a version that supports the target before upgrading the cluster, following the addon's own upgrade notes.",
	Tags:        []string{"addons", "upgrade"},
	Global:      true,
	Check: func(p *Pass) {
		m := addonMatrix(p)
		for _, d := range addonDetections(p) {
			for _, v := range m.Check(d, p.Target) {
				if v.Kind != addons.Incompatible {
					continue
				}
				diag := Diagnostic{Message: v.Message, Remediation: v.Remediation}
				if !v.Verified {
					// Never present unverified data as certain.
					diag.Severity = model.SeverityWarning
				}
				reportAddon(p, d, diag)
			}
		}
	},
}
