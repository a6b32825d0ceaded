package helm

import (
	"fmt"
	"reflect"
	"strings"
	texttemplate "text/template"

	"github.com/Masterminds/sprig/v3"
)

// Limits on what one template function may return. A template that grows
// a string or a list without bound (doubling it in a loop, say) would use
// all the memory of the machine long before a render's time limit: Go
// cannot bound the memory of one goroutine, so the functions that can
// multiply a value's size refuse to go past these. Helm's engine turns
// their panic into a render error, reported as helm-template.
const (
	// MaxTemplateString is the longest string a template function returns.
	MaxTemplateString = 32 << 20
	// MaxTemplateList is the longest list a template function returns.
	MaxTemplateList = 1 << 20
)

// growers are the functions, of text/template and sprig, whose result can
// be much larger than any one argument.
var growers = []string{"cat", "join", "replace", "concat", "append", "prepend", "list", "nindent", "indent", "toYaml", "toJson", "toPrettyJson"}

// guardedFuncs returns the template functions that replace Helm's own to
// keep templates within the limits.
func guardedFuncs() texttemplate.FuncMap {
	funcs := texttemplate.FuncMap{
		"print":   func(a ...any) string { return checkedString(fmt.Sprint(a...)) },
		"printf":  func(f string, a ...any) string { return checkedString(fmt.Sprintf(f, a...)) },
		"println": func(a ...any) string { return checkedString(fmt.Sprintln(a...)) },
		"repeat": func(count int, s string) string {
			if count > 0 && len(s) > 0 && count > MaxTemplateString/len(s) {
				panic(tooLarge("repeat", "string"))
			}
			return strings.Repeat(s, max(count, 0))
		},
		"until": func(count int) []int { return intRange(0, count, 1) },
		"untilStep": func(start, stop, step int) []int {
			return intRange(start, stop, step)
		},
	}
	sprigFuncs := sprig.TxtFuncMap()
	for _, name := range growers {
		if fn, ok := sprigFuncs[name]; ok {
			funcs[name] = checked(name, fn)
		}
	}
	return funcs
}

// intRange is sprig's untilStep within MaxTemplateList.
func intRange(start, stop, step int) []int {
	if step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop) {
		return []int{}
	}
	span := stop - start
	if step < 0 {
		span, step = -span, -step
	}
	if span/step > MaxTemplateList {
		panic(tooLarge("until", "list"))
	}
	out := make([]int, 0, span/step+1)
	if start < stop {
		for i := start; i < stop; i += step {
			out = append(out, i)
		}
		return out
	}
	for i := start; i > stop; i -= step {
		out = append(out, i)
	}
	return out
}

// checked wraps a function so that a string or a list it returns over the
// limits panics.
func checked(name string, fn any) any {
	v := reflect.ValueOf(fn)
	return reflect.MakeFunc(v.Type(), func(args []reflect.Value) []reflect.Value {
		var out []reflect.Value
		if v.Type().IsVariadic() {
			out = v.CallSlice(args)
		} else {
			out = v.Call(args)
		}
		if len(out) > 0 {
			r := out[0]
			if r.Kind() == reflect.Interface && !r.IsNil() {
				r = r.Elem()
			}
			switch r.Kind() {
			case reflect.String:
				if r.Len() > MaxTemplateString {
					panic(tooLarge(name, "string"))
				}
			case reflect.Slice:
				if r.Len() > MaxTemplateList {
					panic(tooLarge(name, "list"))
				}
			}
		}
		return out
	}).Interface()
}

func checkedString(s string) string {
	if len(s) > MaxTemplateString {
		panic(tooLarge("print", "string"))
	}
	return s
}

func tooLarge(fn, what string) string {
	limit := fmt.Sprintf("%d MiB", MaxTemplateString>>20)
	if what == "list" {
		limit = fmt.Sprintf("%d elements", MaxTemplateList)
	}
	return fmt.Sprintf("%s would return a %s over %s: the template grows without bound", fn, what, limit)
}
