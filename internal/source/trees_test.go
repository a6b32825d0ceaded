package source

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// treeText is a file of several documents, with a leading comment, a
// directive, a block scalar and an alias, whose positions a tree parsed
// again must reproduce.
const treeText = `# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  script: |
    echo hi
    echo there
---
%YAML 1.2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: second
  labels: &labels
    app: second
spec:
  template:
    metadata:
      labels: *labels
    spec:
      containers:
        - name: app
          image: nginx
---
kind: Service
metadata: {name: third, namespace: "ns"}
`

// positions lists every node of a tree with its position, kind and value,
// in document order.
func positions(n *yaml.Node) []string {
	var out []string
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		out = append(out, fmt.Sprintf("%d:%d %d %q", n.Line, n.Column, n.Kind, n.Value))
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

func TestKeepTreesParsesDroppedTreesAgainTheSame(t *testing.T) {
	files := map[string]string{"a.yaml": treeText, "b.yaml": strings.ReplaceAll(treeText, "first", "other")}
	whole := openRepo(t, files)
	bounded := openRepo(t, files)
	bounded.KeepTrees(1) // every tree but the last document's goes
	for _, rel := range []string{"a.yaml", "b.yaml"} {
		want, err := whole.File(rel)
		if err != nil {
			t.Fatal(err)
		}
		got, err := bounded.File(rel)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Docs) != 3 || len(want.Docs) != 3 {
			t.Fatalf("%s: %d and %d documents, want 3", rel, len(got.Docs), len(want.Docs))
		}
		for i, d := range got.Docs {
			w := positions(want.Docs[i].Root())
			g := positions(d.Root())
			if strings.Join(g, "\n") != strings.Join(w, "\n") {
				t.Errorf("%s document %d parsed again:\n%s\nwant\n%s", rel, i, strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
			if d.Str("metadata", "name") != want.Docs[i].Str("metadata", "name") {
				t.Errorf("%s document %d: name %q, want %q", rel, i, d.Str("metadata", "name"), want.Docs[i].Str("metadata", "name"))
			}
		}
	}
	if whole.Reparsed() != 0 {
		t.Errorf("a repository without a budget parsed %d trees again", whole.Reparsed())
	}
	if bounded.Reparsed() == 0 {
		t.Error("no tree was parsed again under a budget of one line")
	}
}

func TestKeepTreesDropsOnlyPastTheBudget(t *testing.T) {
	files := map[string]string{}
	for i := range 10 {
		files[fmt.Sprintf("f%d.yaml", i)] = fmt.Sprintf("kind: ConfigMap\nmetadata:\n  name: c%d\n", i)
	}
	r := openRepo(t, files)
	r.KeepTrees(4 * 4) // four documents of four lines (the last one empty)
	var docs []*Document
	for i := range 10 {
		f, err := r.File(fmt.Sprintf("f%d.yaml", i))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, f.Docs...)
	}
	for i, d := range docs {
		d.mu.Lock()
		kept := d.node != nil
		d.mu.Unlock()
		if want := i >= 6; kept != want {
			t.Errorf("document %d keeps its tree: %v, want %v (the four newest)", i, kept, want)
		}
	}
	// Reading an old document parses it again and makes it the newest:
	// the oldest kept one goes instead.
	if got := docs[0].Str("metadata", "name"); got != "c0" {
		t.Errorf("name %q, want c0", got)
	}
	if r.Reparsed() != 1 {
		t.Errorf("%d trees parsed again, want 1", r.Reparsed())
	}
	docs[6].mu.Lock()
	dropped := docs[6].node == nil
	docs[6].mu.Unlock()
	if !dropped {
		t.Error("the oldest kept tree was not dropped when an old one came back")
	}
	r.Forget()
	for i, d := range docs {
		d.mu.Lock()
		if d.node != nil {
			t.Errorf("document %d keeps its tree after Forget", i)
		}
		d.mu.Unlock()
	}
}

// TestKeepTreesConcurrent reads documents from several goroutines while
// their trees come and go; run with -race.
func TestKeepTreesConcurrent(t *testing.T) {
	files := map[string]string{}
	for i := range 8 {
		files[fmt.Sprintf("f%d.yaml", i)] = treeText
	}
	r := openRepo(t, files)
	r.KeepTrees(10)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 40 {
				f, err := r.File(fmt.Sprintf("f%d.yaml", (g+i)%8))
				if err != nil {
					t.Error(err)
					return
				}
				if got := f.Docs[1].PosOf([]string{"spec", "template", "spec", "containers", "0", "image"}); got.Line != 26 || got.Col != 11 {
					t.Errorf("image at %d:%d, want 26:11", got.Line, got.Col)
					return
				}
				if i%10 == 0 {
					r.Forget()
				}
			}
		})
	}
	wg.Wait()
}

// TestParsedLines checks that ParsedLines counts the lines of each file
// parsed once, however often it is asked for, and starts again at Forget.
func TestParsedLines(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a.yaml": "a: 1\nb: 2\nc: 3\n",
		"b.yaml": "---\nx: 1\n---\ny: 2\n",
	})
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := repo.ParsedLines(); got != 0 {
		t.Fatalf("ParsedLines before any parse = %d, want 0", got)
	}
	var want int
	for _, rel := range []string{"a.yaml", "b.yaml", "a.yaml"} {
		f, err := repo.File(rel)
		if err != nil {
			t.Fatal(err)
		}
		if rel == "b.yaml" || want == 0 {
			want += len(f.Lines)
		}
	}
	if got := repo.ParsedLines(); got != want || want < 7 {
		t.Fatalf("ParsedLines = %d, want %d (each file once)", got, want)
	}
	repo.Forget()
	if got := repo.ParsedLines(); got != 0 {
		t.Fatalf("ParsedLines after Forget = %d, want 0", got)
	}
	if _, err := repo.File("b.yaml"); err != nil {
		t.Fatal(err)
	}
	if got := repo.ParsedLines(); got == 0 || got >= want {
		t.Fatalf("ParsedLines after parsing b.yaml again = %d, want its lines alone", got)
	}
}
