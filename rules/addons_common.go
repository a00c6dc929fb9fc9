package rules

import (
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
)

// addonMatrix returns the scan's addon matrix.
func addonMatrix(p *Pass) *addons.Matrix {
	if p.Addons != nil {
		return p.Addons
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
