package scan

import (
	"context"
	"errors"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Ranged is one scan judged at every minor from the current version to the
// target: Reports[i] is the report a scan with minor Current+i as target
// would give (charts rendered for that minor), and Addons are the addons
// detected at the current version.
type Ranged struct {
	Reports []*model.Report
	Addons  []addons.Detection
}

// RunRange scans once for every minor from opts.Current to opts.Target.
// Inputs are read and rendered once; charts render again only for the
// minors their templates can tell apart (render.Options.Range).
func RunRange(ctx context.Context, opts Options) (*Ranged, error) {
	if opts.Current.IsZero() {
		return nil, errors.New("a ranged scan needs a current version")
	}
	if opts.Shard != nil {
		return nil, errors.New("a ranged scan cannot be sharded")
	}
	c, ruleSet, err := collect(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := &Ranged{Addons: c.addons}
	relative := allRelative(opts.Render.Paths)
	for _, v := range versions(opts) {
		o := opts
		o.Target, o.Current = v, kubeversion.Version{}
		cv := *c
		cv.refs = c.refsAt[v]
		// Notices are the target's; schemas are judged per version.
		cv.notices = nil
		for _, n := range c.notices {
			if n != schemaNotice(opts.Target) {
				cv.notices = append(cv.notices, n)
			}
		}
		if n := schemaNotice(v); n != "" {
			cv.notices = append(cv.notices, n)
		}
		out.Reports = append(out.Reports, buildReport(o, ruleSet, &cv, relative))
	}
	return out, nil
}
