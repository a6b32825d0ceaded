package model

import "slices"

// groupCNPG is the API group of CloudNativePG's kinds.
const groupCNPG = "postgresql.cnpg.io"

// cnpgUserKeys are the keys of the user Secrets CloudNativePG writes for a
// Cluster's application owner and superuser (pkg/specs/secrets.go
// CreateSecret).
var cnpgUserKeys = []string{"username", "user", "password", "dbname", "host", "port", "pgpass", "uri", "jdbc-uri", "fqdn-uri", "fqdn-jdbc-uri"}

// cnpgClusterObjects returns the Secrets, Services and ServiceAccount that
// CloudNativePG makes for a Cluster, named as api/v1's cluster_funcs.go
// and cluster_types.go name them:
//   - the application owner's Secret <name>-app, unless the bootstrap
//     (initdb, recovery or pg_basebackup) names a Secret of the person's
//     own, and the superuser's <name>-superuser, unless spec.superuserSecret
//     names one or spec.enableSuperuserAccess is false, both with the keys
//     of cnpgUserKeys;
//   - the certificates <name>-ca, <name>-server and <name>-replication, the
//     pull secret <name>-pull-secret and the pooler's <name>-pooler;
//   - the Services <name>-rw, <name>-r, <name>-ro (unless
//     spec.managed.services.disabledDefaultServices lists r or ro), and
//     each additional one of spec.managed.services.additional;
//   - the ServiceAccount <name>.
//
// They are made only where nothing else makes an object of the name
// (IfAbsent): CloudNativePG uses a Secret that exists.
func cnpgClusterObjects(o *Object, by string) []Made {
	name, ns := o.Ref.Name, o.Ref.Namespace
	if ns == "" {
		return nil
	}
	made := func(kind, objName string, keys ...string) Made {
		m := Made{Kind: kind, Namespace: ns, Name: objName, By: by, IfAbsent: true}
		if keys != nil {
			m.Keys = map[string]bool{}
			for _, k := range keys {
				m.Keys[k] = true
			}
		}
		return m
	}
	out := []Made{made("ServiceAccount", name)}
	if !cnpgOwnAppSecret(o) {
		out = append(out, made("Secret", name+"-app", cnpgUserKeys...))
	}
	if value(o.Content, "spec", "enableSuperuserAccess") != false && str(o.Content, "spec", "superuserSecret", "name") == "" {
		out = append(out, made("Secret", name+"-superuser", cnpgUserKeys...))
	}
	for _, suffix := range []string{"-ca", "-server", "-replication", "-pull-secret", "-pooler"} {
		out = append(out, made("Secret", name+suffix))
	}
	disabled, _ := value(o.Content, "spec", "managed", "services", "disabledDefaultServices").([]any)
	for _, svc := range []string{"rw", "r", "ro", "any"} {
		if !slices.Contains(disabled, any(svc)) {
			out = append(out, made("Service", name+"-"+svc))
		}
	}
	additional, _ := value(o.Content, "spec", "managed", "services", "additional").([]any)
	for _, a := range additional {
		m, _ := a.(map[string]any)
		tmpl, _ := m["serviceTemplate"].(map[string]any)
		if n := str(tmpl, "metadata", "name"); n != "" {
			out = append(out, made("Service", n))
		}
	}
	return out
}

// cnpgOwnAppSecret reports whether a Cluster's bootstrap names the
// application owner's Secret, which the person then makes.
func cnpgOwnAppSecret(o *Object) bool {
	for _, method := range []string{"initdb", "recovery", "pg_basebackup"} {
		if str(o.Content, "spec", "bootstrap", method, "secret", "name") != "" {
			return true
		}
	}
	return false
}

// cnpgMakesExactly reports whether CloudNativePG makes no object of a kind
// named after a CNPG object other than those cnpgClusterObjects lists: a
// Cluster's Secrets, Services and ServiceAccount; the kinds that make no
// Kubernetes objects (a Database, a backup) make none. A Pooler's
// Deployment and Service, and a Cluster's PersistentVolumeClaims
// (<name>-<n>, <name>-<n>-wal), are not listed.
func cnpgMakesExactly(o *Object, kind string) bool {
	switch o.Ref.Kind {
	case "Cluster":
		return kind == "Secret" || kind == "Service" || kind == "ServiceAccount"
	case "Database", "ScheduledBackup", "Backup", "Publication", "Subscription", "ImageCatalog", "ClusterImageCatalog":
		return true
	}
	return false
}
