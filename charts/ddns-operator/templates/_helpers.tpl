{{/* The chart's name, shortened to a valid label value. */}}
{{- define "ddns-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: release-chart, or the release name alone when it already holds the chart's. */}}
{{- define "ddns-operator.fullname" -}}
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

{{- define "ddns-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ddns-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ddns-operator
{{- end }}

{{- define "ddns-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ddns-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ddns-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ddns-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ddns-operator.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}
{{- end }}

{{/* The webhook provider sidecar's image: repository@digest, else repository:tag. */}}
{{- define "ddns-operator.webhookImage" -}}
{{- $i := .Values.webhookProvider.image -}}
{{- if $i.digest -}}
{{ $i.repository }}@{{ $i.digest }}
{{- else -}}
{{ $i.repository }}:{{ $i.tag }}
{{- end }}
{{- end }}

{{/* Leader election is on when asked for, and always with more than one replica. */}}
{{- define "ddns-operator.leaderElect" -}}
{{- or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}
{{- end }}

{{/*
The rules for namespaced resources, shared by the ClusterRole (whole
cluster) and the per-namespace Roles (watchNamespaces). They must cover
config/rbac/role.yaml, generated from the controller's RBAC markers; the
chart's tests fail when they do not.
*/}}
{{- define "ddns-operator.namespacedRules" -}}
- apiGroups: ["ddns.dev"]
  resources: ["dynamicdnsrecords"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["ddns.dev"]
  resources: ["dynamicdnsrecords/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["ddns.dev"]
  resources: ["dynamicdnsrecords/finalizers"]
  verbs: ["update"]
# Secrets: read one by name for credentials; list/watch only metadata, to
# map a changed Secret to the records that use it. Never written.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
# Services: read-only, for spec.ipSource.service.
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* Nodes are cluster-scoped: read-only, for spec.ipSource.node. */}}
{{- define "ddns-operator.clusterRules" -}}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get"]
{{- end }}

{{/* Join a list of source specs into one flag value. */}}
{{- define "ddns-operator.sourceFlag" -}}
{{- join "," . }}
{{- end }}
