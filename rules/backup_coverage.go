package rules

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// BackupCoverage flags namespaces with persistent data that no Velero
// Schedule of the scan backs up.
var BackupCoverage = &Rule{
	ID:       "backup-coverage",
	Title:    "persistent data outside every Velero schedule",
	Severity: model.SeverityWarning,
	Summary:  "When the scan defines Velero Schedules, a namespace holding persistent volume claims that no schedule includes has no backup to restore from if the upgrade goes wrong.",
	Doc: `Backing up etcd alone does not bring back application data: an upgrade that goes wrong (a
storage driver that stops attaching volumes, a StatefulSet that is recreated, a rollback to a
fresh cluster) is recovered from volume backups. When a repository defines Velero ` + "`Schedule`" + `s,
the rule checks that every namespace holding persistent data is in at least one of them.

Persistent data is a PersistentVolumeClaim, a StatefulSet with ` + "`volumeClaimTemplates`" + `, or a
workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) whose pod template
mounts a ` + "`persistentVolumeClaim`" + ` volume. A schedule covers a namespace when
` + "`spec.template.includedNamespaces`" + ` is empty, contains ` + "`*`" + ` or names it (glob patterns
such as ` + "`team-*`" + ` are matched), and ` + "`excludedNamespaces`" + ` does not. A schedule with a
` + "`labelSelector`" + ` or ` + "`orLabelSelectors`" + ` only covers data objects whose labels it matches
(a claim's own labels; for a StatefulSet's claim templates, the template's labels and the
StatefulSet selector's labels; for a mounting workload, its pod labels). Paused schedules
(` + "`spec.paused: true`" + `) cover nothing.

One finding is reported per namespace with uncovered data, on its first uncovered data object,
listing the uncovered objects and naming the schedules that were considered and why each misses
it. The rule runs only when the scan contains at least
one Velero Schedule; without any, it cannot tell whether backups are managed elsewhere.

What it cannot see: schedules created outside the repository (velero CLI, another repository),
one-off ` + "`Backup`" + ` objects, provider snapshots and backup tools other than Velero, data
that lives outside the cluster (managed databases, object storage), and whether the schedule
actually snapshots volumes (` + "`snapshotVolumes`" + `, file-system backup) or succeeds. Claims
created at run time by operators are invisible until they are in the manifests.`,
	Remediation: "Add the namespace to a Velero Schedule's spec.template.includedNamespaces (or remove it from excludedNamespaces), or suppress the finding when its data is backed up by other means.",
	Tags:        []string{"backup", "data", "upgrade"},
	Global:      true,
	Check: func(p *Pass) {
		var schedules []*veleroSchedule
		for _, o := range p.Objects {
			if o.Kind == "Schedule" && o.Group() == "velero.io" {
				schedules = append(schedules, newVeleroSchedule(o))
			}
		}
		if len(schedules) == 0 {
			return
		}
		sort.SliceStable(schedules, func(i, j int) bool { return schedules[i].name < schedules[j].name })
		byNS := map[string][]dataObject{}
		for _, o := range p.Objects {
			for _, d := range persistentData(o) {
				ns := o.EffectiveNamespace()
				byNS[ns] = append(byNS[ns], d)
			}
		}
		nss := make([]string, 0, len(byNS))
		for ns := range byNS {
			nss = append(nss, ns)
		}
		sort.Strings(nss)
		for _, ns := range nss {
			data := byNS[ns]
			sort.SliceStable(data, func(i, j int) bool { return objLess(data[i].obj, data[j].obj) })
			var uncovered []dataObject
			var reasons []string
			for _, d := range data {
				var why []string
				for _, s := range schedules {
					r := s.misses(ns, d)
					if r == "" {
						why = nil
						break
					}
					why = append(why, s.name+" ("+r+")")
				}
				if why != nil {
					if uncovered == nil {
						reasons = why
					}
					uncovered = append(uncovered, d)
				}
			}
			if len(uncovered) == 0 {
				continue
			}
			what := make([]string, 0, 4)
			for i, d := range uncovered {
				if i == 3 {
					what = append(what, fmt.Sprintf("%d more", len(uncovered)-3))
					break
				}
				what = append(what, d.describe)
			}
			data = uncovered
			p.Report(Diagnostic{Object: data[0].obj, Path: data[0].path,
				Message: fmt.Sprintf("namespace %q holds persistent data (%s) that no Velero Schedule of the scan backs up; schedules considered: %s",
					ns, strings.Join(what, ", "), strings.Join(reasons, "; "))})
		}
	},
}

// dataObject is one piece of persistent data: the object, the field path that
// shows it and the labels a Velero label selector would see.
type dataObject struct {
	obj      *model.Object
	path     string
	describe string
	labels   labels.Set
}

// persistentData returns what o holds that a volume backup must cover.
func persistentData(o *model.Object) []dataObject {
	if o.Kind == "PersistentVolumeClaim" && o.Group() == "" {
		return []dataObject{{obj: o, path: "metadata.name", describe: "PersistentVolumeClaim " + o.Name, labels: o.Labels()}}
	}
	var out []dataObject
	if o.Kind == "StatefulSet" && o.Group() == "apps" {
		vcts, _ := mapAt(o, "spec")["volumeClaimTemplates"].([]any)
		if len(vcts) > 0 {
			ls := labels.Set{}
			sel, _ := mapAt(o, "spec.selector")["matchLabels"].(map[string]any)
			for k, v := range stringMap(sel) {
				ls[k] = v
			}
			if m, ok := vcts[0].(map[string]any); ok {
				meta, _ := m["metadata"].(map[string]any)
				for k, v := range stringMap(meta["labels"]) {
					ls[k] = v
				}
			}
			out = append(out, dataObject{obj: o, path: "spec.volumeClaimTemplates", describe: "StatefulSet " + o.Name + " volumeClaimTemplates", labels: ls})
		}
	}
	t, ok := podTemplateOf(o)
	if !ok {
		return out
	}
	vols, _ := t.Spec["volumes"].([]any)
	for i, v := range vols {
		m, _ := v.(map[string]any)
		if pvc, ok := m["persistentVolumeClaim"].(map[string]any); ok {
			claim, _ := pvc["claimName"].(string)
			out = append(out, dataObject{obj: o, path: model.JoinIndex(t.SpecPath+".volumes", i) + ".persistentVolumeClaim",
				describe: fmt.Sprintf("%s mounts claim %q", kindName(o), claim), labels: t.Labels()})
			break
		}
	}
	return out
}

// veleroSchedule is the namespace and label scope of one Schedule.
type veleroSchedule struct {
	name               string
	paused             bool
	included, excluded []string
	selectors          []labels.Selector
	selectorText       string
	badSelector        bool
}

func newVeleroSchedule(o *model.Object) *veleroSchedule {
	s := &veleroSchedule{name: o.Name}
	if o.Namespace != "" {
		s.name = o.Namespace + "/" + o.Name
	}
	s.paused, _ = mapAt(o, "spec")["paused"].(bool)
	tmpl := mapAt(o, "spec.template")
	s.included = stringList(tmpl["includedNamespaces"])
	s.excluded = stringList(tmpl["excludedNamespaces"])
	var texts []string
	if v, ok := tmpl["labelSelector"]; ok && v != nil {
		sel, err := labelSelector(v)
		if err != nil {
			s.badSelector = true
		} else {
			s.selectors = append(s.selectors, sel)
			texts = append(texts, sel.String())
		}
	}
	ors, _ := tmpl["orLabelSelectors"].([]any)
	for _, v := range ors {
		sel, err := labelSelector(v)
		if err != nil {
			s.badSelector = true
			continue
		}
		s.selectors = append(s.selectors, sel)
		texts = append(texts, sel.String())
	}
	s.selectorText = strings.Join(texts, " or ")
	return s
}

func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := str(x); ok {
			out = append(out, s)
		}
	}
	return out
}

// globMatch matches a Velero namespace pattern; malformed patterns only match
// themselves.
func globMatch(pattern, ns string) bool {
	if pattern == "*" || pattern == ns {
		return true
	}
	ok, err := path.Match(pattern, ns)
	return err == nil && ok
}

// misses returns why the schedule does not back up data object d of
// namespace ns, or "" when it does.
func (s *veleroSchedule) misses(ns string, d dataObject) string {
	if s.paused {
		return "paused"
	}
	if len(s.included) > 0 {
		in := false
		for _, pat := range s.included {
			if globMatch(pat, ns) {
				in = true
				break
			}
		}
		if !in {
			return "includedNamespaces: " + strings.Join(s.included, ", ")
		}
	}
	for _, pat := range s.excluded {
		if globMatch(pat, ns) {
			return "excludedNamespaces: " + pat
		}
	}
	if s.badSelector && len(s.selectors) == 0 {
		// An invalid selector is left to schema validation; do not claim a
		// miss that rests on it.
		return ""
	}
	if len(s.selectors) == 0 {
		return ""
	}
	for _, sel := range s.selectors {
		if sel.Matches(d.labels) {
			return ""
		}
	}
	return "labelSelector " + s.selectorText + " does not match its labels"
}
