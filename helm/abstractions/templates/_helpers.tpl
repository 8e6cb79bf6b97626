{{/*
Names and labels shared by every resource. HelmChartTest maps each helper to its output for the
release "demo" with nameOverride and fullnameOverride empty; keep the two in step.
*/}}

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

{{/* The headless Service giving each pod a stable DNS name (<pod>.<headless>), for peer discovery. */}}
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
