package rules

import (
	"path/filepath"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/tfhelm"
)

// addonMatrix returns the scan's addon matrix.
func addonMatrix(p *Pass) *addons.Matrix {
	if p.Addons != nil {
		return p.Addons
	}
	return addons.Default()
}

type addonScan struct {
	dets []addons.Detection
	// tfErrs are .tf files that do not parse (reported by parse-error).
	tfErrs []tfhelm.Error
}

// addonDetections detects addons once per scan for all addon rules: from
// the objects (images, labels, CRDs, HelmRelease and Argo CD declarations)
// and from the files beside them that are not objects (Chart.yaml
// dependencies, kustomization helmCharts, Terraform helm_release).
//
// A per-object pass of a streaming scan sees no other objects: it gets no
// detections, and must not cache that empty answer for the whole-set rules.
func addonDetections(p *Pass) []addons.Detection {
	if p.Object != nil && len(p.Objects) == 0 {
		return nil
	}
	return scanAddons(p).dets
}

func scanAddons(p *Pass) addonScan {
	m := addonMatrix(p)
	return p.Shared("addons.detections", func() any {
		more, errs := m.DetectFiles(fileInputs(p))
		dets := addons.MergeDetections(m.Detect(p.Objects), more)
		return addonScan{dets: dets, tfErrs: errs}
	}).(addonScan)
}

// fileInputs derives where non-object declarations live from the objects
// and render problems of the scan (a chart whose dependencies are not
// vendored fails to render but still names its directory).
func fileInputs(p *Pass) addons.FileInputs {
	var in addons.FileInputs
	add := func(kind model.SourceKind, origin, file string) {
		switch kind {
		case model.SourceHelm:
			in.Charts = append(in.Charts, origin)
		case model.SourceKustomize:
			in.Overlays = append(in.Overlays, origin)
		}
		if origin != "" {
			in.TerraformDirs = append(in.TerraformDirs, origin)
		}
		if file != "" && kind != model.SourceStdin {
			in.TerraformDirs = append(in.TerraformDirs, filepath.Dir(file))
		}
	}
	for _, o := range p.Objects {
		add(o.Source.Kind, o.Source.Origin, o.Source.File)
	}
	for _, u := range p.Units {
		switch u.Kind {
		case model.SourceHelm, model.SourceKustomize:
			add(u.Kind, u.Path, "")
		case model.SourcePlain:
			add(u.Kind, "", u.Path)
		}
	}
	probs := p.Problems
	for _, pr := range probs {
		add(pr.Kind, pr.Origin, pr.File)
	}
	if dirs := p.ScanDirs; len(dirs) > 0 {
		in.TerraformDirs = append(in.TerraformDirs, dirs...)
	}
	return in
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
			reportAddon(p, d, Diagnostic{Message: v.Message, Remediation: v.Remediation})
		}
	}
}

// reportAddon places diag at the detection's version: an object's field,
// or a file line for declarations that are not objects.
func reportAddon(p *Pass, d addons.Detection, diag Diagnostic) {
	diag.Key = d.Addon
	ev := d.Primary()
	switch {
	case ev.Object != nil:
		diag.Object, diag.Path = ev.Object, ev.Path
	case d.File != "":
		diag.File, diag.Line = d.File, d.Line
	default:
		return
	}
	p.Report(diag)
}
