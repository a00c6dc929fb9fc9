package rules

import (
	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// RenderError reports charts and overlays that could not be rendered.
var RenderError = &Rule{
	ID:       "render-error",
	Title:    "chart or overlay could not be rendered",
	Severity: model.SeverityError,
	Summary:  "A Helm chart or Kustomize overlay could not be rendered offline, so none of its objects were checked.",
	Doc: `kupgrade-lint renders every Helm chart and Kustomize overlay in the repository the way
the target cluster would receive it, without a cluster and without the network. Rendering
fails when a template stops with an error (` + "`required`" + `, ` + "`fail`" + `, a nil value), when the values
do not satisfy the chart's values.schema.json, when a chart dependency is not vendored under
charts/, when an overlay references a remote base (an http(s), git or OCI URL), or when
Kustomize reports an error. The finding points at the template line Helm names, at the
dependency in Chart.yaml, or at the remote reference in the kustomization file.

Because the tool runs on pull requests, some input is refused before anything renders
(see docs/security.md): a chart with a symlink that leaves the chart or a special file
(FIFO, device) in it, or a file over the size limit; an overlay with a reference that is not
a file or directory inside the scanned tree, a ` + "`helmCharts`" + ` values file or chart home outside
it, a YAML alias bomb or alias cycle, or bases that include each other. A chart or overlay
whose render runs out of its memory or time budget (--render-memory, --render-timeout) is
reported with the budget it exceeded.

A chart or overlay that does not render hides every removed API inside it: a clean report
would be a false promise. Other charts and overlays are still checked.`,
	Remediation: "Make the chart or overlay render offline: give the chart the values it requires (--set, --values or the charts section of .kupgrade-lint.yaml), vendor dependencies with helm dependency build, vendor remote Kustomize bases into the repository, and replace symlinks that leave the tree by the files themselves; or exclude the directory in .kupgrade-lint.yaml.",
	Tags:        []string{"input", "helm", "kustomize"},
	Global:      true,
	Check:       func(p *Pass) { reportProblems(p, "render-error") },
}

// ChartKubeVersion reports charts whose kubeVersion constraint excludes
// the target.
var ChartKubeVersion = &Rule{
	ID:       "chart-kube-version",
	Title:    "chart kubeVersion constraint excludes the target",
	Severity: model.SeverityError,
	Summary:  "The chart declares a kubeVersion range in Chart.yaml that the target Kubernetes version does not satisfy, so helm install and helm upgrade refuse it.",
	Doc: `Chart.yaml may declare the Kubernetes versions a chart supports (` + "`kubeVersion: \">=1.25.0-0\"`" + `).
Helm checks the range against the cluster before installing or upgrading a release and
refuses with "chart requires kubeVersion ... which is incompatible with Kubernetes ..." when
the cluster's version is outside it. After the cluster upgrade, every deploy of the release
fails until the chart is updated.

kupgrade-lint still renders the chart (as if the check were bypassed) so the objects inside
it are linted too.`,
	Remediation: "Upgrade the chart to a version whose kubeVersion range includes the target, or widen the range if you maintain the chart and it works on the target.",
	Tags:        []string{"helm", "upgrade"},
	Global:      true,
	// Charts are rendered for each minor, so the message names that
	// minor; the key leaves it out, so the finding is one problem across
	// the minors of an upgrade (timing, baselines). The constraint is
	// checked again in case a render stands for several minors.
	Check: func(p *Pass) {
		for _, pr := range p.Problems {
			if pr.Rule == "chart-kube-version" && excludesMinor(pr.Detail, p.Target) {
				p.Report(Diagnostic{File: pr.File, Line: pr.Line, Column: pr.Column, Message: pr.Message, Key: pr.Origin + "\x00" + pr.Detail})
			}
		}
	},
}

// excludesMinor reports whether the kubeVersion constraint c excludes
// Kubernetes minor v (as its .0 patch, the way Helm compares); an
// unreadable constraint counts as excluding, as Helm refuses it too.
func excludesMinor(c string, v kubeversion.Version) bool {
	con, err := semver.NewConstraint(c)
	if err != nil {
		return true
	}
	return !con.Check(semver.New(uint64(v.Major), uint64(v.Minor), 0, "", ""))
}
