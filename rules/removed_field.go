package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// RemovedField flags fields, annotations and volume plugins that no longer
// work at the target.
var RemovedField = &Rule{
	ID:       "removed-field",
	Title:    "field, annotation or volume plugin removed at the target",
	Severity: model.SeverityError,
	Summary:  "The object uses a field, annotation or volume plugin that is removed or no longer functional at the target version.",
	Doc: `Some deprecated fields and annotations end with a removal: the API server drops the field
(Service spec.topologyKeys, spec.ipFamily, metadata.clusterName), an annotation is no longer
read (the alpha seccomp annotations since 1.27, scheduler.alpha.kubernetes.io/critical-pod since
1.16), or an in-tree volume plugin is deleted (glusterfs since 1.26, cephfs and rbd since 1.31,
gitRepo disabled by default since 1.33). The manifest still applies, so nothing fails loudly:
the setting is silently lost, or pods stay in ContainerCreating after the upgrade.

The rule reports uses whose removal release is at or before the target version. The facts, with
their upstream sources, are data in rules/data/fields.yaml.`,
	Remediation: "Replace the field, annotation or volume with the replacement named in the message before upgrading; for volume plugins, migrate the data to a CSI driver first.",
	Tags:        []string{"removal", "upgrade"},
	Check: func(p *Pass) {
		for _, u := range factsOf(p).fieldUses(p.Object) {
			f := u.Fact
			if f.removed.IsZero() || !p.Target.AtLeast(f.removed) {
				continue
			}
			msg := fmt.Sprintf("%s no longer works since Kubernetes %s", u.Subject, f.Removed)
			if !f.deprecated.IsZero() {
				msg += fmt.Sprintf(" (deprecated since %s)", f.Deprecated)
			}
			p.Report(Diagnostic{Path: u.Path, Key: f.What + "/" + f.Key, Since: f.removed, Message: msg + factAdvice(f)})
		}
	},
}
