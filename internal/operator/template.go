package operator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/template"

	sprig "github.com/go-task/slim-sprig/v3"
	"github.com/gosimple/slug"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	yamlutil "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Limits on the work of one expansion. The operator has none but its
// 10,000 permutations; fluxlint must not let a repository exhaust it.
const (
	// MaxObjects caps the objects one ResourceSet may generate.
	MaxObjects = 10000
	// MaxOutputBytes caps the text the templates of one ResourceSet may write.
	MaxOutputBytes = 16 << 20
	// maxSequence caps the length of one list from until, untilStep or seq.
	maxSequence = 100000
	// slugMaxLength is the operator's slug.MaxLength: the longest label value.
	slugMaxLength = 63
)

// errOutputLimit is returned once the templates wrote MaxOutputBytes.
var errOutputLimit = fmt.Errorf("templates wrote more than %d bytes", MaxOutputBytes)

// budget is the output one expansion may still write, shared by its
// template executions, and the context that can cancel them.
type budget struct {
	ctx  context.Context
	left int
}

// limitedWriter writes to a buffer until the budget is spent or the
// context is cancelled; text/template stops at the first write error.
type limitedWriter struct {
	buf *bytes.Buffer
	b   *budget
}

func (w limitedWriter) Write(p []byte) (int, error) {
	if err := w.b.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) > w.b.left {
		w.b.left = 0
		return 0, errOutputLimit
	}
	w.b.left -= len(p)
	return w.buf.Write(p)
}

// newTemplate parses text as the operator does (builder.newTemplate):
// delimiters << >>, slim-sprig's hermetic functions, slugify, inputs,
// toYaml and mustToYaml, and missingkey=error. Functions that could
// allocate without bound are wrapped to fail past the budget instead.
func newTemplate(text string, inputs map[string]any, b *budget) (*template.Template, error) {
	return template.New("resourceset").
		Delims("<<", ">>").
		Funcs(sprig.HermeticTxtFuncMap()).
		Funcs(boundedFuncs(b)).
		Funcs(template.FuncMap{
			"slugify":    slugify,
			"inputs":     func() any { return inputs },
			"toYaml":     toYaml,
			"mustToYaml": mustToYaml,
		}).
		Option("missingkey=error").
		Parse(text)
}

// execute runs text with inputs and returns what it wrote.
func execute(text string, inputs map[string]any, b *budget) (string, error) {
	tp, err := newTemplate(text, inputs, b)
	if err != nil {
		return "", fmt.Errorf("failed to parse template: %w", err)
	}
	var buf bytes.Buffer
	if err := tp.Execute(limitedWriter{buf: &buf, b: b}, nil); err != nil {
		return "", fmt.Errorf("failed to execute template: %w", err)
	}
	return buf.String(), nil
}

// slugify is the operator's slugify: gosimple/slug's Make with the
// operator's settings, MaxLength 63 with smart truncation. The operator
// sets those as package variables of gosimple/slug; fluxlint leaves them
// at their defaults (no truncation) and truncates here the way slug's
// smart truncation does: at the last "-" at or before index 63, or at 63.
func slugify(s string) string {
	out := slug.Make(s)
	if len(out) <= slugMaxLength {
		return out
	}
	if i := strings.LastIndexByte(out[:slugMaxLength+1], '-'); i >= 0 {
		return out[:i]
	}
	return out[:slugMaxLength]
}

// toYaml encodes v as YAML, or "" when it cannot.
func toYaml(v any) string {
	s, err := mustToYaml(v)
	if err != nil {
		return ""
	}
	return s
}

// mustToYaml encodes v as YAML.
func mustToYaml(v any) (string, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// boundedFuncs replaces the slim-sprig functions whose result size the
// caller chooses: lists longer than maxSequence and strings longer than
// the output budget fail instead of exhausting memory. Within the bounds
// they return what slim-sprig returns.
func boundedFuncs(b *budget) template.FuncMap {
	funcs := sprig.HermeticTxtFuncMap()
	until, _ := funcs["until"].(func(int) []int)
	untilStep, _ := funcs["untilStep"].(func(int, int, int) []int)
	seq, _ := funcs["seq"].(func(...int) string)
	repeat, _ := funcs["repeat"].(func(int, string) string)
	indent, _ := funcs["indent"].(func(int, string) string)
	nindent, _ := funcs["nindent"].(func(int, string) string)
	return template.FuncMap{
		"until": func(n int) ([]int, error) {
			if err := checkSeq(0, n, 1); err != nil {
				return nil, err
			}
			return until(n), nil
		},
		"untilStep": func(start, stop, step int) ([]int, error) {
			if err := checkSeq(start, stop, step); err != nil {
				return nil, err
			}
			return untilStep(start, stop, step), nil
		},
		"seq": func(params ...int) (string, error) {
			if len(params) > 0 {
				if err := checkSeq(params[0], params[len(params)-1], 1); err != nil {
					return "", err
				}
			}
			return seq(params...), nil
		},
		"repeat": func(n int, s string) (string, error) {
			if err := b.checkSize(n, len(s)); err != nil {
				return "", err
			}
			return repeat(n, s), nil
		},
		"indent": func(n int, s string) (string, error) {
			if err := b.checkSize(n, strings.Count(s, "\n")+1); err != nil {
				return "", err
			}
			return indent(n, s), nil
		},
		"nindent": func(n int, s string) (string, error) {
			if err := b.checkSize(n, strings.Count(s, "\n")+1); err != nil {
				return "", err
			}
			return nindent(n, s), nil
		},
	}
}

// checkSeq fails when a sequence from start to stop would be longer than
// maxSequence, whatever the step (a step of 0 or the wrong sign gives an
// empty list, which is checked by the caller's function itself).
func checkSeq(start, stop, step int) error {
	n := stop - start
	if n < 0 {
		n = -n
	}
	if step < 0 {
		step = -step
	}
	if step > 1 {
		n /= step
	}
	if n > maxSequence {
		return fmt.Errorf("sequence of %d elements exceeds fluxlint's limit of %d", n, maxSequence)
	}
	return nil
}

// checkSize fails when count copies of size bytes exceed the output budget.
func (b *budget) checkSize(count, size int) error {
	if count > 0 && size > 0 && count > b.left/size {
		return errOutputLimit
	}
	return nil
}

// readObject decodes the first YAML or JSON document of text into an
// object, as fluxcd/pkg/ssa ReadObject does for spec.resources: a
// document without kind is an error.
func readObject(text string) (map[string]any, error) {
	obj := &unstructured.Unstructured{}
	if err := yamlutil.NewYAMLOrJSONDecoder(strings.NewReader(text), 2048).Decode(obj); err != nil {
		return nil, fmt.Errorf("failed to read object: %w", err)
	}
	return obj.Object, nil
}

// readObjects decodes every document of text, as fluxcd/pkg/ssa
// ReadObjects does for spec.resourcesTemplate: lists are expanded, and
// documents without apiVersion, kind or name, and kustomize's own
// Kustomization files, are dropped.
func readObjects(text string) ([]map[string]any, error) {
	dec := yamlutil.NewYAMLOrJSONDecoder(strings.NewReader(text), 2048)
	var out []map[string]any
	for {
		obj := &unstructured.Unstructured{}
		err := dec.Decode(obj)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("failed to read objects from multi-doc YAML: %w", err)
		}
		if obj.IsList() {
			err := obj.EachListItem(func(item runtime.Object) error {
				if u, ok := item.(*unstructured.Unstructured); ok {
					out = append(out, u.Object)
				}
				return nil
			})
			if err != nil {
				return out, err
			}
			continue
		}
		if isKubernetesObject(obj) {
			out = append(out, obj.Object)
		}
	}
}

// isKubernetesObject reports whether obj has apiVersion, kind and name and
// is not a kustomize.config.k8s.io Kustomization.
func isKubernetesObject(obj *unstructured.Unstructured) bool {
	if obj.GetName() == "" || obj.GetKind() == "" || obj.GetAPIVersion() == "" {
		return false
	}
	return !strings.EqualFold(obj.GetKind(), "kustomization") ||
		!strings.HasPrefix(obj.GetAPIVersion(), "kustomize.config.k8s.io/")
}
