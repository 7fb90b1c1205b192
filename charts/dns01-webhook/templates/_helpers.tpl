{{/*
Naming and labels. Names are cut at 63 characters (the DNS-label limit that Services
and label values share).
*/}}

{{- define "dns01-webhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release fullname; a release already named after the chart is not repeated. */}}
{{- define "dns01-webhook.fullname" -}}
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

{{- define "dns01-webhook.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dns01-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dns01-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "dns01-webhook.labels" -}}
helm.sh/chart: {{ include "dns01-webhook.chart" . }}
{{ include "dns01-webhook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: dns01-webhook
{{- end }}

{{/* The API group; installing without it fails here even when schema validation is skipped. */}}
{{- define "dns01-webhook.groupName" -}}
{{- required "groupName is required: set it to a DNS name you own, e.g. --set groupName=acme.example.com" .Values.groupName }}
{{- end }}

{{- define "dns01-webhook.serviceAccountName" -}}
{{- default (include "dns01-webhook.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* PKI object names (cert-manager Issuers, Certificates and their Secrets). */}}
{{- define "dns01-webhook.selfSignedIssuer" -}}
{{ printf "%s-selfsign" (include "dns01-webhook.fullname" .) }}
{{- end }}
{{- define "dns01-webhook.caIssuer" -}}
{{ printf "%s-ca" (include "dns01-webhook.fullname" .) }}
{{- end }}
{{- define "dns01-webhook.caCertificate" -}}
{{ printf "%s-ca" (include "dns01-webhook.fullname" .) }}
{{- end }}
{{- define "dns01-webhook.servingCertificate" -}}
{{ printf "%s-webhook-tls" (include "dns01-webhook.fullname" .) }}
{{- end }}

{{- define "dns01-webhook.configMapName" -}}
{{ printf "%s-config" (include "dns01-webhook.fullname" .) }}
{{- end }}

{{/* Namespaces where the webhook may read Secrets (and mint ServiceAccount tokens), deduplicated. */}}
{{- define "dns01-webhook.credentialNamespaces" -}}
{{- $list := .Values.secretAccess.namespaces | default (list .Values.certManager.namespace) }}
{{- toJson (uniq $list) }}
{{- end }}

{{- define "dns01-webhook.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}
