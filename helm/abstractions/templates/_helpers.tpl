{{/* Names, labels and paths shared by the templates. */}}

{{/* The chart name, or nameOverride. */}}
{{- define "abstractions.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The resource name: fullnameOverride, else <release>-<name>, or <release> when it contains the name. */}}
{{- define "abstractions.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The headless Service governing the StatefulSet: a stable DNS name per pod (<pod>.<headless>). */}}
{{- define "abstractions.headlessName" -}}
{{- printf "%s-headless" (include "abstractions.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "abstractions.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "abstractions.labels" -}}
helm.sh/chart: {{ include "abstractions.chart" . }}
{{ include "abstractions.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the server's pods; never change them on a release, selectors are immutable. */}}
{{- define "abstractions.selectorLabels" -}}
app.kubernetes.io/name: {{ include "abstractions.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "abstractions.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "abstractions.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Where the durable store's claim is mounted, passed to the server as --data-dir. */}}
{{- define "abstractions.dataDir" -}}
/var/lib/abstractions
{{- end }}

{{/* Labels of the `helm test` pod: never the server's selector labels, so that no Service sends it traffic. */}}
{{- define "abstractions.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "abstractions.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The PromQL matchers of this release's series: its namespace, and the job a ServiceMonitor names after the Service. */}}
{{- define "abstractions.alertSelector" -}}
namespace="{{ .Release.Namespace }}",job="{{ include "abstractions.fullname" . }}"
{{- end }}

{{/*
--peers of a replicated group: every pod of the StatefulSet by its stable DNS name under the
headless Service, at the Raft port. Empty for a single server.
*/}}
{{- define "abstractions.peers" -}}
{{- $name := include "abstractions.fullname" . -}}
{{- $headless := include "abstractions.headlessName" . -}}
{{- $members := list -}}
{{- range $i := until (int .Values.replicaCount) -}}
{{- $members = append $members (printf "%s-%d=%s-%d.%s.%s.svc:%d" $name $i $name $i $headless $.Release.Namespace (int $.Values.ports.raft)) -}}
{{- end -}}
{{- join "," $members -}}
{{- end -}}
