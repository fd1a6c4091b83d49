{{/*
notify.enabled is "true" when notifications or the heartbeat are configured:
the manager then mounts the notification ConfigMap and Secret.
*/}}
{{- define "ddns-operator.notify.enabled" -}}
{{- $n := .Values.notifications -}}
{{- if or $n.targets $n.heartbeat.secretKey }}true{{ end -}}
{{- end }}

{{/* The notification configuration file the manager reads (--notify-config). */}}
{{- define "ddns-operator.notify.config" -}}
{{- $n := .Values.notifications -}}
{{- $cfg := dict "failingAfter" $n.failingAfter "coalesce" $n.coalesce -}}
{{- with $n.cluster }}{{ $_ := set $cfg "cluster" . }}{{ end -}}
{{- with $n.targets }}{{ $_ := set $cfg "targets" . }}{{ end -}}
{{- with $n.heartbeat.secretKey }}{{ $_ := set $cfg "heartbeat" (dict "urlKey" .) }}{{ end -}}
{{- toYaml $cfg }}
{{- end }}
