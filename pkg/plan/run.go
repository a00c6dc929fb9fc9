package plan

import (
	"context"
	"errors"
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// This file is the plan's only coupling to the scan pipeline: one ranged
// scan (scan.RunRange) judges every minor.

// Run scans the inputs of opts at every minor from opts.Current to
// opts.Target (charts rendered with each minor's capabilities and
// kubeVersion, once per group of minors they tell apart) and builds the
// plan. opts.Current is required.
func Run(ctx context.Context, opts scan.Options, failOnExisting bool) (*Plan, error) {
	if opts.Current.IsZero() {
		return nil, errors.New("plan needs --current-version (or currentVersion in the config)")
	}
	if opts.Target.Less(opts.Current) {
		return nil, fmt.Errorf("current version %s is newer than target version %s", opts.Current, opts.Target)
	}
	db := kubeversion.Default()
	for _, v := range []kubeversion.Version{opts.Current, opts.Target} {
		if err := db.CheckTarget(v); err != nil {
			return nil, err
		}
	}
	if opts.Render.Stdin != nil {
		return nil, errors.New("plan cannot read manifests from stdin: charts and files are judged at every minor")
	}
	o := opts
	o.FailOn = model.SeverityNone
	rg, err := scan.RunRange(ctx, o)
	if err != nil {
		return nil, err
	}
	reps := rg.Reports
	units := reps[len(reps)-1].Units
	for _, r := range reps {
		// Keep what Build reads: a plan of many minors over a large tree
		// would otherwise hold every report's full object list.
		helm := r.Objects[:0]
		for _, ob := range r.Objects {
			if ob.SourceKind == model.SourceHelm {
				helm = append(helm, ob)
			}
		}
		r.Objects, r.Rules, r.Units = helm, nil, nil
	}
	m := opts.Addons
	if m == nil {
		if m, err = addons.Load(); err != nil {
			return nil, err
		}
	}
	// Addons are judged as deployed today: rendered for the current minor.
	in := Input{
		Current: opts.Current, Target: opts.Target, Reports: reps,
		Detections: rg.Addons, Matrix: m, Lifecycle: db,
		FailOn: opts.FailOn, FailOnExisting: failOnExisting, ToolVersion: opts.ToolVersion,
	}
	selected, err := scan.Select(rules.All(), opts.Config)
	if err != nil {
		return nil, err
	}
	for _, r := range selected {
		if r.ID == StaleReleaseRule {
			in.StaleRelease, in.StaleReleaseSeverity = true, r.Severity
		}
	}
	if opts.Config != nil {
		if rc, ok := opts.Config.Rules[StaleReleaseRule]; ok && rc.Severity != "" {
			if s, err := model.ParseSeverity(rc.Severity); err == nil {
				in.StaleReleaseSeverity = s
			}
		}
	}
	p, err := Build(in)
	if p != nil {
		p.Units = units
	}
	return p, err
}
