package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
)

// EnvAddons is the Env key of the addon matrix (*addons.Matrix: the
// embedded data merged with --addon-matrix and the config's addons:). When
// absent the embedded matrix is used.
const EnvAddons = "addons"

// addonMatrix returns the scan's addon matrix.
func addonMatrix(p *Pass) *addons.Matrix {
	if m, ok := p.Env[EnvAddons].(*addons.Matrix); ok && m != nil {
		return m
	}
	return addons.Default()
}

// addonDetections detects addons once per scan for all addon rules.
func addonDetections(p *Pass) []addons.Detection {
	m := addonMatrix(p)
	return p.Shared("addons.detections", func() any { return m.Detect(p.Objects) }).([]addons.Detection)
}

// reportAddonVerdicts reports every verdict of kind k on the object and field
// the detection's version was read from.
func reportAddonVerdicts(p *Pass, k addons.VerdictKind) {
	m := addonMatrix(p)
	for _, d := range addonDetections(p) {
		for _, v := range m.Check(d, p.Target) {
			if v.Kind != k {
				continue
			}
			ev := d.Primary()
			if ev.Object == nil {
				continue
			}
			p.Report(Diagnostic{Object: ev.Object, Path: ev.Path, Message: v.Message, Remediation: v.Remediation, Key: d.Addon})
		}
	}
}
