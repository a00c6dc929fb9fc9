package rules

// Helpers shared by the workload rules: where a kind keeps its pod template,
// container iteration with field paths, and tolerant readers for values that
// may be numbers, strings, percentages or unrendered template text. Every
// reader returns ok=false instead of guessing, so rules stay silent on values
// they cannot interpret.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/quantity"
	podtemplate "github.com/kupgrade-lint/kupgrade-lint/pkg/workload"
)

// podTemplate is the pod part of an object: a Pod itself or the template of a
// controller.
type podTemplate struct {
	// MetaPath and SpecPath are field paths of the pod metadata and spec
	// ("spec.template.metadata", "spec.template.spec").
	MetaPath, SpecPath string
	Meta, Spec         map[string]any
}

// isWorkloadKind reports whether o is a built-in kind with a pod template.
func isWorkloadKind(o *model.Object) bool {
	_, _, _, ok := podtemplate.Template(o)
	return ok
}

// podTemplateOf returns o's pod template.
func podTemplateOf(o *model.Object) (podTemplate, bool) {
	meta, spec, _, ok := podtemplate.Template(o)
	if !ok {
		return podTemplate{}, false
	}
	t := podTemplate{MetaPath: meta, SpecPath: spec}
	t.Meta = mapAt(o, t.MetaPath)
	t.Spec = mapAt(o, t.SpecPath)
	return t, t.Spec != nil
}

// servingPodTemplate is podTemplateOf for the resource and drain rules:
// Helm test hooks (helm.sh/hook: test) are pods that run once on `helm
// test` and are deleted, so nodes never carry or drain them.
func servingPodTemplate(o *model.Object) (podTemplate, bool) {
	if isHelmTestHook(o) {
		return podTemplate{}, false
	}
	return podTemplateOf(o)
}

// isHelmTestHook reports a helm.sh/hook annotation naming a test hook
// (test, or Helm 2's test-success and test-failure).
func isHelmTestHook(o *model.Object) bool {
	md, _ := o.Data["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	hooks, _ := ann["helm.sh/hook"].(string)
	for _, h := range strings.Split(hooks, ",") {
		switch strings.TrimSpace(h) {
		case "test", "test-success", "test-failure":
			return true
		}
	}
	return false
}

// genericPodTemplate finds spec.template in objects of any kind (custom
// workloads such as Argo Rollouts); it is only used to avoid claiming that a
// selector matches nothing.
func genericPodTemplate(o *model.Object) (podTemplate, bool) {
	if t, ok := podTemplateOf(o); ok {
		return t, true
	}
	t := podTemplate{MetaPath: "spec.template.metadata", SpecPath: "spec.template.spec"}
	t.Meta = mapAt(o, t.MetaPath)
	t.Spec = mapAt(o, t.SpecPath)
	return t, t.Spec != nil && t.Meta != nil
}

// Labels returns the pod labels of the template.
func (t podTemplate) Labels() labels.Set {
	return stringMap(t.Meta["labels"])
}

// Annotations returns the pod annotations of the template.
func (t podTemplate) Annotations() map[string]string {
	return stringMap(t.Meta["annotations"])
}

// container is one container of a pod template.
type container struct {
	Name string
	// Path is the container's field path (spec.template.spec.containers[1]).
	Path string
	// Init is true for init containers (including restartable sidecars).
	Init bool
	// Index is the container's index in its list.
	Index int
	Data  map[string]any
}

// Label names the container in messages.
func (c container) Label() string {
	if c.Init {
		return fmt.Sprintf("init container %q", c.Name)
	}
	return fmt.Sprintf("container %q", c.Name)
}

// containers lists init containers, then containers. Ephemeral containers are
// left out: they are never part of a manifest's template.
func (t podTemplate) containers() []container {
	var out []container
	for _, list := range []struct {
		key  string
		init bool
	}{{"initContainers", true}, {"containers", false}} {
		items, _ := t.Spec[list.key].([]any)
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				continue
			}
			name, _ := m["name"].(string)
			if name == "" {
				name = fmt.Sprintf("#%d", i)
			}
			out = append(out, container{Name: name, Path: model.JoinIndex(t.SpecPath+"."+list.key, i), Init: list.init, Index: i, Data: m})
		}
	}
	return out
}

// mapAt returns the mapping at a dotted path of plain keys, or nil. It is on
// the hot path of the workload index, so it splits by hand instead of
// parsing a general field path.
func mapAt(o *model.Object, path string) map[string]any {
	cur := o.Data
	for path != "" && cur != nil {
		key := path
		if i := strings.IndexByte(path, '.'); i >= 0 {
			key, path = path[:i], path[i+1:]
		} else {
			path = ""
		}
		cur, _ = cur[key].(map[string]any)
	}
	return cur
}

// str returns v as a string when it is a scalar.
func str(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(t), true
	}
	return "", false
}

// text formats a scalar for messages.
func text(v any) string {
	if s, ok := str(v); ok {
		return s
	}
	return fmt.Sprint(v)
}

// stringMap converts a decoded mapping of scalars to strings.
func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if x == nil {
			out[k] = ""
			continue
		}
		if s, ok := str(x); ok {
			out[k] = s
		}
	}
	return out
}

// intValue reads a whole number that may have been written as 3, 3.0 or "3".
func intValue(v any) (int, bool) {
	switch t := v.(type) {
	case int:
		return t, true
	case int64:
		return int(t), true
	case uint64:
		if t > math.MaxInt32 {
			return 0, false
		}
		return int(t), true
	case float64:
		if t != math.Trunc(t) || math.Abs(t) > math.MaxInt32 {
			return 0, false
		}
		return int(t), true
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(t))
		return n, err == nil
	}
	return 0, false
}

// intOrPercent is an IntOrString value such as a PDB's minAvailable.
type intOrPercent struct {
	Value     int
	IsPercent bool
	// Text is the value as written, for messages.
	Text string
}

// parseIntOrPercent reads 2, "2" or "50%". Anything else (template text,
// "abc", negative numbers) is not ok.
func parseIntOrPercent(v any) (intOrPercent, bool) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if p, found := strings.CutSuffix(s, "%"); found {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 {
				return intOrPercent{}, false
			}
			return intOrPercent{Value: n, IsPercent: true, Text: s}, true
		}
	}
	n, ok := intValue(v)
	if !ok || n < 0 {
		return intOrPercent{}, false
	}
	return intOrPercent{Value: n, Text: strconv.Itoa(n)}, true
}

// scaled resolves the value against a pod count the way the disruption
// controller does: percentages round up.
func (v intOrPercent) scaled(total int) int {
	if !v.IsPercent {
		return v.Value
	}
	return int(math.Ceil(float64(v.Value) * float64(total) / 100))
}

// quantity parses a resource quantity written as a string or a number.
func parseQuantity(v any) (resource.Quantity, bool) {
	var s string
	switch t := v.(type) {
	case string:
		s = strings.TrimSpace(t)
	case int, int64, uint64:
		s = fmt.Sprint(t)
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	default:
		return resource.Quantity{}, false
	}
	// Guarded: a huge exponent would make the parser run for ever. Values
	// it rejects are reported by schema-invalid (format "quantity").
	q, err := quantity.Parse(s)
	if err != nil {
		return resource.Quantity{}, false
	}
	return q, true
}

// labelSelector converts a decoded LabelSelector mapping to a selector with
// apimachinery semantics: nil selects nothing, {} selects everything. Values
// that are not a valid selector return an error.
func labelSelector(v any) (labels.Selector, error) {
	if v == nil {
		return labels.Nothing(), nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("selector is not a mapping")
	}
	ls := &metav1.LabelSelector{}
	if ml, ok := m["matchLabels"]; ok && ml != nil {
		mm, ok := ml.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("matchLabels is not a mapping")
		}
		ls.MatchLabels = map[string]string{}
		for k, x := range mm {
			s, ok := str(x)
			if !ok && x != nil {
				return nil, fmt.Errorf("matchLabels[%q] is not a string", k)
			}
			ls.MatchLabels[k] = s
		}
	}
	if me, ok := m["matchExpressions"]; ok && me != nil {
		list, ok := me.([]any)
		if !ok {
			return nil, fmt.Errorf("matchExpressions is not a list")
		}
		for i, it := range list {
			em, ok := it.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("matchExpressions[%d] is not a mapping", i)
			}
			key, _ := em["key"].(string)
			op, _ := em["operator"].(string)
			req := metav1.LabelSelectorRequirement{Key: key, Operator: metav1.LabelSelectorOperator(op)}
			vals, _ := em["values"].([]any)
			for _, x := range vals {
				s, ok := str(x)
				if !ok {
					return nil, fmt.Errorf("matchExpressions[%d] has a value that is not a string", i)
				}
				req.Values = append(req.Values, s)
			}
			ls.MatchExpressions = append(ls.MatchExpressions, req)
		}
	}
	return metav1.LabelSelectorAsSelector(ls)
}

// matchLabelPairs returns the matchLabels of a selector mapping as sorted
// "key=value" strings (used to index selectors).
func matchLabelPairs(v any) []string {
	m, _ := v.(map[string]any)
	ml := stringMap(m["matchLabels"])
	out := make([]string, 0, len(ml))
	for k, x := range ml {
		out = append(out, k+"="+x)
	}
	sort.Strings(out)
	return out
}

// kindName names an object in messages: "Deployment web".
func kindName(o *model.Object) string {
	return o.Kind + " " + o.Name
}

// containerResources is a container's resources block.
type containerResources struct {
	Requests, Limits map[string]any
	// Path points at resources.requests, resources or the container,
	// whichever exists, so findings land on a real line.
	Path string
	Base string // path of the resources field
}

func resourcesOf(c container) containerResources {
	r := containerResources{Base: c.Path + ".resources", Path: c.Path}
	res, ok := c.Data["resources"].(map[string]any)
	if !ok {
		return r
	}
	r.Path = r.Base
	r.Requests, _ = res["requests"].(map[string]any)
	r.Limits, _ = res["limits"].(map[string]any)
	return r
}

// has reports whether m sets resource name to a value.
func has(m map[string]any, name string) bool {
	v, ok := m[name]
	return ok && v != nil
}

// podLevel returns spec.resources requests and limits (PodLevelResources).
func (t podTemplate) podLevel() (requests, limits map[string]any) {
	res, _ := t.Spec["resources"].(map[string]any)
	requests, _ = res["requests"].(map[string]any)
	limits, _ = res["limits"].(map[string]any)
	return requests, limits
}

const sharedLimitRanges = "limitranges"

// limitDefaults are container defaults that LimitRanges of a namespace
// apply at admission: default (limits) and defaultRequest.
type limitDefaults struct {
	Requests, Limits map[string]bool
}

// limitRangesOf indexes the Container defaults of every LimitRange in the
// scan by namespace.
func limitRangesOf(p *Pass) map[string]*limitDefaults {
	return p.Shared(sharedLimitRanges, func() any {
		out := map[string]*limitDefaults{}
		for _, o := range p.Objects {
			if o.Kind != "LimitRange" || o.Group() != "" {
				continue
			}
			items, _ := mapAt(o, "spec")["limits"].([]any)
			for _, it := range items {
				m, _ := it.(map[string]any)
				if typ, _ := m["type"].(string); typ != "Container" {
					continue
				}
				d := out[o.EffectiveNamespace()]
				if d == nil {
					d = &limitDefaults{Requests: map[string]bool{}, Limits: map[string]bool{}}
					out[o.EffectiveNamespace()] = d
				}
				for k := range stringMap(m["defaultRequest"]) {
					d.Requests[k] = true
				}
				for k := range stringMap(m["default"]) {
					// A default limit also defaults the request.
					d.Limits[k], d.Requests[k] = true, true
				}
			}
		}
		return out
	}).(map[string]*limitDefaults)
}

// workloadKinds are the kinds with pod templates, for per-object rules.
var workloadKinds = podtemplate.Kinds()

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
