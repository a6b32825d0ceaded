{{- define "standin.name" -}}
{{- $o := "" -}}
{{- if kindIs "string" .Values.fullnameOverride }}{{ $o = .Values.fullnameOverride }}{{ end -}}
{{- default .Release.Name $o | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "standin.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name | trunc 63 | quote }}
app.kubernetes.io/instance: {{ .Release.Name | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
{{- end -}}

{{/* standin.container renders one container from (dict "name" N "spec" MAP "chart" .Chart). */}}
{{- define "standin.container" -}}
{{- $c := .spec -}}
{{- $img := dict -}}
{{- if kindIs "map" $c.image }}{{ $img = $c.image }}{{ end -}}
- name: {{ .name | trunc 63 | quote }}
  image: {{ printf "%s:%s" (toString ($img.repository | default (printf "registry.example/%s" .chart.Name))) (toString ($img.tag | default .chart.Version)) | quote }}
  {{- if kindIs "slice" $c.args }}
  args:
    {{- range $c.args }}
    - {{ toString . | quote }}
    {{- end }}
  {{- end }}
  {{- if kindIs "map" $c.env }}
  env:
    {{- range $k, $v := $c.env }}
    - name: {{ $k | quote }}
      {{- if kindIs "map" $v }}
      value: {{ toJson $v | quote }}
      {{- else }}
      value: {{ toString $v | quote }}
      {{- end }}
    {{- end }}
  {{- end }}
  {{- if kindIs "map" $c.resources }}
  resources:
    {{- range $k, $v := $c.resources }}
    {{- if and (has $k (list "limits" "requests")) (kindIs "map" $v) }}
    {{ $k }}:
      {{- range $r, $q := $v }}
      {{ $r }}: {{ toString $q | quote }}
      {{- end }}
    {{- end }}
    {{- end }}
  {{- end }}
{{- end -}}
