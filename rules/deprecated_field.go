package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// DeprecatedField flags fields, labels, annotations and volume plugins that
// are deprecated at the target but still work.
var DeprecatedField = &Rule{
	ID:       "deprecated-field",
	Title:    "deprecated field, label, annotation or volume plugin",
	Severity: model.SeverityWarning,
	Summary:  "The object uses a field, node label, annotation or volume plugin that is deprecated at the target version and will stop working in a later release.",
	Doc: `Beyond whole API versions, Kubernetes deprecates single fields, well-known node labels,
annotations and in-tree volume plugins. They keep working for a while (the API server answers
with a warning), then become non-functional: a nodeSelector on a label no node carries any more
leaves pods pending, an annotation that is no longer read silently drops a security setting, and
a volume plugin that was removed keeps pods from starting.

The rule reports, while the target version is between the deprecation and the removal:
- deprecated node labels (beta.kubernetes.io/os and arch, failure-domain.beta.kubernetes.io/zone
  and region, ...) in nodeSelector, node affinity, pod (anti-)affinity and topology spread
  topologyKeys, StorageClass allowedTopologies, PersistentVolume node affinity and RuntimeClass
  scheduling;
- pod annotations such as the AppArmor beta annotations and the alpha seccomp annotations;
- kubernetes.io/ingress.class on Ingresses, volume.beta.kubernetes.io/storage-class on claims,
  volumes and claim templates, and other annotations and fields;
- in-tree volume plugins that are deprecated, or whose in-tree code is gone so they only work
  through CSI migration with the matching CSI driver installed.

The facts, with their upstream sources, are data in rules/data/fields.yaml. The scan can add the
fields the target's OpenAPI schema marks deprecated.`,
	Remediation: "Move to the replacement named in the message while both are supported; for volumes that need CSI migration, install the named CSI driver before the upgrade or migrate the data to a CSI StorageClass.",
	Tags:        []string{"deprecation", "upgrade"},
	Check: func(p *Pass) {
		for _, u := range factsOf(p).fieldUses(p.Object) {
			f := u.Fact
			if f.deprecated.IsZero() || !p.Target.AtLeast(f.deprecated) || !f.removed.IsZero() && p.Target.AtLeast(f.removed) {
				continue
			}
			var msg string
			if f.CSIDriver != "" {
				msg = fmt.Sprintf("%s relies on the in-tree %s plugin, removed in Kubernetes %s; it only works through CSI migration with the %s CSI driver installed",
					u.Subject, f.Key, f.Deprecated, f.CSIDriver)
			} else {
				msg = fmt.Sprintf("%s is deprecated since Kubernetes %s", u.Subject, f.Deprecated)
				if f.DeprecatedBy {
					msg = fmt.Sprintf("%s is deprecated in the Kubernetes API reference (since %s or earlier)", u.Subject, f.Deprecated)
				}
				if !f.removed.IsZero() {
					msg += fmt.Sprintf(" and stops working in %s", f.Removed)
				}
			}
			p.Report(Diagnostic{Path: u.Path, Key: f.What + "/" + f.Key, Since: f.deprecated, Message: msg + factAdvice(f)})
		}
	},
}

// factAdvice is the "; use X (note)" tail of a message.
func factAdvice(f *FieldFact) string {
	s := ""
	if f.Replacement != "" {
		s += "; use " + f.Replacement + " instead"
	}
	if f.Note != "" {
		s += " (" + f.Note + ")"
	}
	return s
}
