# METADATA
# title: An image has the tag latest or no tag
# description: >-
#   latest (and no tag, which means latest) changes under the same manifest:
#   nodes run different versions, a restart can upgrade, and a rollback does
#   not roll back. Flux cannot see the change in git.
# custom:
#   id: policy-image-tag
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Pin the image to a version tag, or to a digest (image@sha256:...); Flux image automation can update it.
#   bad: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: ghcr.io/example/app:latest
#   good: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: ghcr.io/example/app:1.4.2
package fluxlint.image_tag

import data.fluxlint.lib

warn contains result if {
	some c in lib.containers
	image := c.container.image
	unpinned(image)
	result := {
		"msg": sprintf("%s: container %q runs image %q %s", [lib.name, c.container.name, image, reason(image)]),
		"path": array.concat(c.path, ["image"]),
	}
}

unpinned(image) if {
	not contains(image, "@")
	not tag(image)
}

unpinned(image) if {
	not contains(image, "@")
	tag(image) == "latest"
}

# tag is what follows the colon in the last segment of the image name (a
# registry's port is in an earlier segment).
tag(image) := t if {
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := substring(last, indexof(last, ":") + 1, -1)
}

reason(image) := "with the tag latest" if {
	tag(image) == "latest"
} else := "without a tag (that is latest)"
