package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"io"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/cache"
)

// outputs is the bucket of rendered manifests, keyed by everything the
// render reads, under the release's salt (the fluxlint build). A record
// is the manifests as JSON (cachedManifest), sealed when the release has
// secrets: decoding JSON costs a fraction of parsing the YAML stream
// again, which a warm run did for every release (v1 kept the stream).
func outputs(r Release) cache.Bucket {
	return cache.Bucket{Store: r.Cache, Name: "helm-output-v2", Salt: r.CacheSalt}
}

// A cachedManifest is a Manifest as the helm-output record keeps it: its
// content as splitManifest decoded it (through JSON, so JSON gives back
// the same values), and its text.
type cachedManifest struct {
	Template string         `json:"template"`
	Content  map[string]any `json:"content"`
	Text     string         `json:"text"`
}

// loadOutput returns the manifests the cache keeps under key, if any. A
// record that does not open or decode, or holds a manifest without
// content (splitManifest keeps none), is a miss: records are untrusted.
func loadOutput(r Release, key string) ([]Manifest, bool) {
	var sealed []byte
	if key == "" || !outputs(r).Load(key, &sealed) {
		return nil, false
	}
	data, err := unseal(sealed, r.CacheSalt, r.Secrets)
	if err != nil {
		return nil, false
	}
	var kept []cachedManifest
	if json.Unmarshal(data, &kept) != nil {
		return nil, false
	}
	out := make([]Manifest, len(kept))
	for i, m := range kept {
		if len(m.Content) == 0 {
			return nil, false
		}
		out[i] = Manifest{Template: m.Template, Content: m.Content, text: m.Text}
	}
	return out, true
}

// keepOutput keeps a render's manifests under key; one that cannot be
// encoded or sealed only makes the next run render again.
func keepOutput(r Release, key string, manifests []Manifest) {
	if key == "" {
		return
	}
	kept := make([]cachedManifest, len(manifests))
	for i, m := range manifests {
		kept[i] = cachedManifest{Template: m.Template, Content: m.Content, Text: m.text}
	}
	data, err := json.Marshal(kept)
	if err != nil {
		return
	}
	if sealed, err := seal(data, r.CacheSalt, r.Secrets); err == nil {
		outputs(r).Keep(key, sealed)
	}
}

// outputKey returns the key of everything a render depends on: the chart
// with its dependencies, the values, the release's name and namespace, the
// target Kubernetes version and API versions, the options, and the salt.
// Two renders with the same key give the same manifests, so a cached
// stream can stand in for a render.
func outputKey(r Release) (string, error) {
	h := sha256.New()
	field := func(s string) {
		_, _ = io.WriteString(h, s)
		_, _ = h.Write([]byte{0})
	}
	field(r.Name)
	field(r.Namespace)
	field(r.KubeVersion)
	apis := append([]string(nil), r.APIVersions...)
	sort.Strings(apis)
	field(strings.Join(apis, ","))
	field(boolString(r.IncludeCRDs) + boolString(r.SkipSchemaValidation))
	values, err := json.Marshal(r.Values)
	if err != nil {
		return "", err
	}
	field(string(values))
	secrets := append([]string(nil), r.Secrets...)
	sort.Strings(secrets)
	field(strings.Join(secrets, "\x00"))
	if r.ChartKey != "" {
		field("chart " + r.ChartKey)
	} else if r.Chart == nil {
		return "", errors.New("no chart")
	} else if err := hashChart(h, r.Chart); err != nil {
		return "", err
	}
	return outputs(r).Key(hex.EncodeToString(h.Sum(nil))), nil
}

// hashChart writes a chart's content into h: metadata, values, schema,
// templates and files, then each dependency the same way.
func hashChart(h hash.Hash, c *chart.Chart) error {
	meta, err := json.Marshal(c.Metadata)
	if err != nil {
		return err
	}
	values, err := json.Marshal(c.Values)
	if err != nil {
		return err
	}
	write := func(b []byte) {
		_, _ = h.Write(b)
		_, _ = h.Write([]byte{0})
	}
	write(meta)
	write(values)
	write(c.Schema)
	for _, group := range [][]*common.File{c.Templates, c.Files} {
		write([]byte(strconv.Itoa(len(group))))
		for _, f := range group {
			write([]byte(f.Name))
			write(f.Data)
		}
	}
	deps := c.Dependencies()
	write([]byte(strconv.Itoa(len(deps))))
	for _, d := range deps {
		if err := hashChart(h, d); err != nil {
			return err
		}
	}
	return nil
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// errSealed is unseal's error for a stream sealed with other secrets.
var errSealed = errors.New("helm output cache: sealed with other secrets")

// seal returns data as the cache keeps it: as it is for a release without
// secrets, else sealed with a key derived from the secrets.
func seal(data []byte, salt string, secrets []string) ([]byte, error) {
	if len(secrets) == 0 {
		return data, nil
	}
	return cache.Seal(secretKey(salt, secrets), data)
}

// unseal undoes seal.
func unseal(data []byte, salt string, secrets []string) ([]byte, error) {
	if len(secrets) == 0 {
		return data, nil
	}
	var out []byte
	if !cache.Open(secretKey(salt, secrets), data, &out) {
		return nil, errSealed
	}
	return out, nil
}

func secretKey(salt string, secrets []string) []byte {
	sorted := append([]string{salt}, secrets...)
	sort.Strings(sorted[1:])
	return cache.SealKey(sorted...)
}
