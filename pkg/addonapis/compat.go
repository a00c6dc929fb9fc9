package addonapis

import (
	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// MatrixRows returns the rows of the pkg/addons compatibility matrix m that
// state something about release of addon (Addon.Matrix maps the names). It
// is empty when the addon has no matrix or no row matches.
func (db *DB) MatrixRows(m *addons.Matrix, addon, release string) []*addons.Row {
	a, ok := db.Addon(addon)
	if !ok || a.Matrix == "" || m == nil {
		return nil
	}
	ma, ok := m.Addon(a.Matrix)
	if !ok {
		return nil
	}
	v, err := semver.NewVersion(release)
	if err != nil {
		return nil
	}
	var out []*addons.Row
	for _, r := range ma.Versions {
		if r.Matches(v) {
			out = append(out, r)
		}
	}
	return out
}

// Supporting returns the read releases of addon (ascending) whose matrix
// rows say they work on target: every supported or minimum row matching the
// release covers target, or a supported row does (tested rows only inform).
// known is false when no read release has a matrix row at all, so the caller
// cannot narrow the releases by the target.
func (db *DB) Supporting(m *addons.Matrix, addon string, target kubeversion.Version) (releases []string, known bool) {
	a, ok := db.Addon(addon)
	if !ok {
		return nil, false
	}
	for _, r := range a.Releases {
		rows := db.MatrixRows(m, addon, r.Version)
		if len(rows) == 0 {
			continue
		}
		known = true
		covered, ok := false, true
		for _, row := range rows {
			if row.Kind == addons.Supported && row.Covers(target) {
				covered = true
			}
		}
		for _, row := range rows {
			if row.Kind != addons.Tested && !row.Covers(target) && (row.Kind != addons.Supported || !covered) {
				ok = false
			}
		}
		if ok {
			releases = append(releases, r.Version)
		}
	}
	return releases, known
}
