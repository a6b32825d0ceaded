// Command schemavalidate validates every object in the YAML files of a
// folder with fluxlint's schema validator (internal/schema: the embedded
// Kubernetes and Flux schemas, and the Flux CRDs' CEL rules), the way
// kubeconform validates a folder, and prints how many objects were valid.
// bench/validate.sh times it beside kubeconform.
//
//	go -C tools run ./schemavalidate [-kubernetes-version 1.37] [-workers N] DIR
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/schema"
)

func main() {
	kube := flag.String("kubernetes-version", "", "Kubernetes version of the schemas (default: the newest embedded)")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "files validated at once")
	flag.Parse()
	if flag.NArg() != 1 || *workers < 1 {
		fmt.Fprintln(os.Stderr, "usage: schemavalidate [-kubernetes-version V] [-workers N] DIR")
		os.Exit(2)
	}
	sum, err := run(flag.Arg(0), *kube, *workers)
	if err != nil {
		fmt.Fprintf(os.Stderr, "schemavalidate: %v\n", err)
		os.Exit(2)
	}
	fmt.Printf("Summary: %d objects in %d files - valid: %d, invalid: %d, no schema: %d\n",
		sum.objects, sum.files, sum.valid, sum.invalid, sum.noSchema)
	if sum.invalid > 0 {
		os.Exit(1)
	}
}

type summary struct {
	files, objects, valid, invalid, noSchema int
}

func (s *summary) add(o summary) {
	s.files += o.files
	s.objects += o.objects
	s.valid += o.valid
	s.invalid += o.invalid
	s.noSchema += o.noSchema
}

func run(dir, kube string, workers int) (summary, error) {
	v, err := schema.NewWithOptions(schema.Options{KubernetesVersion: kube, Offline: true})
	if err != nil {
		return summary{}, err
	}
	var files []string
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		return summary{}, err
	}
	sort.Strings(files)
	var (
		mu    sync.Mutex
		total summary
		errs  []error
		wg    sync.WaitGroup
		next  = make(chan string)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				s, err := validateFile(v, f)
				mu.Lock()
				total.add(s)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return total, errors.Join(errs...)
}

// validateFile validates each document of one file.
func validateFile(v *schema.Validator, path string) (summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return summary{}, err
	}
	s := summary{files: 1}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var obj map[string]any
		err := dec.Decode(&obj)
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		if err != nil {
			return s, fmt.Errorf("%s: %w", path, err)
		}
		if obj == nil {
			continue
		}
		s.objects++
		switch res := v.ValidateIn(context.Background(), obj, nil, schema.ValidateOptions{}); res.Status {
		case schema.Valid:
			s.valid++
		case schema.NoSchema:
			s.noSchema++
		default:
			s.invalid++
			for _, viol := range res.Violations {
				fmt.Fprintf(os.Stderr, "%s: %v %s: %s\n", path, obj["kind"], strings.Join(viol.Path, "."), viol.Message)
			}
		}
	}
}
